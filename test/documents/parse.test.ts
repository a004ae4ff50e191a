import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractMetrics } from '../../src/documents/extract-metrics.ts';
import { parseDocument } from '../../src/documents/parse/index.ts';
import { pageBlocks } from '../../src/documents/parse/pdf.ts';
import { cellLocator } from '../../src/documents/tables/locate.ts';
import type { DocumentFormat } from '../../src/documents/types.ts';
import type { MetricPoint } from '../../src/graph/types.ts';
import { makeDocx, makePdf, makeXlsx } from './fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-parse-'));
});
afterAll(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function parse(name: string, content: Buffer | string, format: DocumentFormat) {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, content);
  const parsed = await parseDocument(file, format);
  const points = extractMetrics(parsed, { document_id: 'doc_test01', document_name: name });
  return { parsed, points };
}

const find = (points: MetricPoint[], metric: string, period: string) =>
  points.find((p) => p.metric === metric && p.period === period);

describe('CSV', () => {
  it('reads a semicolon CSV with synonyms, currency, parentheses negatives and percents', async () => {
    const csv = [
      'Period;Beginning MRR;New Business;Upsell;Downgrades;Cancellations;Logos (BoP);Lost Logos;S&M Expense;Burn;FTEs;Gross margin;AWS hosting',
      'Mar 2026;"$100,000";$5,000;$2k;(1,200);$800;200;3;"$45,000";$120k;40;78.2%;$9,950',
      'April 2026;"$104,000";$6,000;$1.5k;(900);$700;205;2;"$47,500";$0.11M;42;79%;$10,400',
    ].join('\n');
    const { parsed, points } = await parse('kpis.csv', csv, 'csv');
    const table = parsed.tables[0]!;
    expect(table.orientation).toBe('long');
    expect(table.columnTypes[0]).toBe('period');
    expect(table.columnTypes[1]).toBe('currency');
    expect(table.columnTypes[11]).toBe('percent');
    expect(find(points, 'starting_mrr', '2026-03')?.value).toBe(100000);
    expect(find(points, 'new_mrr', '2026-04')?.value).toBe(6000);
    expect(find(points, 'expansion_mrr', '2026-03')?.value).toBe(2000);
    // Downgrades written in parentheses are still contraction: read as the amount lost, and said so.
    expect(find(points, 'contraction_mrr', '2026-03')?.value).toBe(1200);
    expect(find(points, 'contraction_mrr', '2026-03')?.note).toMatch(/written as negative numbers/);
    expect(find(points, 'churned_mrr', '2026-03')?.note).toBeUndefined();
    expect(find(points, 'churned_mrr', '2026-03')?.value).toBe(800);
    expect(find(points, 'customers_start', '2026-04')?.value).toBe(205);
    expect(find(points, 'churned_customers', '2026-03')?.value).toBe(3);
    expect(find(points, 'sales_marketing', '2026-04')?.value).toBe(47500);
    expect(find(points, 'net_burn', '2026-04')?.value).toBe(110000);
    expect(find(points, 'headcount', '2026-04')?.value).toBe(42);
    expect(find(points, 'gross_margin', '2026-03')).toMatchObject({ value: 78.2, unit: 'percent' });
    const aws = find(points, 'item:aws_hosting', '2026-04');
    expect(aws).toMatchObject({ label: 'AWS hosting', value: 10400 });
    expect(aws?.source.locator).toBe('row 3, column "AWS hosting"');
  });

  it('reads a TSV and finds the header below title rows', async () => {
    const tsv = [
      'Acme metrics export',
      'generated for the board',
      '',
      'Month\tMRR\tCustomers',
      '2026-01\t1000\t10',
      '2026-02\t1100\t11',
    ].join('\n');
    const { parsed, points } = await parse('m.tsv', tsv, 'tsv');
    expect(parsed.tables[0]!.title).toBe('Acme metrics export · generated for the board');
    expect(parsed.tables[0]!.header).toEqual(['Month', 'MRR', 'Customers']);
    expect(find(points, 'mrr', '2026-02')).toMatchObject({ value: 1100, source: { locator: 'row 5, column "MRR"' } });
    expect(find(points, 'customers', '2026-01')?.value).toBe(10);
  });

  it('refuses a row with too many columns and a giant line', async () => {
    await expect(
      parse('wide.csv', `${Array.from({ length: 1500 }, (_, i) => `c${i}`).join(',')}\n`, 'csv'),
    ).rejects.toMatchObject({
      status: 422,
      code: 'too_many_columns',
    });
    await expect(parse('long.csv', `a,b\n"${'x'.repeat(1_100_000)}",1\n`, 'csv')).rejects.toMatchObject({
      status: 422,
      code: 'line_too_long',
    });
  });
});

