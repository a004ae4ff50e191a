import { z } from 'zod';
import { isoDate } from '../../../lib/clock.ts';
import type { RoutePlugin } from '../../types.ts';

const MeResponse = z.object({
  tenant: z.object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    status: z.enum(['active', 'revoked']),
    created_at: z.string(),
    query_count: z.number(),
    last_active: z.string().nullable(),
    tokens: z.object({ input: z.number(), output: z.number() }),
    first_login_at: z.string().nullable(),
    last_login_at: z.string().nullable(),
    login_count: z.number(),
  }),
  usage: z.object({
    query_count: z.number(),
    last_active: z.string().nullable(),
    queries_last_7_days: z.number(),
    /** The last 30 UTC days, oldest first, zeros included (for a usage chart). */
    queries_by_day: z.array(z.object({ date: z.string(), queries: z.number() })),
    tokens: z.object({ input: z.number(), output: z.number() }),
    tokens_today: z.number(),
    /** 0 = unlimited. */
    daily_token_budget: z.number(),
  }),
});

const DAYS_SHOWN = 30;
let dayCache: { today: string; days: string[] } | undefined;

/** The last 30 UTC dates ending today, oldest first; rebuilt once a day (this route is hot). */
function lastDays(now: Date): string[] {
  const today = isoDate(now);
  if (dayCache?.today !== today) {
    const days: string[] = [];
    for (let i = DAYS_SHOWN - 1; i >= 0; i--) days.push(isoDate(new Date(now.getTime() - i * 86_400_000)));
    dayCache = { today, days };
  }
  return dayCache.days;
}

/**
 * `GET /api/me`: the tenant's own profile and usage (never notes: those are the operator's).
 * `tenant` carries the fields of docs/api-contract.md; `usage` adds the per-day detail.
 */
export const meRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/api/me',
    {
      schema: { response: { 200: MeResponse } },
      // The schema types the handler's return (checked at compile time); at run time the handler
      // builds a fresh object of exactly those fields, so this hot route skips the zod re-encoding.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => {
      const t = request.tenant;
      const days = lastDays(services.clock.now()).map((date) => ({ date, queries: t.queries_by_day[date] ?? 0 }));
      return {
        tenant: {
          id: t.key,
          name: t.name,
          email: t.email,
          status: t.status,
          created_at: t.created_at,
          query_count: t.query_count,
          last_active: t.last_active,
          tokens: t.tokens,
          first_login_at: t.first_login_at,
          last_login_at: t.last_login_at,
          login_count: t.login_count,
        },
        usage: {
          query_count: t.query_count,
          last_active: t.last_active,
          queries_last_7_days: days.slice(-7).reduce((sum, d) => sum + d.queries, 0),
          queries_by_day: days,
          tokens: t.tokens,
          tokens_today: services.tenants.tokensToday(t),
          daily_token_budget: services.config.dailyTokenBudget,
        },
      };
    },
  );
};
