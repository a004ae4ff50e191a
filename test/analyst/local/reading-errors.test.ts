import { describe, expect, it } from 'vitest';
import { createLocalEngine } from '../../../src/analyst/local/index.ts';
import { createToolPorts } from '../../../src/analyst/wiring.ts';
import type { DocumentService } from '../../../src/documents/service.ts';
import { buildMetricData } from '../../../src/graph/engine/data.ts';
import { outOfRange } from '../../../src/graph/engine/values.ts';
import type { GraphService } from '../../../src/graph/index.ts';
import type { TenantScope } from '../../../src/store/paths.ts';
import { fakeContext } from './fake-context.ts';

/**
 * A figure outside what its metric can be is a reading error (issue 11): the graph port withholds
 * it, and the analyst says what was read and why it cannot be right instead of stating it.
 */
describe('figures a metric cannot take', () => {
  it('knows the range of each bounded metric', () => {
    expect(outOfRange('grr', 104.2)).toMatch(/between 0% and 100%/);
    expect(outOfRange('grr', 97.1)).toBeUndefined();
    expect(outOfRange('logo_churn', -0.4)).toBeDefined();
    expect(outOfRange('logo_churn', 130)).toBeDefined();
    expect(outOfRange('logo_churn', 1.2)).toBeUndefined();
    expect(outOfRange('churned_mrr', -5000)).toBeDefined();
    expect(outOfRange('nrr', 131)).toBeUndefined();
    expect(outOfRange('net_burn', -20_000)).toBeUndefined();
    expect(outOfRange('item:marketing', -1)).toBeUndefined();
  });

  it('never states the impossible figure as the answer', async () => {
    const src = { document_id: 'doc_1', document_name: 'billing.csv', locator: 'row 4, column "churn"' };
    const value = {
      metric: 'grr',
      name: 'Gross revenue retention',
      unit: 'percent',
      period: '2026-Q2',
      value: null,
      problem: { code: 'reading_error', read: 104.2, message: 'gross revenue retention is between 0% and 100%' },
      formula: '(starting MRR − contraction − churned) / starting MRR',
      inputs: [{ metric: 'churned_mrr', name: 'Churned MRR', period: '2026-Q2', value: -4200, source: src }],
      missing: [],
      sources: [src],
    };
    const { ctx } = fakeContext({
      list_metrics: () => ({
        metrics: [
          {
            metric: 'mrr',
            name: 'MRR',
            unit: 'currency',
            kind: 'component',
            periods: ['2026-04', '2026-05', '2026-06'],
          },
        ],
        documents: [{ id: 'doc_1', name: 'billing.csv', status: 'ready', metrics: ['mrr'] }],
      }),
      compute_metric: () => ({ value, metric: { ...value, series: [] }, sources: [src] }),
      get_metric: () => {
        throw Object.assign(new Error('No data for "grr"'), { code: 'metric_not_found' });
      },
      query_table: () => {
        throw Object.assign(new Error('no such line'), { code: 'item_not_found' });
      },
      search_documents: () => ({ results: [], sources: [] }),
    });
    const r = await createLocalEngine().run({ message: 'What was GRR in Q2 2026?', history: [], ctx });
    expect(r.answer).toMatch(/^I can't compute a valid \*\*Gross revenue retention\*\* for Q2 2026/);
    expect(r.answer).toContain('cannot be right');
    expect(r.answer).not.toMatch(/\*\*Gross revenue retention in Q2 2026 was/);
  });

  it('withholds an impossible value at the graph port, keeping what was read and why', async () => {
    const src = { document_id: 'doc_1', document_name: 'billing.csv', locator: 'row 2' };
    const point = (metric: string, value: number, unit: 'currency' | 'count' = 'currency') => ({
      metric,
      label: metric,
      period: '2026-06',
      value,
      unit,
      source: src,
    });
    // Churned customers above the customers at the start: a logo churn above 100%.
    const data = buildMetricData([
      point('customers_start', 10, 'count'),
      point('churned_customers', 14, 'count'),
      point('customers', 3, 'count'),
      point('mrr', 5000),
    ]);
    const graph = { getMetricData: async () => data } as unknown as GraphService;
    const ports = createToolPorts({ documents: {} as unknown as DocumentService, graph });
    const scope = { tenantId: 'acme_TEST0001' } as unknown as TenantScope;
    const churn = await ports.graph.computeMetric(scope, 'logo_churn', '2026-06');
    expect(churn.value).toBeNull();
    expect(churn.problem?.code).toBe('reading_error');
    expect(churn.problem?.message).toMatch(/140(\.00)?%/);
    const mrr = await ports.graph.valueIn(scope, 'mrr', '2026-06');
    expect(mrr.value).toBe(5000);
    expect(mrr.problem).toBeUndefined();
  });
});
