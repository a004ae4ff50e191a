import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { computeMetric } from '../../src/graph/engine/compute.ts';
import { extreme } from '../../src/graph/engine/series.ts';
import { SHIPPED_SEED_GRAPH } from '../../src/graph/seed.ts';
import { tenantScope } from '../../src/store/paths.ts';
import { multipart } from '../documents/fixtures.ts';
import { buildTestApp, errorCode, type TestApp } from '../server/helpers.ts';
import { NORTHWIND } from './fixture-loader.ts';

/** GET /api/metrics, /api/graph, /api/benchmarks over real uploads; each tenant sees only its own graph. */
let t: TestApp;
let keyA: string;
let keyB: string;

interface MetricsBody {
  metrics: Array<{
    metric: string;
    name: string;
    unit: string;
    latest: { period: string; value: number; source: { document_name: string; locator: string } };
    series: unknown[];
  }>;
  derived: Array<{
    metric: string;
    period: string;
    value: number;
    inputs: Array<{ source: { document_id: string } | null }>;
  }>;
  profile: { arr: number | null; arr_band: string | null; segment: string | null; latest_month: string | null };
}
interface GraphBody {
  mode: string;
  nodes: Array<{ id: string; type: string; label: string; data: Record<string, unknown> }>;
  edges: Array<{ source: string; target: string; type: string }>;
  page: { offset: number; limit: number; total_nodes: number };
}

const get = (key: string, url: string) => t.asTenant(key, { method: 'GET', url });

beforeAll(async () => {
  t = await buildTestApp();
  keyA = (await t.createTenant('Northwind')).key;
  keyB = (await t.createTenant('Other Co')).key;
  const files = [
    'northwind_metrics_2024-2026.csv',
    'northwind_pnl_fy2026.xlsx',
    'northwind_board_update_q2_2026.md',
  ].map((f) => ({
    filename: f,
    content: fs.readFileSync(path.join(NORTHWIND, f)),
  }));
  const { payload, headers } = multipart(files);
  const res = await t.asTenant(keyA, { method: 'POST', url: '/api/documents?wait=true', payload, headers });
  expect(res.statusCode, res.body).toBe(201);
  await t.services.documents.whenIdle(tenantScope(t.dataDir, keyA));
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/metrics', () => {
  test('after upload: series with latest values and sources, derived values, profile', async () => {
    const res = await get(keyA, '/api/metrics');
    expect(res.statusCode).toBe(200);
    const body = res.json() as MetricsBody;
    const mrr = body.metrics.find((m) => m.metric === 'mrr');
    expect(mrr?.latest).toMatchObject({ period: '2026-06', value: 1_095_472 });
    expect(mrr?.latest.source.document_name).toBe('northwind_metrics_2024-2026.csv');
    expect(mrr?.series).toHaveLength(24);
    const rd = body.metrics.find((m) => m.metric === 'research_development');
    expect(rd?.latest.source.document_name).toBe('northwind_pnl_fy2026.xlsx');
    const nrr = body.derived.find((d) => d.metric === 'nrr' && d.period === '2026-Q2');
    expect(nrr?.value).toBeCloseTo(102.11, 2);
    expect(nrr?.inputs.every((i) => i.source !== null)).toBe(true);
    expect(body.profile).toMatchObject({ arr: 13_145_664, arr_band: '$10-20M', latest_month: '2026-06' });
    const one = (await get(keyA, '/api/metrics?metric=customers')).json() as MetricsBody;
    expect(one.metrics.map((m) => m.metric)).toEqual(['customers']);
  });

  test('through the real document pipeline, the engine reproduces the Northwind answers', async () => {
    const data = await t.services.graph.getMetricData(tenantScope(t.dataDir, keyA));
    const expected: Array<[string, string, number, number]> = [
      ['mrr', '2026-06', 1_095_472, 0.5],
      ['arr', 'current', 13_145_664, 0.5],
      ['net_new_mrr', '2026-03', 44_975, 0.5],
      ['nrr', '2026-Q2', 102.11, 0.01],
      ['grr', 'ttm', 81.86, 0.01],
      ['logo_churn', '2026-05', 1.06, 0.01],
      ['cac_payback', '2026-Q2', 9.11, 0.01],
      ['burn_multiple', '2026-Q2', 0.442, 0.001],
      ['arr_growth_yoy', '2026-06', 85.25, 0.01],
      ['nrr', 'ttm', 113.27, 0.01],
      ['rule_of_40', 'ttm', 52.32, 0.01],
      ['quick_ratio', '2026-Q1', 6.505, 0.001],
      ['magic_number', '2026-Q2', 1.956, 0.001],
      ['customers', '2026-06', 516, 0],
      ['research_development', '2026-Q1', 1_534_000, 0],
      ['operating_income', '2026-Q2', -695_345, 0],
    ];
    for (const [metric, period, value, tol] of expected) {
      const r = computeMetric(data, metric, period);
      expect(r.ok ? Math.abs(r.value - value) <= tol : r.message, `${metric} ${period}`).toBe(true);
    }
    const worst = extreme(data, 'churned_mrr', 'highest', 'last_12_months');
    expect(worst.ok && worst.period).toBe('2026-05');
  });

  test('another tenant sees nothing of it', async () => {
    const body = (await get(keyB, '/api/metrics')).json() as MetricsBody;
    expect(body.metrics).toEqual([]);
    expect(body.derived).toEqual([]);
    expect(body.profile.arr).toBeNull();
  });

  test('needs a valid key; unknown query fields are refused', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/metrics' });
    expect(res.statusCode).toBe(401);
    expect((await get('nobody_AAAAAAAA', '/api/metrics')).statusCode).toBe(401);
    const bad = await get(keyA, `/api/metrics?tenant=${keyB}`);
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBe('invalid_request');
  });
});

