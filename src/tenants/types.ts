/** A tenant record as stored in `_admin/tenants.json` (DESIGN.md §4). Timestamps: ISO UTC seconds with Z. */
export interface TenantRecord {
  key: string;
  name: string;
  email: string;
  notes: string;
  status: 'active' | 'revoked';
  created_at: string;
  revoked_at: string | null;
  first_login_at: string | null;
  last_login_at: string | null;
  login_count: number;
  query_count: number;
  last_active: string | null;
  /** `YYYY-MM-DD` → queries that day (kept for the 7-day signals and the usage chart). */
  queries_by_day: Record<string, number>;
  tokens: { input: number; output: number };
  /** `YYYY-MM-DD` → tokens (input + output) that day, for the daily budget. */
  tokens_by_day: Record<string, number>;
  /** Set for tenants created by `import-legacy-keys`. */
  legacy?: boolean;
  /** When `purge-tenant` deleted the (revoked) tenant's data; the record stays so the key is never reused. */
  purged_at?: string | null;
  /**
   * The key that signs in now, once the key was rotated (`rotate-key`). Absent: `key` signs in.
   * `key` never changes: it is the tenant's id and folder name (DESIGN.md: tenant_id = the key the
   * tenant was created with); after a rotation it no longer authenticates.
   */
  access_key?: string;
  /** When the key was last rotated. */
  key_rotated_at?: string | null;
  /** SHA-256 digests of keys rotated away: refused like unknown keys, and never generated again. */
  retired_key_digests?: string[];
}

/** A tenant as it is created: active, never signed in, nothing counted yet. */
export function newTenantRecord(
  fields: Pick<TenantRecord, 'key' | 'name' | 'email' | 'notes'>,
  createdAt: string,
): TenantRecord {
  return {
    ...fields,
    status: 'active',
    created_at: createdAt,
    revoked_at: null,
    first_login_at: null,
    last_login_at: null,
    login_count: 0,
    query_count: 0,
    last_active: null,
    queries_by_day: {},
    tokens: { input: 0, output: 0 },
    tokens_by_day: {},
  };
}

/** What `edit` may change. */
export interface EditTenantInput {
  name?: string;
  email?: string;
  notes?: string;
}

export type SignalName = 'never_logged_in' | 'low_usage' | 'high_engagement' | 'inactive' | 'dormant';

export interface Signal {
  signal: SignalName;
  action: string;
}

/** Who did an admin action, for the audit log. */
export interface Origin {
  via: 'cli' | 'api';
  address?: string;
}

export interface CreateTenantInput {
  name: string;
  email: string;
  notes?: string;
}

export interface QueryUsage {
  inputTokens?: number;
  outputTokens?: number;
}