describe('XLSX', () => {
  it('types every sheet: title rows, date serials, percent and currency formats, formulas, wide dates', async () => {
    const { parsed, points } = await parse('book.xlsx', await makeXlsx(), 'xlsx');
    expect(parsed.sheets).toEqual(['KPIs', 'P&L', 'Notes']);
    const kpi = parsed.tables.find((t) => t.sheet === 'KPIs')!;
    expect(kpi.locator).toBe('KPIs!A4:E7');
    expect(kpi.title).toBe('Acme Corp — monthly KPIs · Prepared by finance');
    expect(kpi.orientation).toBe('long');
    expect(kpi.columnTypes).toEqual(['period', 'currency', 'percent', 'number', 'number']);
    expect(find(points, 'mrr', '2026-02')).toMatchObject({ value: 104500, source: { locator: 'KPIs!B6' } });
    expect(find(points, 'gross_margin', '2026-01')).toMatchObject({
      value: 78.2,
      unit: 'percent',
      source: { locator: 'KPIs!C5' },
    });
    expect(find(points, 'new_customers', '2026-03')?.value).toBe(7);
    expect(find(points, 'item:total', '2026-03')?.value).toBe(110257);
    const pl = parsed.tables.find((t) => t.sheet === 'P&L')!;
    expect(pl.orientation).toBe('wide');
    expect(find(points, 'item:aws_hosting', '2026-02')).toMatchObject({ value: 13100, source: { locator: 'P&L!C2' } });
    expect(find(points, 'research_development', '2026-03')?.value).toBe(155000);
    expect(parsed.blocks).toEqual([{ text: 'Numbers are unaudited.', locator: 'Notes!A1' }]);
  });

  it('reads the Northwind P&L: R&D and operating income per quarter, with cell locators', async () => {
    const bytes = await fs.promises.readFile(path.join(__dirname, '../fixtures/northwind/northwind_pnl_fy2026.xlsx'));
    const { parsed, points } = await parse('northwind_pnl_fy2026.xlsx', bytes, 'xlsx');
    expect(find(points, 'research_development', '2026-Q1')).toMatchObject({
      value: 1534000,
      source: { locator: 'P&L FY2026!D6' },
    });
    expect(find(points, 'operating_income', '2026-Q2')).toMatchObject({
      value: -695345,
      source: { locator: 'P&L FY2026!E8' },
    });
    const table = parsed.tables[0]!;
    expect(cellLocator(table, 5, 3)).toBe('P&L FY2026!D7');
  });
});

describe('text formats', () => {
  it('Markdown: headings, paragraphs, list items and a pipe table', async () => {
    const md = [
      '# Board update',
      '',
      'We had a **strong** quarter.',
      '',
      '## Highlights',
      '- Closed Contoso Retail',
      '- Hired 3 engineers',
      '',
      '| Metric | Q1 2026 | Q2 2026 |',
      '|---|---:|---:|',
      '| ARR | $12.1M | $13.4M |',
      '| Net burn | (1.2M) | 900k |',
    ].join('\n');
    const { parsed, points } = await parse('update.md', md, 'md');
    expect(parsed.blocks.map((b) => [b.locator, b.text])).toEqual([
      ['Board update ¶1', 'We had a strong quarter.'],
      ['Highlights ¶1', 'Closed Contoso Retail'],
      ['Highlights ¶2', 'Hired 3 engineers'],
    ]);
    expect(parsed.tables[0]!.locator).toBe('Highlights table 1');
    // ARR is read as the MRR it is twelve times of (so the graph has one recurring-revenue series), and says so.
    const arr = find(points, 'mrr', '2026-Q2');
    expect(arr).toMatchObject({ source: { locator: 'Highlights table 1, row 2, column "Q2 2026"' } });
    expect(arr!.value * 12).toBeCloseTo(13_400_000, 3);
    expect(arr!.note).toContain('ARR ÷ 12');
    expect(find(points, 'net_burn', '2026-Q1')?.value).toBe(-1200000);
  });

  it('plain text: paragraphs located by line', async () => {
    const { parsed } = await parse('notes.txt', 'First line\nsecond line\n\n\nThird paragraph', 'txt');
    expect(parsed.blocks).toEqual([
      { text: 'First line second line', locator: 'line 1' },
      { text: 'Third paragraph', locator: 'line 5' },
    ]);
  });

  it('JSON: arrays of objects become tables, scalars become blocks', async () => {
    const json = JSON.stringify({
      company: 'Acme',
      metrics: [
        { month: '2026-01', mrr: 1000 },
        { month: '2026-02', mrr: 1200 },
      ],
    });
    const { parsed, points } = await parse('data.json', json, 'json');
    expect(parsed.blocks).toEqual([{ text: 'company: Acme', locator: '$.company' }]);
    expect(find(points, 'mrr', '2026-02')).toMatchObject({
      value: 1200,
      source: { locator: '$.metrics, row 2, column "mrr"' },
    });
    await expect(parse('bad.json', '{"a": ', 'json')).rejects.toMatchObject({ code: 'unreadable_document' });
  });
});

