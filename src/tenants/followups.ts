import { daysBetween } from '../lib/clock.ts';
import { computeSignals, queriesLast7Days } from './signals.ts';
import type { Signal, TenantRecord } from './types.ts';

/** The runbook's check-ins, by days since creation; each is due until the next one starts. */
export const CHECKINS = [
  { id: 'day_3_email', label: 'day 3 email', from: 3, until: 7 },
  { id: 'week_1_call', label: 'week 1 call', from: 7, until: 14 },
  { id: 'week_2_feedback', label: 'week 2 feedback session', from: 14, until: 21 },
] as const;

export type CheckinId = (typeof CHECKINS)[number]['id'];

export interface Followup {
  key: string;
  name: string;
  email: string;
  /** Whole days since the tenant was created. */
  day: number;
  checkin: { id: CheckinId; label: string; suggestion: string } | null;
  signals: Signal[];
}

/** What to say at a check-in, given what has happened since creation. */
function suggestion(id: CheckinId, t: TenantRecord, now: Date): string {
  const last = t.last_active ? `last active ${t.last_active.slice(0, 10)}` : 'no queries yet';
  switch (id) {
    case 'day_3_email':
      if (t.login_count === 0) return 'not logged in yet: resend the key and the login link (welcome-email KEY)';
      if (t.query_count === 0) return 'logged in but no questions yet: ask what is blocking the first one';
      return `${t.query_count} queries so far: ask how the first answers were`;
    case 'week_1_call':
      if (t.query_count < 5) return `only ${t.query_count} queries (${last}): understand the blockers`;
      return `${t.query_count} queries (${last}): walk through their use cases`;
    case 'week_2_feedback':
      return `${t.query_count} queries, ${queriesLast7Days(t, now)} in the last 7 days (${last}): collect structured feedback`;
  }
}

/**
 * Active tenants with a check-in due now (counted from creation) or an engagement signal, oldest first.
 */
export function dueFollowups(tenants: TenantRecord[], now: Date): Followup[] {
  const out: Followup[] = [];
  for (const t of tenants) {
    if (t.status !== 'active') continue;
    const day = Math.floor(daysBetween(new Date(t.created_at), now));
    const due = CHECKINS.find((c) => day >= c.from && day < c.until);
    const signals = computeSignals(t, now);
    if (!due && signals.length === 0) continue;
    out.push({
      key: t.key,
      name: t.name,
      email: t.email,
      day,
      checkin: due ? { id: due.id, label: due.label, suggestion: suggestion(due.id, t, now) } : null,
      signals,
    });
  }
  return out.sort((a, b) => b.day - a.day || a.key.localeCompare(b.key));
}
