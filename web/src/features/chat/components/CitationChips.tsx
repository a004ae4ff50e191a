import { BookOpen, FileText } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Citation } from '../../../lib/api-types.ts';
import { withKeys } from '../../../lib/keys.ts';
import { safeUrl } from '../../../lib/safe-url.ts';

const chip =
  'inline-flex max-w-full items-center gap-1.5 rounded-md border border-zinc-200 bg-white px-2 py-1 text-xs text-zinc-700 shadow-xs transition-colors hover:border-accent-300 hover:bg-accent-50 hover:text-accent-800 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:border-accent-700 dark:hover:bg-accent-950 dark:hover:text-accent-200';

/** Link to a document's detail view, scrolled to the cited locator. */
export function documentHref(documentId: string, locator?: string): string {
  const base = `/documents/${encodeURIComponent(documentId)}`;
  return locator ? `${base}?locator=${encodeURIComponent(locator)}` : base;
}

const COLLAPSED = 4;

/** Document sources first, then benchmarks; long lists fold after a few chips. */
export function CitationChips({ citations }: { citations: Citation[] }) {
  const [expanded, setExpanded] = useState(false);
  if (citations.length === 0) return null;
  const ordered = [...citations.filter((c) => !('benchmark' in c)), ...citations.filter((c) => 'benchmark' in c)];
  const shown = expanded ? ordered : ordered.slice(0, COLLAPSED);
  const hidden = ordered.length - shown.length;
  return (
    <ul className="mt-3 flex flex-wrap gap-1.5" aria-label="Sources">
      {withKeys(shown, citationKey).map(({ item: c, key }) => (
        <li key={key} className="max-w-full">
          <CitationChip citation={c} />
        </li>
      ))}
      {hidden > 0 || expanded ? (
        <li>
          <button
            type="button"
            onClick={() => setExpanded((e) => !e)}
            aria-expanded={expanded}
            className="inline-flex items-center rounded-md px-2 py-1 text-xs font-medium text-accent-700 hover:bg-accent-50 dark:text-accent-300 dark:hover:bg-accent-950"
          >
            {expanded ? 'Show fewer sources' : `+${hidden} more source${hidden === 1 ? '' : 's'}`}
          </button>
        </li>
      ) : null}
    </ul>
  );
}

function citationKey(c: Citation): string {
  return 'benchmark' in c ? `b:${c.publisher}:${c.report}:${c.year}` : `d:${c.document_id}:${c.locator}`;
}

function CitationChip({ citation: c }: { citation: Citation }) {
  if ('benchmark' in c) {
    const label = `${c.publisher}${c.report ? ` · ${c.report}` : ''}${c.year ? ` (${c.year})` : ''}`;
    const href = c.url ? safeUrl(c.url) : '';
    return href ? (
      <a className={chip} href={href} target="_blank" rel="noopener noreferrer" title={label}>
        <BookOpen className="size-3.5 shrink-0 text-amber-600" aria-hidden />
        <span className="truncate">{label}</span>
      </a>
    ) : (
      <span className={chip} title={label}>
        <BookOpen className="size-3.5 shrink-0 text-amber-600" aria-hidden />
        <span className="truncate">{label}</span>
      </span>
    );
  }
  return (
    <Link
      className={chip}
      to={documentHref(c.document_id, c.locator)}
      title={c.snippet ? `${c.document_name} — ${c.locator}\n${c.snippet}` : `${c.document_name} — ${c.locator}`}
      data-testid="citation-chip"
    >
      <FileText className="size-3.5 shrink-0 text-accent-600 dark:text-accent-400" aria-hidden />
      <span className="truncate">{c.document_name}</span>
      {c.locator ? <span className="shrink-0 text-zinc-400">· {c.locator}</span> : null}
    </Link>
  );
}
