import { ExternalLink, FileText, X } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { IconButton } from '../../../components/ui/Button.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { useDocument } from '../../documents/api/documents.ts';
import { DocumentContent } from '../../documents/components/DocumentDetailPage.tsx';
import type { NumberedSource } from './sources.ts';

/** Link to a document's detail view, scrolled to the cited locator. */
export function documentHref(documentId: string, locator?: string): string {
  const base = `/documents/${encodeURIComponent(documentId)}`;
  return locator ? `${base}?locator=${encodeURIComponent(locator)}` : base;
}

/**
 * The cited cell beside the conversation: the document's table with the cited row and cell
 * highlighted, opened by a source or a citation marker. Not modal (the answer stays readable and
 * scrollable beside it); Escape or × closes it.
 */
export function SourcePanel({
  source,
  onClose,
}: {
  source: NumberedSource & { kind: 'document' };
  onClose: () => void;
}) {
  const { citation } = source;
  const detail = useDocument(citation.document_id);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  useEffect(() => {
    ref.current?.focus();
  }, []);

  useEffect(() => {
    if (!detail.data) return;
    ref.current?.querySelector('[data-cited="true"]')?.scrollIntoView({ block: 'center' });
  }, [detail.data]);

  return (
    <aside
      aria-label={`Source ${source.n}: ${citation.document_name}`}
      className="fixed inset-y-0 right-0 z-30 flex w-full flex-col border-l border-zinc-200 bg-white shadow-2xl sm:w-[min(36rem,50vw)] dark:border-zinc-800 dark:bg-zinc-900"
      data-testid="source-panel"
    >
      <div className="flex items-start justify-between gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <div className="min-w-0">
          <p className="flex items-center gap-1.5 text-sm font-semibold">
            <FileText className="size-4 shrink-0 text-accent-600" aria-hidden />
            <span className="truncate">{citation.document_name}</span>
          </p>
          <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
            Source {source.n} · {source.detail}
          </p>
        </div>
        <div className="flex items-center gap-1">
          <Link
            to={documentHref(citation.document_id, citation.locator)}
            className="inline-flex h-8 items-center gap-1 rounded-lg px-2 text-xs font-medium text-accent-700 hover:bg-accent-50 dark:text-accent-300 dark:hover:bg-accent-950"
          >
            <ExternalLink className="size-3.5" aria-hidden /> Open document
          </Link>
          <IconButton label="Close source" onClick={onClose}>
            <X className="size-4" aria-hidden />
          </IconButton>
        </div>
      </div>
      {/* Focusable: the cited table scrolls inside it, and keyboard users must reach it (axe scrollable-region-focusable). */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
      <div ref={ref} tabIndex={0} className="min-h-0 flex-1 overflow-y-auto p-4 focus:outline-none">
        {citation.snippet ? (
          <blockquote className="mb-4 border-l-2 border-amber-400 pl-3 text-sm text-zinc-700 dark:text-zinc-300">
            {citation.snippet}
          </blockquote>
        ) : null}
        {detail.isPending ? (
          <LoadingBlock />
        ) : detail.isError ? (
          <ErrorNote>{errorMessage(detail.error)}</ErrorNote>
        ) : (
          <DocumentContent detail={detail.data} locator={citation.locator} />
        )}
      </div>
    </aside>
  );
}
