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
import { formatMetric } from '../../../../src/lib/metric-format.ts';
import { formatPeriod } from '../../../../src/lib/periods.ts';
import { cleanSourceText } from '../../features/chat/components/sources.ts';
import type { AnswerMetric } from '../../lib/api-types.ts';
import { benchmarkCaption, chartModel, unitFormatter } from './chart-data.ts';

/**
 * The one chart of a metric series: the partner's values as a line over the benchmark band for their
 * stage (p25–p75, shaded) and its median (dashed), on round ticks in the metric's unit. `spark` is
 * the small form of the metrics overview (no axes, no labels). Lazy-loaded: recharts is large.
 */
export default function MetricSeriesChart({
  metric,
  variant = 'full',
}: {
  metric: AnswerMetric;
  variant?: 'full' | 'spark';
}) {
  const currency = metric.currency;
  const fmt = unitFormatter(metric.unit, currency);
  const model = chartModel(metric);
  const b = metric.benchmark;
  const caption = b ? benchmarkCaption(b, fmt) : '';
  const label = `${metric.name}, ${formatMetric(metric.value, metric.unit, { currency })} in ${formatPeriod(metric.period)}${
    model.data.length > 1 ? `, ${model.data.length} periods from ${formatPeriod(model.data[0]!.period)}` : ''
  }${b ? `; benchmark ${caption}` : ''}`;

  if (variant === 'spark') {
    return (
      <div className="h-14 w-full text-zinc-600 dark:text-zinc-400" role="img" aria-label={label}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={model.data} margin={{ top: 4, right: 2, bottom: 4, left: 2 }}>
            <YAxis hide domain={model.domain} />
            {model.band ? (
              <ReferenceArea y1={model.band.low} y2={model.band.high} fill="#f59e0b" fillOpacity={0.18} stroke="none" />
            ) : null}
            {model.lines.map((l) => (
              <ReferenceLine key={l.label} y={l.value} stroke="#b45309" strokeDasharray="3 3" strokeOpacity={0.7} />
            ))}
            <Line
              type="monotone"
              dataKey="value"
              stroke="#4f46e5"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    );
  }

  return (
    <figure className="mt-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" data-testid="metric-chart">
      <figcaption className="mb-2 flex flex-col gap-1 text-xs">
        <span className="font-medium text-zinc-800 dark:text-zinc-200">
          {metric.name}{' '}
          <span className="font-normal whitespace-nowrap text-zinc-600 dark:text-zinc-400" data-testid="chart-headline">
            · {formatMetric(metric.value, metric.unit, { currency })} in {formatPeriod(metric.period)}
          </span>
        </span>
        {b ? (
          <span
            className="inline-flex min-w-0 items-center gap-1.5 text-zinc-600 dark:text-zinc-400"
            title={cleanSourceText(b.source)}
          >
            <span
              className="inline-block h-2.5 w-4 shrink-0 rounded-sm bg-amber-400/30 ring-1 ring-amber-500/40"
              aria-hidden
            />
            <span className="truncate">
              {model.band ? 'Benchmark p25–p75' : 'Benchmark'}
              {b.label ? ` (${b.label})` : ''}: {caption}
            </span>
          </span>
        ) : null}
      </figcaption>
      <div className="h-44 w-full text-zinc-600 dark:text-zinc-400" role="img" aria-label={label}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={model.data} margin={{ top: 8, right: 16, bottom: 0, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fontSize: 11, fill: 'currentColor' }}
              stroke="currentColor"
              strokeOpacity={0.3}
              padding={{ left: 16, right: 16 }}
              // Evenly spaced labels that never overlap, however narrow the chart (a phone).
              interval="equidistantPreserveStart"
              minTickGap={10}
            />
            <YAxis
              width={56}
              tick={(props: { x?: number | string; y?: number | string; payload?: { value?: unknown } }) => (
                <text
                  x={props.x}
                  y={props.y}
                  dy={4}
                  textAnchor="end"
                  fontSize={11}
                  fill="currentColor"
                  data-testid="y-tick"
                >
                  {fmt(Number(props.payload?.value))}
                </text>
              )}
              stroke="currentColor"
              strokeOpacity={0.3}
              domain={model.domain}
              ticks={model.ticks}
              interval={0}
              allowDataOverflow={false}
            />
            {model.band ? (
              <ReferenceArea y1={model.band.low} y2={model.band.high} fill="#f59e0b" fillOpacity={0.16} stroke="none" />
            ) : null}
            {model.lines.map((l) => (
              <ReferenceLine
                key={l.label}
                y={l.value}
                stroke="#b45309"
                strokeDasharray="4 4"
                strokeOpacity={0.85}
                label={{
                  value: `${l.label} ${fmt(l.value)}`,
                  position: 'insideTopRight',
                  fontSize: 10,
                  fill: '#92400e',
                }}
              />
            ))}
            <Tooltip
              formatter={(v) => (typeof v === 'number' ? formatMetric(v, metric.unit, { currency }) : String(v))}
              labelFormatter={(_l, payload) => {
                const p = payload?.[0]?.payload as { period?: string } | undefined;
                return p?.period ? formatPeriod(p.period) : '';
              }}
              contentStyle={{ fontSize: 12, borderRadius: 8 }}
            />
            <Line
              type="monotone"
              dataKey="value"
              name={metric.name}
              stroke="#4f46e5"
              strokeWidth={2}
              dot={{ r: 3, fill: '#4f46e5' }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
