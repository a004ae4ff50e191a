import { z } from 'zod';
import { listBenchmarks } from '../../../graph/engine/benchmark.ts';
import type { RoutePlugin } from '../../types.ts';

const BenchmarksQuery = z.strictObject({
  metric: z.string().max(100).optional(),
  segment: z.string().max(100).optional(),
});

const BenchmarksResponse = z.object({
  metrics: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      unit: z.string(),
      higher_is_better: z.boolean().nullable(),
      definition: z.string(),
      formula: z.string().nullable(),
      benchmarks: z.array(
        z.object({
          id: z.string(),
          stat: z.string(),
          value: z.number(),
          segment: z.string(),
          period: z.string(),
          basis: z.string().nullable(),
          source: z.object({ publisher: z.string(), report: z.string(), year: z.number().nullable(), url: z.string() }),
          verified: z.boolean(),
          verification: z.string(),
        }),
      ),
    }),
  ),
});

/** `GET /api/benchmarks?metric=&segment=`: the shared, read-only benchmark graph with sources. */
export const benchmarkRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/api/benchmarks',
    { schema: { querystring: BenchmarksQuery, response: { 200: BenchmarksResponse } } },
    async (request) => {
      const seed = await services.graph.seed();
      const list = listBenchmarks(seed, { metric: request.query.metric, segment: request.query.segment });
      return {
        metrics: list.map(({ metric, benchmarks }) => ({
          id: metric.id,
          name: metric.name,
          unit: metric.unit,
          higher_is_better: metric.higher_is_better,
          definition: metric.definition,
          formula: metric.formula,
          benchmarks: benchmarks.map((b) => ({
            id: b.id,
            stat: b.stat,
            value: b.value,
            segment: b.segment_label,
            period: b.period,
            basis: b.basis,
            source: b.source,
            verified: b.verified,
            verification: b.verification,
          })),
        })),
      };
    },
  );
};
