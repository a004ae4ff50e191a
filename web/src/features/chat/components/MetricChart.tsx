import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { AnswerMetric } from '../../../lib/api-types.ts';
import { formatMetricValue } from '../../../lib/format.ts';

/** Lazy-loaded (recharts is large): the metric's series with the benchmark band behind it. */
export default function MetricChart({ metric }: { metric: AnswerMetric }) {
  const data = metric.series.length > 0 ? metric.series : [{ period: metric.period, value: metric.value }];
  const b = metric.benchmark;
  const values = data.map((d) => d.value).concat(b ? [b.low, b.high] : []);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = (max - min) * 0.1 || Math.abs(max) * 0.1 || 1;
  const fmt = (v: number) => formatMetricValue(v, metric.unit);
  return (
    <figure className="mt-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" data-testid="metric-chart">
      <figcaption className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-xs">
        <span className="font-medium text-zinc-800 dark:text-zinc-200">
          {metric.name}{' '}
          <span className="text-zinc-500">
            · latest {fmt(metric.value)} ({metric.period})
          </span>
        </span>
        {b ? (
          <span className="inline-flex items-center gap-1.5 text-zinc-500">
            <span className="inline-block h-2.5 w-4 rounded-sm bg-amber-400/30 ring-1 ring-amber-500/40" aria-hidden />
            {b.label ?? 'Benchmark'}: {fmt(b.low)}–{fmt(b.high)}, median {fmt(b.median)}
          </span>
        ) : null}
      </figcaption>
      <div
        className="h-44 w-full"
        role="img"
        aria-label={`${metric.name} by period${b ? ' with the benchmark range' : ''}`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} vertical={false} />
            <XAxis
              dataKey="period"
              tick={{ fontSize: 11, fill: 'currentColor' }}
              stroke="currentColor"
              strokeOpacity={0.3}
            />
            <YAxis
              width={56}
              tick={{ fontSize: 11, fill: 'currentColor' }}
              stroke="currentColor"
              strokeOpacity={0.3}
              domain={[min - pad, max + pad]}
              tickFormatter={fmt}
            />
            {b ? (
              <ReferenceArea
                y1={b.low}
                y2={b.high}
                fill="#f59e0b"
                fillOpacity={0.14}
                stroke="none"
                ifOverflow="extendDomain"
              />
            ) : null}
            {b ? <ReferenceLine y={b.median} stroke="#d97706" strokeDasharray="4 4" strokeOpacity={0.8} /> : null}
            <Tooltip
              formatter={(v) => (typeof v === 'number' ? fmt(v) : String(v))}
              contentStyle={{ fontSize: 12, borderRadius: 8 }}
            />
            <Line
              type="monotone"
              dataKey="value"
              name={metric.name}
              stroke="#6366f1"
              strokeWidth={2}
              dot={{ r: 3 }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
