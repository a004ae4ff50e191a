import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractMetrics } from '../../src/documents/extract-metrics.ts';
import { parseDocument } from '../../src/documents/parse/index.ts';
import { readPeriod } from '../../src/documents/tables/periods.ts';
import type { DocumentFormat } from '../../src/documents/types.ts';
import type { MetricPoint } from '../../src/graph/types.ts';

/**
 * Metrics exports as they come (issue 11): JSON time series in the shapes metrics APIs write, a
 * Budget vs. Actuals workbook whose header is a period row over a measure row, and a retention cohort
 * table that is no series at all.
 */
let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-series-'));
});
afterAll(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function read(name: string, content: Buffer | string, format: DocumentFormat) {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, content);
  const parsed = await parseDocument(file, format);
  return { parsed, points: extractMetrics(parsed, { document_id: 'doc_series1', document_name: name }) };
}
const at = (ps: MetricPoint[], metric: string, period: string) =>
  ps.find((p) => p.metric === metric && p.period === period);

const MONTHS = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11'];
// Month-end MRR rolls forward: 50,000 + new + expansion − contraction − churned each month.
const NEW = [2_100, 1_800, 2_650, 1_900, 2_400];
const EXPANSION = [600, 750, 420, 980, 510];
const CONTRACTION = [150, 90, 310, 120, 200];
const CHURNED = [900, 1_400, 700, 1_150, 800];
const MRR = MONTHS.map((_, i) =>
  [...Array(i + 1).keys()].reduce((m, k) => m + NEW[k]! + EXPANSION[k]! - CONTRACTION[k]! - CHURNED[k]!, 50_000),
);

