import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tenantScope } from '../../src/store/paths.ts';
import { type AnalystTestApp, buildAnalystApp } from './app.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/northwind');

async function* files(names: string[]) {
  for (const name of names) yield { filename: name, stream: fs.createReadStream(path.join(FIXTURES, name)) };
}

interface OverviewCard {
  metric: string;
  unit: string;
  value: number;
  period: string;
  previous: { period: string; value: number } | null;
  series: { period: string; value: number }[];
  benchmark: { low?: number; median?: number; high?: number; label: string; summary: string } | null;
}

describe('GET /api/metrics/overview (the Graph page: my metrics against the benchmarks for my stage)', () => {
  let t: AnalystTestApp;
  afterEach(async () => {
    await t?.close();
  });

  it('gives each metric its latest value, the one before, a 12-point line and the benchmark band', async () => {
    t = await buildAnalystApp();
    const key = await t.createTenant('Northwind Analytics');
    const empty = await t.asTenant(key, { method: 'GET', url: '/api/metrics/overview' });
    expect(empty.json()).toEqual({ metrics: [], stage: null });

    const scope = tenantScope(t.dataDir, key);
    await t.services.documents.upload(scope, files(['northwind_metrics_2024-2026.csv']));
    await t.services.documents.whenIdle(scope);
    const res = await t.asTenant(key, { method: 'GET', url: '/api/metrics/overview' });
    expect(res.statusCode).toBe(200);
    const { metrics } = res.json() as { metrics: OverviewCard[] };
    const byId = new Map(metrics.map((m) => [m.metric, m]));

    const mrr = byId.get('mrr');
    expect(mrr).toMatchObject({ unit: 'currency', value: 1095472, period: '2026-06' });
    expect(mrr?.previous).toEqual({ period: '2026-05', value: 1041612 });
    expect(mrr?.series).toHaveLength(12);

    // Logo churn in percent points, as the answer says it (1.06% in May 2026), with a sourced benchmark.
    const churn = byId.get('logo_churn');
    expect(churn?.unit).toBe('percent');
    expect(churn?.series.find((p) => p.period === '2026-05')?.value).toBeCloseTo(1.0593, 3);
    expect(churn?.benchmark?.median ?? churn?.benchmark?.high ?? churn?.benchmark?.low).toBeDefined();

    // NRR points are rolling years, like the headline value compared with annual benchmarks.
    const nrr = byId.get('nrr');
    expect(nrr?.unit).toBe('percent');
    expect(nrr?.value).toBeGreaterThan(50);
    expect(nrr?.value).toBeLessThan(200);
    for (const card of metrics) expect(card.series.at(-1)).toEqual({ period: card.period, value: card.value });
  });

  it('needs the tenant key, and shows only the caller’s data', async () => {
    t = await buildAnalystApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/metrics/overview' });
    expect(res.statusCode).toBe(401);
  });
});
