import { ArrowLeft, Download } from 'lucide-react';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Card } from '../../../components/ui/Card.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { apiUrl } from '../../../lib/api-base.ts';
import { authHeaders, ensureOk, errorMessage } from '../../../lib/api-client.ts';
import type { CellValue, DocumentDetail } from '../../../lib/api-types.ts';
import { cn } from '../../../lib/cn.ts';
import { formatBytes, formatDateTime, formatMetricValue } from '../../../lib/format.ts';
import { withKeys } from '../../../lib/keys.ts';
import { useTenantCurrency } from '../../chat/api/metrics.ts';
import { useDocument } from '../api/documents.ts';
import { StatusBadge } from './StatusBadge.tsx';

/** Does a preview part match the cited locator? Cell citations (`Sheet1!B4`) point into a table range. */
export function locatorMatches(partLocator: string, cited: string): boolean {
  if (!cited) return false;
  const a = partLocator.trim().toLowerCase();
  const b = cited.trim().toLowerCase();
  if (a === b || b.startsWith(`${a},`) || b.startsWith(`${a} `)) return true;
  const sheetA = a.split('!')[0];
  const sheetB = b.split('!')[0];
  if (a.includes('!') && b.includes('!') && sheetA === sheetB) return true;
  // "row 25, column ..." cites into a CSV table whose locator is "rows 1-40"
  const row = /^row (\d+)/.exec(b);
  const range = /^rows (\d+)\s*[-–]\s*(\d+)/.exec(a);
  if (row?.[1] && range?.[1] && range[2]) {
    const n = Number(row[1]);
    return n >= Number(range[1]) && n <= Number(range[2]);
  }
  return false;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/**
 * Which data row and column of a preview table a citation points at (0-based, header excluded):
 * `row 25, column "ending_mrr"` in a `rows 1-40` CSV table (the header is its first row), or
 * `Sheet1!C7` in a `Sheet1!A1:E8` range (the header is the range's first row).
 */
export function citedCell(
  table: { locator: string; header: string[] },
  cited: string,
): { row: number | null; col: number | null } {
  const out: { row: number | null; col: number | null } = { row: null, col: null };
  const csvTable = /^rows (\d+)\s*[-–]\s*(\d+)/i.exec(table.locator.trim());
  const csvCite = /^row (\d+)(?:,\s*column "([^"]*)")?/i.exec(cited.trim());
  if (csvTable?.[1] && csvCite?.[1]) {
    const row = Number(csvCite[1]) - Number(csvTable[1]) - 1;
    if (row >= 0 && Number(csvCite[1]) <= Number(csvTable[2])) out.row = row;
    if (csvCite[2] !== undefined) {
      const col = table.header.indexOf(csvCite[2]);
      if (col >= 0) out.col = col;
    }
    return out;
  }
  const xlsTable = /^(.*)!\$?([A-Z]+)\$?(\d+)(?::|$)/i.exec(table.locator.trim());
  const xlsCite = /^(.*)!\$?([A-Z]+)\$?(\d+)/i.exec(cited.trim());
  if (xlsTable?.[2] && xlsTable[3] && xlsCite?.[2] && xlsCite[3] && xlsTable[1] === xlsCite[1]) {
    const row = Number(xlsCite[3]) - Number(xlsTable[3]) - 1;
    const col = columnNumber(xlsCite[2]) - columnNumber(xlsTable[2]);
    if (row >= 0) out.row = row;
    if (col >= 0 && col < table.header.length) out.col = col;
  }
  return out;
}

function cell(value: CellValue): string {
  if (value === null) return '';
  return typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 4 }) : value;
}

export function DocumentDetailPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const locator = params.get('locator') ?? '';
  const detail = useDocument(id);
  const currency = useTenantCurrency();

  useEffect(() => {
    if (!detail.data || !locator) return;
    document.querySelector('[data-cited="true"]')?.scrollIntoView({ block: 'center' });
  }, [detail.data, locator]);

  const download = async () => {
    if (!detail.data) return;
    const res = await ensureOk(
      await fetch(apiUrl(`/api/documents/${encodeURIComponent(detail.data.document.id)}/file`), {
        headers: authHeaders(),
      }),
    );
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = detail.data.document.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="mx-auto max-w-5xl px-4 py-8 sm:px-8">
      <Link
        to="/documents"
        className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-600 dark:text-zinc-400 hover:text-zinc-900 dark:hover:text-zinc-100"
      >
        <ArrowLeft className="size-4" aria-hidden /> Documents
      </Link>
      {detail.isPending ? (
        <LoadingBlock />
      ) : detail.isError ? (
        <ErrorNote>{errorMessage(detail.error)}</ErrorNote>
      ) : (
        <>
          <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
            <div className="min-w-0">
              <h1 className="text-xl font-semibold tracking-tight break-all">{detail.data.document.name}</h1>
              <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
                <span className="uppercase">{detail.data.document.format}</span>·
                <span>{formatBytes(detail.data.document.size)}</span>·
                <span>uploaded {formatDateTime(detail.data.document.uploaded_at)}</span>
                <StatusBadge status={detail.data.document.status} reason={detail.data.document.error?.message} />
              </p>
              {detail.data.document.warning ? (
                <p className="mt-3 text-sm text-amber-700 dark:text-amber-400" data-testid="document-warning">
                  {detail.data.document.warning}
                </p>
              ) : null}
              {detail.data.document.error ? (
                <div className="mt-3">
                  <ErrorNote>{detail.data.document.error.message}</ErrorNote>
                </div>
              ) : null}
            </div>
            <button
              type="button"
              onClick={() => void download().catch(() => undefined)}
              className="inline-flex h-9 items-center gap-2 rounded-lg border border-zinc-300 bg-white px-3 text-sm font-medium shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
            >
              <Download className="size-4" aria-hidden /> Original
            </button>
          </div>

          {locator ? (
            <p className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
              Cited location: <span className="font-mono">{locator}</span>
            </p>
          ) : null}

          {detail.data.metrics.length > 0 ? (
            <section className="mb-8" aria-labelledby="metrics-heading">
              <h2 id="metrics-heading" className="mb-3 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
                Metrics found
              </h2>
              <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
                {detail.data.metrics.map((m) => (
                  <Card key={m.metric} className="p-4">
                    <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{m.label}</p>
                    <p className="mt-1 text-lg font-semibold tabular-nums">
                      {m.latest ? formatMetricValue(m.latest.value, m.unit, currency) : '—'}
                    </p>
                    <p className="text-xs text-zinc-600 dark:text-zinc-400">
                      {m.latest ? `${m.latest.period} · ` : ''}
                      {m.periods} period{m.periods === 1 ? '' : 's'}
                    </p>
                  </Card>
                ))}
              </div>
            </section>
          ) : null}

          <DocumentContent detail={detail.data} locator={locator} />
        </>
      )}
    </div>
  );
}