describe('JSON metrics exports', () => {
  it('reads an object keyed by metric, each an array of {date, value}, nested under a data key', async () => {
    const series = (xs: number[]) => MONTHS.map((m, i) => ({ date: `${m}-01`, value: xs[i] }));
    const json = JSON.stringify({
      meta: { granularity: 'month', exported: '2025-12-01' },
      data: {
        recurring_revenue: series(MRR),
        new_recurring_revenue: series(NEW),
        upgraded_recurring_revenue: series(EXPANSION),
        // Losses written negative, as the API writes them.
        downgraded_recurring_revenue: series(CONTRACTION.map((x) => -x)),
        churned_recurring_revenue: series(CHURNED.map((x) => -x)),
        active_customers: series([210, 214, 219, 221, 226]),
      },
    });
    const { parsed, points } = await read('metrics-api.json', json, 'json');
    expect(parsed.tables).toHaveLength(1);
    expect(parsed.tables[0]!.header).toEqual([
      'date',
      'recurring_revenue',
      'new_recurring_revenue',
      'upgraded_recurring_revenue',
      'downgraded_recurring_revenue',
      'churned_recurring_revenue',
      'active_customers',
    ]);
    // The balance is month-end MRR because it rolls forward with the movements beside it.
    expect(at(points, 'mrr', '2025-11')).toMatchObject({
      value: MRR[4],
      source: { locator: '$.data, row 5, column "recurring_revenue"' },
    });
    expect(at(points, 'mrr', '2025-11')?.note).toMatch(/month-end MRR/);
    expect(at(points, 'new_mrr', '2025-09')?.value).toBe(2_650);
    expect(at(points, 'expansion_mrr', '2025-10')?.value).toBe(980);
    expect(at(points, 'contraction_mrr', '2025-09')?.value).toBe(310);
    expect(at(points, 'churned_mrr', '2025-08')?.value).toBe(1_400);
    expect(at(points, 'customers', '2025-11')?.value).toBe(226);
    // The meta fields stay searchable text.
    expect(parsed.blocks).toContainEqual({ text: 'granularity: month', locator: '$.meta.granularity' });
  });

  it('reads an array of rows with string numbers, amounts in cents and a nested object of fields', async () => {
    const json = JSON.stringify({
      object: 'list',
      entries: MONTHS.map((m, i) => ({
        period_end: `${m}-28T00:00:00Z`,
        mrr_cents: String(MRR[i]! * 100 + 25),
        counts: { customers: 100 + i, new_customers: 5 + i },
      })),
    });
    const { parsed, points } = await read('entries.json', json, 'json');
    expect(parsed.tables[0]!.header).toEqual(['period_end', 'mrr_cents', 'customers', 'new_customers']);
    const mrr = at(points, 'mrr', '2025-10')!;
    expect(mrr.value).toBe(MRR[3]! + 0.25);
    expect(mrr.note).toMatch(/cents/);
    expect(at(points, 'customers', '2025-10')?.value).toBe(103);
    expect(at(points, 'new_customers', '2025-07')?.value).toBe(5);
  });

  it('reads parallel arrays and an object keyed by month', async () => {
    const parallel = await read(
      'parallel.json',
      JSON.stringify({ series: { months: MONTHS, mrr: MRR, customers: [1, 2, 3, 4, 5] } }),
      'json',
    );
    expect(at(parallel.points, 'mrr', '2025-08')?.value).toBe(MRR[1]);
    expect(at(parallel.points, 'customers', '2025-11')?.value).toBe(5);
    const keyed = await read(
      'keyed.json',
      JSON.stringify({ by_month: Object.fromEntries(MONTHS.map((m, i) => [m, { mrr: MRR[i], customers: 10 + i }])) }),
      'json',
    );
    expect(at(keyed.points, 'mrr', '2025-09')?.value).toBe(MRR[2]);
    expect(at(keyed.points, 'customers', '2025-09')?.value).toBe(12);
  });

  it('reads ChartMogul-style hyphenated keys, and never a churn rate as churned MRR', async () => {
    const json = JSON.stringify({
      entries: MONTHS.map((m, i) => ({
        date: `${m}-01`,
        mrr: MRR[i],
        'mrr-new-business': NEW[i],
        'mrr-churn-rate': 1.5 + i / 10,
      })),
    });
    const { points } = await read('chartmogul.json', json, 'json');
    expect(at(points, 'new_mrr', '2025-08')?.value).toBe(NEW[1]);
    expect(points.some((p) => p.metric === 'churned_mrr')).toBe(false);
    expect(at(points, 'item:mrr_churn_rate', '2025-08')?.value).toBe(1.6);
  });

  it('reads Unix timestamps under a date key as their day, and leaves other numbers figures', async () => {
    const at0 = (m: string) => Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5)) - 1, 15) / 1000;
    const json = JSON.stringify({
      customers: MONTHS.map((m, i) => ({ timestamp: at0(m), value: 300 + i })),
      mrr: MONTHS.map((m, i) => ({ timestamp: at0(m), value: 1_735_689_600 + i })),
    });
    const { points } = await read('epoch.json', json, 'json');
    expect(at(points, 'customers', '2025-09')?.value).toBe(302);
    // A figure that looks like a timestamp is a figure: only a date key's number is a date.
    expect(at(points, 'mrr', '2025-07')?.value).toBe(1_735_689_600);
  });

  it('gives no metric points for a JSON with no dates (its figures stay searchable), and never invents periods', async () => {
    const json = JSON.stringify({
      plans: [
        { name: 'Starter', price: 49, seats: 3 },
        { name: 'Growth', price: 149, seats: 10 },
      ],
      totals: { mrr: 52_000, customers: 230 },
    });
    const { parsed, points } = await read('plans.json', json, 'json');
    expect(points).toEqual([]);
    expect(parsed.tables[0]!.header).toEqual(['name', 'price', 'seats']);
    expect(parsed.blocks).toContainEqual({ text: 'mrr: 52000', locator: '$.totals.mrr' });
  });

  it('refuses malformed JSON with a clear error and its code, never as a document with no data', async () => {
    await expect(
      read('broken.json', '{"data": {"mrr": [{"date": "2025-01", "value": 1}', 'json'),
    ).rejects.toMatchObject({
      status: 422,
      code: 'unreadable_document',
      message: expect.stringMatching(/not valid JSON/),
    });
  });
});

