import type { MetricPoint } from '../graph/types.ts';
import { comparePeriods } from '../lib/periods.ts';
import type { DocumentRecord, ParsedDocument, ParsedTable, TextBlock } from './types.ts';

/** `GET /api/documents/:id`: the record and its preview. */
export interface DocumentDetail extends DocumentPreview {
  document: DocumentRecord;
}

/** What a document's detail page shows besides its record: `documents/<id>/preview.json`. */
export interface DocumentPreview {
  preview: {
    blocks: TextBlock[];
    tables: Array<{ locator: string; title?: string; header: string[]; rows: ParsedTable['rows'] }>;
  };
  metrics: Array<{
    metric: string;
    label: string;
    unit: string;
    periods: number;
    latest: { period: string; value: number };
  }>;
}

/** The first 50 blocks, the first 10 tables (50 rows each) and one line per metric series. */
export function previewOf(parsed: ParsedDocument, points: MetricPoint[]): DocumentPreview {
  const blocks = parsed.blocks.slice(0, 50);
  const tables = parsed.tables.slice(0, 10).map((t) => ({
    locator: t.locator,
    ...(t.title ? { title: t.title } : {}),
    header: t.header,
    rows: t.rows.slice(0, 50),
  }));
  return { preview: { blocks, tables }, metrics: summarize(points) };
}

/** One line per series found: its unit, how many periods, and its latest value. */
function summarize(points: MetricPoint[]): DocumentPreview['metrics'] {
  const bySeries = new Map<string, MetricPoint[]>();
  for (const p of points) {
    const key = `${p.metric}\u0000${p.label}`;
    const list = bySeries.get(key) ?? [];
    list.push(p);
    bySeries.set(key, list);
  }
  return [...bySeries.values()].map((list) => {
    const latest = [...list].sort((a, b) => comparePeriods(a.period, b.period)).at(-1)!;
    return {
      metric: latest.metric,
      label: latest.label,
      unit: latest.unit,
      periods: list.length,
      latest: { period: latest.period, value: latest.value },
    };
  });
}
