import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { DocumentRecord } from '../../src/documents/types.ts';
import { computeMetric } from '../../src/graph/engine/compute.ts';
import { fiscalStartFromText } from '../../src/graph/fiscal.ts';
import { createGraphService, type GraphService } from '../../src/graph/tenant-graph.ts';
import type { MetricPoint } from '../../src/graph/types.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { type TenantScope, tenantScope } from '../../src/store/paths.ts';
import { NORTHWIND, northwindPoints } from './fixture-loader.ts';

let root: string;
let graph: GraphService;
let scope: TenantScope;
let other: TenantScope;

const doc = (id: string, name: string, uploaded_at = '2026-07-01T10:00:00Z'): DocumentRecord => ({
  id,
  name,
  format: 'csv',
  content_type: 'text/csv',
  size: 1,
  sha256: id,
  status: 'ready',
  error: null,
  uploaded_at,
  processed_at: uploaded_at,
  pages: null,
  sheets: null,
  metrics: [],
  passages: 0,
});

const point = (metric: string, period: string, value: number, documentId: string, locator = 'row 2'): MetricPoint => ({
  metric,
  label: metric,
  period,
  value,
  unit: 'currency',
  source: { document_id: documentId, document_name: `${documentId}.csv`, locator },
});

beforeEach(async () => {
  root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-graph-'));
  graph = createGraphService({ config: { dataDir: root }, clock: fixedClock('2026-07-02T09:00:00Z') });
  scope = tenantScope(root, 'acme_corp_A1B2C3D4');
  other = tenantScope(root, 'beta_inc_E5F6G7H8');
});
afterEach(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
});

