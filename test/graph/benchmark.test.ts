import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compareToBenchmark, listBenchmarks, selectBenchmarks } from '../../src/graph/engine/benchmark.ts';
import { SHIPPED_SEED_GRAPH } from '../../src/graph/seed.ts';
import { buildSeedGraph } from '../../src/graph/seed-build.ts';
import type { BenchmarkRow, SeedGraph } from '../../src/graph/seed-types.ts';

const seed = JSON.parse(fs.readFileSync(SHIPPED_SEED_GRAPH, 'utf8')) as SeedGraph;

const src = (report: string, year = 2024) => ({ publisher: 'Pub', report, year, url: 'https://example.com/r' });
const row = (
  metric: string,
  segment: string,
  stat: string,
  value: number,
  extra: Partial<BenchmarkRow> = {},
): BenchmarkRow => ({
  metric,
  unit: '%',
  segment,
  stat,
  value,
  period: '2024',
  source: src('Survey'),
  notes: '[verified-primary] test row',
  ...extra,
});

const small = buildSeedGraph([
  row('Net revenue retention', 'ARR $1-5M', 'median', 100),
  row('Net revenue retention', 'ARR $1-5M', 'top_quartile', 110),
  row('Net revenue retention', 'ARR $1-5M', 'bottom_quartile', 92),
  row('Net revenue retention', 'ARR $10-20M', 'median', 104),
  row('Net revenue retention', 'ARR $10-20M', 'top_quartile', 115),
  row('Net revenue retention', 'ARR $10-20M', 'top_decile', 125),
  row('Net revenue retention', 'SMB', 'median', 90, { source: src('SMB study', 2023) }),
  row('Net revenue retention', 'all', 'median', 130, { notes: '[unverified] decoded' }),
  row('CAC payback', 'all', 'median', 16, { unit: 'months' }),
  row('CAC payback', 'all', 'top_quartile', 6, { unit: 'months' }),
  row('CAC payback', 'all', 'bottom_quartile', 24, { unit: 'months' }),
  row('Burn multiple', 'venture-stage startups', 'threshold', 1, { unit: 'x', source: src('Burn essay', 2020) }),
  row('Burn multiple', 'venture-stage startups', 'threshold', 2, { unit: 'x', source: src('Burn essay', 2020) }),
  row('Logo churn (monthly)', 'all', 'median', 3.5),
  row('Gross revenue retention', 'Mid-market (ACV $12-50K)', 'range_low', 80),
  row('Gross revenue retention', 'Mid-market (ACV $12-50K)', 'range_high', 90),
  row('ARR per FTE', 'ARR $5-20M', 'good', 150000, { unit: '$' }),
  row('ARR per FTE', 'ARR $5-20M', 'best', 250000, { unit: '$' }),
]);

describe('benchmark selection', () => {
  test('the ARR band decides which figures are used', () => {
    const r = compareToBenchmark(small, 'nrr', 113, { arr: 13_000_000 });
    expect(r.ok && r.reference.segment_label).toBe('ARR $10-20M');
    expect(r.ok && r.figures.every((f) => f.segment_label !== 'ARR $1-5M')).toBe(true);
    expect(r.ok && r.position).toBe('above_median');
    expect(r.ok && r.verdict).toBe('Net revenue retention of 113% is above the median (104%) — Pub 2024; ARR $10-20M.');
    expect(r.ok && r.band).toMatchObject({ median: 104, high: 115 });
    const early = compareToBenchmark(small, 'nrr', 113, { arr: 2_000_000 });
    expect(early.ok && early.position).toBe('top_quartile');
    expect(early.ok && early.reference.segment_label).toBe('ARR $1-5M');
  });

  test('an asked-for segment wins; an ARR band can be given as text', () => {
    const smb = compareToBenchmark(small, 'nrr', 91, { segment: 'smb' });
    expect(smb.ok && smb.reference.segment_label).toBe('SMB');
    expect(smb.ok && smb.position).toBe('in_line_with_median');
    const band = selectBenchmarks(small, 'nrr', { arrBand: '$1-5M' });
    expect(band.figures[0]?.segment_label).toBe('ARR $1-5M');
  });

  test('unverified figures are left out unless asked for', () => {
    const r = selectBenchmarks(small, 'nrr', {});
    expect(r.figures.some((f) => f.value === 130)).toBe(false);
    expect(r.excluded.unverified).toBe(1);
    expect(selectBenchmarks(small, 'nrr', { includeUnverified: true }).figures.some((f) => f.value === 130)).toBe(true);
  });

  test('monthly figures are not compared with annual values', () => {
    const annual = compareToBenchmark(small, 'logo_churn', 12, { basis: 'annual' });
    expect(annual.ok).toBe(false);
    expect(!annual.ok && annual.message).toContain('1 on another basis (monthly vs annual)');
    expect(compareToBenchmark(small, 'logo_churn', 1.1, { basis: 'monthly' }).ok).toBe(true);
  });

  test('lower-is-better metrics are placed the right way round', () => {
    const good = compareToBenchmark(small, 'cac_payback', 5, {});
    expect(good.ok && good.position).toBe('top_quartile');
    const ok = compareToBenchmark(small, 'cac_payback', 9.11, {});
    expect(ok.ok && ok.position).toBe('below_median');
    expect(ok.ok && ok.verdict).toContain('below the median, which is better (16 months)');
    const bad = compareToBenchmark(small, 'cac_payback', 30, {});
    expect(bad.ok && bad.position).toBe('below_bottom_quartile');
    const burn = compareToBenchmark(small, 'burn_multiple', 0.44, {});
    expect(burn.ok && burn.position).toBe('meets_threshold');
    expect(burn.ok && burn.verdict).toContain('meets the threshold (1x)');
    const burnBad = compareToBenchmark(small, 'burn_multiple', 2.5, {});
    expect(burnBad.ok && burnBad.position).toBe('misses_threshold');
  });

  test('ranges and good/better/best tiers', () => {
    const grr = compareToBenchmark(small, 'grr', 81.86, { acv: 25_000 });
    expect(grr.ok && grr.position).toBe('within_range');
    expect(grr.ok && grr.verdict).toContain('(from 80% to 90%)');
    expect(grr.ok && grr.band).toMatchObject({ low: 80, high: 90 });
    const fte = compareToBenchmark(small, 'arr_per_fte', 262_913, { arr: 13e6 });
    expect(fte.ok && fte.position).toBe('best');
    const fteLow = compareToBenchmark(small, 'arr_per_fte', 100_000, { arr: 13e6 });
    expect(fteLow.ok && fteLow.position).toBe('below_good');
  });

  test('a metric without benchmarks says so', () => {
    const r = compareToBenchmark(small, 'arpa', 2000, {});
    expect(r.ok).toBe(false);
    expect(compareToBenchmark(small, 'no_such', 1, {}).ok).toBe(false);
  });
});

