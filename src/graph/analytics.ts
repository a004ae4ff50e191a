import { type CompareOptions, type CompareResult, compareToBenchmark } from './engine/benchmark.ts';
import { type ComputeOk, computeMetric, resolveMetricId } from './engine/compute.ts';
import { currencyOf, type MetricData } from './engine/data.ts';
import type { PeriodSpec } from './engine/periods.ts';
import type { SeedGraph } from './seed-types.ts';
import type { CompanyProfile } from './state.ts';

/**
 * Compare a tenant's metric with the benchmarks: computes the value for the period (or takes a given
 * one), infers the basis from the period (one month = monthly, twelve = annual) and the company's ARR
 * and ACV from its profile, unless the caller says otherwise.
 */
export type CompareMetricResult =
  | (Extract<CompareResult, { ok: true }> & { computed: ComputeOk | null; period: string | null; caution?: string })
  | { ok: false; metric: string; message: string };

/**
 * The period a comparison uses when none is asked for: retention, margins and LTV over a year (the
 * benchmarks are annual), efficiency ratios over the last quarter, balances and growth at the latest month.
 */
const DEFAULT_PERIOD: Record<string, PeriodSpec> = {
  nrr: 'ttm',
  grr: 'ttm',
  rule_of_40: 'ttm',
  fcf_margin: 'ttm',
  sm_pct_revenue: 'ttm',
  rd_pct_revenue: 'ttm',
  ga_pct_revenue: 'ttm',
  ltv: 'ttm',
  ltv_cac: 'ttm',
  cac_payback: 'last_quarter',
  cac: 'last_quarter',
  burn_multiple: 'last_quarter',
  magic_number: 'last_quarter',
  quick_ratio: 'last_quarter',
};

/** Metrics that are year-over-year by definition, whatever period they are asked for. */
const INHERENT_BASIS: Record<string, CompareOptions['basis']> = { arr_growth_yoy: 'annual', rule_of_40: 'annual' };

export function compareMetric(
  seed: SeedGraph,
  data: MetricData,
  profile: Pick<CompanyProfile, 'arr' | 'acv'>,
  metricQuery: string,
  opts: { period?: PeriodSpec; value?: number } & CompareOptions = {},
): CompareMetricResult {
  const metric = resolveMetricId(data, metricQuery) ?? metricQuery;
  let computed: ComputeOk | null = null;
  let value = opts.value;
  let months: number | undefined;
  if (value === undefined) {
    const period = opts.period ?? DEFAULT_PERIOD[metric] ?? 'latest';
    const c = computeMetric(data, metric, period);
    if (!c.ok) return { ok: false, metric, message: c.message };
    computed = c;
    value = c.value;
    months = c.period.includes('..')
      ? monthsInRange(c.period)
      : /^\d{4}-\d{2}$/.test(c.period)
        ? 1
        : /Q/.test(c.period)
          ? 3
          : 12;
  }
  const basis =
    opts.basis ?? INHERENT_BASIS[metric] ?? (months === 1 ? 'monthly' : months === 12 ? 'annual' : undefined);
  const r = compareToBenchmark(seed, metric, value, {
    arr: opts.arr ?? profile.arr ?? undefined,
    acv: opts.acv ?? profile.acv ?? undefined,
    ...(opts.arrBand ? { arrBand: opts.arrBand } : {}),
    ...(opts.segment ? { segment: opts.segment } : {}),
    ...(opts.ownership ? { ownership: opts.ownership } : {}),
    ...(opts.includeUnverified ? { includeUnverified: true } : {}),
    ...(opts.limit ? { limit: opts.limit } : {}),
    ...(basis ? { basis } : {}),
  });
  if (!r.ok) return { ok: false, metric: r.metric, message: r.message };
  const out: CompareMetricResult = { ...r, computed, period: computed?.period ?? null };
  const cautions: string[] = [];
  const refBasis = r.figures[0]?.basis;
  if (months !== undefined && refBasis === 'annual' && months !== 12 && !INHERENT_BASIS[metric]) {
    cautions.push(
      `the benchmark is an annual figure; this value covers ${computed?.period_label ?? 'a shorter period'}`,
    );
  }
  // The benchmark graph's amounts are published in US dollars: an amount in euros is placed against them
  // as it is (no exchange rate is known here), and the answer says so rather than implying a like-for-like.
  const currency = currencyOf(data);
  if (r.unit === 'currency' && currency !== 'USD') {
    cautions.push(
      `the benchmark is in US dollars; this value is in ${currency ?? 'several currencies'}, compared without conversion`,
    );
  }
  if (cautions.length) out.caution = cautions.join('; ');
  return out;
}

function monthsInRange(id: string): number {
  const [from, to] = id.split('..') as [string, string];
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5)) + 1;
}
