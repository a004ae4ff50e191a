import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statedOnPlan } from '../../src/analyst/local/text-answers.ts';
import { extractMetrics } from '../../src/documents/extract-metrics.ts';
import { parseDocument } from '../../src/documents/parse/index.ts';
import { metricForLabel } from '../../src/graph/catalog.ts';
import type { MetricPoint } from '../../src/graph/types.ts';
import { type Company, companyWith } from '../analyst/local/real-pipeline.ts';

/**
 * A Xero-style Profit and Loss (title rows, months newest first labelled by their last day, `Turnover` /
 * `Trading Income` sections closed by their `Total …` line, `Less Cost of Sales`, Net Profit) and a cash-flow
 * sheet kept by hand (months down, `£1,234.56` / `-£1,234.56` strings, a balance brought and carried
 * forward). What a user checks: revenue is the income section's total (never its `Sales` account alone, nor
 * other income), a quarter's gross margin is its gross profit over its revenue, the burn is the sheet's net
 * cash movement with its sign turned, the balance carried forward is the cash, and runway comes from them.
 */
const MONTHS = ['2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03'];
const LABELS = ['31 Oct 24', '30 Nov 24', '31 Dec 24', '31 Jan 25', '28 Feb 25', '31 Mar 25'];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const add = (...rows: number[][]) => MONTHS.map((_, i) => Math.round(sum(rows.map((r) => r[i]!)) * 100) / 100);
const less = (a: number[], b: number[]) => a.map((v, i) => Math.round((v - b[i]!) * 100) / 100);

const sales = [142_310.5, 145_020.25, 139_880.75, 151_400.1, 154_930.4, 158_210.9];
const implementation = [12_400, 8_150.5, 15_300, 9_800.25, 11_250, 13_900.75];
const hosting = [18_200.4, 18_950.1, 19_400.6, 19_900.2, 20_310.8, 20_880.3];
const merchant = [2_210.15, 2_250.4, 2_190.75, 2_340.6, 2_390.2, 2_440.85];
const salaries = [121_000, 121_000, 124_500, 124_500, 126_000, 126_000];
const office = [7_250, 7_250, 7_250, 7_250, 7_250, 7_250];
const interest = [1_020.3, 998.1, 1_105.4, 1_087.9, 1_010.2, 1_150.6];
const turnover = add(sales, implementation);
const cos = add(hosting, merchant);
const gross = less(turnover, cos);
const opex = add(salaries, office);
const netProfit = less(add(gross, interest), opex);

type Line = [label: string, values?: number[]];
const XERO: Line[] = [
  ['Turnover'],
  ['Sales', sales],
  ['Implementation Fees', implementation],
  ['Total Turnover', turnover],
  ['Less Cost of Sales'],
  ['Cloud Hosting', hosting],
  ['Merchant Fees', merchant],
  ['Total Cost of Sales', cos],
  ['Gross Profit', gross],
  ['Other Income'],
  ['Interest Income', interest],
  ['Total Other Income', interest],
  ['Less Operating Expenses'],
  ['Salaries', salaries],
  ['Office Costs', office],
  ['Total Operating Expenses', opex],
  ['Net Profit', netProfit],
  ['Active seats', [410, 422, 431, 440, 452, 461]],
];