describe('on the shipped benchmarks', () => {
  test('Northwind NRR over 12 months against private B2B SaaS figures of its size, sourced', () => {
    const r = compareToBenchmark(seed, 'nrr', 113.27, { arr: 13_145_664, acv: 25_476, basis: 'annual' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(['above_median', 'top_quartile', 'within_range', 'below_top_quartile']).toContain(r.position);
    expect(r.verdict).toMatch(/^Net revenue retention of 113\.3% is /);
    // Whatever set fits best, the verdict also places the value against a median.
    expect(r.verdict).toMatch(/above the median \(10\d%\)/);
    // Bootstrapped-only figures are used only when asked for.
    expect(r.figures.some((f) => /bootstrapped/.test(f.segment_label))).toBe(false);
    const boot = compareToBenchmark(seed, 'nrr', 113.27, { arr: 13_145_664, segment: 'bootstrapped', basis: 'annual' });
    expect(boot.ok && boot.reference.segment_label).toBe('bootstrapped, ARR $3-20M');
    expect(r.figures.every((f) => f.verified)).toBe(true);
    expect(r.figures[0]?.source.url).toMatch(/^https:/);
  });

  test('burn multiple: the strictest threshold band met, named as the source names it', () => {
    const r = compareToBenchmark(seed, 'burn_multiple', 0.442, {});
    expect(r.ok && r.verdict).toContain('meets the threshold (1x, "Amazing")');
    const weak = compareToBenchmark(seed, 'burn_multiple', 1.8, {});
    expect(weak.ok && weak.verdict).toContain('(2x, "Good")');
  });

  test('logo churn of a month compares with monthly figures only', () => {
    const r = compareToBenchmark(seed, 'logo_churn', 1.06, { basis: 'monthly', arr: 13e6 });
    expect(r.ok && r.figures.every((f) => f.basis === 'monthly')).toBe(true);
    expect(r.ok && r.higher_is_better).toBe(false);
  });

  test('ARR per FTE picks the company’s ARR band over other bands', () => {
    const r = selectBenchmarks(seed, 'arr_per_fte', { arr: 13e6 });
    expect(r.figures.length).toBeGreaterThan(0);
    for (const f of r.figures.slice(0, 3)) expect(f.segment_label).toMatch(/\$(10-20M|5-20M|1-30M)|< \$25M/);
    expect(r.excluded.segment).toBeGreaterThan(0);
  });

  test('listing filters by metric and by segment', () => {
    const all = listBenchmarks(seed);
    expect(all.reduce((n, m) => n + m.benchmarks.length, 0)).toBe(202);
    const nrr = listBenchmarks(seed, { metric: 'NRR' });
    expect(nrr.map((m) => m.metric.id)).toEqual(['nrr']);
    const smb = listBenchmarks(seed, { metric: 'nrr', segment: 'smb' });
    expect(smb[0]!.benchmarks.length).toBeGreaterThan(0);
    expect(
      smb[0]!.benchmarks.every(
        (b) => /smb|acv < \$12k/i.test(b.segment_label) || b.segment_label.toLowerCase().includes('small'),
      ),
    ).toBe(true);
    expect(listBenchmarks(seed, { metric: 'nonsense' })).toEqual([]);
  });
});
