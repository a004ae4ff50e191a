import { z } from 'zod';
import { accessKeyOf } from '../../../tenants/keys.ts';
import { queriesLast7Days } from '../../../tenants/signals.ts';
import { tenantTotals } from '../../../tenants/stats.ts';
import type { RoutePlugin } from '../../types.ts';
import { SignalSchema, TenantSchema } from './schemas.ts';

const StatsResponse = z.object({
  active_partners: z.number(),
  total_queries: z.number(),
  have_logged_in: z.number(),
  /** Active partners that reached each step and all before it: created → logged in → uploaded → asked → active in the last 7 days. */
  funnel: z.object({
    created: z.number(),
    logged_in: z.number(),
    uploaded: z.number(),
    asked: z.number(),
    active_this_week: z.number(),
  }),
  tenants: z.array(
    TenantSchema.extend({
      signals: z.array(SignalSchema),
      queries_last_7_days: z.number(),
      documents: z.number(),
    }),
  ),
});

/**
 * The activation funnel, monotonic by construction: each step counts the active partners that reached
 * it and every step before it (logged in → uploaded → asked → active this week), so it never rises.
 */
export function funnelOf(
  active: Array<{
    login_count: number;
    first_login_at: string | null;
    documents: number;
    query_count: number;
    queries_last_7_days: number;
  }>,
) {
  const loggedIn = active.filter((t) => t.login_count > 0 || t.first_login_at !== null);
  const uploaded = loggedIn.filter((t) => t.documents > 0);
  const asked = uploaded.filter((t) => t.query_count > 0);
  const week = asked.filter((t) => t.queries_last_7_days > 0);
  return {
    created: active.length,
    logged_in: loggedIn.length,
    uploaded: uploaded.length,
    asked: asked.length,
    active_this_week: week.length,
  };
}

/**
 * `GET /api/admin/stats`: the engagement overview. The headline totals are the CLI's own
 * (`tenantTotals`: total_queries includes revoked tenants' queries, they happened); the funnel counts
 * active partners only; revoked tenants are still listed, with no signals.
 */
export const adminStatsRoutes: RoutePlugin = async (app, { services }) => {
  const { tenants, clock } = services;
  app.get('/api/admin/stats', { schema: { response: { 200: StatsResponse } } }, async () => {
    const all = await tenants.list({ all: true });
    const now = clock.now();
    const rows = await Promise.all(
      all.map(async (t) => ({
        ...t,
        access_key: accessKeyOf(t),
        signals: tenants.signals(t),
        queries_last_7_days: queriesLast7Days(t, now),
        documents: t.purged_at ? 0 : (await tenants.diskUsage(t.key)).documents,
      })),
    );
    const active = rows.filter((t) => t.status === 'active');
    const totals = tenantTotals(all, now);
    return {
      active_partners: totals.active_partners,
      total_queries: totals.total_queries,
      have_logged_in: totals.have_logged_in,
      funnel: funnelOf(active),
      tenants: rows,
    };
  });
};
