import { lineItemId, METRICS_BY_ID, metricForLabel } from '../graph/catalog.ts';
import type { MetricPoint, Unit } from '../graph/types.ts';
import { monthsOf, periodKind } from '../lib/periods.ts';
import { cellLocator } from './tables/locate.ts';
import { round } from './tables/numbers.ts';
import { readPeriod } from './tables/periods.ts';
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
 *
 * Documents are read as they come: rows in any order; a `Total` row or column is no period; a subtotal
 * (a quarter or year beside the months it sums) is left to the months; periods as spreadsheets write
 * them (tables/periods.ts); a loss or cost written as negative numbers is read as an amount, and the
 * point says so (`note`), so the answer can.
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
  let periods: Array<string | undefined> = [];
  for (const row of table.rows) {
    const v = row[periodCol];
    const period = v === null || v === undefined ? undefined : readPeriod(v);
    if (period !== undefined) {
      if (seen.has(period)) return out;
      seen.add(period);
    }
    periods.push(period);
  }
  periods = withoutSubtotals(periods);
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
    out.push(...signed(scalePercent(series, type)));
  });
  return out;
}

function fromWide(table: ParsedTable, ref: DocumentRef): MetricPoint[] {
  const headerPeriods = withoutSubtotals(table.header.map((h, c) => (c > 0 ? readPeriod(h) : undefined)));
  const periodCols = headerPeriods
    .map((period, c) => ({ c, period }))
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
    out.push(...signed(scalePercent(series, type)));
  });
  return out;
}

/**
 * A quarter or year beside the months it is made of (a `Q1 2026` subtotal column in a monthly P&L, a
 * `2025` row under its months) repeats them — and for a balance such as MRR it is not even their value —
 * so the months are kept and the subtotal is not a point. A coarser period whose months are not all in
 * the table (a full-year column next to a few months) is kept.
 */
function withoutSubtotals(periods: Array<string | undefined>): Array<string | undefined> {
  const months = new Set(periods.filter((p): p is string => p !== undefined && periodKind(p) === 'month'));
  const quarters = new Set(periods.filter((p): p is string => p !== undefined && /^\d{4}-Q[1-4]$/.test(p)));
  if (months.size === 0 && quarters.size === 0) return periods;
  return periods.map((p) => {
    if (p === undefined || periodKind(p) === 'month' || /^FY\d{4}-Q/.test(p)) return p;
    if (/^FY/.test(p)) return months.size > 0 || quarters.size > 0 ? undefined : p;
    const covered = monthsOf(p).every((m) => months.has(m));
    const byQuarters = periodKind(p) === 'year' && [1, 2, 3, 4].every((q) => quarters.has(`${p}-Q${q}`));
    return covered || byQuarters ? undefined : p;
  });
}

/** Losses and costs: a column of them written as negative numbers is still a loss or a cost. */
const LOSSES = new Set([
  'contraction_mrr',
  'churned_mrr',
  'churned_customers',
  'cost_of_revenue',
  'sales_marketing',
  'research_development',
  'general_administrative',
  'operating_expenses',
]);

/**
 * A loss (churned or contraction MRR, lost customers) or a cost written as negative numbers, as billing
 * exports and accountants' P&Ls often write them, is read as the amount lost or spent: the sign is
 * dropped and the point notes the reading. Mostly negative with a few positives: the positives are
 * reversals and become negative. Net burn is turned only when every value is negative.
 */
function signed(series: MetricPoint[]): MetricPoint[] {
  if (series.length === 0) return series;
  const metric = series[0]!.metric;
  const negative = series.filter((p) => p.value < 0).length;
  const positive = series.filter((p) => p.value > 0).length;
  const flip =
    (LOSSES.has(metric) && negative > 0 && negative >= positive) ||
    (metric === 'net_burn' && negative > 0 && positive === 0);
  if (!flip) return series;
  const label = series[0]!.label;
  const note =
    metric === 'net_burn'
      ? `"${label}" is written as negative numbers (cash going out); read as the amount burned`
      : `"${label}" is written as negative numbers; read as amounts ${LOSS_WORD[metric] ?? 'lost'} (the sign dropped)`;
  return series.map((p) => ({ ...p, value: p.value === 0 ? 0 : -p.value, note }));
}

const LOSS_WORD: Record<string, string> = {
  cost_of_revenue: 'spent',
  sales_marketing: 'spent',
  research_development: 'spent',
  general_administrative: 'spent',
  operating_expenses: 'spent',
};

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
