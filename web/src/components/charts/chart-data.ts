import { formatMetric, niceTicks } from '../../../../src/lib/metric-format.ts';
import { formatPeriod } from '../../../../src/lib/periods.ts';
import type { AnswerBenchmark, AnswerMetric } from '../../lib/api-types.ts';

const num = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export interface ChartModel {
  data: { period: string; label: string; value: number }[];
  /** The p25–p75 band for the partner's stage, when both ends are known. */
  band: { low: number; high: number } | null;
  /** Lines for the median, and for a lone threshold when only one end is known. */
  lines: { value: number; label: string }[];
  /** Round ticks ($250K steps, 0.25% steps …) covering the series and the benchmark. */
  ticks: number[];
  domain: [number, number];
}

/** `2026-06` → `Jun 26`, `2026-Q2` → `Q2 26`: short enough for an axis. */
export function shortPeriod(period: string): string {
  const long = formatPeriod(period);
  const m = /^([A-Z][a-z]+) (\d{4})$/.exec(long);
  if (m) return `${m[1]!.slice(0, 3)} ${m[2]!.slice(2)}`;
  const q = /^(Q\d) (\d{4})$/.exec(long);
  if (q) return `${q[1]} ${q[2]!.slice(2)}`;
  return long;
}

/** What a metric chart draws: the series, the benchmark band or lines, and round ticks that show both. */
export function chartModel(metric: AnswerMetric): ChartModel {
  const raw = metric.series.length > 0 ? metric.series : [{ period: metric.period, value: metric.value }];
  const data = raw
    .filter((d) => num(d.value))
    .map((d) => ({ period: d.period, label: shortPeriod(d.period), value: d.value }));
  const b: AnswerBenchmark | undefined = metric.benchmark;
  const band = b && num(b.low) && num(b.high) ? { low: Math.min(b.low, b.high), high: Math.max(b.low, b.high) } : null;
  const lines: { value: number; label: string }[] = [];
  if (b && num(b.median)) lines.push({ value: b.median, label: 'median' });
  if (b && !band && num(b.low)) lines.push({ value: b.low, label: 'low' });
  if (b && !band && num(b.high)) lines.push({ value: b.high, label: 'high' });
  const values = [...data.map((d) => d.value), ...(band ? [band.low, band.high] : []), ...lines.map((l) => l.value)];
  const { ticks, domain } = niceTicks(values, metric.unit);
  return { data, band, lines, ticks, domain };
}

/** "p25 90% · median 104% · p75 120%", leaving out what the source does not give. */
export function benchmarkCaption(b: AnswerBenchmark, fmt: (v: number) => string): string {
  const both = num(b.low) && num(b.high);
  return (
    [
      num(b.low) ? `${both ? 'p25' : 'low'} ${fmt(b.low)}` : null,
      num(b.median) ? `median ${fmt(b.median)}` : null,
      num(b.high) ? `${both ? 'p75' : 'high'} ${fmt(b.high)}` : null,
    ]
      .filter(Boolean)
      .join(' · ') || 'no figures'
  );
}

/** The formatter of one metric's unit and currency (compact, for axes and captions). */
export const unitFormatter = (unit: string, currency?: string | null) => (v: number) =>
  formatMetric(v, unit, { compact: true, currency });
