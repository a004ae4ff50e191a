import { beforeAll, describe, expect, test } from 'vitest';
import { computeMetric } from '../../src/graph/engine/compute.ts';
import { buildMetricData, type MetricData } from '../../src/graph/engine/data.ts';
import { changeBetween, extreme, seriesFor, trend } from '../../src/graph/engine/series.ts';
import { northwindPoints } from './fixture-loader.ts';

/** Every figure of the Northwind evaluation (test/fixtures/northwind/questions.json), through the engine. */
let data: MetricData;
beforeAll(async () => {
  const { csv, xlsx } = await northwindPoints();
  data = buildMetricData([...csv, ...xlsx]);
});

const value = (metric: string, period: string) => {
  const r = computeMetric(data, metric, period);
  if (!r.ok) throw new Error(r.message);
  return r;
};

describe('Northwind expected answers', () => {
  test.each([
    ['mrr', '2026-06', 1_095_472, 0.5],
    ['arr', 'current', 13_145_664, 0.5],
    ['net_new_mrr', '2026-03', 44_975, 0.5],
    ['nrr', '2026-Q2', 102.11, 0.01],
    ['grr', 'last_12_months', 81.86, 0.01],
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
  ])('%s for %s = %d', (metric, period, expected, tol) => {
    expect(Math.abs(value(metric, period).value - expected)).toBeLessThanOrEqual(tol);
  });

  test('relative periods count from the latest month of the data (June 2026), not the clock', () => {
    expect(data.latestMonth).toBe('2026-06');
    expect(value('nrr', 'last_quarter').period).toBe('2026-Q2');
    expect(value('mrr', 'last_month').period).toBe('2026-06');
    expect(value('grr', 'ttm').period).toBe('2025-07..2026-06');
    expect(value('rule_of_40', 'latest').value).toBeCloseTo(52.32, 2);
  });

  test('the highest churned-MRR month of the last 12 months is May 2026', () => {
    const r = extreme(data, 'churned_mrr', 'highest', 'last_12_months');
    expect(r.ok && r.period).toBe('2026-05');
    expect(r.ok && r.value).toBe(8969);
    expect(r.ok && r.points).toHaveLength(12);
    const low = extreme(data, 'churned_mrr', 'lowest', 'last_12_months');
    expect(low.ok && low.period).toBe('2025-07');
  });

  test('a result carries its formula and inputs with the document and row they came from', () => {
    const r = value('nrr', '2026-Q2');
    expect(r.formula).toContain('starting MRR');
    const start = r.inputs.find((i) => i.metric === 'starting_mrr');
    expect(start?.value).toBe(942_678);
    expect(start?.source?.document_name).toBe('northwind_metrics_2024-2026.csv');
    expect(start?.source?.locator).toBe('row 23, column "starting_mrr"');
    const expansion = r.inputs.find((i) => i.metric === 'expansion_mrr');
    expect(expansion?.value).toBe(17_843 + 23_862 + 18_355);
    expect(expansion?.sources).toHaveLength(3);
  });

  test('a quarter given only by the P&L is answered from its quarter column', () => {
    const r = value('research_development', '2026-Q1');
    expect(r.inputs[0]?.source?.locator).toBe('P&L FY2026!D6');
    // A year of quarters: FY… columns Q3 2025–Q2 2026 sum to the trailing twelve months.
    expect(value('research_development', 'ttm').value).toBe(1_450_000 + 1_492_000 + 1_534_000 + 1_576_000);
    // Not enough quarters for calendar 2025: says which months are missing.
    const r2025 = computeMetric(data, 'research_development', '2025');
    expect(r2025.ok).toBe(false);
    expect(!r2025.ok && r2025.message).toContain('need R&D spend for 2025-01 to 2025-06');
  });

  test('monthly revenue and the P&L agree; the P&L quarter value is used for the quarter', () => {
    expect(value('revenue', '2026-Q2').value).toBe(3_075_065);
    expect(value('sales_marketing', '2026-Q1').value).toBe(937_585);
  });

  test('other derived metrics compute from the same data', () => {
    expect(value('arpa', '2026-06').value).toBeCloseTo(1_095_472 / 516, 2);
    expect(value('cac', '2026-Q2').value).toBeCloseTo(931_070 / (20 + 25 + 28), 2);
    expect(value('arr_per_fte', 'latest').value).toBeCloseTo(13_145_664 / 50, 2);
    expect(value('runway', 'latest').value).toBeCloseTo(2_057_442 / ((273_834 + 293_064 + 243_308) / 3), 3);
    expect(value('rd_pct_revenue', '2026-Q1').value).toBeCloseTo((1_534_000 / 2_652_166) * 100, 3);
    expect(value('gross_margin', '2026-Q2').value).toBeCloseTo((78 + 76.4 + 76.3) / 3, 3);
    expect(value('logo_churn', '2026-Q2').value).toBeCloseTo(((4 + 5 + 4) / 456) * 100, 3);
    expect(value('net_new_arr', '2026-Q2').value).toBe((1_095_472 - 942_678) * 12);
    const ltv = value('ltv', 'ttm');
    const cac = value('cac', 'ttm');
    expect(value('ltv_cac', 'ttm').value).toBeCloseTo(ltv.value / cac.value, 3);
  });

  test('series, trend and change questions', () => {
    const s = seriesFor(data, 'nrr', '2025', 'quarter');
    expect(s.ok && s.points.map((p) => p.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    const t = trend(data, 'mrr', 'last_12_months');
    expect(t.ok && t.direction).toBe('up');
    expect(t.ok && t.first.value).toBe(621_469);
    expect(t.ok && t.last.value).toBe(1_095_472);
    const c = changeBetween(data, 'customers', '2025-06', '2026-06');
    expect(c.ok && c.change).toBe(516 - 331);
    expect(c.ok && c.change_pct).toBeCloseTo(((516 - 331) / 331) * 100, 3);
    const yearly = trend(data, 'mrr', { from: '2024-07', to: '2026-06' }, 'quarter');
    expect(yearly.ok && yearly.cagr_pct).toBeCloseTo(((1_095_472 / 360_792) ** (12 / 21) - 1) * 100, 2);
  });

  test('metrics are found by name, synonym or line-item label', () => {
    expect(computeMetric(data, 'net revenue retention', '2026-Q2').ok).toBe(true);
    expect(computeMetric(data, 'NDR', '2026-Q2').ok).toBe(true);
    const gp = computeMetric(data, 'Gross profit', '2026-Q2');
    expect(gp.ok && gp.value).toBe(2_364_725);
  });
});
