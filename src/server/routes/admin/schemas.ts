import { z } from 'zod';

/** A tenant record as the admin API returns it (the key included: the operator hands it out). */
export const TenantSchema = z.object({
  key: z.string(),
  name: z.string(),
  email: z.string(),
  notes: z.string(),
  status: z.enum(['active', 'revoked']),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  first_login_at: z.string().nullable(),
  last_login_at: z.string().nullable(),
  login_count: z.number(),
  query_count: z.number(),
  last_active: z.string().nullable(),
  queries_by_day: z.record(z.string(), z.number()),
  tokens: z.object({ input: z.number(), output: z.number() }),
  tokens_by_day: z.record(z.string(), z.number()),
  legacy: z.boolean().optional(),
  purged_at: z.string().nullable().optional(),
  /** The key that signs in now (differs from `key`, the tenant id, once rotated). */
  access_key: z.string().optional(),
  key_rotated_at: z.string().nullable().optional(),
});

export const SignalSchema = z.object({ signal: z.string(), action: z.string() });

export const DiskSchema = z.object({ documents: z.number(), sessions: z.number(), bytes: z.number() });
/** The tenant's documents against TENANT_QUOTA_MB (quota_bytes 0 = unlimited). */
export const StorageSchema = z.object({
  stored_bytes: z.number(),
  quota_bytes: z.number(),
  documents: z.number(),
  processing: z.number(),
});

/** `:key` in admin URLs: any string of sane length; the registry decides whether it exists. */
export const KeyParams = z.strictObject({ key: z.string().min(1).max(200) });
