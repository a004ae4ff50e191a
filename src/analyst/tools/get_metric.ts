import { z } from 'zod';
import type { TenantScope } from '../../store/paths.ts';
import type { AnswerMetric, Citation } from '../types.ts';
import {
  answerMetric,
  defineTool,
  MetricInput,
  PeriodId,
  PeriodInput,
  resolveMetricId,
  sourceCitation,
} from './define.ts';
import type { MetricSeries, MetricValue, ToolPorts } from './ports.ts';

/** The whole series (no `period` asked), or one period's value. */
export type GetMetricOutput =
  | { series: MetricSeries; value?: undefined; metric: AnswerMetric; sources: Citation[] }
  | { value: MetricValue; series?: undefined; metric: AnswerMetric; sources: Citation[] };

/**
 * With `period`: `{value: MetricValue, series, metric: AnswerMetric, sources}` — the stored metric's
 * value in that period. Without: the whole series (within from/to) `{series: MetricSeries, metric, sources}`.
 * Unknown metric → an error result `metric_not_found`.
 */
export const getMetricTool = (ports: ToolPorts) =>
  defineTool({
    name: 'get_metric',
    description:
      'Reads a metric reported in the documents (MRR, customers, new MRR, revenue, S&M spend, burn, cash …) or a ' +
      'line item by its label: one period (month 2026-06, quarter 2026-Q2, year 2025, FY2026, range ' +
      '2025-07..2026-06; months are combined as the metric requires) or the whole series. Values carry sources. ' +
      'With plan: true, the figure a budget / forecast / plan in the documents gives for the period (never an actual).',
    input: z.object({
      metric: MetricInput.describe('Metric id, name or abbreviation, or a line-item label (e.g. "AWS hosting")'),
      period: PeriodInput.optional().describe('One period; omit for the series'),
      from: PeriodId.optional().describe('Series start (inclusive)'),
      to: PeriodId.optional().describe('Series end (inclusive)'),
      plan: z
        .boolean()
        .optional()
        .describe(
          "The plan's figure (a budget, forecast or target in the documents, list_metrics `plans`) for `period` instead of the actual one",
        ),
      plan_word: z
        .string()
        .trim()
        .max(40)
        .optional()
        .describe(
          'With plan: which plan, by a word of its name ("forecast", "budget"), when the documents hold several',
        ),
    }),
    async run(ctx, input): Promise<GetMetricOutput> {
      const metric = resolveMetricId(input.metric);
      if (input.plan) return planned(ports, ctx.scope, metric, input);
      // Asked together, the two share one read of the tenant's graph (wiring.ts).
      const [series, asked] = await Promise.all([
        ports.graph.series(ctx.scope, metric, { from: input.from, to: input.to }),
        input.period === undefined ? undefined : ports.graph.valueIn(ctx.scope, metric, input.period),
      ]);
      if (!series || series.series.length === 0) {
        throw Object.assign(new Error(`No data for "${input.metric}" in the uploaded documents.`), {
          code: 'metric_not_found',
        });
      }
      if (input.period === undefined) {
        const latest = series.series.at(-1);
        return {
          series,
          metric: {
            metric: series.metric,
            name: series.name,
            unit: series.unit,
            ...(series.currency !== undefined ? { currency: series.currency } : {}),
            value: latest?.value ?? null,
            period: latest?.period ?? '',
            series: series.series.map((p) => ({ period: p.period, value: p.value })),
          },
          sources: series.series.flatMap((p) => (p.source ? [sourceCitation(p.source)] : [])).slice(-12),
        };
      }
      const value = asked!;
      return {
        value,
        metric: answerMetric(value, series),
        sources: value.sources.map((s) => sourceCitation(s)),
      };
    },
  });

/**
 * The plan's figure for one period: read from the plans only, so a budget is never given as what
 * happened nor an actual as the budget. No plan of the metric → `metric_not_found`; no period → the error
 * says one is needed (a plan is asked of a period).
 */
async function planned(
  ports: ToolPorts,
  scope: TenantScope,
  metric: string,
  input: { metric: string; period?: z.infer<typeof PeriodInput>; plan_word?: string },
): Promise<GetMetricOutput> {
  const plans = (await ports.graph.plans?.(scope)) ?? [];
  if (!ports.graph.planValueIn || plans.length === 0)
    throw Object.assign(new Error('No budget, forecast or plan in the uploaded documents.'), {
      code: 'metric_not_found',
    });
  if (input.period === undefined)
    throw Object.assign(new Error('A plan figure is read for one period: give `period`.'), { code: 'invalid_input' });
  const value = await ports.graph.planValueIn(scope, metric, input.period, input.plan_word);
  return { value, metric: answerMetric(value), sources: value.sources.map((s) => sourceCitation(s)) };
}
