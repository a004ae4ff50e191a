import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { type Company, companyWith } from '../analyst/local/real-pipeline.ts';

/**
 * Issue 11 item 7 through the real pipeline: files uploaded, parsed in the worker, stored in the tenant
 * graph and asked about through the local engine. Each test asserts the figure a user would check and
 * that the answer says which reading of the document decided it.
 */
const open: Company[] = [];
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
});
async function company(files: Array<{ name: string; data: Buffer | string }>): Promise<Company> {
  const c = await companyWith(files.map((f) => ({ name: f.name, data: Buffer.from(f.data) })));
  open.push(c);
  return c;
}
const xlsx = async (wb: ExcelJS.Workbook) => Buffer.from(await wb.xlsx.writeBuffer());
/** The headline figure: the bold first sentence. */
const headline = (answer: string) => /\*\*(.+?)\*\*/.exec(answer)?.[1] ?? answer.slice(0, 120);

describe('units stated by the document', () => {
  it('scales a "$000" column header and says so', { timeout: 60_000 }, async () => {
    const csv = ['Month,MRR ($000),New customers', 'Jan 2026,1200.5,4', 'Feb 2026,1250,6', 'Mar 2026,1310.25,5'].join(
      '\n',
    );
    const c = await company([{ name: 'kpis.csv', data: csv }]);
    const r = await c.ask('What was MRR in March 2026?');
    expect(headline(r.answer)).toContain('$1,310,250');
    expect(r.answer).toContain('Read as: thousands of dollars (from the header "MRR ($000)")');
    // Counts beside it are not scaled.
    const n = await c.ask('How many new customers did we add in February 2026?');
    expect(headline(n.answer)).toMatch(/\b6\b/);
    expect(n.answer).not.toContain('Read as');
  });

  it('scales a P&L whose title row says "(in thousands)", amounts only', { timeout: 60_000 }, async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('P&L');
    s.addRow(['Acme Ltd income statement (USD in thousands)']);
    s.addRow(['Line item', 'Jan 2026', 'Feb 2026', 'Mar 2026']);
    s.addRow(['Revenue', 410, 420.5, 433]);
    s.addRow(['Sales & marketing', 120, 125, 131]);
    s.addRow(['Headcount', 41, 42, 44]);
    const c = await company([{ name: 'pnl.xlsx', data: await xlsx(wb) }]);
    const q = await c.ask('What was revenue in Q1 2026?');
    expect(headline(q.answer)).toContain('$1,263,500');
    expect(q.answer).toContain(
      'Read as: thousands of dollars (from the title "Acme Ltd income statement (USD in thousands)")',
    );
    const h = await c.ask('What was our headcount in March 2026?');
    expect(headline(h.answer)).toMatch(/\b44\b/);
  });

  it('scales "€m" in a row label and a note row under the data', { timeout: 60_000 }, async () => {
    const csv = [
      'Metric,Q1 2025,Q2 2025,Q3 2025',
      'ARR (€m),2.4,2.7,3.1',
      'Cash,5.5,5.1,4.6',
      'Paying customers,120,131,140',
      'All amounts in EUR millions unless stated',
    ].join('\n');
    const c = await company([{ name: 'board-kpis.csv', data: csv }]);
    const arr = await c.ask('What was ARR in Q3 2025?');
    expect(headline(arr.answer)).toMatch(/€?3,100,000|\$3,100,000/);
    expect(arr.answer).toContain('Read as: millions of euros (from the row label "ARR (€m)")');
    const cash = await c.ask('How much cash did we have at the end of Q2 2025?');
    expect(headline(cash.answer)).toMatch(/5,100,000/);
    expect(cash.answer).toContain(
      'Read as: millions of euros (from the note "All amounts in EUR millions unless stated")',
    );
  });
});

