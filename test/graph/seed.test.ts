import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { installSeedGraph, loadSeedGraph, openSeedGraph, SHIPPED_SEED_GRAPH } from '../../src/graph/seed.ts';
import { buildSeedGraph } from '../../src/graph/seed-build.ts';
import type { BenchmarkRow, SeedGraph } from '../../src/graph/seed-types.ts';
import { parseSegment } from '../../src/graph/segments.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const rows = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'data', 'benchmarks', 'saas_benchmarks.json'), 'utf8'),
) as BenchmarkRow[];
const shipped = JSON.parse(fs.readFileSync(SHIPPED_SEED_GRAPH, 'utf8')) as SeedGraph;

describe('the shipped seed graph', () => {
  test('is what the builder makes from the copied source (rebuild with npm run seed:build)', () => {
    const built = buildSeedGraph(rows);
    expect(built.hash).toBe(shipped.hash);
    expect(shipped.row_count).toBe(202);
    expect(shipped.benchmarks).toHaveLength(202);
  });

  test('every benchmark has a source and a verification tag; unverified rows are kept but flagged', () => {
    for (const b of shipped.benchmarks) {
      expect(b.source.publisher, b.id).toBeTruthy();
      expect(b.source.url, b.id).toMatch(/^https?:\/\//);
      expect(['verified-primary', 'verified-secondary', 'unverified']).toContain(b.verification);
    }
    const unverified = shipped.benchmarks.filter((b) => !b.verified);
    expect(unverified).toHaveLength(20);
    expect(unverified.every((b) => b.verification === 'unverified')).toBe(true);
  });

  test('metrics use catalog ids where the names match, slugs otherwise, with definitions and direction', () => {
    const byId = new Map(shipped.metrics.map((m) => [m.id, m]));
    expect(byId.get('nrr')?.source_names).toContain('Net revenue retention');
    expect(byId.get('nrr')?.higher_is_better).toBe(true);
    expect(byId.get('burn_multiple')?.higher_is_better).toBe(false);
    expect(byId.get('logo_churn')?.source_names).toEqual(['Logo churn (monthly)']);
    expect(byId.get('time_to_1m_arr')?.in_catalog).toBe(false);
    expect(byId.get('cac_payback')?.components).toEqual(['sales_marketing', 'new_mrr', 'gross_margin']);
    // Catalog metrics without benchmarks are still nodes (tenants' series link to them).
    expect(byId.get('mrr')?.in_catalog).toBe(true);
  });

  test('edges link metrics to benchmarks, benchmarks to segments and metrics to what they derive from', () => {
    const types = new Set(shipped.edges.map((e) => e.type));
    expect(types).toEqual(new Set(['has_benchmark', 'in_segment', 'derived_from']));
    const nrrBench = shipped.benchmarks.find((b) => b.metric === 'nrr')!;
    expect(shipped.edges).toContainEqual({ source: 'metric:nrr', target: nrrBench.id, type: 'has_benchmark' });
    expect(shipped.edges).toContainEqual({ source: nrrBench.id, target: nrrBench.segment, type: 'in_segment' });
    expect(shipped.edges).toContainEqual({ source: 'metric:nrr', target: 'metric:starting_mrr', type: 'derived_from' });
  });

  test('monthly and annual figures are told apart', () => {
    expect(shipped.benchmarks.filter((b) => b.metric === 'logo_churn').every((b) => b.basis === 'monthly')).toBe(true);
    expect(shipped.benchmarks.filter((b) => b.metric === 'nrr').every((b) => b.basis === 'annual')).toBe(true);
  });
});

describe('segment strings', () => {
  test.each([
    ['ARR $1-10M (BVP cloud portfolio)', { arr_min: 1e6, arr_max: 10e6 }],
    ['ARR >= $5M', { arr_min: 5e6 }],
    ['ARR < $1M (VC-backed)', { arr_max: 1e6, funding: 'venture', ownership: 'private' }],
    ['ARR $50M+ (BVP cloud portfolio)', { arr_min: 50e6 }],
    ['Mid-market (ACV $12-50K)', { acv_min: 12e3, acv_max: 50e3, size: 'mid_market' }],
    ['SMB (ACV < $12K)', { acv_max: 12e3, size: 'smb' }],
    ['Enterprise (ACV $50K+)', { acv_min: 50e3, size: 'enterprise' }],
    ['bootstrapped, ARR $3-20M', { arr_min: 3e6, arr_max: 20e6, funding: 'bootstrapped', ownership: 'private' }],
    ['public SaaS (Clouded Judgement universe)', { ownership: 'public' }],
    ['MRR $10-50K', { arr_min: 120e3, arr_max: 600e3 }],
    ['B2C subscription businesses', { market: 'b2c' }],
    ['all', {}],
  ])('%s', (label, facets) => {
    expect(parseSegment(label)).toEqual(facets);
  });
});

describe('install and load', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-seed-'));
  });
  afterEach(async () => {
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  test('installs when missing, leaves an identical copy alone, replaces an older one', async () => {
    const first = await installSeedGraph(dir);
    expect(first.installed).toBe(true);
    expect(first.file).toBe(path.join(dir, '_global', 'seed_graph.json'));
    expect((await installSeedGraph(dir)).installed).toBe(false);
    const older = { ...shipped, hash: 'old', benchmarks: [] };
    await fs.promises.writeFile(first.file, JSON.stringify(older));
    expect((await installSeedGraph(dir)).installed).toBe(true);
    const installed = JSON.parse(await fs.promises.readFile(first.file, 'utf8')) as SeedGraph;
    expect(installed.hash).toBe(shipped.hash);
    await fs.promises.writeFile(first.file, '{ torn');
    expect((await installSeedGraph(dir)).installed).toBe(true);
  });

  test('a missing shipped file is a clear error', async () => {
    await expect(installSeedGraph(dir, path.join(dir, 'nope.json'))).rejects.toThrow(/seed:build/);
  });

  test('loaded read-only: the graph cannot be changed by callers', async () => {
    const seed = await openSeedGraph(dir);
    expect(Object.isFrozen(seed)).toBe(true);
    expect(Object.isFrozen(seed.benchmarks[0])).toBe(true);
    expect(() => {
      (seed.benchmarks as SeedGraph['benchmarks']).push(seed.benchmarks[0]!);
    }).toThrow();
    expect(await loadSeedGraph(path.join(dir, '_global', 'seed_graph.json'))).toBe(seed);
  });
});
