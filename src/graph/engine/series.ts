import { METRICS_BY_ID } from '../catalog.ts';
import type { Unit } from '../types.ts';
import { type ComputeFail, type ComputeOk, computeFor, nameOf, resolveMetricId } from './compute.ts';
import type { MetricData } from './data.ts';
import { type PeriodSpec, type ResolvedPeriod, resolvePeriod, splitPeriod } from './periods.ts';
import { unitOf } from './values.ts';

/**
 * Series questions over any metric (component, derived or line item): the series over a range, its
 * trend, the highest / lowest sub-period, and the change between two periods. Each value comes from
 * `computeFor`, so a derived metric's series (NRR per quarter) works exactly like a component's.
 */
export type Granularity = 'month' | 'quarter' | 'year';

export interface SeriesPoint {
  period: string;
  period_label: string;
  value: number;
}

export interface SeriesOk {
  ok: true;
  metric: string;
  name: string;
  unit: Unit;
  range: { id: string; label: string };
  granularity: Granularity;
  points: SeriesPoint[];
  /** Sub-periods that could not be computed, with why. */
  gaps: Array<{ period: string; message: string }>;
  /** The computations behind each point (inputs and sources), same order as `points`. */
  details: ComputeOk[];
}

export type SeriesResult = SeriesOk | { ok: false; metric: string; message: string };

const ctxOf = (data: MetricData) => ({ latestMonth: data.latestMonth, fiscalStartMonth: data.fiscalStartMonth });

export function seriesFor(
  data: MetricData,
  metricQuery: string,
  range: PeriodSpec = 'last_12_months',
  by: Granularity = 'month',
): SeriesResult {
  const metric = resolveMetricId(data, metricQuery) ?? metricQuery;
  const r = resolvePeriod(ctxOf(data), range);
  if (!r.ok) return { ok: false, metric, message: r.message };
  if (!METRICS_BY_ID.has(metric) && !data.series.has(metric)) {
    return { ok: false, metric, message: `no metric or line item called "${metricQuery}" in the documents` };
  }
  const points: SeriesPoint[] = [];
  const details: ComputeOk[] = [];
  const gaps: Array<{ period: string; message: string }> = [];
  for (const sub of splitPeriod(ctxOf(data), r.period, by)) {
    const c = computeFor(data, metric, sub);
    if (c.ok) {
      points.push({ period: c.period, period_label: c.period_label, value: c.value });
      details.push(c);
    } else gaps.push({ period: sub.id, message: c.message });
  }
  if (!points.length) {
    return {
      ok: false,
      metric,
      message: gaps[0]?.message ?? `no values of ${nameOf(metric, data)} in ${r.period.label}`,
    };
  }
  return {
    ok: true,
    metric,
    name: nameOf(metric, data),
    unit: METRICS_BY_ID.get(metric)?.unit ?? unitOf(data, metric),
    range: { id: r.period.id, label: r.period.label },
    granularity: by,
    points,
    gaps,
    details,
  };
}

export interface TrendOk extends Omit<SeriesOk, 'details'> {
  first: SeriesPoint;
  last: SeriesPoint;
  change: number;
  /** Relative change first → last in percent (null when the first value is zero). */
  change_pct: number | null;
  direction: 'up' | 'down' | 'flat';
  /** Average change from one point to the next. */
  avg_change: number;
  /** Compound annual growth rate in percent, when both ends are positive and a year or more apart… or null. */
  cagr_pct: number | null;
}

