import fs from 'node:fs';
import { z } from 'zod';
import { globalPaths } from '../../../store/paths.ts';
import type { RoutePlugin } from '../../types.ts';
import { APP_VERSION } from '../../version.ts';

const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  storage: z.object({ backend: z.enum(['file', 'postgres']), writable: z.boolean() }),
  analyst: z.enum(['claude', 'local']),
  langfuse: z.boolean(),
  seed_graph: z.boolean(),
});

/**
 * `GET /api/health`, no auth: enough for a load balancer and an operator, never a secret.
 * 503 when the data directory cannot be written.
 */
export const healthRoutes: RoutePlugin = async (app, { services }) => {
  const { config } = services;
  app.get(
    '/api/health',
    { schema: { response: { 200: HealthResponse, 503: HealthResponse } } },
    async (_request, reply) => {
      const writable = await fs.promises.access(config.dataDir, fs.constants.W_OK).then(
        () => true,
        () => false,
      );
      const seedGraph = await fs.promises.access(globalPaths(config.dataDir).seedGraphFile).then(
        () => true,
        () => false,
      );
      const body = {
        status: writable ? ('ok' as const) : ('degraded' as const),
        version: APP_VERSION,
        storage: { backend: services.tenants.storage, writable },
        analyst: config.anthropicApiKey ? ('claude' as const) : ('local' as const),
        langfuse: config.langfuse !== undefined,
        seed_graph: seedGraph,
      };
      return reply.code(writable ? 200 : 503).send(body);
    },
  );
};
