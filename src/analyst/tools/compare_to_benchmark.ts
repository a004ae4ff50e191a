import { z } from 'zod';
import type { AnswerMetric, Citation } from '../types.ts';
import { benchmarkCitation, defineTool, MetricInput, PeriodInput, resolveMetricId, uniqueCitations } from './define.ts';
import type { BenchmarkComparison, ToolPorts } from './ports.ts';

export interface CompareToBenchmarkOutput {
  comparison: BenchmarkComparison;
  /** The company's value with the benchmark band, for the chart. */
  metric: AnswerMetric;
  sources: Citation[];
}

/**
 * Output: `{comparison: BenchmarkComparison, metric: AnswerMetric (with its benchmark band), sources}`.
 * Without `value`, the company's own value in `period` (latest when absent) is used.
 */
export const compareToBenchmarkTool = (ports: ToolPorts) =>
  defineTool({
    name: 'compare_to_benchmark',
    description:
      "Places the company's value of a metric against matching published benchmarks (segment, basis and recency " +
      'chosen for the company) and says where it sits, with sources. Use for "is this good / healthy".',
    input: z.object({
      metric: MetricInput.describe('Metric id, name or abbreviation'),
      period: PeriodInput.optional().describe("Period of the company's value; omit for the latest"),
      value: z.number().finite().optional().describe('A value from a previous tool result, if already known'),
      segment: z.string().trim().max(80).optional(),
    }),
    async run(ctx, input): Promise<CompareToBenchmarkOutput> {
      const comparison = await ports.graph.compare(ctx.scope, resolveMetricId(input.metric), {
        value: input.value,
        period: input.period,
        segment: input.segment,
      });
      const first = comparison.figures[0];
      return {
        comparison,
        metric: {
          metric: comparison.metric,
          name: comparison.name,
          unit: comparison.unit,
          ...(comparison.currency !== undefined ? { currency: comparison.currency } : {}),
          value: comparison.value,
          period: comparison.period,
          series: [],
          benchmark: {
            ...comparison.band,
            source: first ? `${first.source.publisher}, ${first.source.report} (${first.source.year})` : undefined,
          },
        },
        sources: uniqueCitations(comparison.figures.map((f) => benchmarkCitation(f.source))),
      };
    },
  });
