import { z } from 'zod';
import { AppError } from '../../../lib/errors.ts';
import { accessKeyOf } from '../../../tenants/keys.ts';
import type { TenantRecord } from '../../../tenants/types.ts';
import { welcomeEmail } from '../../../tenants/welcome.ts';
import type { RoutePlugin } from '../../types.ts';
import { FeedbackSummarySchema, feedbackSummary } from './feedback-summary.ts';
import { DiskSchema, KeyParams, SignalSchema, StorageSchema, TenantSchema } from './schemas.ts';

const CreateBody = z.strictObject({
  name: z.string(),
  email: z.string(),
  notes: z.string().optional(),
  /**
   * A partner with the same name or email exists: `refuse` → 409 `duplicate_tenant` (the admin view
   * asks first); `create` (the default, for scripts) → created, and the 201 names the look-alikes in
   * `duplicates`, so a duplicate is never created silently.
   */
  on_duplicate: z.enum(['refuse', 'create']).optional(),
});

/** An existing partner a new one resembles (same name or email): named, never its key. */
const LookAlike = z.object({ name: z.string(), email: z.string(), status: z.string(), created_at: z.string() });

const EditBody = z.strictObject({
  name: z.string().optional(),
  email: z.string().optional(),
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
      return { tenants: list.map((t) => ({ ...withAccessKey(t), signals: tenants.signals(t) })) };
    },
  );

  app.post(
    '/api/admin/tenants',
    {
      schema: {
        body: CreateBody,
        response: {
          201: z.object({ tenant: TenantSchema, welcome_email: WelcomeSchema, duplicates: z.array(LookAlike) }),
        },
      },
    },
    async (request, reply) => {
      const { on_duplicate, ...input } = request.body;
      const same = await tenants.findDuplicates(input);
      if (same.length > 0 && on_duplicate === 'refuse') throw duplicate(same, input);
      const tenant = await tenants.create(input, { via: 'api', address: request.ip });
      return reply.code(201).send({
        tenant: withAccessKey(tenant),
        welcome_email: welcomeEmail(tenant, services.config.publicAppUrl),
        duplicates: same.map(({ name, email, status, created_at }) => ({ name, email, status, created_at })),
      });
    },
  );

  app.patch(
    '/api/admin/tenants/:key',
    { schema: { params: KeyParams, body: EditBody, response: { 200: z.object({ tenant: TenantSchema }) } } },
    async (request) => {
      const { tenant } = await tenants.edit(request.params.key, request.body, { via: 'api', address: request.ip });
      return { tenant: withAccessKey(tenant) };
    },
  );

  app.post(
    '/api/admin/tenants/:key/rotate-key',
    {
      schema: {
        params: KeyParams,
        response: { 200: z.object({ tenant: TenantSchema, access_key: z.string(), welcome_email: WelcomeSchema }) },
      },
    },
    async (request) => {
      const { tenant, access_key } = await tenants.rotateKey(request.params.key, {
        via: 'api',
        address: request.ip,
      });
      return {
        tenant: withAccessKey(tenant),
        access_key,
        welcome_email: welcomeEmail(tenant, services.config.publicAppUrl),
      };
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
            storage: StorageSchema,
            feedback: FeedbackSummarySchema,
          }),
        },
      },
    },
    async (request) => {
      const tenant = await tenants.get(request.params.key);
      if (!tenant) throw notFound(request.params.key);
      return {
        tenant: withAccessKey(tenant),
        signals: tenants.signals(tenant),
        disk: await tenants.diskUsage(tenant.key),
        storage: await services.documents.usage(services.tenants.scope(tenant.key)),
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
      return { tenant: withAccessKey(tenant), already_revoked: alreadyRevoked };
    },
  );
};

const notFound = (key: string) => new AppError(404, 'tenant_not_found', `No tenant with key ${JSON.stringify(key)}.`);

/** Every record the admin API returns says which key signs in now (`access_key`). */
const withAccessKey = (t: TenantRecord) => ({ ...t, access_key: accessKeyOf(t) });

const duplicate = (same: TenantRecord[], input: { name: string; email: string }) => {
  const first = same[0]!;
  const what =
    first.email.toLowerCase() === input.email.trim().toLowerCase() &&
    first.name.trim().toLowerCase() === input.name.trim().toLowerCase()
      ? 'the same name and email'
      : first.email.toLowerCase() === input.email.trim().toLowerCase()
        ? 'the same email'
        : 'the same name';
  return new AppError(
    409,
    'duplicate_tenant',
    `A partner with ${what} already exists: ${first.name} <${first.email}> (${first.status}, created ${first.created_at.slice(0, 10)}). Send "on_duplicate": "create" to create another one.`,
  );
};
