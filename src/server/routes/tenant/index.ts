import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearerKey, resolveAccessKey } from '../../auth.ts';
import type { AuthThrottle } from '../../plugins/throttle.ts';
import type { Services } from '../../services.ts';
import { benchmarkRoutes } from './benchmarks.ts';
import { chatRoutes } from './chat.ts';
import { documentRoutes } from './documents.ts';
import { feedbackRoutes } from './feedback.ts';
import { graphRoutes } from './graph.ts';
import { meRoutes } from './me.ts';
import { metricsRoutes } from './metrics.ts';
import { overviewRoutes } from './overview.ts';
import { questionnaireRoutes } from './questionnaire.ts';
import { searchRoutes } from './search.ts';
import { sessionRoutes } from './sessions.ts';
import { traceRoutes } from './traces.ts';

/**
 * The tenant route tree. Its one `onRequest` hook (encapsulated: it guards exactly the routes
 * registered below) turns `Authorization: Bearer <key>` into `request.tenant` and `request.scope`
 * — the only way a route reaches a tenant's folder. A tenant route is added by registering it in
 * the list below, so it cannot exist outside the guard. Paths are written in full (`/api/…`).
 */
export const tenantRoutes: FastifyPluginAsyncZod<{ services: Services; throttle: AuthThrottle }> = async (
  app,
  { services, throttle },
) => {
  app.addHook('onRequest', async (request) => {
    const key = bearerKey(request.headers.authorization);
    const tenant = await resolveAccessKey(services, throttle, key, request.ip);
    request.tenant = tenant;
    request.scope = services.tenants.scope(tenant.key);
  });

  // The tenant routes, one line each.
  await app.register(meRoutes, { services });
  await app.register(documentRoutes, { services });
  await app.register(searchRoutes, { services });
  await app.register(metricsRoutes, { services });
  await app.register(overviewRoutes, { services });
  await app.register(graphRoutes, { services });
  await app.register(benchmarkRoutes, { services });
  await app.register(chatRoutes, { services });
  await app.register(sessionRoutes, { services });
  await app.register(traceRoutes, { services });
  await app.register(feedbackRoutes, { services });
  await app.register(questionnaireRoutes, { services });
};
