import { CloudUpload } from 'lucide-react';
import { useRef, useState } from 'react';
import { cn } from '../../../lib/cn.ts';

export const ACCEPT = '.pdf,.docx,.xlsx,.csv,.tsv,.md,.markdown,.txt,.json';

/** Drag-and-drop target that is also a keyboard-reachable file picker. */
export function UploadZone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <section
      aria-label="Upload documents"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const files = Array.from(e.dataTransfer.files);
        if (files.length > 0) onFiles(files);
      }}
      className={cn(
        'flex flex-col items-center justify-center rounded-2xl border-2 border-dashed px-6 py-10 text-center transition-colors',
        over
          ? 'border-accent-500 bg-accent-50 dark:bg-accent-950/40'
          : 'border-zinc-300 bg-white hover:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-900',
      )}
    >
      <div className="mb-3 flex size-11 items-center justify-center rounded-full bg-accent-50 text-accent-600 dark:bg-accent-950 dark:text-accent-400">
        <CloudUpload className="size-5" aria-hidden />
      </div>
      <p className="text-sm font-medium">
        Drag files here, or{' '}
        <button
          type="button"
          onClick={() => input.current?.click()}
          className="rounded text-accent-600 underline-offset-2 hover:underline dark:text-accent-400"
        >
          choose files
        </button>
      </p>
      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
        CSV, TSV, XLSX, PDF, DOCX, Markdown, text · up to 10 at once
      </p>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        className="sr-only"
        aria-label="Upload documents"
        data-testid="file-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </section>
  );
}
