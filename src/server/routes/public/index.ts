import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AuthThrottle } from '../../plugins/throttle.ts';
import type { Services } from '../../services.ts';
import { healthRoutes } from './health.ts';
import { loginRoutes } from './login.ts';

/** Routes without auth. They live outside the tenant and admin trees on purpose. */
export const publicRoutes: FastifyPluginAsyncZod<{ services: Services; throttle: AuthThrottle }> = async (
  app,
  { services, throttle },
) => {
  await app.register(healthRoutes, { services });
  await app.register(loginRoutes, { services, throttle });
};
