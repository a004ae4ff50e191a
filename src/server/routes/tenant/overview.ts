import { z } from 'zod';
import { compareMetric, computeMetric, currencyOf, type PeriodSpec } from '../../../graph/index.ts';
import type { RoutePlugin } from '../../types.ts';

/** The metrics a founder watches, in the order the overview shows them. */
export const OVERVIEW_METRICS = [
  'mrr',
  'arr_growth_yoy',
  'nrr',
  'grr',
  'logo_churn',
  'gross_margin',
  'burn_multiple',
  'cac_payback',
  'runway',
] as const;

/** Each point of a metric's line is measured like its headline value (a rolling year for NRR, a rolling quarter for CAC payback). */
const WINDOW: Record<string, number> = { nrr: 12, grr: 12, cac_payback: 3, burn_multiple: 3 };

const Card = z.object({
  metric: z.string(),
  name: z.string(),
  unit: z.string(),
  value: z.number(),
  period: z.string(),
  previous: z.object({ period: z.string(), value: z.number() }).nullable(),
  series: z.array(z.object({ period: z.string(), value: z.number() })),
  benchmark: z
    .object({
      low: z.number().optional(),
      median: z.number().optional(),
      high: z.number().optional(),
      label: z.string(),
      source: z.string().optional(),
      summary: z.string(),
    })
    .nullable(),
});

function monthsBack(latest: string, n: number): string[] {
  const [y, m] = latest.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

/**
 * `GET /api/metrics/overview`: the Graph page's "my metrics against the benchmarks for my stage":
 * per metric the latest value, the one before, a 12-point line measured like the value, and the
 * benchmark band (p25–p75 and median) the analyst would compare it with, for the tenant's stage.
 */
export const overviewRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/api/metrics/overview',
    {
      schema: {
        response: {
          // `currency`: what the amounts are in, as on GET /api/metrics.
          200: z.object({ metrics: z.array(Card), stage: z.string().nullable(), currency: z.string().nullable() }),
        },
      },
    },
    async (request) => {
      const [seed, data, state] = await Promise.all([
        services.graph.seed(),
        services.graph.getMetricData(request.scope),
        services.graph.getState(request.scope),
      ]);
      const latest = state.profile.latest_month;
      const cards: z.infer<typeof Card>[] = [];
      const currency = currencyOf(data) ?? null;
      if (!latest) return { metrics: cards, stage: null, currency };
      const months = monthsBack(latest, 12);
      for (const id of OVERVIEW_METRICS) {
        const window = WINDOW[id];
        const series: { period: string; value: number }[] = [];
        for (const month of months) {
          const spec: PeriodSpec = window ? { trailing: window, end: month } : month;
          const c = computeMetric(data, id, spec);
          if (c.ok && Number.isFinite(c.value)) series.push({ period: month, value: c.value });
        }
        const last = series.at(-1);
        if (!last) continue;
        const def = computeMetric(data, id, window ? { trailing: window, end: last.period } : last.period);
        if (!def.ok) continue;
        const cmp = compareMetric(seed, data, state.profile, id, {
          value: last.value,
          ...(window ? {} : { period: last.period }),
        });
        const prev = series.at(-2);
        cards.push({
          metric: id,
          name: def.name,
          unit: def.unit,
          value: last.value,
          period: last.period,
          previous: prev ?? null,
          series,
          benchmark: cmp.ok
            ? {
                ...(typeof cmp.band.low === 'number' ? { low: cmp.band.low } : {}),
                ...(typeof cmp.band.median === 'number' ? { median: cmp.band.median } : {}),
                ...(typeof cmp.band.high === 'number' ? { high: cmp.band.high } : {}),
                label: cmp.band.label,
                source: cmp.band.source,
                summary: cmp.caution ? `${cmp.verdict} (${cmp.caution})` : cmp.verdict,
              }
            : null,
        });
      }
      return { metrics: cards, stage: state.profile.arr_band ?? null, currency };
    },
  );
};
