import { describe, expect, it } from 'vitest';
import { describeStep, storedStep } from '../../src/analyst/steps.ts';

const TOOL_NAMES =
  /get_metric|compute_metric|change_between|query_records|list_metrics|search_documents|query_table|get_benchmark|compare_to_benchmark|remember_fact|\w+\(/;

describe('steps in words a partner reads', () => {
  it('tells a read of one period with its document and figure', () => {
    const call = describeStep({
      type: 'tool_call',
      id: 't1',
      name: 'get_metric',
      input: { metric: 'mrr', period: '2026-06' },
    });
    expect(call.summary).toBe('Reading MRR for June 2026');
    const result = describeStep({
      type: 'tool_result',
      id: 't1',
      name: 'get_metric',
      ok: true,
      duration_ms: 3,
      output: {
        value: { value: 1095472 },
        metric: { name: 'MRR', unit: 'currency', value: 1095472, period: '2026-06', series: [] },
        sources: [{ document_id: 'd', document_name: 'northwind_metrics.csv', locator: 'row 25' }],
      },
    });
    expect(result.summary).toBe('Read MRR for June 2026 from northwind_metrics.csv: $1,095,472');
    expect(result.name).toBe('get_metric'); // kept for API clients, never in the summary
  });

  /** A successful tool result of `name` with `output`, as the runtime emits it. */
  const resultOf = (name: string, output: unknown) =>
    describeStep({ type: 'tool_result', id: 't9', name, ok: true, duration_ms: 2, output });
  const source = (document_name: string) => [{ document_id: 'd', document_name, locator: 'row 7' }];

  it('writes an amount in the company’s currency', () => {
    const inEuros = resultOf('get_metric', {
      value: { value: 1095472 },
      metric: { name: 'MRR', unit: 'currency', currency: 'EUR', value: 1095472, period: '2026-06', series: [] },
      sources: source('umsatz.csv'),
    });
    expect(inEuros.summary).toBe('Read MRR for June 2026 from umsatz.csv: €1,095,472');
  });

  it('tells a change between two periods with both ends and the tool’s percent', () => {
    const change = resultOf('change_between', {
      from: { period: '2025-01', value: 40_000 },
      to: { period: '2025-06', value: 47_500 },
      change: 7_500,
      change_pct: 18.75,
      direction: 'up',
      metric: { name: 'MRR', unit: 'currency', currency: 'EUR', value: 47_500, period: '2025-06', series: [] },
      sources: source('kpis.csv'),
    });
    expect(change.summary).toBe(
      'MRR went from €40,000 in January 2025 to €47,500 in June 2025 (+18.75%), from kpis.csv',
    );
    const call = describeStep({
      type: 'tool_call',
      id: 't9',
      name: 'change_between',
      input: { metric: 'mrr', from: '2025-01', to: '2025-06' },
    });
    expect(call.summary).toBe('Comparing MRR from January 2025 to June 2025');
  });

  it('keeps percent points as they are (1.06 is 1.06%) and names a series by its range', () => {
    const computed = describeStep({
      type: 'tool_result',
      id: 't2',
      name: 'compute_metric',
      ok: true,
      duration_ms: 1,
      output: {
        value: { value: 1.0593 },
        metric: { name: 'Logo churn', unit: 'percent', value: 1.0593, period: '2026-05', series: [] },
        sources: [{ document_name: 'northwind_metrics.csv' }],
      },
    });
    expect(computed.summary).toBe('Worked out Logo churn for May 2026 from northwind_metrics.csv: 1.06%');
    const series = describeStep({
      type: 'tool_result',
      id: 't3',
      name: 'get_metric',
      ok: true,
      duration_ms: 1,
      output: {
        series: {},
        metric: {
          name: 'MRR',
          unit: 'currency',
          value: 2,
          period: '2026-02',
          series: [
            { period: '2026-01', value: 1 },
            { period: '2026-02', value: 2 },
          ],
        },
        sources: [{ document_name: 'a.csv' }, { document_name: 'b.xlsx' }],
      },
    });
    expect(series.summary).toBe('Read MRR for 2 periods, January 2026 to February 2026, from a.csv and b.xlsx');
  });

  it('never shows a tool name or its arguments, for any tool, success or failure', () => {
    for (const name of [
      'list_metrics',
      'search_documents',
      'query_table',
      'get_benchmark',
      'compare_to_benchmark',
      'remember_fact',
      'made_up_tool',
    ]) {
      const call = describeStep({
        type: 'tool_call',
        id: 'x',
        name,
        input: { metric: 'nrr', query: 'lease', item: 'AWS' },
      });
      const ok = describeStep({
        type: 'tool_result',
        id: 'x',
        name,
        ok: true,
        duration_ms: 1,
        output: { results: [], figures: [] },
      });
      const bad = describeStep({
        type: 'tool_result',
        id: 'x',
        name,
        ok: false,
        duration_ms: 1,
        output: { error: { code: 'metric_not_found', message: 'No data for "nrr".' } },
      });
      for (const s of [call, ok, bad]) expect(s.summary).not.toMatch(TOOL_NAMES);
    }
  });

  it('stores plans and results, not calls', () => {
    expect(storedStep({ type: 'tool_call', name: 'get_metric', summary: 'Reading MRR' })).toBeUndefined();
    expect(storedStep({ type: 'tool_result', name: 'get_metric', ok: false, summary: 'Could not read' })).toEqual({
      type: 'tool_result',
      summary: 'Could not read',
      ok: false,
    });
  });
});
