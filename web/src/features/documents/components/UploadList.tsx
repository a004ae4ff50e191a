import { FileText, X } from 'lucide-react';
import { IconButton } from '../../../components/ui/Button.tsx';
import type { DocumentRecord } from '../../../lib/api-types.ts';
import { formatBytes } from '../../../lib/format.ts';
import { StatusBadge } from './StatusBadge.tsx';

export interface UploadItem {
  uid: string;
  name: string;
  size: number;
  progress: number;
  phase: 'uploading' | 'uploaded' | 'error';
  error?: string;
  documentId?: string;
}

/** Per-file progress while uploading, then the document's live processing status. */
export function UploadList({
  items,
  documents,
  onDismiss,
}: {
  items: UploadItem[];
  documents: DocumentRecord[];
  onDismiss: (uid: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <ul className="mt-4 space-y-2" aria-label="Uploads">
      {items.map((item) => {
        const doc = item.documentId ? documents.find((d) => d.id === item.documentId) : undefined;
        const pct = Math.round(item.progress * 100);
        return (
          <li
            key={item.uid}
            className="flex items-center gap-3 rounded-xl border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900"
            data-testid="upload-item"
          >
            <FileText className="size-5 shrink-0 text-zinc-600 dark:text-zinc-400" aria-hidden />
            <div className="min-w-0 flex-1">
              <div className="flex items-center justify-between gap-3">
                <p className="truncate text-sm font-medium">{item.name}</p>
                <span className="shrink-0 text-xs text-zinc-600 dark:text-zinc-400">{formatBytes(item.size)}</span>
              </div>
              {item.phase === 'uploading' ? (
                <div className="mt-2 flex items-center gap-2">
                  <div
                    role="progressbar"
                    aria-label={`Uploading ${item.name}`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={pct}
                    className="h-1.5 flex-1 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
                  >
                    <div
                      className="h-full rounded-full bg-accent-600 transition-[width]"
                      style={{ width: `${pct}%` }}
                    />
                  </div>
                  <span className="w-9 text-right text-xs text-zinc-600 dark:text-zinc-400 tabular-nums">{pct}%</span>
                </div>
              ) : item.phase === 'error' ? (
                <p className="mt-1 text-xs text-red-600 dark:text-red-400" role="alert">
                  Upload failed: {item.error}
                </p>
              ) : (
                <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
                  <StatusBadge status={doc?.status ?? 'processing'} reason={doc?.error?.message} />
                  {doc?.status === 'failed' ? (
                    <span className="text-red-600 dark:text-red-400">{doc.error?.message ?? 'Could not be read.'}</span>
                  ) : doc?.status === 'ready' ? (
                    <span>
                      {doc.metrics.length > 0 ? `${doc.metrics.length} metrics found` : 'Text indexed'} · ready to ask
                      about
                    </span>
                  ) : (
                    <span>Reading tables and text…</span>
                  )}
                </div>
              )}
            </div>
            {item.phase !== 'uploading' ? (
              <IconButton label={`Dismiss ${item.name}`} onClick={() => onDismiss(item.uid)}>
                <X className="size-4" aria-hidden />
              </IconButton>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
