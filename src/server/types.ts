import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { TenantScope } from '../store/paths.ts';
import type { TenantRecord } from '../tenants/types.ts';
import type { Services } from './services.ts';

/*
 * The one place that teaches TypeScript what the tenant guard (routes/tenant/index.ts) puts on a
 * request. Both are set for every route registered inside the tenant tree and only there.
 */
declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant the bearer key resolved to (tenant routes only). */
    tenant: TenantRecord;
    /** That tenant's folder: the only way a route reaches tenant data (tenant routes only). */
    scope: TenantScope;
  }
}

/** Every route module: `export const fooRoutes: RoutePlugin = async (app, { services }) => { … }`. */
export type RoutePlugin = FastifyPluginAsyncZod<{ services: Services }>;
