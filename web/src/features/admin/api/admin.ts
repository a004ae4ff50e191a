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
export async function createTenant(input: { name: string; email: string; notes?: string }) {
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
