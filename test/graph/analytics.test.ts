import fs from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { compareMetric } from '../../src/graph/analytics.ts';
import { buildMetricData, type MetricData } from '../../src/graph/engine/data.ts';
import { SHIPPED_SEED_GRAPH } from '../../src/graph/seed.ts';
import type { SeedGraph } from '../../src/graph/seed-types.ts';
import { emptyState } from '../../src/graph/state.ts';
import { graphView, metricsView } from '../../src/graph/views.ts';
import { northwindPoints } from './fixture-loader.ts';

const seed = JSON.parse(fs.readFileSync(SHIPPED_SEED_GRAPH, 'utf8')) as SeedGraph;
const profile = { arr: 13_145_664, acv: 25_476 };
let data: MetricData;
beforeAll(async () => {
  const { csv, xlsx } = await northwindPoints();
  data = buildMetricData([...csv, ...xlsx]);
});

describe('compare a tenant metric with benchmarks', () => {
  test('NRR defaults to the trailing twelve months and annual figures', () => {
    const r = compareMetric(seed, data, profile, 'net revenue retention');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.period).toBe('2025-07..2026-06');
    expect(r.value).toBeCloseTo(113.27, 2);
    expect(r.computed?.inputs.length).toBeGreaterThan(0);
    expect(r.figures.every((f) => f.basis === 'annual' && f.verified)).toBe(true);
    expect(r.caution).toBeUndefined();
  });

  test('a quarter compared with annual figures carries a caution', () => {
    const r = compareMetric(seed, data, profile, 'nrr', { period: '2026-Q2' });
    expect(r.ok && r.caution).toContain('annual');
  });

  test('efficiency ratios default to the last quarter; logo churn to the latest month (monthly figures)', () => {
    const payback = compareMetric(seed, data, profile, 'cac_payback');
    expect(payback.ok && payback.period).toBe('2026-Q2');
    expect(payback.ok && payback.value).toBeCloseTo(9.11, 2);
    const churn = compareMetric(seed, data, profile, 'logo_churn');
    expect(churn.ok && churn.period).toBe('2026-06');
    expect(churn.ok && churn.figures.every((f) => f.basis === 'monthly')).toBe(true);
  });

  test('an amount in euros is placed against dollar benchmarks only with a caution saying so', () => {
    // The benchmark graph publishes amounts (ACV) in US dollars and knows no exchange rate.
    const inEuros = buildMetricData([...data.series.get('mrr')!.values()].map((p) => ({ ...p, currency: 'EUR' })));
    const eur = compareMetric(seed, inEuros, profile, 'annual_contract_value', { value: 25_000 });
    expect(eur.ok && eur.caution).toContain('the benchmark is in US dollars; this value is in EUR');
    const usd = compareMetric(seed, data, profile, 'annual_contract_value', { value: 25_000 });
    expect(usd.ok).toBe(true);
    expect(usd.ok && usd.caution).toBeUndefined();
    // A percent has no currency: no caution for a euro company's NRR.
    const nrr = compareMetric(seed, inEuros, profile, 'nrr', { value: 104 });
    expect(nrr.ok && nrr.caution).toBeFalsy();
  });

  test('a given value is compared as is; failures explain themselves', () => {
    const given = compareMetric(seed, data, profile, 'burn_multiple', { value: 0.442 });
    expect(given.ok && given.computed).toBeNull();
    const noBench = compareMetric(seed, data, profile, 'arpa');
    expect(noBench.ok).toBe(false);
    const empty = buildMetricData([]);
    const none = compareMetric(seed, empty, { arr: null, acv: null }, 'nrr');
    expect(!none.ok && none.message).toContain('no monthly data');
  });
});

describe('views', () => {
  test('metrics view: percents in percent points, catalog order, latest month', () => {
    const v = metricsView(data);
    expect(v[0]?.metric).toBe('starting_mrr');
    const gm = v.find((m) => m.metric === 'gross_margin');
    expect(gm?.latest).toMatchObject({ period: '2026-06', value: 76.3 });
    const rd = v.find((m) => m.metric === 'research_development');
    expect(rd?.latest.period).toBe('2026-Q2');
  });

  test('graph view of an empty tenant is just the company', () => {
    const g = graphView(emptyState(), buildMetricData([]), seed, { companyName: 'Acme' });
    expect(g.nodes).toEqual([{ id: 'company', type: 'company', label: 'Acme', data: expect.any(Object) }]);
    expect(g.edges).toEqual([]);
  });
});
