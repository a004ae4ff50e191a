import { describe, expect, it } from 'vitest';
import { lineItemId, metricForLabel } from '../../src/graph/catalog.ts';
import { nameOf } from '../../src/graph/engine/compute.ts';
import { buildMetricData } from '../../src/graph/engine/data.ts';

describe('header → metric', () => {
  it.each([
    ['ending_mrr', 'mrr'],
    ['Monthly Recurring Revenue (MRR)', 'mrr'],
    ['Recurring Revenue (Monthly)', 'mrr'],
    ['Beginning MRR', 'starting_mrr'],
    ['New Business', 'new_mrr'],
    ['Upsell', 'expansion_mrr'],
    ['Upgrades Revenue', 'expansion_mrr'],
    ['Downgrade Revenue', 'contraction_mrr'],
    ['Cancellations', 'churned_mrr'],
    ['Churned Revenue', 'churned_mrr'],
    ['Logos (BoP)', 'customers_start'],
    ['Lost Logos', 'churned_customers'],
    ['Churned Subscribers', 'churned_customers'],
    ['Paying Accounts', 'customers'],
    ['customers_end', 'customers'],
    ['S&M Expense', 'sales_marketing'],
    ['Marketing & Sales Costs', 'sales_marketing'],
    ['Research & Development', 'research_development'],
    ['Burn', 'net_burn'],
    ['FTEs', 'headcount'],
    ['Employees (FTE)', 'headcount'],
    ['Gross margin %', 'gross_margin'],
    ['Net Revenue Retention %', 'nrr'],
    ['Logo Churn %', 'logo_churn'],
    ['Revenue ($)', 'revenue'],
    // A bookkeeping P&L's section totals.
    ['Total Income', 'revenue'],
    ['Total Cost of Goods Sold', 'cost_of_revenue'],
    ['Total Cost of Sales', 'cost_of_revenue'],
    ['Net Operating Income', 'operating_income'],
  ])('%s → %s', (label, id) => {
    expect(metricForLabel(label)?.id).toBe(id);
  });

  it.each(['month', 'Line item', 'AWS hosting', 'Hosting costs', 'Notes', 'Total Other Income', 'Other Income'])(
    '%s is not a known metric',
    (label) => {
      expect(metricForLabel(label)).toBeUndefined();
    },
  );

  it('names other line items by their label', () => {
    expect(lineItemId('AWS hosting')).toBe('item:aws_hosting');
  });
});

describe('display names', () => {
  it('a line item keeps the label its document gave it', () => {
    const source = { document_id: 'doc_a', document_name: 'costs.csv', locator: 'row 2, column "Aug-25"' };
    const data = buildMetricData([
      { metric: 'item:aws_hosting', label: 'AWS hosting', period: '2025-08', value: 21199, unit: 'currency', source },
    ]);
    expect(nameOf('item:aws_hosting', data)).toBe('AWS hosting');
    expect(nameOf('item:aws_hosting')).toBe('aws hosting');
    expect(nameOf('mrr', data)).toBe('MRR');
  });
});
