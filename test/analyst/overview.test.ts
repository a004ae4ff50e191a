import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
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
    expect(empty.json()).toEqual({ metrics: [], stage: null, currency: 'USD' });

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

describe('the currency a tenant’s figures are shown in', () => {
  let t: AnalystTestApp;
  afterEach(async () => {
    await t?.close();
  });

  // A company of our own whose export writes its amounts in euros.
  const euroExport = [
    'Month,MRR,New MRR,Churned MRR,Customers',
    'Jan 2026,"€40,000","€3,000","€1,000",100',
    'Feb 2026,"€42,000","€3,400","€1,400",104',
    'Mar 2026,"€44,500","€3,600","€1,100",109',
  ].join('\n');
  async function* euroFiles() {
    yield { filename: 'umsatz_export.csv', stream: Readable.from([Buffer.from(euroExport)]) };
  }

  it('is the one the documents state (EUR), on the metrics, the overview and a charted answer', async () => {
    t = await buildAnalystApp();
    const key = await t.createTenant('Lindgren Software');
    const scope = tenantScope(t.dataDir, key);
    await t.services.documents.upload(scope, euroFiles());
    await t.services.documents.whenIdle(scope);

    const metrics = (await t.asTenant(key, { method: 'GET', url: '/api/metrics' })).json() as { currency: string };
    expect(metrics.currency).toBe('EUR');
    const overview = (await t.asTenant(key, { method: 'GET', url: '/api/metrics/overview' })).json() as {
      currency: string;
      metrics: OverviewCard[];
    };
    expect(overview.currency).toBe('EUR');
    expect(overview.metrics.find((m) => m.metric === 'mrr')?.value).toBe(44_500);

    const chat = await t.asTenant(key, {
      method: 'POST',
      url: '/api/chat',
      headers: { 'content-type': 'application/json' },
      payload: { message: 'what was our MRR in March 2026?' },
    });
    const answer = chat.json() as {
      answer: string;
      metrics: Array<{ metric: string; unit: string; currency?: string }>;
    };
    expect(answer.answer).toContain('€44,500');
    expect(answer.answer).not.toContain('$');
    expect(answer.metrics.find((m) => m.metric === 'mrr')).toMatchObject({ unit: 'currency', currency: 'EUR' });
  });

  it('is US dollars when no document states one, and is never given to a percent', async () => {
    t = await buildAnalystApp();
    const key = await t.createTenant('Northwind Analytics');
    const empty = (await t.asTenant(key, { method: 'GET', url: '/api/metrics' })).json() as { currency: string };
    expect(empty.currency).toBe('USD');
    const scope = tenantScope(t.dataDir, key);
    await t.services.documents.upload(scope, files(['northwind_metrics_2024-2026.csv']));
    await t.services.documents.whenIdle(scope);
    const overview = (await t.asTenant(key, { method: 'GET', url: '/api/metrics/overview' })).json() as {
      currency: string;
    };
    expect(overview.currency).toBe('USD');
    const chat = await t.asTenant(key, {
      method: 'POST',
      url: '/api/chat',
      headers: { 'content-type': 'application/json' },
      payload: { message: 'what was our logo churn in May 2026?' },
    });
    const answer = chat.json() as { metrics: Array<{ unit: string; currency?: string }> };
    expect(answer.metrics.length).toBeGreaterThan(0);
    for (const m of answer.metrics) if (m.unit !== 'currency') expect(m).not.toHaveProperty('currency');
  });
});
