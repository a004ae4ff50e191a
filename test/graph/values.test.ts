import { describe, expect, test } from 'vitest';
import { METRICS } from '../../src/graph/catalog.ts';
import { computeMetric, DERIVED_METRICS } from '../../src/graph/engine/compute.ts';
import { buildMetricData, type RankedPoint } from '../../src/graph/engine/data.ts';
import { compactMonths } from '../../src/graph/engine/values.ts';
import type { Unit } from '../../src/graph/types.ts';

const p = (
  metric: string,
  period: string,
  value: number,
  unit: Unit = 'currency',
  doc = 'doc_a',
  uploaded_at?: string,
): RankedPoint => ({
  metric,
  label: metric,
  period,
  value,
  unit,
  source: { document_id: doc, document_name: `${doc}.xlsx`, locator: `${metric} ${period}` },
  ...(uploaded_at ? { uploaded_at } : {}),
});

describe('component values over periods', () => {
  test('a year from quarter columns, a balance from the quarter that ends it', () => {
    const data = buildMetricData([
      ...['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'].map((q, i) => p('revenue', q, 100 + i)),
      p('customers', '2025-Q4', 80, 'count'),
      p('gross_margin', '2025-Q3', 70, 'percent'),
      p('gross_margin', '2025-Q4', 80, 'percent'),
    ]);
    expect(data.latestMonth).toBe('2025-12');
    const year = computeMetric(data, 'revenue', '2025');
    expect(year.ok && year.value).toBe(406);
    expect(year.ok && year.inputs[0]?.sources).toHaveLength(4);
    const h2 = computeMetric(data, 'revenue', { from: '2025-07', to: '2025-12' });
    expect(h2.ok && h2.value).toBe(205);
    const customers = computeMetric(data, 'customers', 'last_year');
    expect(customers.ok && customers.value).toBe(80);
    const gm = computeMetric(data, 'gross_margin', { from: '2025-07', to: '2025-12' });
    expect(gm.ok && gm.value).toBe(75);
    const partial = computeMetric(data, 'revenue', { from: '2025-02', to: '2025-04' });
    expect(!partial.ok && partial.missing).toEqual([{ metric: 'revenue', periods: ['2025-02..2025-04'] }]);
  });

  test('a balance from a fiscal-year column that ends in the asked month', () => {
    const data = buildMetricData([p('cash', 'FY2026', 5_000), p('headcount', 'FY2026', 30, 'count')], {
      fiscalStartMonth: 7,
    });
    expect(data.latestMonth).toBe('2026-06');
    const cash = computeMetric(data, 'cash', '2026-06');
    expect(cash.ok && cash.value).toBe(5_000);
    expect(computeMetric(data, 'cash', '2026-05').ok).toBe(false);
    const year = computeMetric(data, 'headcount', 'last_year');
    expect(year.ok && year.period).toBe('FY2026');
  });

  test('fiscal quarters that are no calendar quarters (a February year) answer their own months only', () => {
    const data = buildMetricData(
      [
        ...['FY2026-Q1', 'FY2026-Q2', 'FY2026-Q3', 'FY2026-Q4'].map((q, i) => p('revenue', q, 1_000 + i)),
        p('gross_margin', 'FY2026-Q3', 79.1, 'percent'),
        p('cash', 'FY2026-Q3', 14_720_000),
        p('cash', 'FY2026-Q2', 15_268_000),
      ],
      { fiscalStartMonth: 2 },
    );
    // Q3 FY2026 is August – October 2025, kept as those months with the reading said.
    const revenue = data.series.get('revenue')!;
    expect([...revenue.keys()]).toEqual([
      '2025-02..2025-04',
      '2025-05..2025-07',
      '2025-08..2025-10',
      '2025-11..2026-01',
    ]);
    expect(revenue.get('2025-08..2025-10')?.note).toBe(
      'Q3 FY2026 read as August 2025 – October 2025 (the fiscal year starts in February)',
    );
    expect(data.latestMonth).toBe('2026-01');
    const q3 = computeMetric(data, 'revenue', { quarter: 3, year: 2026, fiscal: true });
    expect(q3.ok && [q3.period, q3.value]).toEqual(['FY2026-Q3', 1_002]);
    const year = computeMetric(data, 'revenue', { year: 2026, fiscal: true });
    expect(year.ok && year.value).toBe(4_006);
    // A month inside the quarter, or a calendar quarter across two fiscal ones: not known.
    expect(computeMetric(data, 'gross_margin', '2025-09').ok).toBe(false);
    expect(computeMetric(data, 'revenue', '2025-Q3').ok).toBe(false);
    // A balance at the quarter's last month is the quarter-end figure; inside the quarter it is not known.
    const october = computeMetric(data, 'cash', '2025-10');
    expect(october.ok && october.value).toBe(14_720_000);
    expect(computeMetric(data, 'cash', '2025-08').ok).toBe(false);
    // The fall in cash over the quarter, from one quarter end to the next.
    const burn = computeMetric(data, 'net_burn', { quarter: 3, year: 2026, fiscal: true });
    expect(burn.ok && burn.value).toBe(548_000);
  });

  test('a mix of months and a quarter column in one range', () => {
    const data = buildMetricData([
      p('revenue', '2025-Q1', 300),
      p('revenue', '2025-04', 110),
      p('revenue', '2025-05', 120),
      p('revenue', '2025-06', 130),
    ]);
    const h1 = computeMetric(data, 'revenue', { from: '2025-01', to: '2025-06' });
    expect(h1.ok && h1.value).toBe(660);
  });

  test('ARR from MRR and MRR from ARR; starting balances from the previous month', () => {
    const data = buildMetricData([
      p('arr', '2026-01', 1_200_000),
      p('mrr', '2026-02', 110_000),
      p('customers', '2026-01', 40, 'count'),
      p('churned_customers', '2026-02', 2, 'count'),
      p('expansion_mrr', '2026-02', 5_000),
      p('contraction_mrr', '2026-02', 1_000),
      p('churned_mrr', '2026-02', 2_000),
    ]);
    expect(computeMetric(data, 'arr', '2026-02').ok && computeMetric(data, 'arr', '2026-02')).toMatchObject({
      value: 1_320_000,
    });
    const mrrJan = computeMetric(data, 'mrr', '2026-01');
    expect(mrrJan.ok && mrrJan.value).toBe(100_000);
    const nrr = computeMetric(data, 'nrr', '2026-02');
    expect(nrr.ok && nrr.value).toBe(102);
    expect(nrr.ok && nrr.inputs.find((i) => i.metric === 'arr')?.via).toBe('ending MRR of the previous month');
    const churn = computeMetric(data, 'logo_churn', '2026-02');
    expect(churn.ok && churn.value).toBe(5);
  });

  test('gross margin from gross profit and revenue; net burn from the fall in cash', () => {
    const data = buildMetricData([
      p('revenue', '2026-01', 1000),
      p('gross_profit', '2026-01', 750),
      p('cash', '2025-12', 10_000),
      p('cash', '2026-01', 9_400),
    ]);
    const gm = computeMetric(data, 'gross_margin', '2026-01');
    expect(gm.ok && gm.value).toBe(75);
    const burn = computeMetric(data, 'net_burn', '2026-01');
    expect(burn.ok && burn.value).toBe(600);
    const fcf = computeMetric(data, 'fcf_margin', '2026-01');
    expect(fcf.ok && fcf.value).toBe(-60);
  });

  test('the most recent upload wins a tie; the other is kept as "also"', () => {
    const data = buildMetricData([
      p('mrr', '2026-01', 1, 'currency', 'doc_old', '2026-01-01T00:00:00Z'),
      p('mrr', '2026-01', 2, 'currency', 'doc_new', '2026-02-01T00:00:00Z'),
    ]);
    const point = data.series.get('mrr')?.get('2026-01');
    expect(point?.value).toBe(2);
    expect(point?.also).toEqual([{ value: 1, source: expect.objectContaining({ document_id: 'doc_old' }) }]);
  });

  test('a derived value reported by a document is used only when it cannot be computed', () => {
    const data = buildMetricData([p('nrr', '2026-Q1', 111, 'percent')]);
    const r = computeMetric(data, 'nrr', '2026-Q1');
    expect(r.ok && r.value).toBe(111);
    expect(r.ok && r.formula).toBe('as reported in the document');
  });

  test('division by zero and a company that is not burning say so', () => {
    const data = buildMetricData([
      p('new_mrr', '2026-01', 100),
      p('expansion_mrr', '2026-01', 0),
      p('contraction_mrr', '2026-01', 0),
      p('churned_mrr', '2026-01', 0),
      p('cash', '2026-01', 1000),
      p('net_burn', '2026-01', -50),
    ]);
    const q = computeMetric(data, 'quick_ratio', '2026-01');
    expect(!q.ok && q.message).toBe(
      'cannot compute SaaS quick ratio for January 2026: contraction + churned MRR is zero',
    );
    const runway = computeMetric(data, 'runway', '2026-01');
    expect(!runway.ok && runway.message).toContain('not burning cash');
  });

  test('every derived metric of the catalog has a formula in the engine', () => {
    const derived = METRICS.filter((m) => m.kind === 'derived').map((m) => m.id);
    expect([...DERIVED_METRICS].sort()).toEqual([...derived].sort());
  });

  test('missing months are listed compactly', () => {
    expect(compactMonths(['2025-03', '2025-01', '2025-02', '2025-06'])).toEqual(['2025-01..2025-03', '2025-06']);
  });
});
