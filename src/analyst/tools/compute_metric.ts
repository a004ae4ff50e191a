import { z } from 'zod';
import type { AnswerMetric, Citation } from '../types.ts';
import { answerMetric, defineTool, MetricInput, PeriodInput, resolveMetricId, sourceCitation } from './define.ts';
import type { MetricValue, ToolPorts } from './ports.ts';

export interface ComputeMetricOutput {
  value: MetricValue;
  metric: AnswerMetric;
  sources: Citation[];
}

/**
 * Output: `{value: MetricValue, metric: AnswerMetric, sources}`. `value.value` is null and
 * `value.missing` names the inputs when the metric cannot be computed from the data.
 */
export const computeMetricTool = (ports: ToolPorts) =>
  defineTool({
    name: 'compute_metric',
    description:
      'Computes a derived SaaS metric from the reported data with its formula and sourced inputs: ARR, net new MRR, ' +
      'NRR, GRR, logo churn, CAC, CAC payback, burn multiple, magic number, quick ratio, Rule of 40, ARPA, LTV, ' +
      'LTV:CAC, runway, ARR growth. Use it for every figure that needs arithmetic; never compute one yourself.',
    input: z.object({
      metric: MetricInput.describe('Derived metric id, name or abbreviation (e.g. "NRR", "cac_payback")'),
      period: PeriodInput.optional().describe('Period to compute for; omit for the latest'),
    }),
    async run(ctx, input): Promise<ComputeMetricOutput> {
      const value = await ports.graph.computeMetric(ctx.scope, resolveMetricId(input.metric), input.period);
      return { value, metric: answerMetric(value), sources: value.sources.map((s) => sourceCitation(s)) };
    },
  });
