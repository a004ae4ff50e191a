import { z } from 'zod';
import type { Citation } from '../types.ts';
import { benchmarkCitation, defineTool, MetricInput, resolveMetricId, uniqueCitations } from './define.ts';
import type { BenchmarkFigure, ToolPorts } from './ports.ts';

export interface GetBenchmarkOutput {
  figures: BenchmarkFigure[];
  sources: Citation[];
}

/** Output: `{figures: BenchmarkFigure[], sources}` from the shared, read-only benchmark graph. */
export const getBenchmarkTool = (ports: ToolPorts) =>
  defineTool({
    name: 'get_benchmark',
    description:
      'Published SaaS benchmark figures for a metric (median, quartiles, good/better/best), with segment and source.',
    input: z.object({
      metric: MetricInput.describe('Metric id, name or abbreviation'),
      segment: z.string().trim().max(80).optional().describe('e.g. "$10M-$20M ARR", "SMB", "private"'),
    }),
    async run(_ctx, input): Promise<GetBenchmarkOutput> {
      const figures = await ports.graph.benchmarks(resolveMetricId(input.metric), input.segment);
      return { figures, sources: uniqueCitations(figures.map((f) => benchmarkCitation(f.source))) };
    },
  });
