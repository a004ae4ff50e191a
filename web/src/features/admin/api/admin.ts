import { useQuery } from '@tanstack/react-query';
import type {
  AdminStats,
  TenantDetail,
  TenantRecord,
  TenantWithSignals,
  WelcomeEmail,
} from '../../../lib/api-types.ts';
import { adminApi } from './admin-client.ts';

export function useAdminStats(enabled: boolean) {
  return useQuery({
    queryKey: ['admin', 'stats'],
    queryFn: () => adminApi<AdminStats>('/api/admin/stats'),
    enabled,
    retry: false,
  });
}

export function useAllTenants(enabled: boolean) {
  return useQuery({
    queryKey: ['admin', 'tenants', 'all'],
    queryFn: () => adminApi<{ tenants: TenantWithSignals[] }>('/api/admin/tenants?all=true'),
    enabled,
    retry: false,
    select: (d) => d.tenants,
  });
}

export function useTenantDetail(key: string | undefined) {
  return useQuery({
    queryKey: ['admin', 'tenant', key],
    queryFn: () => adminApi<TenantDetail>(`/api/admin/tenants/${encodeURIComponent(key ?? '')}`),
    enabled: Boolean(key),
    retry: false,
  });
}

/** Creates a partner; the welcome email comes with the answer (or, from a server without it, by a second call). */
export async function createTenant(input: {
  name: string;
  email: string;
  notes?: string;
  on_duplicate?: 'refuse' | 'create';
}) {
  const created = await adminApi<{ tenant: TenantRecord; welcome_email?: WelcomeEmail }>('/api/admin/tenants', {
    method: 'POST',
    json: input,
  });
  const welcome = created.welcome_email ?? (await getWelcomeEmail(created.tenant.key).catch(() => null));
  return { tenant: created.tenant, welcome_email: welcome };
}

export function revokeTenant(key: string) {
  return adminApi<{ tenant: TenantRecord; already_revoked: boolean }>(`/api/admin/tenants/${encodeURIComponent(key)}`, {
    method: 'DELETE',
  });
}

export function getWelcomeEmail(key: string) {
  return adminApi<WelcomeEmail>(`/api/admin/tenants/${encodeURIComponent(key)}/welcome-email`);
}

/** A mailto: link with the welcome email filled in (subject and body URL-encoded). */
export function welcomeMailto(to: string, email: WelcomeEmail): string {
  return `mailto:${encodeURIComponent(to)}?subject=${encodeURIComponent(email.subject)}&body=${encodeURIComponent(email.body)}`;
}

/** Daily query counts for the last `days` days ending `today` (UTC), zero-filled, oldest first. */
export function usageByDay(
  queriesByDay: Record<string, number>,
  today: Date,
  days = 30,
): { date: string; count: number }[] {
  const out: { date: string; count: number }[] = [];
  const base = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  for (let i = days - 1; i >= 0; i--) {
    const date = new Date(base - i * 86_400_000).toISOString().slice(0, 10);
    out.push({ date, count: queriesByDay[date] ?? 0 });
  }
  return out;
}

export const SIGNAL_LABELS: Record<string, { label: string; tone: 'amber' | 'green' | 'red' | 'neutral' }> = {
  never_logged_in: { label: 'Never logged in', tone: 'amber' },
  low_usage: { label: 'Low usage', tone: 'amber' },
  high_engagement: { label: 'High engagement', tone: 'green' },
  inactive: { label: 'Inactive', tone: 'amber' },
  dormant: { label: 'Dormant', tone: 'red' },
};

export function editTenant(key: string, patch: { name?: string; email?: string; notes?: string }) {
  return adminApi<{ tenant: TenantRecord }>(`/api/admin/tenants/${encodeURIComponent(key)}`, {
    method: 'PATCH',
    json: patch,
  });
}

/** A new key for the partner (same data); the old one stops working at once. */
export function rotateKey(key: string) {
  return adminApi<{ tenant: TenantRecord; access_key: string; welcome_email: WelcomeEmail }>(
    `/api/admin/tenants/${encodeURIComponent(key)}/rotate-key`,
    { method: 'POST' },
  );
}

/** `acme_corp_••••7Q2M`: a key recognisable in a list, not usable from a glance at the screen. */
export function maskKey(key: string): string {
  const cut = key.lastIndexOf('_');
  if (cut < 0 || key.length - cut - 1 < 4) return `${key.slice(0, 2)}••••`;
  return `${key.slice(0, cut + 1)}••••${key.slice(-4)}`;
}

export type SortKey = 'name' | 'last_active' | 'queries' | 'created';

/** The partner list as the operator narrowed it: search (name, email, key), status, signal, sort. */
export function filterTenants(
  tenants: TenantWithSignals[],
  opts: { search: string; status: 'active' | 'revoked' | 'all'; signal: string; sort: SortKey },
): TenantWithSignals[] {
  const q = opts.search.trim().toLowerCase();
  const out = tenants.filter(
    (t) =>
      (opts.status === 'all' || t.status === opts.status) &&
      (!opts.signal ||
        (opts.signal === 'none' ? t.signals.length === 0 : t.signals.some((s) => s.signal === opts.signal))) &&
      (!q ||
        t.name.toLowerCase().includes(q) ||
        t.email.toLowerCase().includes(q) ||
        t.key.toLowerCase().includes(q) ||
        (t.access_key ?? '').toLowerCase().includes(q)),
  );
  const by: Record<SortKey, (a: TenantWithSignals, b: TenantWithSignals) => number> = {
    name: (a, b) => a.name.localeCompare(b.name),
    last_active: (a, b) => (b.last_active ?? '').localeCompare(a.last_active ?? ''),
    queries: (a, b) => b.query_count - a.query_count,
    created: (a, b) => b.created_at.localeCompare(a.created_at),
  };
  return out.sort((a, b) => by[opts.sort](a, b) || a.name.localeCompare(b.name));
}
