import { queriesLast7Days } from './signals.ts';
import type { TenantRecord } from './types.ts';

export interface TenantTotals {
  /** Active tenants. */
  active_partners: number;
  /** Queries of all tenants, revoked ones included (they happened). */
  total_queries: number;
  /** Active tenants with at least one successful login. */
  have_logged_in: number;
  /** Active tenants that asked at least one question in the last 7 days. */
  active_this_week: number;
}

/** The operator's headline figures (admin stats, runbook §monitoring), from the registry alone. */
export function tenantTotals(tenants: TenantRecord[], now: Date): TenantTotals {
  const active = tenants.filter((t) => t.status === 'active');
  return {
    active_partners: active.length,
    total_queries: tenants.reduce((sum, t) => sum + t.query_count, 0),
    have_logged_in: active.filter((t) => t.login_count > 0 || t.first_login_at !== null).length,
    active_this_week: active.filter((t) => queriesLast7Days(t, now) > 0).length,
  };
}
