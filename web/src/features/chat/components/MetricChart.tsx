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
import { benchmarkCaption, chartModel } from './chart-data.ts';

/** Lazy-loaded (recharts is large): the metric's series with the benchmark band behind it. */
export default function MetricChart({ metric }: { metric: AnswerMetric }) {
  const fmt = (v: number) => formatMetricValue(v, metric.unit);
  const model = chartModel(metric);
  const b = metric.benchmark;
  return (
    <figure className="mt-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" data-testid="metric-chart">
      <figcaption className="mb-2 flex flex-col gap-1 text-xs">
        <span className="font-medium text-zinc-800 dark:text-zinc-200">
          {metric.name}{' '}
          <span className="font-normal whitespace-nowrap text-zinc-500">
            · {fmt(metric.value)} ({metric.period})
          </span>
        </span>
        {b ? (
          <span className="inline-flex min-w-0 items-center gap-1.5 text-zinc-500" title={b.source ?? b.label}>
            <span
              className="inline-block h-2.5 w-4 shrink-0 rounded-sm bg-amber-400/30 ring-1 ring-amber-500/40"
              aria-hidden
            />
            <span className="truncate">
              {b.label ?? 'Benchmark'}: {benchmarkCaption(b, fmt)}
            </span>
          </span>
        ) : null}
      </figcaption>
      <div
        className="h-44 w-full text-zinc-500 dark:text-zinc-400"
        role="img"
        aria-label={`${metric.name} by period${b ? `, benchmark ${benchmarkCaption(b, fmt)}` : ''}`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={model.data} margin={{ top: 8, right: 16, bottom: 0, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
            <XAxis
              dataKey="period"
              tick={{ fontSize: 11, fill: 'currentColor' }}
              stroke="currentColor"
              strokeOpacity={0.3}
              padding={{ left: 24, right: 24 }}
            />
            <YAxis
              width={60}
              tick={{ fontSize: 11, fill: 'currentColor' }}
              stroke="currentColor"
              strokeOpacity={0.3}
              domain={model.domain}
              tickFormatter={fmt}
            />
            {model.band ? (
              <ReferenceArea y1={model.band.low} y2={model.band.high} fill="#f59e0b" fillOpacity={0.16} stroke="none" />
            ) : null}
            {model.lines.map((l) => (
              <ReferenceLine
                key={l.label}
                y={l.value}
                stroke="#d97706"
                strokeDasharray="4 4"
                strokeOpacity={0.85}
                label={{
                  value: `${l.label} ${fmt(l.value)}`,
                  position: 'insideTopRight',
                  fontSize: 10,
                  fill: '#b45309',
                }}
              />
            ))}
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
              dot={{ r: 3.5, fill: '#6366f1' }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
