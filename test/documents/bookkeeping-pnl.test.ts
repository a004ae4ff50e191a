import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractMetrics } from '../../src/documents/extract-metrics.ts';
import { parseDocument } from '../../src/documents/parse/index.ts';
import { statementLines } from '../../src/documents/tables/statement.ts';
import type { MetricPoint } from '../../src/graph/types.ts';
import { type Company, companyWith } from '../analyst/local/real-pipeline.ts';

/**
 * A P&L as bookkeeping tools export it ("Profit and Loss by Month"): title rows, months across as text,
 * a `Total` column, account codes in the labels, section headings without figures, `Total <heading>`
 * subtotals nested inside `Total Expenses`. The figures a user checks: revenue is the income total (never
 * one of its accounts), S&M and R&D are their sections' totals, and nothing is counted twice.
 */
const MONTHS = ['Jan 2026', 'Feb 2026', 'Mar 2026', 'Apr 2026', 'May 2026', 'Jun 2026'];
type Line = [label: string, values?: number[]];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const add = (...rows: number[][]) => MONTHS.map((_, i) => sum(rows.map((r) => r[i]!)));

const platform = [90_000, 92_500, 95_000, 97_000, 99_500, 102_000];
const onboarding = [4_000, 6_500, 3_000, 5_500, 2_000, 7_000];
const hosting = [9_000, 9_200, 9_500, 9_700, 9_900, 10_200];
const supportStaff = [6_000, 6_000, 6_100, 6_200, 6_300, 6_400];
const searchAds = [11_000, 12_000, 10_500, 13_000, 12_500, 14_000];
const socialAds = [3_000, 2_500, 4_000, 3_500, 3_000, 2_000];
const commissions = [15_000, 16_500, 14_000, 17_000, 18_000, 16_000];
const devSalaries = [40_000, 40_000, 41_000, 41_000, 42_500, 42_500];
const equipment = [2_000, 1_500, 3_500, 2_500, 1_000, 4_000];
const rent = [5_000, 5_000, 5_000, 5_000, 5_000, 5_000];
const grants = [0, 2_000, 0, 0, 3_000, 0];
const income = add(platform, onboarding);
const cos = add(hosting, supportStaff);
const paidMedia = add(searchAds, socialAds);
const sm = add(paidMedia, commissions);
const rd = add(devSalaries, equipment);
const ga = rent;
const expenses = add(sm, rd, ga);
const noi = MONTHS.map((_, i) => income[i]! - cos[i]! - expenses[i]!);

const LARKSPUR: Line[] = [
  ['Income'],
  ['   41000 · Platform Subscriptions', platform],
  ['   42000 · Onboarding Fees', onboarding],
  ['Total Income', income],
  ['Cost of Sales'],
  ['   51000 · Cloud Hosting', hosting],
  ['   52000 · Support Staff', supportStaff],
  ['Total Cost of Sales', cos],
  ['Gross Profit', add(income).map((v, i) => v - cos[i]!)],
  ['Expenses'],
  ['   61000 · Sales and Marketing'],
  ['      61100 · Paid Media'],
  ['         61110 · Search Ads', searchAds],
  ['         61120 · Social Ads', socialAds],
  ['      Total 61100 · Paid Media', paidMedia],
  ['      61200 · Sales Commissions', commissions],
  ['   Total 61000 · Sales and Marketing', sm],
  ['   70000 · Research and Development'],
  ['      70100 · Developer Salaries', devSalaries],
  ['      70200 · Test Equipment', equipment],
  ['   Total 70000 · Research and Development', rd],
  ['   80000 · General and Administrative'],
  ['      80100 · Rent', rent],
  ['   Total 80000 · General and Administrative', ga],
  ['Total Expenses', expenses],
  ['Net Operating Income', noi],
  ['Other Income'],
  ['   90000 · Grant Income', grants],
  ['Total Other Income', grants],
  ['Net Income', noi.map((v, i) => v + grants[i]!)],
];

/** The workbook as the bookkeeping tool writes it: three title rows, a blank row, months as text, a Total column. */
async function profitAndLoss(company: string, lines: Line[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Profit and Loss');
  ws.addRow([company]);
  ws.addRow(['Profit and Loss']);
  ws.addRow(['January - June 2026']);
  ws.addRow([]);
  ws.addRow(['', ...MONTHS, 'Total']);
  for (const [label, values] of lines) ws.addRow(values ? [label, ...values, sum(values)] : [label]);
  ws.addRow([]);
  ws.addRow(['Cash Basis Wednesday, July 8, 2026 04:15 PM GMT+01:00']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-books-'));
});
const open: Company[] = [];
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function points(name: string, lines: Line[]): Promise<MetricPoint[]> {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, await profitAndLoss('Larkspur Robotics Ltd', lines));
  return extractMetrics(await parseDocument(file, 'xlsx'), { document_id: 'doc_books1', document_name: name });
}
const series = (ps: MetricPoint[], metric: string) => ps.filter((p) => p.metric === metric).map((p) => p.value);
const labelOf = (ps: MetricPoint[], metric: string) => ps.find((p) => p.metric === metric)?.label;
const headline = (answer: string) => /\*\*(.+?)\*\*/.exec(answer)?.[1] ?? answer.slice(0, 120);
const usd = (n: number) => `$${n.toLocaleString('en-US')}`;