describe('GET /api/graph', () => {
  test('summary: company, documents, metrics, and the benchmark nodes they link to', async () => {
    const body = (await get(keyA, '/api/graph')).json() as GraphBody;
    expect(body.mode).toBe('summary');
    const types = new Set(body.nodes.map((n) => n.type));
    expect(types).toEqual(
      new Set(['company', 'document', 'metric', 'benchmark', ...(types.has('fact') ? ['fact'] : [])]),
    );
    expect(body.nodes.find((n) => n.type === 'company')?.label).toBe('Northwind');
    expect(body.nodes.filter((n) => n.type === 'document')).toHaveLength(3);
    const ids = new Set(body.nodes.map((n) => n.id));
    expect(ids.has('metric:nrr')).toBe(true);
    const nrrBench = body.edges.filter((e) => e.source === 'metric:nrr' && e.type === 'has_benchmark');
    expect(nrrBench.length).toBeGreaterThan(0);
    expect(nrrBench.length).toBeLessThanOrEqual(3);
    for (const e of nrrBench) expect(ids.has(e.target)).toBe(true);
    const bench = body.nodes.find((n) => n.id === nrrBench[0]!.target)!;
    expect(bench.data.source).toMatchObject({ url: expect.stringMatching(/^https?:/) });
    expect(body.page.total_nodes).toBe(body.nodes.length);
  });

  test('full mode pages over the nodes', async () => {
    const first = (await get(keyA, '/api/graph?mode=full&limit=10')).json() as GraphBody;
    expect(first.nodes).toHaveLength(10);
    expect(first.page.total_nodes).toBeGreaterThan(10);
    const second = (await get(keyA, '/api/graph?mode=full&limit=10&offset=10')).json() as GraphBody;
    expect(second.nodes[0]?.id).not.toBe(first.nodes[0]?.id);
    const pageIds = new Set(second.nodes.map((n) => n.id));
    expect(second.edges.every((e) => pageIds.has(e.source) || pageIds.has(e.target))).toBe(true);
    expect((await get(keyA, '/api/graph?limit=5000')).statusCode).toBe(400);
  });

  test('another tenant sees only its own (empty) company', async () => {
    const body = (await get(keyB, '/api/graph?mode=full')).json() as GraphBody;
    expect(body.nodes.map((n) => n.type)).toEqual(['company']);
    expect(body.nodes[0]?.label).toBe('Other Co');
    expect(body.edges).toEqual([]);
  });
});

describe('GET /api/benchmarks', () => {
  test('every metric with sourced values; filter by metric and segment', async () => {
    const all = (await get(keyB, '/api/benchmarks')).json() as {
      metrics: Array<{
        id: string;
        benchmarks: Array<{ verified: boolean; source: { url: string }; segment: string }>;
      }>;
    };
    expect(all.metrics.reduce((n, m) => n + m.benchmarks.length, 0)).toBe(202);
    const nrr = (await get(keyB, '/api/benchmarks?metric=nrr&segment=smb')).json() as typeof all;
    expect(nrr.metrics.map((m) => m.id)).toEqual(['nrr']);
    expect(nrr.metrics[0]!.benchmarks.length).toBeGreaterThan(0);
    expect(nrr.metrics[0]!.benchmarks.every((b) => b.source.url.startsWith('http'))).toBe(true);
    expect(((await get(keyB, '/api/benchmarks?metric=nonsense')).json() as typeof all).metrics).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/benchmarks' })).statusCode).toBe(401);
  });

  test('the installed benchmark graph is the shipped one, untouched by tenant activity', async () => {
    const installed = await fs.promises.readFile(path.join(t.dataDir, '_global', 'seed_graph.json'), 'utf8');
    expect(installed).toBe(await fs.promises.readFile(SHIPPED_SEED_GRAPH, 'utf8'));
  });

  test('the benchmark graph cannot be written through the API', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = await t.asTenant(keyA, { method, url: '/api/benchmarks', payload: {} });
      expect([404, 405]).toContain(res.statusCode);
    }
  });
});

describe('deleting a document removes what came from it', () => {
  test('the P&L line items disappear from the tenant graph', async () => {
    const docs = (await get(keyA, '/api/documents')).json() as { documents: Array<{ id: string; name: string }> };
    const pnl = docs.documents.find((d) => d.name === 'northwind_pnl_fy2026.xlsx')!;
    expect((await t.asTenant(keyA, { method: 'DELETE', url: `/api/documents/${pnl.id}` })).statusCode).toBe(200);
    const body = (await get(keyA, '/api/metrics')).json() as MetricsBody;
    expect(body.metrics.some((m) => m.metric === 'research_development')).toBe(false);
    expect(body.metrics.some((m) => m.metric === 'mrr')).toBe(true);
    const graph = (await get(keyA, '/api/graph')).json() as GraphBody;
    expect(graph.nodes.some((n) => n.id === `document:${pnl.id}`)).toBe(false);
  });
});
