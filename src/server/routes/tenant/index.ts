import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { tenantScope } from '../../../store/paths.ts';
import { bearerKey, resolveAccessKey } from '../../auth.ts';
import type { AuthThrottle } from '../../plugins/throttle.ts';
import type { Services } from '../../services.ts';
import { meRoutes } from './me.ts';

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
    request.scope = tenantScope(services.config.dataDir, tenant.key);
  });

  // The tenant routes, one line each.
  await app.register(meRoutes, { services });
};