describe('the line structure of a bookkeeping P&L', () => {
  it('reads codes, headings and the total that closes each heading, sections inside sections', () => {
    const labels = [
      'Income',
      '41000 · Platform Subscriptions',
      'Total Income',
      'Expenses',
      '61000 Sales and Marketing',
      '61100 - Paid Media',
      '61110 Search Ads',
      'Total 61100 - Paid Media',
      'Total for 61000 Sales and Marketing',
      'Total Expenses',
    ];
    const lines = statementLines(labels, [false, true, true, false, false, false, true, true, true, true]);
    expect(lines.map((l) => l.name)).toEqual([
      'Income',
      'Platform Subscriptions',
      'Total Income',
      'Expenses',
      'Sales and Marketing',
      'Paid Media',
      'Search Ads',
      'Total Paid Media',
      'Total Sales and Marketing',
      'Total Expenses',
    ]);
    expect(lines[1]).toMatchObject({ code: '41000', kind: 'line', within: [2] });
    expect(lines[8]).toMatchObject({ kind: 'total', heading: 4 });
    // Search Ads is inside Paid Media, Sales and Marketing and Expenses, innermost first.
    expect(lines[6]!.within).toEqual([7, 8, 9]);
  });

  it('keeps a year at the start of a label when the table numbers no accounts', () => {
    const lines = statementLines(['2025 Revenue', '2026 Revenue', 'Total'], [true, true, true]);
    expect(lines.map((l) => l.name)).toEqual(['2025 Revenue', '2026 Revenue', 'Total']);
    expect(lines.every((l) => l.code === undefined)).toBe(true);
  });
});

describe('metric points from a bookkeeping P&L', () => {
  it('reads revenue, cost of sales, S&M, R&D and G&A from their section totals, accounts as line items', async () => {
    const ps = await points('larkspur_pnl.xlsx', LARKSPUR);
    expect(series(ps, 'revenue')).toEqual(income);
    expect(labelOf(ps, 'revenue')).toBe('Total Income');
    expect(series(ps, 'cost_of_revenue')).toEqual(cos);
    expect(series(ps, 'sales_marketing')).toEqual(sm);
    expect(labelOf(ps, 'sales_marketing')).toBe('Total 61000 · Sales and Marketing');
    expect(series(ps, 'research_development')).toEqual(rd);
    expect(series(ps, 'general_administrative')).toEqual(ga);
    expect(series(ps, 'operating_income')).toEqual(noi);
    // The accounts stay askable as themselves, never as the total they are part of.
    expect(series(ps, 'item:41000_platform_subscriptions')).toEqual(platform);
    expect(series(ps, 'item:total_61100_paid_media')).toEqual(paidMedia);
    // The Total column is no period.
    expect(ps.every((p) => /^\d{4}-\d{2}$/.test(p.period))).toBe(true);
  });

  it('reads a subtotal written without its section (no heading, no children) as the figure it names', async () => {
    const ps = await points('larkspur_summary.xlsx', [
      ['Total Revenue', income],
      ['Total Sales & Marketing', sm],
      ['Net Income', noi],
    ]);
    expect(series(ps, 'revenue')).toEqual(income);
    expect(series(ps, 'sales_marketing')).toEqual(sm);
  });

  it('reads no metric from headings that are codes only', async () => {
    const ps = await points('larkspur_codes.xlsx', [
      ['4000'],
      ['4010 Subscriptions', platform],
      ['Total 4000', income],
      ['6000'],
      ['6010 Search Ads', searchAds],
      ['Total 6000', sm],
    ]);
    expect(ps.filter((p) => !p.metric.startsWith('item:'))).toEqual([]);
    expect(series(ps, 'item:total_6000')).toEqual(sm);
  });

  it('reads no revenue from revenue lines with neither a total nor a line named revenue', async () => {
    const ps = await points('larkspur_flat.xlsx', [
      ['Subscription revenue', platform],
      ['Services revenue', onboarding],
      ['Net income', noi],
    ]);
    expect(series(ps, 'revenue')).toEqual([]);
    expect(series(ps, 'item:subscription_revenue')).toEqual(platform);
    // A line named exactly as the metric is the figure; the broader lines beside it are its parts.
    const named = await points('larkspur_named.xlsx', [
      ['Revenue', income],
      ['Subscription revenue', platform],
      ['Services revenue', onboarding],
    ]);
    expect(series(named, 'revenue')).toEqual(income);
  });
});

describe('asking about a bookkeeping P&L', () => {
  async function company(name: string, lines: Line[]): Promise<Company> {
    const c = await companyWith([{ name, data: await profitAndLoss('Larkspur Robotics Ltd', lines) }]);
    open.push(c);
    return c;
  }

  it('answers revenue, S&M and R&D from the section totals', { timeout: 90_000 }, async () => {
    const c = await company('Larkspur Robotics - Profit and Loss by Month.xlsx', LARKSPUR);
    const revenue = await c.ask('What was revenue in Q1 2026?');
    expect(headline(revenue.answer)).toContain(usd(sum(income.slice(0, 3))));
    const smFeb = await c.ask('How much did we spend on sales and marketing in February 2026?');
    expect(headline(smFeb.answer)).toContain(usd(sm[1]!));
    const rdQ2 = await c.ask('R&D spend in Q2 2026?');
    expect(headline(rdQ2.answer)).toContain(usd(sum(rd.slice(3))));
    const account = await c.ask('How much did platform subscriptions bring in in March 2026?');
    expect(headline(account.answer)).toContain(platform[2]!.toLocaleString('en-US'));
  });

  it('does not state one revenue line as revenue when the P&L gives no total', { timeout: 90_000 }, async () => {
    const c = await company('larkspur_flat.xlsx', [
      ['Subscription revenue', platform],
      ['Services revenue', onboarding],
      ['Net income', noi],
    ]);
    const r = await c.ask('What was revenue in March 2026?');
    expect(r.answer).not.toContain(platform[2]!.toLocaleString('en-US'));
    expect(r.answer).not.toContain(onboarding[2]!.toLocaleString('en-US'));
    expect(r.answer).toMatch(/couldn't find|can't/i);
  });
});
