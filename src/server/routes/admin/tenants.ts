import { z } from 'zod';
import { AppError } from '../../../lib/errors.ts';
import { welcomeEmail } from '../../../tenants/welcome.ts';
import type { RoutePlugin } from '../../types.ts';
import { FeedbackSummarySchema, feedbackSummary } from './feedback-summary.ts';
import { DiskSchema, KeyParams, SignalSchema, TenantSchema } from './schemas.ts';

const CreateBody = z.strictObject({
  name: z.string(),
  email: z.string(),
  notes: z.string().optional(),
});

const TenantWithSignals = TenantSchema.extend({ signals: z.array(SignalSchema) });

const WelcomeSchema = z.object({ to: z.string(), subject: z.string(), body: z.string() });

const ListQuery = z.strictObject({ all: z.enum(['true', 'false', '1', '0']).optional() });

/**
 * The CLI's tenant operations over HTTP — the same service calls, so the same validation, errors
 * and audit lines (origin `{via: 'api', address}`).
 */
export const adminTenantRoutes: RoutePlugin = async (app, { services }) => {
  const { tenants } = services;

  app.get(
    '/api/admin/tenants',
    { schema: { querystring: ListQuery, response: { 200: z.object({ tenants: z.array(TenantWithSignals) }) } } },
    async (request) => {
      const all = request.query.all === 'true' || request.query.all === '1';
      const list = await tenants.list({ all });
      return { tenants: list.map((t) => ({ ...t, signals: tenants.signals(t) })) };
    },
  );

  app.post(
    '/api/admin/tenants',
    {
      schema: { body: CreateBody, response: { 201: z.object({ tenant: TenantSchema, welcome_email: WelcomeSchema }) } },
    },
    async (request, reply) => {
      const tenant = await tenants.create(request.body, { via: 'api', address: request.ip });
      return reply.code(201).send({ tenant, welcome_email: welcomeEmail(tenant, services.config.publicAppUrl) });
    },
  );

  app.get(
    '/api/admin/tenants/:key/welcome-email',
    { schema: { params: KeyParams, response: { 200: WelcomeSchema } } },
    async (request) => {
      const tenant = await tenants.get(request.params.key);
      if (!tenant) throw notFound(request.params.key);
      return welcomeEmail(tenant, services.config.publicAppUrl);
    },
  );

  app.get(
    '/api/admin/tenants/:key',
    {
      schema: {
        params: KeyParams,
        response: {
          200: z.object({
            tenant: TenantSchema,
            signals: z.array(SignalSchema),
            disk: DiskSchema,
            feedback: FeedbackSummarySchema,
          }),
        },
      },
    },
    async (request) => {
      const tenant = await tenants.get(request.params.key);
      if (!tenant) throw notFound(request.params.key);
      return {
        tenant,
        signals: tenants.signals(tenant),
        disk: await tenants.diskUsage(tenant.key),
        feedback: await feedbackSummary(services, services.tenants.scope(tenant.key)),
      };
    },
  );

  app.delete(
    '/api/admin/tenants/:key',
    {
      schema: {
        params: KeyParams,
        response: { 200: z.object({ tenant: TenantSchema, already_revoked: z.boolean() }) },
      },
    },
    async (request) => {
      const { tenant, alreadyRevoked } = await tenants.revoke(request.params.key, {
        via: 'api',
        address: request.ip,
      });
      return { tenant, already_revoked: alreadyRevoked };
    },
  );
};

const notFound = (key: string) => new AppError(404, 'tenant_not_found', `No tenant with key ${JSON.stringify(key)}.`);
