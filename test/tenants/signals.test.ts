import { describe, expect, it } from 'vitest';
import { dueFollowups } from '../../src/tenants/followups.ts';
import { computeSignals, queriesLast7Days } from '../../src/tenants/signals.ts';
import { tenantTotals } from '../../src/tenants/stats.ts';
import { newTenantRecord, type TenantRecord } from '../../src/tenants/types.ts';
import { WELCOME_SUBJECT, welcomeEmail } from '../../src/tenants/welcome.ts';

function tenant(over: Partial<TenantRecord> = {}): TenantRecord {
  const fresh = { key: 'acme_corp_A1B2C3D4', name: 'Acme Corp', email: 'ops@acme.com', notes: '' };
  return { ...newTenantRecord(fresh, '2026-01-01T12:00:00Z'), ...over };
}

const at = (iso: string) => new Date(iso);
const names = (t: TenantRecord, now: string) => computeSignals(t, at(now)).map((s) => s.signal);

describe('engagement signals', () => {
  it('never_logged_in from 3 days after creation, until the first login', () => {
    expect(names(tenant(), '2026-01-04T11:59:59Z')).toEqual([]);
    expect(computeSignals(tenant(), at('2026-01-04T12:00:00Z'))).toEqual([
      { signal: 'never_logged_in', action: 'send a reminder email' },
    ]);
    expect(names(tenant({ login_count: 1, first_login_at: '2026-01-02T00:00:00Z' }), '2026-01-05T00:00:00Z')).toEqual(
      [],
    );
  });

  it('low_usage from day 7 with fewer than 5 queries in all', () => {
    const loggedIn = { login_count: 1, first_login_at: '2026-01-01T13:00:00Z' };
    const recent = { last_active: '2026-01-08T00:00:00Z' };
    expect(names(tenant({ ...loggedIn, ...recent, query_count: 4 }), '2026-01-08T12:00:00Z')).toEqual(['low_usage']);
    expect(names(tenant({ ...loggedIn, ...recent, query_count: 5 }), '2026-01-08T12:00:00Z')).toEqual([]);
    expect(names(tenant({ ...loggedIn, ...recent, query_count: 0 }), '2026-01-08T11:59:59Z')).toEqual([]);
  });

  it('high_engagement with more than 50 queries on the last 7 days (today included)', () => {
    const byDay = { '2026-01-03': 100, '2026-01-04': 20, '2026-01-10': 31 };
    const t = tenant({
      login_count: 1,
      first_login_at: '2026-01-01T13:00:00Z',
      query_count: 151,
      last_active: '2026-01-10T09:00:00Z',
      queries_by_day: byDay,
    });
    expect(queriesLast7Days(t, at('2026-01-10T10:00:00Z'))).toBe(51);
    expect(names(t, '2026-01-10T10:00:00Z')).toEqual(['high_engagement']);
    // One day later 2026-01-04 leaves the window: 31 queries.
    expect(names(t, '2026-01-11T10:00:00Z')).toEqual([]);
  });

  it('inactive 7 days after the last query, dormant after 30 (from creation if never active)', () => {
    const active = tenant({
      login_count: 1,
      first_login_at: '2026-01-01T13:00:00Z',
      query_count: 10,
      last_active: '2026-01-02T00:00:00Z',
    });
    expect(names(active, '2026-01-08T23:59:59Z')).toEqual([]);
    expect(names(active, '2026-01-09T00:00:00Z')).toEqual(['inactive']);
    expect(names(active, '2026-02-01T00:00:00Z')).toEqual(['inactive', 'dormant']);
    expect(names(tenant(), '2026-01-31T12:00:00Z')).toEqual(['never_logged_in', 'low_usage', 'dormant']);
    expect(names(tenant(), '2026-01-31T11:59:59Z')).toEqual(['never_logged_in', 'low_usage']);
  });

  it('a revoked tenant has no signals', () => {
    expect(names(tenant({ status: 'revoked', revoked_at: '2026-01-02T00:00:00Z' }), '2026-03-01T00:00:00Z')).toEqual(
      [],
    );
  });
});

describe('follow-ups', () => {
  it('lists the check-in due by age, with what happened since, and the signals', () => {
    const day3 = tenant({ key: 'a_AAAAAAAA', created_at: '2026-01-07T09:00:00Z' });
    const week1 = tenant({
      key: 'b_BBBBBBBB',
      created_at: '2026-01-02T09:00:00Z',
      login_count: 2,
      first_login_at: '2026-01-02T10:00:00Z',
      query_count: 12,
      last_active: '2026-01-09T10:00:00Z',
    });
    const fresh = tenant({ key: 'c_CCCCCCCC', created_at: '2026-01-09T09:00:00Z' });
    const revoked = tenant({ key: 'd_DDDDDDDD', status: 'revoked', created_at: '2026-01-07T09:00:00Z' });
    const due = dueFollowups([day3, week1, fresh, revoked], at('2026-01-10T10:00:00Z'));
    expect(due.map((f) => [f.key, f.day, f.checkin?.id])).toEqual([
      ['b_BBBBBBBB', 8, 'week_1_call'],
      ['a_AAAAAAAA', 3, 'day_3_email'],
    ]);
    expect(due[1]?.checkin?.suggestion).toMatch(/not logged in yet/);
    expect(due[1]?.signals.map((s) => s.signal)).toEqual(['never_logged_in']);
    expect(due[0]?.checkin?.suggestion).toMatch(/12 queries/);
  });

  it('after week 3 only signals bring a tenant back', () => {
    const old = tenant({ created_at: '2026-01-01T00:00:00Z', login_count: 1, first_login_at: '2026-01-01T00:00:00Z' });
    const due = dueFollowups([old], at('2026-01-25T00:00:00Z'));
    expect(due[0]?.checkin).toBeNull();
    expect(due[0]?.signals.map((s) => s.signal)).toEqual(['low_usage']);
  });
});

describe('welcome email', () => {
  it('has the runbook subject, the key and the app URL', () => {
    const mail = welcomeEmail(tenant(), 'https://ops.example.com');
    expect(mail.subject).toBe(WELCOME_SUBJECT);
    expect(mail.subject).toBe('Your OpsOrchestra Access Key');
    expect(mail.to).toBe('ops@acme.com');
    expect(mail.body).toContain('acme_corp_A1B2C3D4');
    expect(mail.body).toContain('https://ops.example.com');
  });
});

describe('tenant totals', () => {
  it('counts active partners, all queries, logins and this week’s activity', () => {
    const totals = tenantTotals(
      [
        tenant({ key: 'a_AAAAAAAA', query_count: 10, login_count: 1, queries_by_day: { '2026-01-09': 2 } }),
        tenant({ key: 'b_BBBBBBBB', query_count: 0 }),
        tenant({ key: 'c_CCCCCCCC', status: 'revoked', query_count: 5, login_count: 3 }),
      ],
      at('2026-01-10T00:00:00Z'),
    );
    expect(totals).toEqual({ active_partners: 2, total_queries: 15, have_logged_in: 1, active_this_week: 1 });
  });
});
