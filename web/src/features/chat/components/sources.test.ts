import { describe, expect, it } from 'vitest';
import type { Citation } from '../../../lib/api-types.ts';
import { cleanSourceText, cleanUrl, markCitations, numberSources, readableLocator } from './sources.ts';

const doc = (row: number, col: string): Citation => ({
  document_id: 'doc_1',
  document_name: 'northwind_metrics.csv',
  locator: `row ${row}, column "${col}"`,
});

const ANSWER = [
  '**Logo churn in May 2026 was 1.06%.**',
  '',
  '**How it was computed**',
  '- Churned customers (May 2026): 5 — northwind_metrics.csv, row 24, column "churned_customers"',
  '- Customers at start (May 2026): 472 — northwind_metrics.csv, row 24, column "customers_start"',
  '',
  '**Sources**',
  '- northwind_metrics.csv, row 24, column "churned_customers"',
  '- northwind_metrics.csv, row 24, column "customers_start"',
].join('\n');

describe('one numbered sources list', () => {
  it('numbers each source once, documents first, benchmarks after, duplicates dropped', () => {
    const sources = numberSources([
      doc(24, 'churned_customers'),
      { benchmark: true, publisher: 'ChartMogul', report: 'Churn report', year: 0, url: 'https://x.example//a//b' },
      doc(24, 'customers_start'),
      doc(24, 'churned_customers'),
    ]);
    expect(sources.map((s) => [s.n, s.kind, s.detail])).toEqual([
      [1, 'document', 'row 24 · churned customers'],
      [2, 'document', 'row 24 · customers start'],
      [3, 'benchmark', 'Churn report'],
    ]);
    const bench = sources[2];
    expect(bench?.kind === 'benchmark' ? bench.href : '').toBe('https://x.example/a/b');
  });

  it('replaces the sources named in the text by markers and drops the closing Sources list', () => {
    const sources = numberSources([doc(24, 'churned_customers'), doc(24, 'customers_start')]);
    const md = markCitations(ANSWER, sources);
    expect(md).toContain('472 [2](#source-2)');
    expect(md).toContain('5 [1](#source-1)');
    expect(md).not.toMatch(/\*\*Sources\*\*/);
    expect(md).not.toContain('northwind_metrics.csv');
    expect(md).toContain('**How it was computed**');
  });

  it('cleans raw column names, empty years and doubled slashes', () => {
    expect(readableLocator('row 25, column "ending_mrr"')).toBe('row 25 · ending mrr');
    expect(readableLocator('P&L FY2026!E8')).toBe('P&L FY2026!E8');
    expect(cleanSourceText('ChartMogul, Why churn matters (0)')).toBe('ChartMogul, Why churn matters');
    expect(cleanUrl('javascript:alert(1)')).toBe('');
  });
});
