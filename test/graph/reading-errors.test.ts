import { describe, expect, it } from 'vitest';
import { computeMetric, implausible } from '../../src/graph/engine/compute.ts';
import { buildMetricData } from '../../src/graph/engine/data.ts';
import type { MetricPoint } from '../../src/graph/types.ts';

/** Issue 11 item 7: a figure outside what its metric can be is a reading error, never the answer. */
const src = { document_id: 'doc_x', document_name: 'kpis.csv', locator: 'row 2' };
const pt = (metric: string, period: string, value: number, unit: MetricPoint['unit'] = 'currency'): MetricPoint => ({
  metric,
  label: metric,
  period,
  value,
  unit,
  source: src,
});

describe('reading errors', () => {
  it('refuses a gross retention above 100% (a loss read with the wrong sign) and says why', () => {
    // Mixed signs the extractor leaves alone (mostly positive): one month's churn is negative.
    const data = buildMetricData([
      pt('starting_mrr', '2026-01', 100_000),
      pt('contraction_mrr', '2026-01', 500),
      pt('churned_mrr', '2026-01', -3_000),
    ]);
    const grr = computeMetric(data, 'grr', '2026-01');
    expect(grr.ok).toBe(false);
    expect(!grr.ok && grr.problem).toBe('implausible');
    expect(!grr.ok && grr.message).toMatch(
      /Churned MRR for January 2026 is -3000 \(kpis\.csv, row 2\), and it cannot be negative/,
    );
  });

  it('refuses a logo churn above 100% and a negative customer count', () => {
    const data = buildMetricData([
      pt('customers_start', '2026-02', 40, 'count'),
      pt('churned_customers', '2026-02', 55, 'count'),
      pt('customers', '2026-03', -4, 'count'),
    ]);
    const logo = computeMetric(data, 'logo_churn', '2026-02');
    expect(!logo.ok && logo.message).toMatch(/logo churn came out at 137\.50%, and it can only be between 0% and 100%/);
    const customers = computeMetric(data, 'customers', '2026-03');
    expect(!customers.ok && customers.problem).toBe('implausible');
  });

  it('still answers plausible figures, a contraction-heavy month included', () => {
    const data = buildMetricData([
      pt('starting_mrr', '2026-01', 100_000),
      pt('expansion_mrr', '2026-01', 0),
      pt('contraction_mrr', '2026-01', 20_000),
      pt('churned_mrr', '2026-01', 5_000),
    ]);
    const nrr = computeMetric(data, 'nrr', '2026-01');
    expect(nrr.ok && nrr.value).toBe(75);
    expect(implausible('grr', 1, [])).toBeUndefined();
    expect(implausible('grr', 1.0001, [])).toMatch(/between 0% and 100%/);
    expect(implausible('nrr', 1.4, [])).toBeUndefined();
  });

  it('falls back from an impossible computed value to a plausible reported one', () => {
    const data = buildMetricData([
      pt('starting_mrr', '2026-01', 100_000),
      pt('contraction_mrr', '2026-01', -9_000),
      pt('churned_mrr', '2026-01', 1_000),
      pt('churned_mrr', '2026-02', 1_000),
      pt('grr', '2026-01', 97.5, 'percent'),
    ]);
    const grr = computeMetric(data, 'grr', '2026-01');
    expect(grr.ok && grr.value).toBe(97.5);
    expect(grr.ok && grr.note).toBe('not computed: the computed value was a reading error');
  });

  it('reads logo churn of a quarter from quarterly customer counts (customers at the end of the quarter before)', () => {
    const data = buildMetricData([
      pt('customers', '2025-Q1', 400, 'count'),
      pt('customers', '2025-Q2', 410, 'count'),
      pt('churned_customers', '2025-Q2', 30, 'count'),
    ]);
    const logo = computeMetric(data, 'logo_churn', '2025-Q2');
    expect(logo.ok && logo.value).toBe(7.5);
    // Customers at the start of Q2 are the customers at the end of Q1 (the closing balance before it).
    expect(logo.ok && logo.inputs.find((i) => i.metric === 'customers')?.via).toBe('the closing balance of 2025-Q1');
  });
});

describe('two documents giving the same metric and period', () => {
  const at = (doc: string, label: string, value: number, uploaded_at: string) => ({
    ...pt('revenue', '2025-03', value),
    label,
    source: { document_id: doc, document_name: `${doc}.csv`, locator: 'row 2' },
    uploaded_at,
  });
  it('in one batch: the line that names the metric wins, whatever the upload order or ids', () => {
    for (const [x, y] of [
      ['2026-01-01T10:00:00.001Z', '2026-01-01T10:00:00.900Z'],
      ['2026-01-01T10:00:00.900Z', '2026-01-01T10:00:00.001Z'],
    ] as const) {
      const data = buildMetricData([at('zz_pnl', 'Revenue', 100, x), at('aa_billing', 'Subscription revenue', 90, y)]);
      expect(data.series.get('revenue')?.get('2025-03')?.value).toBe(100);
    }
  });
  it('uploaded later (a corrected file): the later one wins', () => {
    const data = buildMetricData([
      at('pnl', 'Revenue', 100, '2026-01-01T10:00:00Z'),
      at('pnl_v2', 'Revenue', 105, '2026-01-03T10:00:00Z'),
    ]);
    expect(data.series.get('revenue')?.get('2025-03')?.value).toBe(105);
  });
});

describe('a period outside the data', () => {
  it('says the data starts later, never a figure', () => {
    const data = buildMetricData([pt('mrr', '2025-04', 100), pt('mrr', '2025-05', 110)]);
    const r = computeMetric(data, 'mrr', '2019-03');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/March 2019 is before the data starts: the documents begin in April 2025/);
  });
});

describe('opening balances', () => {
  it('give the balance at the end of the period before, for quarters too', () => {
    const data = buildMetricData([
      pt('starting_mrr', '2025-Q1', 100_000),
      pt('starting_mrr', '2025-Q2', 120_000),
      pt('customers_start', '2025-Q2', 410, 'count'),
      pt('mrr', '2025-Q3', 150_000),
    ]);
    const q1 = computeMetric(data, 'mrr', '2025-Q1');
    expect(q1.ok && q1.value).toBe(120_000);
    expect(q1.ok && q1.inputs[0]?.via).toBe('the opening balance of 2025-Q2');
    const customers = computeMetric(data, 'customers', '2025-Q1');
    expect(customers.ok && customers.value).toBe(410);
    // The opening MRR of Q4 is the closing MRR of Q3.
    const open = computeMetric(data, 'starting_mrr', '2025-Q4');
    expect(open.ok && open.value).toBe(150_000);
    // Nothing after Q2's opening balance: Q2's own closing MRR is not known.
    expect(computeMetric(data, 'mrr', '2025-Q2').ok).toBe(false);
  });
});
