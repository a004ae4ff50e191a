import { z } from 'zod';
import { type Change, changeOf } from '../../graph/index.ts';
import type { AnswerMetric, Citation } from '../types.ts';
import { defineTool, MetricInput, PeriodInput, resolveMetricId, sourceCitation, uniqueCitations } from './define.ts';
import type { MetricValue, ToolPorts } from './ports.ts';

/**
 * Both ends as the graph's one value call gives them (computed, reported or a line item, with sources,
 * readings and what is missing), and the change between them when both have a value (`change` null
 * otherwise: each end's `missing` / `outside_data` says why).
 */
export interface ChangeBetweenOutput {
  from: MetricValue;
  to: MetricValue;
  change: Change['change'] | null;
  change_pct: Change['change_pct'];
  direction: Change['direction'] | null;
  metric: AnswerMetric;
  sources: Citation[];
}

/**
 * How a metric moved between two periods ("how much has MRR grown since last year", "did churn go up from
 * Q1 to Q2"). The arithmetic is the graph's (`changeOf`), so neither engine computes a change itself: the
 * Claude engine's prompt forbids its own arithmetic, and the local engine writes the same figure.
 */
export const changeBetweenTool = (ports: ToolPorts) =>
  defineTool({
    name: 'change_between',
    description:
      'The change of a metric between two periods: both values with their sources, the change (in points for a ' +
      'percent metric) and the percent change. Use it for growth, "vs last year", "since", "from … to …" questions; ' +
      'never subtract two figures yourself.',
    input: z.object({
      metric: MetricInput.describe('Metric id, name or abbreviation, or a line-item label'),
      from: PeriodInput.describe(
        'The earlier period (e.g. {"month": 10, "yearsBack": 1} for the same month a year ago)',
      ),
      to: PeriodInput.describe('The later period (e.g. "latest")'),
    }),
    async run(ctx, input): Promise<ChangeBetweenOutput> {
      const metric = resolveMetricId(input.metric);
      const [from, to] = await Promise.all([
        ports.graph.valueIn(ctx.scope, metric, input.from),
        ports.graph.valueIn(ctx.scope, metric, input.to),
      ]);
      const both = from.value !== null && to.value !== null;
      const moved = both ? changeOf(from.value!, to.value!, to.unit) : null;
      return {
        from,
        to,
        change: moved?.change ?? null,
        change_pct: moved?.change_pct ?? null,
        direction: moved?.direction ?? null,
        metric: {
          metric: to.metric,
          name: to.name,
          unit: to.unit,
          ...(to.currency !== undefined ? { currency: to.currency } : {}),
          value: to.value,
          period: to.period,
          series: both
            ? [
                { period: from.period, value: from.value! },
                { period: to.period, value: to.value! },
              ]
            : [],
        },
        sources: uniqueCitations([...from.sources, ...to.sources].map((s) => sourceCitation(s))),
      };
    },
  });
