import { daysBetween, isoDate } from '../lib/clock.ts';
import type { Signal, SignalName, TenantRecord } from './types.ts';

/** The runbook's suggested action for each signal (DESIGN.md §4). */
export const SIGNAL_ACTIONS: Record<SignalName, string> = {
  never_logged_in: 'send a reminder email',
  low_usage: 'schedule a check-in call',
  high_engagement: 'ask for feedback',
  inactive: 'follow up to understand blockers',
  dormant: 'consider revoking',
};

/** Queries on the 7 UTC days ending today (today and the 6 days before). */
export function queriesLast7Days(tenant: TenantRecord, now: Date): number {
  let total = 0;
  for (let i = 0; i < 7; i++) {
    total += tenant.queries_by_day[isoDate(new Date(now.getTime() - i * 86_400_000))] ?? 0;
  }
  return total;
}

/**
 * Engagement signals of an active tenant at `now`, in the table's order. A revoked tenant has none:
 * the partnership is over, there is nothing to act on.
 */
export function computeSignals(tenant: TenantRecord, now: Date): Signal[] {
  if (tenant.status !== 'active') return [];
  const created = new Date(tenant.created_at);
  const ageDays = daysBetween(created, now);
  const found: SignalName[] = [];
  if (ageDays >= 3 && tenant.login_count === 0 && tenant.first_login_at === null) found.push('never_logged_in');
  if (ageDays >= 7 && tenant.query_count < 5) found.push('low_usage');
  if (queriesLast7Days(tenant, now) > 50) found.push('high_engagement');
  if (tenant.last_active !== null && daysBetween(new Date(tenant.last_active), now) >= 7) found.push('inactive');
  if (daysBetween(new Date(tenant.last_active ?? tenant.created_at), now) >= 30) found.push('dormant');
  return found.map((signal) => ({ signal, action: SIGNAL_ACTIONS[signal] }));
}
