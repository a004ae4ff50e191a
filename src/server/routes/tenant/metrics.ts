import { z } from 'zod';
import { currencyOf } from '../../../graph/index.ts';
import { metricsView } from '../../../graph/views.ts';
import type { RoutePlugin } from '../../types.ts';

const Source = z.object({ document_id: z.string(), document_name: z.string(), locator: z.string() });

const MetricsQuery = z.strictObject({ metric: z.string().max(100).optional() });

const MetricsResponse = z.object({
  metrics: z.array(
    z.object({
      metric: z.string(),
      name: z.string(),
      unit: z.string(),
      label: z.string(),
      latest: z.object({ period: z.string(), value: z.number(), source: Source }),
      series: z.array(z.object({ period: z.string(), value: z.number(), source: Source })),
    }),
  ),
  /** Derived values (latest month, last quarter, trailing twelve months) with formula and sourced inputs. */
  derived: z.array(
    z.object({
      metric: z.string(),
      period: z.string(),
      value: z.number(),
      unit: z.string(),
      formula: z.string(),
      inputs: z.array(
        z.object({ metric: z.string(), period: z.string(), value: z.number(), source: Source.nullable() }),
      ),
    }),
  ),
  /**
   * The currency every amount above is in (ISO 4217): the one the documents state, `USD` when none
   * states one, `null` when they state several (the graph's `currencyOf`, as the analyst writes them).
   */
  currency: z.string().nullable(),
  profile: z.object({
    arr: z.number().nullable(),
    arr_band: z.string().nullable(),
    segment: z.string().nullable(),
    latest_month: z.string().nullable(),
    fiscal_year_start_month: z.number().nullable(),
  }),
});

/** `GET /api/metrics[?metric=]`: the tenant's metric series (latest value, full series, sources) and derived values. */
export const metricsRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/api/metrics',
    { schema: { querystring: MetricsQuery, response: { 200: MetricsResponse } } },
    async (request) => {
      const state = await services.graph.getState(request.scope);
      const data = await services.graph.getMetricData(request.scope);
      const filter = request.query.metric;
      const p = state.profile;
      return {
        metrics: metricsView(data, filter),
        derived: state.derived.filter((d) => !filter || d.metric === filter),
        currency: currencyOf(data) ?? null,
        profile: {
          arr: p.arr,
          arr_band: p.arr_band,
          segment: p.segment,
          latest_month: p.latest_month,
          fiscal_year_start_month: p.fiscal_year_start_month,
        },
      };
    },
  );
};