export function trend(
  data: MetricData,
  metric: string,
  range: PeriodSpec = 'last_12_months',
  by: Granularity = 'month',
): TrendOk | { ok: false; metric: string; message: string } {
  const s = seriesFor(data, metric, range, by);
  if (!s.ok) return s;
  const { details: _details, ...rest } = s;
  const first = s.points[0]!;
  const last = s.points.at(-1)!;
  const change = last.value - first.value;
  const change_pct = first.value !== 0 ? (change / Math.abs(first.value)) * 100 : null;
  const scale = Math.max(Math.abs(first.value), Math.abs(last.value));
  const direction = scale === 0 || Math.abs(change) / scale < 0.01 ? 'flat' : change > 0 ? 'up' : 'down';
  const steps = s.points.length - 1;
  const monthsApart = steps * (by === 'month' ? 1 : by === 'quarter' ? 3 : 12);
  const cagr_pct =
    first.value > 0 && last.value > 0 && monthsApart >= 12
      ? ((last.value / first.value) ** (12 / monthsApart) - 1) * 100
      : null;
  return {
    ...rest,
    first,
    last,
    change: round(change),
    change_pct: change_pct === null ? null : round(change_pct),
    direction,
    avg_change: steps ? round(change / steps) : 0,
    cagr_pct: cagr_pct === null ? null : round(cagr_pct),
  };
}

export interface ExtremeOk {
  ok: true;
  metric: string;
  name: string;
  unit: Unit;
  which: 'highest' | 'lowest';
  period: string;
  period_label: string;
  value: number;
  detail: ComputeOk;
  range: { id: string; label: string };
  points: SeriesPoint[];
  gaps: Array<{ period: string; message: string }>;
}

/** "Which month in the last 12 months had the highest churned MRR": ties go to the most recent period. */
export function extreme(
  data: MetricData,
  metric: string,
  which: 'highest' | 'lowest',
  range: PeriodSpec = 'last_12_months',
  by: Granularity = 'month',
): ExtremeOk | { ok: false; metric: string; message: string } {
  const s = seriesFor(data, metric, range, by);
  if (!s.ok) return s;
  let best = 0;
  s.points.forEach((p, i) => {
    const b = s.points[best]!;
    if (which === 'highest' ? p.value >= b.value : p.value <= b.value) best = i;
  });
  const p = s.points[best]!;
  return {
    ok: true,
    metric: s.metric,
    name: s.name,
    unit: s.unit,
    which,
    period: p.period,
    period_label: p.period_label,
    value: p.value,
    detail: s.details[best]!,
    range: s.range,
    points: s.points,
    gaps: s.gaps,
  };
}

export interface ChangeOk extends Change {
  ok: true;
  metric: string;
  name: string;
  unit: Unit;
  from: ComputeOk;
  to: ComputeOk;
}

export function changeBetween(
  data: MetricData,
  metricQuery: string,
  fromSpec: PeriodSpec,
  toSpec: PeriodSpec,
): ChangeOk | ComputeFail {
  const metric = resolveMetricId(data, metricQuery) ?? metricQuery;
  const periods: ResolvedPeriod[] = [];
  for (const spec of [fromSpec, toSpec]) {
    const r = resolvePeriod(ctxOf(data), spec);
    if (!r.ok) return { ok: false, metric, missing: [], message: r.message };
    periods.push(r.period);
  }
  const from = computeFor(data, metric, periods[0]!);
  if (!from.ok) return from;
  const to = computeFor(data, metric, periods[1]!);
  if (!to.ok) return to;
  return { ok: true, metric, name: from.name, unit: from.unit, from, to, ...changeOf(from.value, to.value, from.unit) };
}

export interface Change {
  /** `to − from`, in the metric's unit (percent points for a percent). */
  change: number;
  /**
   * The change relative to `from` in percent; `null` when `from` is 0, and for a percent metric, whose
   * relative change ("NRR up 5%" of 100%) would be read as points.
   */
  change_pct: number | null;
  direction: 'up' | 'down' | 'flat';
}

/** The one arithmetic of a change between two values of a metric (the change_between tool, the graph's changeBetween). */
export function changeOf(from: number, to: number, unit: Unit): Change {
  const change = to - from;
  return {
    change: round(change),
    change_pct: from !== 0 && unit !== 'percent' ? round((change / Math.abs(from)) * 100) : null,
    direction: change === 0 ? 'flat' : change > 0 ? 'up' : 'down',
  };
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;
