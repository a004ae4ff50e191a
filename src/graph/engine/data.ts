import {
  addMonths,
  comparePeriods,
  formatPeriod,
  MONTH_NAMES,
  monthsOf,
  periodKind,
  quarterOfMonth,
} from '../../lib/periods.ts';
import { METRICS_BY_ID, namesExactly } from '../catalog.ts';
import type { MetricPoint, SourceRef, Unit } from '../types.ts';

/**
 * The engine's input: one value per (metric, period), built from the tenant graph's points. Points carry
 * percents as percentage points (78.2, the documents part's convention); the engine holds fractions (0.782).
 */
export interface DataPoint {
  metric: string;
  label: string;
  period: string;
  value: number;
  unit: Unit;
  source: SourceRef;
  /** Other documents that gave the same metric and period (not used, kept for the record). */
  also?: Array<{ value: number; source: SourceRef }>;
  /** How the document's own convention was read (a sign, a fiscal label), to be said with the figure. */
  note?: string;
  /** For an amount: the currency its document states (ISO 4217), when it states one. */
  currency?: string;
  /** For a figure of a plan: the plan's name (`FY26 Budget`), to be said with the figure. */
  plan?: string;
}

export interface MetricData {
  /** metric id → period → point. */
  series: ReadonlyMap<string, ReadonlyMap<string, DataPoint>>;
  /** First month of the fiscal year (1 = calendar). */
  fiscalStartMonth: number;
  /** The latest month any series reaches (a quarter or year point reaches its last month). */
  latestMonth: string | undefined;
  /**
   * The currencies the documents state for the amounts the engine uses (ISO 4217, sorted): one owner of
   * the company's currency (`currencyOf`).
   */
  currencies: string[];
  /**
   * The figures of the documents' plans (budget, forecast and target sheets), built the same way and kept
   * apart: nothing computed from `series` ever reads them — a budget is no actual — and a question that
   * asks for the plan reads them here (`planData`). Its own `latestMonth` is the plan's last month.
   */
  plans?: MetricData;
  /**
   * Each plan on its own, by its name (`FY26 Budget`, `Q3 reforecast`): a workbook with a budget and a
   * forecast gives two figures for one month, and "the forecast" is asked of the forecast (`planData`).
   */
  plansByName?: ReadonlyMap<string, MetricData>;
}

/** A point plus when its document was uploaded: the most recent upload wins a tie for the same period. */
export interface RankedPoint extends MetricPoint {
  uploaded_at?: string;
}

export function buildMetricData(points: RankedPoint[], opts: { fiscalStartMonth?: number } = {}): MetricData {
  const planned = points.filter((p) => p.plan);
  const data = seriesData(planned.length ? points.filter((p) => !p.plan) : points, opts.fiscalStartMonth ?? 1);
  if (!planned.length) return data;
  const names = [...new Set(planned.map((p) => p.plan!))];
  const byName = new Map(
    names.map(
      (n) =>
        [
          n,
          seriesData(
            planned.filter((p) => p.plan === n),
            opts.fiscalStartMonth ?? 1,
          ),
        ] as const,
    ),
  );
  return { ...data, plans: seriesData(planned, opts.fiscalStartMonth ?? 1), plansByName: byName };
}

/**
 * The plans' figures as data the engine computes with (empty when the documents state no plan). With
 * `word` (`forecast`, `budget`, `target`): the one plan whose name has that word, when one has — else all.
 */
export function planData(data: MetricData, word?: string): MetricData {
  const empty = { series: new Map(), fiscalStartMonth: data.fiscalStartMonth, latestMonth: undefined, currencies: [] };
  if (word && data.plansByName) {
    const named = [...data.plansByName].filter(([name]) =>
      new RegExp(`\\b${word.replace(/[^a-z]/gi, '')}`, 'i').test(name),
    );
    // Several plans of that word: all of them, as when none is named.
    if (named.length === 1) return named[0]![1];
  }
  return data.plans ?? empty;
}

function seriesData(points: RankedPoint[], fiscalStart: number): MetricData {
  const opts = { fiscalStartMonth: fiscalStart };
  const byMetric = new Map<string, RankedPoint[]>();
  for (const raw of points) {
    if (!Number.isFinite(raw.value)) continue;
    const p = calendarPoint(raw, fiscalStart);
    const list = byMetric.get(p.metric) ?? [];
    list.push(p);
    byMetric.set(p.metric, list);
  }
  const series = new Map<string, Map<string, DataPoint>>();
  const currencies = new Set<string>();
  let latest: string | undefined;
  for (const [metric, list] of byMetric) {
    const byPeriod = new Map<string, RankedPoint[]>();
    for (const p of list) {
      const group = byPeriod.get(p.period) ?? [];
      group.push(p);
      byPeriod.set(p.period, group);
    }
    const out = new Map<string, DataPoint>();
    for (const [period, group] of [...byPeriod].sort((a, b) => comparePeriods(a[0], b[0]))) {
      group.sort(preferOrder);
      const [best, ...rest] = group as [RankedPoint, ...RankedPoint[]];
      // The documents part stores every percent as percentage points (78.2): the engine computes with fractions.
      const scale = (p: RankedPoint) => (p.unit === 'percent' ? p.value / 100 : p.value);
      const point: DataPoint = {
        metric,
        label: best.label,
        period,
        value: scale(best),
        unit: best.unit,
        source: best.source,
      };
      if (best.note) point.note = best.note;
      if (best.plan) point.plan = best.plan;
      if (best.currency) {
        point.currency = best.currency;
        currencies.add(best.currency);
      }
      if (rest.length) point.also = rest.map((p) => ({ value: scale(p), source: p.source }));
      out.set(period, point);
      const end = lastMonthOf(period, opts.fiscalStartMonth ?? 1);
      if (end && (!latest || end > latest)) latest = end;
    }
    series.set(metric, out);
  }
  return {
    series,
    fiscalStartMonth: opts.fiscalStartMonth ?? 1,
    latestMonth: latest,
    currencies: [...currencies].sort(),
  };
}

