import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, test } from 'vitest';
import { computeMetric } from '../../src/graph/engine/compute.ts';
import { buildMetricData, type MetricData } from '../../src/graph/engine/data.ts';
import type { PeriodSpec } from '../../src/graph/engine/periods.ts';
import { extreme, trend } from '../../src/graph/engine/series.ts';
import { wideRowsPoints } from './fixture-loader.ts';

/**
 * A second company in another shape: months across the columns, other header words ("Beginning MRR",
 * "New Business", "Upsell", "Downgrades", "Cancellations", "Logos (BoP)", "Lost Logos", "S&M Expense",
 * "Burn", "FTEs"), no ending MRR (ARR for June only), no ending customers, no gross margin.
 * Every expected value below is worked out by hand from test/fixtures/graph/acme_wide_h1_2025.csv.
 */
let data: MetricData;
beforeAll(() => {
  const file = path.join(import.meta.dirname, '..', 'fixtures', 'graph', 'acme_wide_h1_2025.csv');
  const rows = (parse(fs.readFileSync(file, 'utf8')) as string[][]).map((r) => r.map((c) => (c === '' ? null : c)));
  data = buildMetricData(wideRowsPoints(rows, 'doc_acme', 'acme_wide_h1_2025.csv'));
});

const ok = (metric: string, period: PeriodSpec) => {
  const r = computeMetric(data, metric, period);
  if (!r.ok) throw new Error(r.message);
  return r;
};

describe('wide fixture, hand-computed', () => {
  test('headers map to the catalog', () => {
    for (const id of [
      'starting_mrr',
      'new_mrr',
      'expansion_mrr',
      'contraction_mrr',
      'churned_mrr',
      'customers_start',
      'new_customers',
      'churned_customers',
      'sales_marketing',
      'net_burn',
      'headcount',
      'cash',
      'arr',
      'item:aws_hosting',
    ]) {
      expect(data.series.has(id), id).toBe(true);
    }
    expect(data.latestMonth).toBe('2025-06');
  });

  test('movements, retention and ratios', () => {
    // Q2: new 12000+11000+14000, upsell 4000+3000+5000, downgrades 1000+2000+1000, cancellations 2000+4000+2000.
    expect(ok('net_new_mrr', '2025-Q2').value).toBe(37_000 + 12_000 - 4_000 - 8_000);
    expect(ok('nrr', '2025-Q2').value).toBe(100);
    expect(ok('grr', '2025-Q2').value).toBe(90.4);
    // H1: start 100000, expansion 19000, contraction 6500, churned 14500 → 98%.
    expect(ok('nrr', { from: '2025-01', to: '2025-06' }).value).toBe(98);
    expect(ok('quick_ratio', '2025-Q1').value).toBeCloseTo(34_000 / 9_000, 4);
    expect(ok('logo_churn', '2025-06').value).toBeCloseTo((2 / 70) * 100, 4);
    expect(ok('logo_churn', 'last_quarter').value).toBeCloseTo((3 / 61) * 100 + (1 / 61) * 100, 4);
    expect(ok('cac', '2025-Q2').value).toBeCloseTo(105_000 / 17, 2);
  });

  test('MRR comes from ARR / 12 or the next month’s beginning MRR when there is no ending-MRR row', () => {
    const june = ok('mrr', '2025-06');
    expect(june.value).toBe(162_000);
    expect(june.inputs[0]?.via).toBe('ARR / 12');
    const may = ok('arr', '2025-05');
    expect(may.value).toBe(146_000 * 12);
    expect(may.inputs[0]?.via).toBe('starting MRR of the next month');
    // Burn multiple Q2: 136000 / ((162000 − 125000) × 12) = 136000 / 444000.
    expect(ok('burn_multiple', '2025-Q2').value).toBeCloseTo(136_000 / 444_000, 4);
    // Magic number Q2: 444000 / Q1 S&M (30000 + 32000 + 31000).
    expect(ok('magic_number', '2025-Q2').value).toBeCloseTo(444_000 / 93_000, 4);
    expect(ok('arr_per_fte', 'latest').value).toBeCloseTo(1_944_000 / 23, 2);
    expect(ok('runway', 'latest').value).toBeCloseTo(1_764_000 / (136_000 / 3), 3);
  });

  test('missing inputs give "cannot compute, need X"', () => {
    const payback = computeMetric(data, 'cac_payback', '2025-Q2');
    expect(payback.ok).toBe(false);
    if (!payback.ok) {
      expect(payback.missing).toEqual([{ metric: 'gross_margin', periods: ['2025-04..2025-06'] }]);
      expect(payback.message).toBe('cannot compute CAC payback for Q2 2025: need Gross margin for 2025-04 to 2025-06');
    }
    const arpa = computeMetric(data, 'arpa', '2025-06');
    expect(!arpa.ok && arpa.message).toBe('cannot compute ARPA for June 2025: need Customers for June 2025');
    const growth = computeMetric(data, 'arr_growth_yoy', '2025-06');
    expect(!growth.ok && growth.missing).toEqual([{ metric: 'mrr', periods: ['2024-06'] }]);
    const r40 = computeMetric(data, 'rule_of_40', 'ttm');
    expect(r40.ok).toBe(false);
    expect(!r40.ok && r40.message).toContain('need MRR for June 2024');
    const nothing = computeMetric(data, 'item:office_rent', '2025-Q1');
    expect(!nothing.ok && nothing.message).toContain('no metric or line item');
    const badPeriod = computeMetric(data, 'nrr', 'next tuesday');
    expect(!badPeriod.ok && badPeriod.message).toContain('cannot read "next tuesday" as a period');
  });

  test('line items, series and extremes', () => {
    expect(ok('AWS hosting', '2025-Q2').value).toBe(4_500 + 4_700 + 4_900);
    expect(ok('item:aws_hosting', '2025-03').value).toBe(4_400);
    const t = trend(data, 'aws hosting', 'ytd');
    expect(t.ok && t.direction).toBe('up');
    expect(t.ok && t.avg_change).toBe(160);
    const worst = extreme(data, 'churned_mrr', 'highest', 'ytd');
    expect(worst.ok && worst.period).toBe('2025-05');
    const byQuarter = extreme(data, 'nrr', 'lowest', 'ytd', 'quarter');
    expect(byQuarter.ok && byQuarter.period).toBe('2025-Q1');
  });
});
