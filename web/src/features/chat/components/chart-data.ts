import type { AnswerBenchmark, AnswerMetric } from '../../../lib/api-types.ts';

const num = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export interface ChartModel {
  data: { period: string; value: number }[];
  /** A shaded band when both ends are known. */
  band: { low: number; high: number } | null;
  /** Lines for the median, and for a lone threshold when only one end is known. */
  lines: { value: number; label: string }[];
  domain: [number, number];
}

/** What the metric chart draws: the series, the benchmark band or lines, and a y-range that shows both. */
export function chartModel(metric: AnswerMetric): ChartModel {
  const data = metric.series.length > 0 ? metric.series : [{ period: metric.period, value: metric.value }];
  const b: AnswerBenchmark | undefined = metric.benchmark;
  const band = b && num(b.low) && num(b.high) ? { low: Math.min(b.low, b.high), high: Math.max(b.low, b.high) } : null;
  const lines: { value: number; label: string }[] = [];
  if (b && num(b.median)) lines.push({ value: b.median, label: 'median' });
  if (b && !band && num(b.low)) lines.push({ value: b.low, label: 'low' });
  if (b && !band && num(b.high)) lines.push({ value: b.high, label: 'high' });
  const values = [...data.map((d) => d.value), ...(band ? [band.low, band.high] : []), ...lines.map((l) => l.value)];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = (max - min) * 0.12 || Math.abs(max) * 0.1 || 1;
  return { data, band, lines, domain: [min - pad, max + pad] };
}

/** "low 90% · median 104% · high 120%", leaving out what the source does not give. */
export function benchmarkCaption(b: AnswerBenchmark, fmt: (v: number) => string): string {
  return (
    [
      num(b.low) ? `low ${fmt(b.low)}` : null,
      num(b.median) ? `median ${fmt(b.median)}` : null,
      num(b.high) ? `high ${fmt(b.high)}` : null,
    ]
      .filter(Boolean)
      .join(' · ') || 'no figures'
  );
}
