import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractMetrics } from '../../../src/documents/extract-metrics.ts';
import { parseDocument } from '../../../src/documents/parse/index.ts';
import type { DocumentFormat } from '../../../src/documents/types.ts';
import { buildMetricData, currencyOf } from '../../../src/graph/engine/data.ts';
import type { MetricPoint } from '../../../src/graph/types.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * One owner of the currency: the documents say what each amount is written in (a symbol, a header, a
 * number format, a note), the graph decides the company's currency from that, and every amount of an
 * answer is written in it — a company whose documents are in euros is never answered in dollars.
 */
let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-currency-'));
});
afterAll(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function points(name: string, content: Buffer | string, format: DocumentFormat): Promise<MetricPoint[]> {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, content);
  return extractMetrics(await parseDocument(file, format), { document_id: 'doc_cur001', document_name: name });
}
const currencyAt = (ps: MetricPoint[], metric: string) => ps.find((p) => p.metric === metric)?.currency;

describe('the currency a document writes its amounts in', () => {
  it('is read from the cells’ symbols, a header, or neither', async () => {
    const csv = [
      'Month,MRR,Revenue (GBP),Cash,Customers',
      'Jan 2026,"€40,000","39,000","500,000",100',
      'Feb 2026,"€41,500","40,500","480,000",104',
    ].join('\n');
    const ps = await points('mixed.csv', csv, 'csv');
    expect(currencyAt(ps, 'mrr')).toBe('EUR');
    expect(currencyAt(ps, 'revenue')).toBe('GBP');
    // A column with no symbol in a table whose other amounts name one currency: that one.
    expect(currencyAt(ps, 'cash')).toBe('EUR');
    expect(currencyAt(ps, 'customers')).toBeUndefined();
  });

  it('is not made up when nothing states it', async () => {
    const ps = await points('plain.csv', 'Month,MRR\nJan 2026,40000\nFeb 2026,41000', 'csv');
    expect(currencyAt(ps, 'mrr')).toBeUndefined();
    expect(currencyOf(buildMetricData(ps))).toBe('USD');
  });

  it('is read from an XLSX number format and from a workbook note', async () => {
    const wb = new ExcelJS.Workbook();
    const kpi = wb.addWorksheet('KPIs');
    kpi.addRow(['Month', 'MRR']);
    kpi.addRow(['Jan 2026', 40_000]);
    kpi.addRow(['Feb 2026', 41_000]);
    kpi.getColumn(2).numFmt = '[$€-407] #,##0';
    const pl = wb.addWorksheet('P&L');
    pl.addRow(['Line', 'Jan 2026', 'Feb 2026']);
    pl.addRow(['Revenue', 39_000, 40_000]);
    wb.addWorksheet('Read me').addRow(['All figures are in euros.']);
    const ps = await points('book.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
    expect(currencyAt(ps, 'mrr')).toBe('EUR');
    expect(currencyAt(ps, 'revenue')).toBe('EUR');
    expect(currencyOf(buildMetricData(ps))).toBe('EUR');
  });

  it('is no single currency for a company whose documents state several', async () => {
    const eur = await points('eu.csv', 'Month,MRR (EUR)\nJan 2026,40000', 'csv');
    const usd = await points('us.csv', 'Month,Cash ($)\nJan 2026,900000', 'csv');
    expect(currencyOf(buildMetricData([...eur, ...usd]))).toBeUndefined();
  });
});

describe('answers for a company whose documents are in euros (real tools)', () => {
  let company: Company;
  beforeAll(async () => {
    const kpis = [
      'Month,MRR (EUR),New MRR (EUR),Churned MRR (EUR),Customers',
      'Jan 2026,"40,000","2,000",500,100',
      'Feb 2026,"41,500","2,100",600,104',
      'Mar 2026,"43,000","2,000",500,108',
    ].join('\n');
    const pnl = ['Line,Jan 2026,Feb 2026,Mar 2026', 'Revenue,"€39,000","€40,500","€42,000"'].join('\n');
    company = await companyWith([
      { name: 'kpis.csv', data: Buffer.from(kpis) },
      { name: 'pnl.csv', data: Buffer.from(pnl) },
    ]);
  });
  afterAll(async () => company?.close());

  it.each([
    ['what is our mrr', '**MRR at the end of March 2026 is €43,000.**'],
    ['ARR?', '**ARR at the end of March 2026 is €516,000.**'],
    ['revenue in Q1 2026', '**Revenue in Q1 2026 was €121,500.**'],
  ])('%s', async (question, expected) => {
    const { answer } = await company.ask(question);
    expect(answer.split('\n')[0]).toBe(expected);
    expect(answer).not.toContain('$');
  });
});
