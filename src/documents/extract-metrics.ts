import { lineItemId, METRICS_BY_ID, metricForLabel } from '../graph/catalog.ts';
import type { MetricPoint, Unit } from '../graph/types.ts';
import { parsePeriod } from '../lib/periods.ts';
import { cellLocator } from './tables/locate.ts';
import { round } from './tables/numbers.ts';
import type { ColumnType, ParsedDocument, ParsedTable } from './types.ts';

export interface DocumentRef {
  document_id: string;
  document_name: string;
}

/**
 * Every typed table → metric points. Long tables (periods down a column): each numeric column is a
 * series. Wide tables (periods across the header): each line-item row is a series. A header that the
 * catalog knows becomes its canonical id; any other label is kept as `item:<label>` so line items
 * such as "AWS hosting" can be asked about too.
 */
export function extractMetrics(doc: ParsedDocument, ref: DocumentRef): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const table of doc.tables) {
    if (table.orientation === 'long') points.push(...fromLong(table, ref));
    else if (table.orientation === 'wide') points.push(...fromWide(table, ref));
  }
  return dedupe(points);
}

function fromLong(table: ParsedTable, ref: DocumentRef): MetricPoint[] {
  const periodCol = table.columnTypes.indexOf('period');
  const out: MetricPoint[] = [];
  // A period that repeats (a transaction log, or one row per segment and month) is not one series:
  // the table stays queryable as a typed table, but no points are guessed from it.
  const seen = new Set<string>();
  const periods: Array<string | undefined> = [];
  for (const row of table.rows) {
    const v = row[periodCol];
    const period = v === null || v === undefined ? undefined : parsePeriod(v);
    if (period !== undefined) {
      if (seen.has(period)) return out;
      seen.add(period);
    }
    periods.push(period);
  }
  table.header.forEach((label, c) => {
    const type = table.columnTypes[c]!;
    if (c === periodCol || !isNumeric(type) || !meaningful(label)) return;
    const series: MetricPoint[] = [];
    table.rows.forEach((row, r) => {
      const value = row[c];
      const period = periods[r];
      if (typeof value !== 'number' || !period) return;
      series.push(point(label, period, value, type, { ...ref, locator: cellLocator(table, r, c) }));
    });
    out.push(...scalePercent(series, type));
  });
  return out;
}

function fromWide(table: ParsedTable, ref: DocumentRef): MetricPoint[] {
  const periodCols = table.header
    .map((h, c) => ({ c, period: c > 0 ? parsePeriod(h) : undefined }))
    .filter((x): x is { c: number; period: string } => x.period !== undefined);
  const labelCol = Math.max(0, table.columnTypes.indexOf('text'));
  const out: MetricPoint[] = [];
  table.rows.forEach((row, r) => {
    const label = row[labelCol];
    if (typeof label !== 'string' || !meaningful(label)) return;
    // One unit per row (a series): the strongest type among its period cells' columns.
    const cells = periodCols.filter(({ c }) => typeof row[c] === 'number');
    const types = new Set(cells.map(({ c }) => table.columnTypes[c]));
    const type: ColumnType = types.has('percent') ? 'percent' : types.has('currency') ? 'currency' : 'number';
    const series = cells.map(({ c, period }) =>
      point(label, period, row[c] as number, type, { ...ref, locator: cellLocator(table, r, c) }),
    );
    out.push(...scalePercent(series, type));
  });
  return out;
}

const isNumeric = (t: ColumnType) => t === 'number' || t === 'percent' || t === 'currency';
const meaningful = (label: string) => /[a-z]/i.test(label) && !/^column \d+$/.test(label);

function point(
  label: string,
  period: string,
  value: number,
  type: ColumnType,
  source: MetricPoint['source'],
): MetricPoint {
  const def = metricForLabel(label);
  const unit: Unit = def?.unit ?? (type === 'percent' ? 'percent' : type === 'currency' ? 'currency' : 'number');
  return { metric: def?.id ?? lineItemId(label), label: label.trim(), period, value, unit, source };
}

/**
 * A percent metric written as a fraction (`0.782` in a gross-margin column that is not formatted as
 * percent) is stored as a percentage number (78.2), like every other percent value.
 */
function scalePercent(series: MetricPoint[], type: ColumnType): MetricPoint[] {
  if (type === 'percent' || series.length === 0) return series;
  const isPercentMetric = series.every((p) => p.unit === 'percent' && METRICS_BY_ID.get(p.metric)?.unit === 'percent');
  if (!isPercentMetric || !series.every((p) => Math.abs(p.value) <= 1.5)) return series;
  return series.map((p) => ({ ...p, value: round(p.value * 100) }));
}

/** The same metric and period twice (two tables, or a repeated row): the first one found wins. */
function dedupe(points: MetricPoint[]): MetricPoint[] {
  const seen = new Set<string>();
  return points.filter((p) => {
    const key = `${p.metric}\u0000${p.period}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
