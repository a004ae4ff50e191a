import { BookOpen, ChevronRight, FileText } from 'lucide-react';
import type { NumberedSource } from './sources.ts';

const SHOWN = 5;

/**
 * The one sources list under an answer: numbered like the markers in the text; a document source
 * opens the cited cell in the side panel, a benchmark its publication. Long lists fold behind
 * "All N sources" instead of a wall of chips.
 */
export function SourcesList({
  sources,
  onOpen,
}: {
  sources: NumberedSource[];
  onOpen: (source: NumberedSource) => void;
}) {
  if (sources.length === 0) return null;
  const first = sources.slice(0, SHOWN);
  const rest = sources.slice(SHOWN);
  return (
    <section className="mt-4" aria-label="Sources">
      <h3 className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">Sources</h3>
      <ol className="space-y-1">
        {first.map((s) => (
          <SourceItem key={s.n} source={s} onOpen={onOpen} />
        ))}
      </ol>
      {rest.length > 0 ? (
        <details className="group/more mt-1">
          <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded px-1 text-xs font-medium text-accent-700 hover:underline dark:text-accent-300">
            <ChevronRight className="size-3 transition-transform group-open/more:rotate-90" aria-hidden />
            All {sources.length} sources
          </summary>
          <ol className="mt-1 space-y-1" start={SHOWN + 1}>
            {rest.map((s) => (
              <SourceItem key={s.n} source={s} onOpen={onOpen} />
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

const row =
  'group flex w-full min-w-0 items-baseline gap-2 rounded-md px-1.5 py-1 text-left text-[13px] text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800/70';

function SourceItem({ source: s, onOpen }: { source: NumberedSource; onOpen: (s: NumberedSource) => void }) {
  const number = (
    <span className="inline-flex h-4 min-w-4 shrink-0 items-center justify-center rounded bg-accent-50 px-1 text-[10px] font-semibold text-accent-700 ring-1 ring-accent-200 dark:bg-accent-950 dark:text-accent-300 dark:ring-accent-800">
      {s.n}
    </span>
  );
  if (s.kind === 'benchmark') {
    const body = (
      <>
        {number}
        <BookOpen className="size-3.5 shrink-0 translate-y-0.5 text-amber-700 dark:text-amber-400" aria-hidden />
        <span className="min-w-0 truncate">
          <span className="font-medium">{s.label}</span>
          {s.detail ? <span className="text-zinc-600 dark:text-zinc-400"> — {s.detail}</span> : null}
        </span>
      </>
    );
    return (
      <li id={`source-${s.n}`}>
        {s.href ? (
          <a className={row} href={s.href} target="_blank" rel="noopener noreferrer" data-testid="benchmark-source">
            {body}
          </a>
        ) : (
          <span className={row}>{body}</span>
        )}
      </li>
    );
  }
  return (
    <li id={`source-${s.n}`}>
      <button type="button" className={row} onClick={() => onOpen(s)} data-testid="citation-chip">
        {number}
        <FileText className="size-3.5 shrink-0 translate-y-0.5 text-accent-600 dark:text-accent-400" aria-hidden />
        <span className="min-w-0 truncate">
          <span className="font-medium">{s.label}</span>
          {s.detail ? <span className="text-zinc-600 dark:text-zinc-400"> — {s.detail}</span> : null}
        </span>
      </button>
    </li>
  );
}