describe('DOCX and PDF', () => {
  it('DOCX: heading paragraphs and a wide table', async () => {
    const { parsed, points } = await parse('review.docx', makeDocx(), 'docx');
    expect(parsed.blocks[0]).toEqual({
      text: 'Revenue grew strongly thanks to the Contoso Retail expansion.',
      locator: 'Quarterly review ¶1',
      heading: 'Quarterly review',
    });
    expect(parsed.tables[0]!.locator).toBe('Operating expenses table 1');
    expect(find(points, 'item:aws_hosting', '2026-03')?.value).toBe(13900);
    expect(find(points, 'headcount', '2026-02')?.value).toBe(42);
  });

  it('PDF: text per page', async () => {
    const pdf = await makePdf([['Board memo', 'Cash runway is 18 months.'], ['Appendix: hosting on AWS']]);
    const { parsed } = await parse('memo.pdf', pdf, 'pdf');
    expect(parsed.pages).toBe(2);
    expect(parsed.blocks[0]!.locator).toBe('page 1');
    expect(parsed.blocks[0]!.text).toContain('Cash runway is 18 months.');
    expect(parsed.blocks[1]).toMatchObject({ locator: 'page 2' });
  });

  it('PDF: a heading line is the heading of the paragraphs under it, not the start of their first sentence', async () => {
    const pdf = await makePdf([
      [
        'Board update',
        'Customers',
        'Brennan & Vale became our largest account in February.',
        'Team',
        'Rachel Amadi joined as CFO.',
      ],
    ]);
    const { parsed } = await parse('update.pdf', pdf, 'pdf');
    expect(parsed.blocks.map((b) => [b.heading, b.text])).toEqual([
      ['Customers', 'Brennan & Vale became our largest account in February.'],
      ['Team', 'Rachel Amadi joined as CFO.'],
    ]);
    // A sentence wrapped over lines stays one paragraph; a short last line is no heading.
    expect(pageBlocks('We pay $186,000 a year for\n14 project sites.\nCash\nRunway is 26 months.', 'page 1')).toEqual([
      { text: 'We pay $186,000 a year for 14 project sites.', locator: 'page 1' },
      { text: 'Runway is 26 months.', locator: 'page 1', heading: 'Cash' },
    ]);
  });

  it('corrupt files → 422 unreadable_document', async () => {
    const pdf = await makePdf([['hello']]);
    await expect(parse('cut.pdf', pdf.subarray(0, 200), 'pdf')).rejects.toMatchObject({
      status: 422,
      code: 'unreadable_document',
    });
    const xlsx = await makeXlsx();
    await expect(parse('cut.xlsx', xlsx.subarray(0, xlsx.length - 300), 'xlsx')).rejects.toMatchObject({
      status: 422,
      code: 'unreadable_document',
    });
    const docx = makeDocx();
    await expect(parse('cut.docx', docx.subarray(0, docx.length - 300), 'docx')).rejects.toMatchObject({
      status: 422,
      code: 'unreadable_document',
    });
  });
});