/** The workbook as Xero writes it: title rows, a blank row, the newest month first. */
async function xeroPnl(lines: Line[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Profit and Loss');
  ws.addRow(['Profit and Loss']);
  ws.addRow(['Ferrule Analytics Ltd']);
  ws.addRow(['For the 6 months ended 31 March 2025']);
  ws.addRow([]);
  ws.addRow(['', ...[...LABELS].reverse()]);
  for (const [label, values] of lines) ws.addRow(values ? [label, ...[...values].reverse()] : [label]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Cash moving by `net` each month from `opening`; the balance column can be made not to roll forward. */
function cashFlowCsv(net: number[], opening: number, balanceOf?: (carried: number, i: number) => number): string {
  const gbp = (n: number) =>
    `"${n < 0 ? '-' : ''}£${Math.abs(n).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}"`;
  const names = ['October 2024', 'November 2024', 'December 2024', 'January 2025', 'February 2025', 'March 2025'];
  let balance = opening;
  const rows = net.map((n, i) => {
    const before = balance;
    balance = Math.round((balance + n) * 100) / 100;
    const moneyIn = 150_000 + i * 1_000;
    const shown = balanceOf ? balanceOf(balance, i) : balance;
    return [names[i], gbp(before), gbp(moneyIn), gbp(moneyIn - n), gbp(n), gbp(shown)].join(',');
  });
  return [
    'Ferrule cash flow (GBP)',
    'Month,Balance b/f,Money in,Money out,Net cash movement,Balance c/f',
    ...rows,
  ].join('\n');
}
const NET = [-48_210.4, -51_030.75, -46_880.1, -53_120.6, -49_990.3, -52_410.45];
const OPENING = 1_912_000;
const closing: number[] = [];
for (const n of NET) closing.push(Math.round(((closing.at(-1) ?? OPENING) + n) * 100) / 100);

let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-xero-'));
});
const open: Company[] = [];
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function pointsOf(name: string, data: Buffer | string): Promise<MetricPoint[]> {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, data);
  const format = name.endsWith('.xlsx') ? 'xlsx' : 'csv';
  return extractMetrics(await parseDocument(file, format), { document_id: 'doc_xero1', document_name: name });
}
const series = (ps: MetricPoint[], metric: string) =>
  ps
    .filter((p) => p.metric === metric)
    .sort((a, b) => (a.period < b.period ? -1 : 1))
    .map((p) => p.value);
const headline = (answer: string) => /\*\*(.+?)\*\*/.exec(answer)?.[1] ?? answer.slice(0, 160);
const gbp0 = (n: number) => `£${Math.round(n).toLocaleString('en-GB')}`;

