import { useQuery } from '@tanstack/react-query';
import { ArrowDownRight, ArrowRight, ArrowUpRight, BarChart3 } from 'lucide-react';
import { lazy, Suspense } from 'react';
import { formatMetric, formatMetricDelta } from '../../../../../src/lib/metric-format.ts';
import { formatPeriod } from '../../../../../src/lib/periods.ts';
import { benchmarkCaption, unitFormatter } from '../../../components/charts/chart-data.ts';
import { Card, EmptyState } from '../../../components/ui/Card.tsx';
import { ErrorBoundary } from '../../../components/ui/ErrorBoundary.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { api, errorMessage } from '../../../lib/api-client.ts';
import type { AnswerMetric } from '../../../lib/api-types.ts';

const MetricSeriesChart = lazy(() => import('../../../components/charts/MetricSeriesChart.tsx'));

export interface OverviewCard {
  metric: string;
  name: string;
  unit: string;
  value: number;
  period: string;
  previous: { period: string; value: number } | null;
  series: { period: string; value: number }[];
  benchmark: { low?: number; median?: number; high?: number; label: string; source?: string; summary: string } | null;
}

export function useOverview() {
  return useQuery({
    queryKey: ['metrics', 'overview'],
    queryFn: ({ signal }) =>
      api<{ metrics: OverviewCard[]; stage: string | null; currency: string | null }>('/api/metrics/overview', {
        signal,
      }),
  });
}

/** "My metrics against the benchmarks for my stage": a card per metric with value, change and a sparkline over the band. */
export function MetricsOverview() {
  const overview = useOverview();
  if (overview.isPending) return <LoadingBlock label="Loading your metrics…" />;
  if (overview.isError) return <ErrorNote>{errorMessage(overview.error)}</ErrorNote>;
  if (overview.data.metrics.length === 0) {
    return (
      <Card>
        <EmptyState icon={<BarChart3 className="size-6" aria-hidden />} title="No metrics yet">
          Upload a metrics export (MRR, customers, churn …) and each metric appears here against the benchmarks for your
          stage.
        </EmptyState>
      </Card>
    );
  }
  return (
    <section aria-label="Metrics overview">
      {overview.data.stage ? (
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
          Benchmarks for your stage:{' '}
          <span className="font-medium text-zinc-800 dark:text-zinc-200">{overview.data.stage}</span> ARR. The shaded
          band is the middle half of companies (p25–p75); the dashed line, the median.
          {overview.data.currency !== 'USD'
            ? ` Your amounts are in ${overview.data.currency ?? 'several currencies'}; the benchmarks' are in US dollars, compared without conversion.`
            : null}
        </p>
      ) : null}
      <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {overview.data.metrics.map((m) => (
          <MetricCard key={m.metric} card={m} currency={overview.data.currency} />
        ))}
      </ul>
    </section>
  );
}

function MetricCard({ card, currency: companyCurrency }: { card: OverviewCard; currency: string | null }) {
  // Only amounts carry the company's currency; a percent or a count has none.
  const currency = card.unit === 'currency' ? companyCurrency : undefined;
  const fmt = unitFormatter(card.unit, currency);
  const delta = card.previous ? card.value - card.previous.value : null;
  const Arrow = delta === null || delta === 0 ? ArrowRight : delta > 0 ? ArrowUpRight : ArrowDownRight;
  const metric: AnswerMetric = {
    metric: card.metric,
    name: card.name,
    unit: card.unit,
    ...(currency !== undefined ? { currency } : {}),
    value: card.value,
    period: card.period,
    series: card.series,
    ...(card.benchmark ? { benchmark: card.benchmark } : {}),
  };
  return (
    <li>
      <Card className="flex h-full flex-col p-4" data-testid="metric-card">
        <div className="flex items-start justify-between gap-2">
          <h2 className="text-sm font-medium text-zinc-700 dark:text-zinc-300">{card.name}</h2>
          <span className="text-xs text-zinc-600 dark:text-zinc-400">{formatPeriod(card.period)}</span>
        </div>
        <p className="mt-1 text-2xl font-semibold tracking-tight tabular-nums" data-testid="metric-card-value">
          {formatMetric(card.value, card.unit, { currency })}
        </p>
        {delta !== null && card.previous ? (
          <p className="mt-0.5 flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-400">
            <Arrow className="size-3.5" aria-hidden />
            {formatMetricDelta(delta, card.unit, currency)} vs {formatPeriod(card.previous.period)}
          </p>
        ) : null}
        <div className="mt-3">
          <ErrorBoundary label="The sparkline">
            <Suspense fallback={<div className="h-14" />}>
              <MetricSeriesChart metric={metric} variant="spark" />
            </Suspense>
          </ErrorBoundary>
        </div>
        {card.benchmark ? (
          <div className="mt-2 space-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
            <p>
              <span
                className="mr-1 inline-block h-2 w-3 rounded-sm bg-amber-400/40 ring-1 ring-amber-500/50"
                aria-hidden
              />
              {benchmarkCaption(card.benchmark, fmt)}
            </p>
            <p className="line-clamp-3 text-zinc-700 dark:text-zinc-300" title={card.benchmark.summary}>
              {card.benchmark.summary}
            </p>
          </div>
        ) : (
          <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
            No published benchmark for this metric at your stage.
          </p>
        )}
      </Card>
    </li>
  );
}