describe('a Budget vs. Actuals workbook: a period row over a measure row', () => {
  const QUARTERS = ['Jan - Mar 2026', 'Apr - Jun 2026', 'Jul - Sep 2026'];
  const LINES: Array<[string, number[], number[]]> = [
    ['Revenue', [310_400.5, 325_100.25, 340_900], [300_000, 330_000, 335_000]],
    ['Sales and Marketing', [95_200, 101_750.4, 99_300], [90_000, 100_000, 105_000]],
    ['Engineering', [140_000, 151_200, 149_900], [145_000, 150_000, 150_000]],
  ];
  async function workbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('BvA');
    ws.addRow(['Northwind Analytics']);
    ws.addRow(['Budget vs. Actuals — 2026 plan']);
    ws.addRow([]);
    const groups = [...QUARTERS, 'Total'];
    const top = ws.addRow(['', ...groups.flatMap((g) => [g, '', '', ''])]);
    for (let i = 0; i < groups.length; i++) ws.mergeCells(top.number, 2 + i * 4, top.number, 5 + i * 4);
    ws.addRow(['', ...groups.flatMap(() => ['Actual', 'Budget', '$ Variance', '% of Budget'])]);
    for (const [label, actual, budget] of LINES) {
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const cells = [...actual.map((a, i) => [a, budget[i]!]), [sum(actual), sum(budget)]].flatMap(([a, b]) => [
        a,
        b,
        a! - b!,
        `${((a! / b!) * 100).toFixed(2)}%`,
      ]);
      ws.addRow([label, ...cells]);
    }
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('reads a range of months as the quarter or year it spans, and no other span', () => {
    expect(readPeriod('Jan - Mar, 2025')).toBe('2025-Q1');
    expect(readPeriod('October–December 2025')).toBe('2025-Q4');
    expect(readPeriod('Jan 2025 - Dec 2025')).toBe('2025');
    expect(readPeriod('Jan - Mar, 2025 (Actual)')).toBe('2025-Q1');
    expect(readPeriod('Feb - Apr 2025')).toBeUndefined();
    expect(readPeriod('Jan - Jun 2025')).toBeUndefined();
    expect(readPeriod('Jan - Mar, 2025 (Budget)')).toBeUndefined();
  });

  it('reads the Actual columns as the lines’ figures, never the budget, the variance or the share of budget', async () => {
    const { parsed, points } = await read('bva.xlsx', await workbook(), 'xlsx');
    const table = parsed.tables[0]!;
    expect(table.header.slice(1, 6)).toEqual([
      'Jan - Mar 2026 (Actual)',
      'Jan - Mar 2026 (Budget)',
      'Jan - Mar 2026 ($ Variance)',
      'Jan - Mar 2026 (% of Budget)',
      'Apr - Jun 2026 (Actual)',
    ]);
    // The period row is part of the header, not of the title.
    expect(table.title).toBe('Northwind Analytics · Budget vs. Actuals — 2026 plan');
    expect(at(points, 'revenue', '2026-Q2')).toMatchObject({ value: 325_100.25, source: { locator: 'BvA!F6' } });
    expect(at(points, 'sales_marketing', '2026-Q2')?.value).toBe(101_750.4);
    expect(at(points, 'research_development', '2026-Q3')?.value).toBe(149_900);
    // Three quarters of actuals and nothing else: no variance, percent or total figure is a point, and the
    // budget's are plans.
    const actuals = points.filter((p) => !p.plan);
    expect(actuals.filter((p) => p.metric === 'revenue').map((p) => p.period)).toEqual([
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
    ]);
    expect(actuals).toHaveLength(9);
  });

  it('reads the Budget columns as the plan for each quarter, apart from the actuals', async () => {
    const { points } = await read('bva-plan.xlsx', await workbook(), 'xlsx');
    const plan = points.find((p) => p.metric === 'revenue' && p.period === '2026-Q2' && p.plan);
    expect(plan).toMatchObject({ value: 330_000, plan: 'Budget', source: { locator: 'BvA!G6' } });
    expect(plan?.note).toMatch(/a plan, not actuals/);
    expect(points.filter((p) => p.plan).map((p) => p.period)).toHaveLength(9);
    // The actual is still the actual.
    expect(points.find((p) => p.metric === 'revenue' && p.period === '2026-Q2' && !p.plan)?.value).toBe(325_100.25);
  });

  it('reads a plan column named by its word before or after the period, in a one-row header', async () => {
    const csv = [
      'Line,Jan-26 Actual,Jan-26 Budget,Jan-26 Variance,Budget Feb 2026,Feb 2026',
      'Revenue,100,90,10,95,105',
    ].join('\n');
    const { points } = await read('bva-one-row.csv', csv, 'csv');
    expect(points.filter((p) => !p.plan).map((p) => [p.period, p.value])).toEqual([
      ['2026-01', 100],
      ['2026-02', 105],
    ]);
    expect(points.filter((p) => p.plan).map((p) => [p.period, p.value, p.plan])).toEqual([
      ['2026-01', 90, 'Budget'],
      ['2026-02', 95, 'Budget'],
    ]);
  });

  it('keeps a year over its months as before (months are periods themselves, no measures)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('P&L');
    ws.addRow(['', '2025', '', '', '2026', '', '']);
    ws.addRow(['', 'Oct 2025', 'Nov 2025', 'Dec 2025', 'Jan 2026', 'Feb 2026', 'Mar 2026']);
    ws.addRow(['Revenue', 100, 110, 120, 130, 140, 150]);
    const { points } = await read('pnl.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
    expect(at(points, 'revenue', '2026-02')?.value).toBe(140);
  });
});

describe('a retention cohort table', () => {
  it('gives no metric points: neither its cohort sizes as customers nor its months-since as series', async () => {
    const csv = [
      'Signup month,Cohort size,M1,M2,M3,M4',
      '2025-01,40,97.5%,95.0%,92.5%,90.0%',
      '2025-02,35,100.0%,97.1%,94.3%,',
      '2025-03,52,98.1%,96.2%,,',
    ].join('\n');
    const { parsed, points } = await read('cohorts.csv', csv, 'csv');
    expect(points).toEqual([]);
    // Still a typed table, so its rows are searchable.
    expect(parsed.tables[0]!.rows[1]).toEqual(['2025-02', 35, 100, 97.1, 94.3, null]);
  });
});
