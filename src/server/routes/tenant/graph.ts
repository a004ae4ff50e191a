import { z } from 'zod';
import { metricDataOf } from '../../../graph/tenant-graph.ts';
import { graphView } from '../../../graph/views.ts';
import type { RoutePlugin } from '../../types.ts';

const GraphQuery = z.strictObject({
  mode: z.enum(['summary', 'full']).default('summary'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const GraphResponse = z.object({
  mode: z.enum(['summary', 'full']),
  nodes: z.array(
    z.object({
      id: z.string(),
      type: z.enum(['company', 'metric', 'document', 'fact', 'benchmark']),
      label: z.string(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  edges: z.array(z.object({ source: z.string(), target: z.string(), type: z.string() })),
  page: z.object({ offset: z.number(), limit: z.number(), total_nodes: z.number() }),
});

/**
 * `GET /api/graph?mode=summary|full&offset=&limit=`: the tenant's nodes and edges with the benchmark nodes
 * its metrics link to. `summary` (default) is bounded by design; `full` pages over every node.
 */
export const graphRoutes: RoutePlugin = async (app, { services }) => {
  app.get('/api/graph', { schema: { querystring: GraphQuery, response: { 200: GraphResponse } } }, async (request) => {
    const state = await services.graph.getState(request.scope);
    const seed = await services.graph.seed();
    const { mode, offset, limit } = request.query;
    return graphView(state, metricDataOf(state), seed, {
      mode,
      offset,
      ...(limit ? { limit } : {}),
      companyName: request.tenant.name,
    });
  });
};