describe('tenant graph', () => {
  test('Northwind documents in → profile, series, derived values and edges to seed metrics', async () => {
    const { csv, xlsx } = await northwindPoints();
    await graph.addDocument(scope, doc('doc_csv', 'northwind_metrics_2024-2026.csv'), csv, []);
    await graph.addDocument(scope, doc('doc_xlsx', 'northwind_pnl_fy2026.xlsx'), xlsx, [
      { text: 'Profit and loss, fiscal year 2026.', locator: 'P&L FY2026!A1' },
    ]);
    const state = await graph.getState(scope);
    expect(state.profile).toMatchObject({
      arr: 13_145_664,
      arr_band: '$10-20M',
      segment: 'mid_market',
      latest_month: '2026-06',
    });
    expect(state.profile.fiscal_year_start_month).toBeNull();
    expect(Object.keys(state.documents).sort()).toEqual(['doc_csv', 'doc_xlsx']);
    expect(state.series.mrr).toHaveLength(24);
    const nrrTtm = state.derived.find((d) => d.metric === 'nrr' && d.period === '2025-07..2026-06');
    expect(nrrTtm?.value).toBeCloseTo(113.27, 2);
    expect(nrrTtm?.inputs[0]?.source?.document_id).toBe('doc_csv');
    expect(state.edges).toContainEqual({ source: 'company', target: 'metric:mrr', type: 'reports' });
    expect(state.edges).toContainEqual({ source: 'company', target: 'metric:nrr', type: 'derives' });
    const data = await graph.getMetricData(scope);
    const q2 = computeMetric(data, 'operating_income', '2026-Q2');
    expect(q2.ok && q2.value).toBe(-695_345);
    // Nothing leaks to another tenant.
    expect(Object.keys((await graph.getState(other)).series)).toEqual([]);
    expect(fs.existsSync(other.graphFile)).toBe(false);
  });

  test('re-adding a document replaces its points; removing it removes everything from it', async () => {
    await graph.addDocument(
      scope,
      doc('doc_a', 'a.csv'),
      [point('mrr', '2026-01', 100, 'doc_a'), point('mrr', '2026-02', 110, 'doc_a')],
      [],
    );
    await graph.addDocument(scope, doc('doc_a', 'a.csv'), [point('mrr', '2026-01', 101, 'doc_a')], []);
    let state = await graph.getState(scope);
    expect(state.series.mrr?.map((p) => [p.period, p.value])).toEqual([['2026-01', 101]]);
    await graph.rememberFact(scope, {
      subject: 'Contoso Retail',
      predicate: 'is',
      object: 'largest customer',
      source: { document_id: 'doc_a', document_name: 'a.csv', locator: 'line 3' },
    });
    await graph.removeDocument(scope, 'doc_a');
    state = await graph.getState(scope);
    expect(state.series).toEqual({});
    expect(state.documents).toEqual({});
    expect(state.facts).toEqual([]);
    expect(state.profile.arr).toBeNull();
  });

  test('two documents with the same metric and period: both kept, the most recent upload preferred', async () => {
    await graph.addDocument(
      scope,
      doc('doc_new', 'new.csv', '2026-07-02T08:00:00Z'),
      [point('mrr', '2026-06', 2000, 'doc_new')],
      [],
    );
    await graph.addDocument(
      scope,
      doc('doc_old', 'old.csv', '2026-06-01T08:00:00Z'),
      [point('mrr', '2026-06', 1000, 'doc_old')],
      [],
    );
    const state = await graph.getState(scope);
    expect(state.series.mrr).toHaveLength(2);
    const data = await graph.getMetricData(scope);
    const p = data.series.get('mrr')?.get('2026-06');
    expect(p?.value).toBe(2000);
    expect(p?.also?.[0]?.source.document_id).toBe('doc_old');
    await graph.removeDocument(scope, 'doc_new');
    expect((await graph.getMetricData(scope)).series.get('mrr')?.get('2026-06')?.value).toBe(1000);
  });

  test('concurrent ingestion into one tenant loses nothing', async () => {
    const n = 12;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        graph.addDocument(
          scope,
          doc(`doc_${i}`, `d${i}.csv`),
          [point('new_mrr', `2025-${String(i + 1).padStart(2, '0')}`, 1000 + i, `doc_${i}`)],
          [],
        ),
      ),
    );
    const state = await graph.getState(scope);
    expect(Object.keys(state.documents)).toHaveLength(n);
    expect(state.series.new_mrr).toHaveLength(n);
    const data = await graph.getMetricData(scope);
    const year = computeMetric(data, 'new_mrr', '2025');
    expect(year.ok && year.value).toBe(Array.from({ length: n }, (_, i) => 1000 + i).reduce((a, b) => a + b, 0));
  });

  test('a corrupt graph file is an error naming its path, never silently reset', async () => {
    await fs.promises.mkdir(scope.dir, { recursive: true });
    await fs.promises.writeFile(scope.graphFile, '{ not json');
    await expect(graph.getState(scope)).rejects.toThrow(scope.graphFile);
    await expect(graph.addDocument(scope, doc('doc_a', 'a.csv'), [], [])).rejects.toThrow(scope.graphFile);
    expect(await fs.promises.readFile(scope.graphFile, 'utf8')).toBe('{ not json');
  });

  test('remembered facts are kept once, with their source, and validated', async () => {
    const source = { conversation: 'ses_abcdef123456', turn: 2 };
    const f1 = await graph.rememberFact(scope, {
      subject: 'Board',
      predicate: 'meets on',
      object: '2026-08-14',
      source,
    });
    const f2 = await graph.rememberFact(scope, {
      subject: 'board',
      predicate: 'Meets on',
      object: '2026-08-14',
      source,
    });
    expect(f2.id).toBe(f1.id);
    expect(f1.created_at).toBe('2026-07-02T09:00:00Z');
    expect((await graph.getState(scope)).facts).toHaveLength(1);
    await expect(graph.rememberFact(scope, { subject: ' ', predicate: 'x', object: 'y', source })).rejects.toThrow(
      /subject/,
    );
  });

  test('a stated fiscal year start makes "last quarter" fiscal', async () => {
    await graph.addDocument(
      scope,
      doc('doc_a', 'a.csv'),
      ['2026-04', '2026-05', '2026-06'].map((m) => point('revenue', m, 100, 'doc_a', m)),
      [{ text: 'Our fiscal year starts on July 1.', locator: 'line 1' }],
    );
    const state = await graph.getState(scope);
    expect(state.profile.fiscal_year_start_month).toBe(7);
    const r = computeMetric(await graph.getMetricData(scope), 'revenue', 'last_quarter');
    expect(r.ok && r.period).toBe('FY2026-Q4');
    await graph.removeDocument(scope, 'doc_a');
    expect((await graph.getState(scope)).profile.fiscal_year_start_month).toBeNull();
    await graph.updateProfile(scope, { fiscal_year_start_month: 4 }, { conversation: 'ses_abcdef123456', turn: 1 });
    expect((await graph.getState(scope)).profile.fiscal_year_start_month).toBe(4);
    await expect(graph.updateProfile(scope, { fiscal_year_start_month: 13 })).rejects.toThrow(/1–12/);
  });

  test('plain statements in a document become sourced facts, removed with the document', async () => {
    const board = fs.readFileSync(path.join(NORTHWIND, 'northwind_board_update_q2_2026.md'), 'utf8');
    const blocks = board
      .split('\n')
      .filter((l) => l.startsWith('- '))
      .map((text, i) => ({ text, locator: `line ${i + 1}` }));
    await graph.addDocument(scope, doc('doc_md', 'board.md'), [], blocks);
    const facts = (await graph.getState(scope)).facts;
    const largest = facts.find((f) => f.predicate === 'largest customer');
    expect(largest?.object).toBe('Contoso Retail at $18,400 MRR, after an expansion in May');
    expect(largest?.source).toMatchObject({ document_id: 'doc_md', document_name: 'board.md' });
    expect(facts.find((f) => f.predicate === 'next board meeting')?.object).toBe('on 2026-08-14 in Seattle');
    expect(facts.find((f) => f.predicate === 'top churn reason in q2')?.object).toContain('budget cuts');
    await graph.removeDocument(scope, 'doc_md');
    expect((await graph.getState(scope)).facts).toEqual([]);
  });

  test.each([
    ['Our fiscal year starts on July 1.', 7],
    ['The fiscal year begins in February', 2],
    ['FY runs from April to March', 4],
    ['fiscal year ending June 30, 2026', 7],
    ['fiscal year ends in December', 1],
    ['We grew fast this year.', undefined],
  ])('fiscal start from "%s"', (text, month) => {
    expect(fiscalStartFromText(text)).toBe(month);
  });
});