/**
 * A document's tables and text with the cited place highlighted: the cited cell ringed in its row,
 * or the cited passage shaded. Used by the document page and by the chat's source panel.
 */
export function DocumentContent({ detail, locator }: { detail: DocumentDetail; locator: string }) {
  return (
    <>
      {detail.preview.tables.map((t) => {
        const cited = locatorMatches(t.locator, locator);
        const target = cited ? citedCell(t, locator) : { row: null, col: null };
        return (
          <section
            key={t.locator}
            data-cited={cited && target.row === null ? 'true' : undefined}
            className={cn(
              'mb-6 rounded-xl',
              cited &&
                target.row === null &&
                'ring-2 ring-amber-400 ring-offset-4 ring-offset-zinc-50 dark:ring-offset-zinc-950',
            )}
          >
            <h2 className="mb-2 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
              {t.title ?? 'Table'}{' '}
              <span className="font-mono text-xs font-normal text-zinc-600 dark:text-zinc-400">{t.locator}</span>
            </h2>
            <Card
              className="overflow-x-auto"
              // A table that scrolls sideways must be reachable by keyboard (a focusable region).
              tabIndex={0}
              role="region"
              aria-label={`${t.title ?? 'Table'} ${t.locator}`}
            >
              <table className="w-full text-[13px]">
                <thead className="bg-zinc-50 dark:bg-zinc-900/60">
                  <tr>
                    {withKeys(t.header, (h) => h).map(({ item: h, key }) => (
                      <th
                        key={key}
                        scope="col"
                        className="border-b border-zinc-200 px-3 py-2 text-left font-medium whitespace-nowrap dark:border-zinc-800"
                      >
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                  {withKeys(t.rows.slice(0, 200), (row) => JSON.stringify(row)).map(({ item: row, key: rowKey }, r) => (
                    <tr
                      key={rowKey}
                      data-cited={target.row === r ? 'true' : undefined}
                      className={cn(target.row === r && 'bg-amber-50 dark:bg-amber-950/40')}
                    >
                      {withKeys(row, (v) => String(v)).map(({ item: v, key }, c) => (
                        <td
                          key={key}
                          className={cn(
                            'px-3 py-1.5 whitespace-nowrap',
                            typeof v === 'number' && 'text-right tabular-nums',
                            target.row === r &&
                              target.col === c &&
                              'font-semibold ring-2 ring-amber-400 ring-inset dark:ring-amber-500',
                          )}
                        >
                          {cell(v)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              {t.rows.length > 200 ? (
                <p className="px-3 py-2 text-xs text-zinc-600 dark:text-zinc-400">
                  Showing the first 200 of {t.rows.length} rows.
                </p>
              ) : null}
            </Card>
          </section>
        );
      })}

      {detail.preview.blocks.length > 0 ? (
        <section aria-labelledby="text-heading">
          <h2 id="text-heading" className="mb-2 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
            Extracted text
          </h2>
          <Card className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {withKeys(detail.preview.blocks, (b) => b.locator).map(({ item: b, key }) => {
              const cited = locatorMatches(b.locator, locator);
              return (
                <div
                  key={key}
                  data-cited={cited ? 'true' : undefined}
                  className={cn('flex gap-4 px-4 py-3 text-sm', cited && 'bg-amber-50 dark:bg-amber-950/40')}
                >
                  <span className="w-24 shrink-0 font-mono text-[11px] text-zinc-600 dark:text-zinc-400">
                    {b.locator}
                  </span>
                  <div className="min-w-0 whitespace-pre-wrap">
                    {b.heading ? (
                      <p className="mb-1 text-xs font-semibold text-zinc-600 dark:text-zinc-400">{b.heading}</p>
                    ) : null}
                    {b.text}
                  </div>
                </div>
              );
            })}
          </Card>
        </section>
      ) : null}
    </>
  );
}