describe('a long export (date, metric, amount) and lists with dates', () => {
  const months = ['2025-04-30', '2025-05-31', '2025-06-30', '2025-07-31'];
  const rows = months.flatMap((d, i) => [
    `${d},MRR,${100_000 + i * 5_000}`,
    `${d},New MRR,${6_000 + i * 100}`,
    `${d},Expansion MRR,${1_000 + i * 10}`,
    `${d},Contraction MRR,-${500 + i}`,
    `${d},Churned MRR,-${1_500 + i}`,
    `${d},Active customers,${400 + i * 3}`,
    `${d},Churned customers,${4 + i}`,
  ]);
  const kpis = ['date,type,amount', ...rows].join('\n');
  // A customer list: one row per customer with the day it signed — no time series.
  const customers = [
    'Customer,Plan,MRR (USD),Customer since',
    'Alder Dental,Business,4200,2019-03-14',
    'Birch Logistics,Enterprise,9100,2020-07-02',
    'Cobalt Print,Growth,1200,2021-11-23',
    'Dune Hotels,Enterprise,8800,2022-05-09',
    'Elm Vets,Business,3100,2023-01-17',
    'Fir Bakeries,Growth,900,2024-02-28',
  ].join('\n');
  const fiscalNote =
    '# About us\n\nOur fiscal year runs from 1 April to 31 March, so FY26 is April 2025 – March 2026.\n';

  it('pivots one series per metric, signed movements read as amounts', { timeout: 60_000 }, async () => {
    const c = await company([
      { name: 'kpi_export.csv', data: kpis },
      { name: 'top_customers.csv', data: customers },
      { name: 'about.md', data: fiscalNote },
    ]);
    const mrr = await c.ask('What was MRR in June 2025?');
    expect(headline(mrr.answer)).toContain('$110,000');
    const churn = await c.ask('What was churned MRR in July 2025?');
    expect(headline(churn.answer)).toContain('$1,503');
    // NRR of July: (110,000 + 1,030 − 503 − 1,503) / 110,000 = 99.11%.
    const nrr = await c.ask('What was NRR in July 2025?');
    expect(headline(nrr.answer)).toContain('99.11%');
    // The customer list gives no MRR in 2019: the data starts in April 2025.
    const early = await c.ask('What was MRR in March 2019?');
    expect(early.answer).not.toMatch(/\$4,200/);
    // The fiscal year stated in prose: Q1 FY26 is April – June 2025.
    const q1 = await c.ask('What was new MRR in Q1 FY26?');
    expect(headline(q1.answer)).toContain('$18,300');
  });
});

describe('a workbook with metrics over several sheets and a Read me sheet', () => {
  it('reads the notes as text (searchable, the fiscal year from it) and each sheet as its metric', {
    timeout: 60_000,
  }, async () => {
    const wb = new ExcelJS.Workbook();
    const ends = [6, 7, 8, 9, 10, 11].map((m) => new Date(Date.UTC(2025, m + 1, 0))); // Jul – Dec 2025
    const mrr = wb.addWorksheet('MRR');
    mrr.addRow(['Month ending', 'MRR']);
    ends.forEach((d, i) => {
      mrr.addRow([d, 50_000 + i * 1_000]);
    });
    const logos = wb.addWorksheet('Customers');
    logos.addRow(['Month ending', 'Customers at month end', 'Customers lost']);
    ends.forEach((d, i) => {
      logos.addRow([d, 200 + i * 2, 3]);
    });
    const notes = wb.addWorksheet('Read me');
    notes.addRow(['This workbook is exported every month by finance.']);
    notes.addRow(['Our fiscal year begins on 1 July.']);
    notes.addRow(['Quartzline Analytics became our reseller partner in October 2025.']);
    const c = await company([{ name: 'kpi_workbook.xlsx', data: await xlsx(wb) }]);
    // Q2 FY26 is October – December 2025 with a July start: MRR at its end is December's.
    const q = await c.ask('What was MRR in Q2 FY26?');
    expect(headline(q.answer)).toContain('$55,000');
    const logo = await c.ask('What was logo churn in November 2025?');
    expect(headline(logo.answer)).toContain('1.46%'); // 3 lost / 206 at the end of October
    const partner = await c.ask('Who is our reseller partner?');
    expect(partner.answer).toContain('Quartzline');
  });
});