/**
 * The company's currency, the one every amount is written in: the one its documents state, US dollars
 * when none states one (the convention before currencies were read), and `undefined` when they state
 * several (an amount's currency is then not known from the company alone).
 */
export function currencyOf(data: Pick<MetricData, 'currencies'>): string | undefined {
  if (data.currencies.length === 0) return 'USD';
  return data.currencies.length === 1 ? data.currencies[0] : undefined;
}

/**
 * A fiscal quarter from a document (`FY2026-Q1`, written `Q1 FY26`) as the months it is, once the fiscal-year
 * start is known: with a July start, FY2026 runs July 2025 – June 2026 and its Q1 is the calendar quarter
 * 2025-Q3; with a February start, Q3 FY2026 is August – October 2025, no calendar quarter, and is kept as that
 * span (`2025-08..2025-10`), which only that quarter asks for (periods.ts `nativeKeys`): never one of its
 * months. The reading is noted on the point. With no stated start the fiscal year is the calendar year.
 */
export function calendarPoint<P extends MetricPoint>(p: P, fiscalStartMonth: number): P {
  const { period, reading } = calendarPeriod(p.period, fiscalStartMonth);
  if (!reading) return p;
  return { ...p, period, note: p.note ? `${p.note}; ${reading}` : reading };
}

/** The same for a period key alone: `FY2026-Q3` → `2025-08..2025-10` and the reading to say; any other key as it is. */
export function calendarPeriod(period: string, fiscalStartMonth: number): { period: string; reading?: string } {
  const m = /^FY(\d{4})-Q([1-4])$/.exec(period);
  if (!m) return { period };
  const year = Number(m[1]);
  const first = addMonths(
    fiscalStartMonth === 1 ? `${year}-01` : `${year - 1}-${String(fiscalStartMonth).padStart(2, '0')}`,
    (Number(m[2]) - 1) * 3,
  );
  const last = addMonths(first, 2);
  const why =
    fiscalStartMonth === 1
      ? 'no fiscal-year start is stated, so the fiscal year is the calendar year'
      : `the fiscal year starts in ${MONTH_NAMES[fiscalStartMonth - 1]}`;
  return {
    period: (Number(first.slice(5)) - 1) % 3 === 0 ? quarterOfMonth(first) : `${first}..${last}`,
    reading: `Q${m[2]} FY${year} read as ${formatPeriod(first)} – ${formatPeriod(last)} (${why})`,
  };
}

/** Uploads this close together are one batch: neither replaces the other. */
const SAME_BATCH_MS = 10 * 60_000;

/**
 * Which of two documents giving the same metric and period is used: the more recent upload (a corrected
 * file) — unless both came in one batch, where upload order is noise. Then a line that names the metric
 * exactly (`Revenue` in a P&L) beats one read from a broader header (`Subscription revenue` in a billing
 * export), then document name and locator, so the choice never depends on timing or random ids.
 */
function preferOrder(a: RankedPoint, b: RankedPoint): number {
  const ua = Date.parse(a.uploaded_at ?? '') || 0;
  const ub = Date.parse(b.uploaded_at ?? '') || 0;
  if (Math.abs(ua - ub) > SAME_BATCH_MS) return ua < ub ? 1 : -1;
  const ea = exactName(a);
  const eb = exactName(b);
  if (ea !== eb) return ea ? -1 : 1;
  if (a.source.document_name !== b.source.document_name)
    return a.source.document_name < b.source.document_name ? -1 : 1;
  if (a.source.document_id !== b.source.document_id) return a.source.document_id < b.source.document_id ? -1 : 1;
  return a.source.locator < b.source.locator ? -1 : a.source.locator > b.source.locator ? 1 : 0;
}

function exactName(p: RankedPoint): boolean {
  const def = METRICS_BY_ID.get(p.metric);
  return def !== undefined && namesExactly(p.label, def);
}

function lastMonthOf(period: string, fiscalStartMonth: number): string | undefined {
  const kind = periodKind(period);
  if (kind === 'month') return period;
  if (kind === 'range') return monthsOf(period).at(-1);
  if (!/^(FY)?\d{4}(-Q[1-4])?$/.test(period)) return undefined;
  return monthsOf(period, fiscalStartMonth).at(-1);
}

export function pointAt(data: MetricData, metric: string, period: string): DataPoint | undefined {
  return data.series.get(metric)?.get(period);
}

/** Months present in a metric's series, ascending. */
export function monthsWith(data: MetricData, metric: string): string[] {
  return [...(data.series.get(metric)?.keys() ?? [])].filter((p) => periodKind(p) === 'month').sort();
}
