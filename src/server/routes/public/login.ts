import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolveAccessKey } from '../../auth.ts';
import type { AuthThrottle } from '../../plugins/throttle.ts';
import type { Services } from '../../services.ts';

const LoginBody = z.strictObject({ access_key: z.string().trim().min(1, 'access_key is required') });
const LoginResponse = z.object({ tenant: z.object({ id: z.string(), name: z.string() }) });

/** `POST /api/auth/login {access_key}`: validates the key, records the login (throttled on failure). */
export const loginRoutes: FastifyPluginAsyncZod<{ services: Services; throttle: AuthThrottle }> = async (
  app,
  { services, throttle },
) => {
  app.post('/api/auth/login', { schema: { body: LoginBody, response: { 200: LoginResponse } } }, async (request) => {
    const tenant = await resolveAccessKey(services, throttle, request.body.access_key, request.ip);
    request.tenant = tenant;
    await services.tenants.recordLogin(tenant.key);
    return { tenant: { id: tenant.key, name: tenant.name } };
  });
};