describe('metric points from a Xero P&L and a cash-flow sheet', () => {
  it('reads revenue from the Turnover total, months newest first, and no other income as revenue', async () => {
    const ps = await pointsOf('Ferrule_Analytics_Ltd_-_Profit_and_Loss.xlsx', await xeroPnl(XERO));
    expect(series(ps, 'revenue')).toEqual(turnover);
    expect(ps.filter((p) => p.metric === 'revenue').map((p) => p.period)).toEqual([...MONTHS].reverse());
    expect(series(ps, 'cost_of_revenue')).toEqual(cos);
    expect(series(ps, 'gross_profit')).toEqual(gross);
    expect(series(ps, 'net_income')).toEqual(netProfit);
    // The accounts stay askable as themselves; interest is other income, never revenue.
    expect(series(ps, 'item:sales')).toEqual(sales);
    expect(series(ps, 'item:interest_income')).toEqual(interest);
    // An account inside a section whose total is money is money though its cells carry no currency; a
    // line outside every section (a count under the statement) is not made money.
    expect(ps.find((p) => p.metric === 'item:cloud_hosting')?.unit).toBe('currency');
    expect(ps.find((p) => p.metric === 'item:salaries')?.unit).toBe('currency');
    expect(ps.find((p) => p.metric === 'item:active_seats')?.unit).toBe('number');
  });

  it('reads a Trading Income section the same way, its Sales account a part of it', async () => {
    const ps = await pointsOf(
      'trading.xlsx',
      await xeroPnl([
        ['Trading Income'],
        ['Sales', sales],
        ['Implementation Fees', implementation],
        ['Total Trading Income', turnover],
      ]),
    );
    expect(series(ps, 'revenue')).toEqual(turnover);
  });

  it('reads the balance carried forward as cash because it rolls forward with the net cash movement', async () => {
    const ps = await pointsOf('Ferrule cash flow.csv', cashFlowCsv(NET, OPENING));
    expect(series(ps, 'net_cash_flow')).toEqual(NET);
    expect(series(ps, 'cash')).toEqual(closing);
    expect(ps.find((p) => p.metric === 'cash')?.note).toMatch(
      /"Balance c\/f" equals the period before plus its net cash flow/,
    );
    // The balance brought forward is last month's, and money in / out are flows: none of them is cash.
    expect(series(ps, 'item:balance_b_f')).toHaveLength(6);
  });

  it('reads the balance as cash from money in less money out when the sheet has no net line', async () => {
    // A wide sheet, months across: Cash in / Cash out (written negative) / Bank balance at month end.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Cash');
    ws.addRow(['', ...LABELS]);
    const moneyIn = NET.map((_, i) => 150_000 + i * 1_000);
    ws.addRow(['Cash in', ...moneyIn]);
    ws.addRow(['Cash out', ...moneyIn.map((v, i) => -(v - NET[i]!))]);
    ws.addRow(['Bank position', ...closing]);
    const ps = await pointsOf('bank.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(series(ps, 'cash')).toEqual(closing);
    expect(ps.find((p) => p.metric === 'cash')?.note).toContain('"Cash in" less "Cash out" in that period');
    expect(series(ps, 'net_cash_flow')).toEqual([]);
  });

  it('does not read a balance that does not roll forward with the net cash movement as cash', async () => {
    const ps = await pointsOf(
      'not cash.csv',
      cashFlowCsv(NET, OPENING, (carried, i) => carried + (i % 2 ? 40_000 : -25_000)),
    );
    expect(series(ps, 'cash')).toEqual([]);
    expect(series(ps, 'item:balance_c_f')).toHaveLength(6);
  });
});

describe('asking about a Xero P&L and a cash-flow sheet', () => {
  async function company(files: Array<{ name: string; data: Buffer | string }>): Promise<Company> {
    const c = await companyWith(files.map((f) => ({ name: f.name, data: Buffer.from(f.data) })));
    open.push(c);
    return c;
  }

  it('answers revenue, gross margin, burn and runway from them', { timeout: 120_000 }, async () => {
    const c = await company([
      { name: 'Ferrule_Analytics_Ltd_-_Profit_and_Loss.xlsx', data: await xeroPnl(XERO) },
      { name: 'Ferrule cash flow - Monthly.csv', data: cashFlowCsv(NET, OPENING) },
    ]);
    const q1 = [3, 4, 5];
    const pick = (xs: number[]) => sum(q1.map((i) => xs[i]!));
    expect(headline((await c.ask('What was revenue in Q1 2025?')).answer)).toContain(gbp0(pick(turnover)));
    expect(headline((await c.ask('how much did we spend on cloud hosting in Q1 2025')).answer)).toContain(
      gbp0(pick(hosting)),
    );
    // A quarter's margin is its gross profit over its revenue, not the average of its months' margins.
    const margin = ((pick(gross) / pick(turnover)) * 100).toFixed(2);
    const gm = await c.ask('gross margin in Q1 2025');
    expect(headline(gm.answer)).toContain(`${margin}%`);
    expect(gm.answer).toContain('gross profit / revenue, each summed over the period');
    expect(headline((await c.ask('cash burn in Q1 2025')).answer)).toContain(gbp0(-pick(NET)));
    expect(headline((await c.ask('how much cash do we have')).answer)).toContain(gbp0(closing.at(-1)!));
    // The burn month by month is the net cash movement's: averaged and ranked, never its sum as the average.
    const average = await c.ask('average monthly burn in Q1 2025');
    expect(headline(average.answer)).toMatch(/^Average monthly net burn/);
    expect(headline(average.answer)).toContain(gbp0(-pick(NET) / 3));
    const worst = await c.ask('which month had the highest burn');
    expect(headline(worst.answer)).toMatch(/^January 2025/);
    const runway = (closing.at(-1)! / (-pick(NET) / 3)).toFixed(2);
    const r = await c.ask('what is our runway');
    expect(headline(r.answer)).toContain(`${runway} months`);
    expect(r.answer).toContain('"Balance c/f" equals the period before plus its net cash flow');
  });

  it('gives the computed runway first and a runway stated on a forecast burn labelled as a plan', {
    timeout: 120_000,
  }, async () => {
    const note =
      '# Board note\n\n## Cash\n\nOn the forecast burn of £90,000 a month, that gives us about 21 months of runway.\n';
    const withSheet = await company([
      { name: 'Ferrule cash flow - Monthly.csv', data: cashFlowCsv(NET, OPENING) },
      { name: 'board-note.md', data: note },
    ]);
    const runway = (closing.at(-1)! / (-sum(NET.slice(3)) / 3)).toFixed(2);
    const r = await withSheet.ask('what is our runway');
    expect(headline(r.answer)).toContain(`${runway} months`);
    expect(r.answer).toMatch(/21 months of runway/);
    expect(r.answer).toContain('on a plan (a budget or forecast), not on what happened');
    // Without a cash figure the plan's runway is no answer: the reply says it cannot compute one, then quotes it.
    const noSheet = await company([
      { name: 'Ferrule_Analytics_Ltd_-_Profit_and_Loss.xlsx', data: await xeroPnl(XERO) },
      { name: 'board-note.md', data: note },
    ]);
    const plain = await noSheet.ask('what is our runway');
    expect(plain.answer.slice(0, 80)).toMatch(/can't compute \*\*Runway\*\*/);
    expect(plain.answer).toContain('The text states one on a plan, not on what happened');
  });

  it('abstains on runway when the balance column is not the cash', { timeout: 120_000 }, async () => {
    const c = await company([
      {
        name: 'Ferrule cash flow - Monthly.csv',
        data: cashFlowCsv(NET, OPENING, (b, i) => b + (i % 2 ? 40_000 : -25_000)),
      },
    ]);
    // The burn is still the net cash movement, but no cash balance is known, so no runway is stated.
    expect(headline((await c.ask('net burn in march 2025')).answer)).toContain(gbp0(-NET[5]!));
    expect(headline((await c.ask('how much cash do we have')).answer)).not.toMatch(/\d/);
    const r = await c.ask('what is our runway');
    expect(r.answer).toMatch(/can't|couldn't/i);
    expect(r.answer).not.toMatch(/\d+(?:\.\d+)? months/);
  });

  it('says the company is not burning when cash grows', { timeout: 120_000 }, async () => {
    const c = await company([
      {
        name: 'Ferrule cash flow - Monthly.csv',
        data: cashFlowCsv(
          NET.map((n) => -n),
          OPENING,
        ),
      },
    ]);
    const r = await c.ask('what is our runway');
    expect(r.answer).toMatch(/not burning|not positive|unlimited/i);
  });
});

describe('the lines of a cash-flow sheet', () => {
  it('reads the net movement of cash as net cash flow, never a part of it', () => {
    for (const label of ['Net cash flow', 'Net cash movement', 'Net increase (decrease) in cash and cash equivalents'])
      expect(metricForLabel(label)?.id).toBe('net_cash_flow');
    // Operating cash flow is one part of the movement; a balance is no flow.
    expect(metricForLabel('Net cash flow from operating activities')?.id).not.toBe('net_cash_flow');
    expect(metricForLabel('Closing balance')).toBeUndefined();
  });
});

describe('a figure stated on a plan', () => {
  it('is one whose sentence rests on a budget, forecast or plan, not one that measures an actual against it', () => {
    expect(statedOnPlan('On the budgeted burn of £125,000 a month, that is about 25 months of runway.')).toBe(true);
    expect(statedOnPlan('At our planned spend the cash lasts into 2028.')).toBe(true);
    expect(statedOnPlan('In the FY27 forecast runway is 30 months.')).toBe(true);
    expect(statedOnPlan('Adjusted EBITDA for Q1 2026 was -$410,000, better than plan.')).toBe(false);
    expect(statedOnPlan('Net new MRR was £32,059 against a budget of £19,500.')).toBe(false);
    expect(statedOnPlan('We are on plan, with 28 months of runway.')).toBe(false);
    expect(statedOnPlan('Management estimates a runway of 28 months.')).toBe(false);
  });
});
