import crypto from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../../lib/errors.ts';
import type { AuthThrottle } from '../../plugins/throttle.ts';
import type { Services } from '../../services.ts';
import { adminStatsRoutes } from './stats.ts';
import { adminTenantRoutes } from './tenants.ts';

const digest = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();

/**
 * The admin route tree, guarded by one hook: `X-Admin-Secret` compared in constant time (SHA-256
 * digests of equal length through timingSafeEqual, so neither content nor length leaks).
 * No ADMIN_SECRET → 503 admin_disabled; header missing → 401; wrong → 403 (and counted by the
 * failed-auth throttle like a bad key).
 */
export const adminRoutes: FastifyPluginAsyncZod<{ services: Services; throttle: AuthThrottle }> = async (
  app,
  { services, throttle },
) => {
  const secret = services.config.adminSecret;
  const expected = secret === undefined ? undefined : digest(secret);

  app.addHook('onRequest', async (request) => {
    if (!expected) {
      throw new AppError(503, 'admin_disabled', 'The admin API is disabled: ADMIN_SECRET is not set on the server.');
    }
    const given = request.headers['x-admin-secret'];
    if (typeof given !== 'string' || given.length === 0) {
      throw new AppError(401, 'admin_secret_required', 'Send the admin secret in the X-Admin-Secret header.');
    }
    throttle.check(request.ip, 'admin');
    if (!crypto.timingSafeEqual(digest(given), expected)) {
      throttle.fail(request.ip, 'admin');
      throw new AppError(403, 'invalid_admin_secret', 'The admin secret is not valid.');
    }
  });

  await app.register(adminStatsRoutes, { services });
  await app.register(adminTenantRoutes, { services });
};
