import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractMetrics } from '../../src/documents/extract-metrics.ts';
import { parseDocument } from '../../src/documents/parse/index.ts';
import { readPeriod } from '../../src/documents/tables/periods.ts';
import type { DocumentFormat } from '../../src/documents/types.ts';
import { computeMetric } from '../../src/graph/engine/compute.ts';
import { buildMetricData } from '../../src/graph/engine/data.ts';
import type { MetricPoint } from '../../src/graph/types.ts';

/** Issue 11 item 7: documents read as they come — signs, row order, totals, period spellings, several sheets. */
let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-read-'));
});
afterAll(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function points(name: string, content: Buffer | string, format: DocumentFormat): Promise<MetricPoint[]> {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, content);
  return extractMetrics(await parseDocument(file, format), { document_id: 'doc_read01', document_name: name });
}
const at = (ps: MetricPoint[], metric: string, period: string) =>
  ps.find((p) => p.metric === metric && p.period === period);

describe('periods as spreadsheets write them', () => {
  it.each([
    ['Jan-26', '2026-01'],
    ['2026-01', '2026-01'],
    ['January 2026', '2026-01'],
    ['1/31/2026', '2026-01'],
    ['1/31/26', '2026-01'],
    ['2026 Jan', '2026-01'],
    ['2026M01', '2026-01'],
    ['Jan-26 Actual', '2026-01'],
    ['Q1 2026 (A)', '2026-Q1'],
    ['Sept 2025', '2025-09'],
    ['Q1 FY26', 'FY2026-Q1'],
    ['FY26 Q1', 'FY2026-Q1'],
    ['Q3-FY2026', 'FY2026-Q3'],
    ['FY2026-Q4', 'FY2026-Q4'],
    ['1Q FY26', 'FY2026-Q1'],
    ['FY2026', 'FY2026'],
  ])('%s → %s', (label, period) => {
    expect(readPeriod(label)).toBe(period);
  });

  it.each(['Total', 'FY2025 total', 'Jan-26 Budget', 'Q1 2026 Forecast', 'Plan 2026', 'Growth'])(
    '%s is no period',
    (label) => {
      expect(readPeriod(label)).toBeUndefined();
    },
  );

  it('reads real Excel dates (a Date, a serial)', () => {
    expect(readPeriod(new Date(Date.UTC(2026, 0, 31)))).toBe('2026-01');
    expect(readPeriod(46053)).toBe('2026-01');
  });
});

describe('a billing export with signed movements, newest first, and a Total row', () => {
  // The example: downgrades and cancellations written as negative numbers. Read as written, NRR
  // would be (100,000 + 3,465 + 1,535 + 2,000) / 100,000 = 107.00%; the right figure is 99.93%.
  const csv = [
    'Month;Opening MRR;New;Upgrades;Downgrades;Cancellations;Closing MRR',
    'Mar-26;104070;2400;1200;-500;-800;106370',
    'Feb-26;101800;2600;1100;-530;-900;104070',
    'Jan-26;100000;3000;1165;-505;-300;103360',
    'Total;;8000;3465;-1535;-2000;',
  ].join('\n');

  it('reads the losses as amounts, notes the reading, and makes no point of the Total row', async () => {
    const ps = await points('billing.csv', csv, 'csv');
    expect(at(ps, 'contraction_mrr', '2026-01')?.value).toBe(505);
    expect(at(ps, 'churned_mrr', '2026-03')?.value).toBe(800);
    expect(at(ps, 'churned_mrr', '2026-03')?.note).toBe(
      '"Cancellations" is written as negative numbers; read as amounts lost (the sign dropped)',
    );
    expect(at(ps, 'new_mrr', '2026-01')?.note).toBeUndefined();
    expect(ps.filter((p) => p.metric === 'new_mrr').map((p) => p.period)).toEqual(['2026-03', '2026-02', '2026-01']);
  });

  it('gives NRR 99.93% for the quarter, not 107.00%, and says which reading it used', async () => {
    const data = buildMetricData(await points('billing.csv', csv, 'csv'));
    const nrr = computeMetric(data, 'nrr', '2026-Q1');
    expect(nrr.ok && nrr.value).toBe(99.93);
    expect(nrr.ok && nrr.readings).toEqual([
      '"Downgrades" is written as negative numbers; read as amounts lost (the sign dropped)',
      '"Cancellations" is written as negative numbers; read as amounts lost (the sign dropped)',
    ]);
    const grr = computeMetric(data, 'grr', '2026-Q1');
    expect(grr.ok && grr.value).toBe(96.465);
  });

  it('reads the same movements written positive the same way, with no note', async () => {
    const positive = csv.replace(/;-/g, ';');
    const data = buildMetricData(await points('billing-positive.csv', positive, 'csv'));
    const nrr = computeMetric(data, 'nrr', '2026-Q1');
    expect(nrr.ok && nrr.value).toBe(99.93);
    expect(nrr.ok && nrr.readings).toBeUndefined();
  });

  it('reads costs in parentheses as spend', async () => {
    const pl = [
      'Line,Jan 2026,Feb 2026',
      'Revenue,"$50,000","$52,000"',
      'Sales & marketing,"(20,000)","(21,500)"',
    ].join('\n');
    const ps = await points('pl.csv', pl, 'csv');
    expect(at(ps, 'sales_marketing', '2026-02')?.value).toBe(21500);
    expect(at(ps, 'revenue', '2026-02')?.value).toBe(52000);
    expect(at(ps, 'sales_marketing', '2026-02')?.note).toMatch(/read as amounts spent/);
  });
});

describe('totals, subtotals and plans in a wide P&L', () => {
  const pl = [
    'Line item,Jan 2026,Feb 2026,Mar 2026,Q1 2026,Apr 2026,Apr 2026 Budget,FY2026 total',
    'Subscription & services revenue,100,110,120,330,130,999,460',
    'Ending MRR,90,95,99,284,104,999,',
  ].join('\n');

  it('keeps the months, drops the quarter subtotal beside them and the total column; the budget is the plan', async () => {
    const ps = await points('wide.csv', pl, 'csv');
    expect(ps.filter((p) => p.metric === 'revenue' && p.plan).map((p) => [p.period, p.value])).toEqual([
      ['2026-04', 999],
    ]);
    expect(ps.filter((p) => p.metric === 'revenue' && !p.plan).map((p) => [p.period, p.value])).toEqual([
      ['2026-01', 100],
      ['2026-02', 110],
      ['2026-03', 120],
      ['2026-04', 130],
    ]);
    // The quarter of a balance is its last month, never the subtotal column's sum.
    const q1 = computeMetric(buildMetricData(ps), 'mrr', '2026-Q1');
    expect(q1.ok && q1.value).toBe(99);
  });

  it('keeps a quarter column when its months are not in the table', async () => {
    const ps = await points('mixed.csv', ['Line,Q4 2025,Jan 2026,Feb 2026', 'Revenue,300,100,110'].join('\n'), 'csv');
    expect(at(ps, 'revenue', '2025-Q4')?.value).toBe(300);
  });
});

describe('fiscal quarter labels', () => {
  const csv = [
    'Line item,Q1 FY26,Q2 FY26,FY26 total',
    'Revenue,1000,1200,2200',
    'Sales and marketing,400,450,850',
  ].join('\n');

  it('become calendar quarters once the fiscal-year start is known, with the reading noted', async () => {
    const ps = await points('fiscal.csv', csv, 'csv');
    expect(ps.map((p) => p.period)).toEqual(['FY2026-Q1', 'FY2026-Q2', 'FY2026-Q1', 'FY2026-Q2']);
    const july = buildMetricData(ps, { fiscalStartMonth: 7 });
    const q3 = computeMetric(july, 'revenue', '2025-Q3');
    expect(q3.ok && q3.value).toBe(1000);
    expect(q3.ok && q3.readings).toEqual([
      'Q1 FY2026 read as July 2025 – September 2025 (the fiscal year starts in July)',
    ]);
    expect(july.latestMonth).toBe('2025-12');
    const fy = computeMetric(july, 'revenue', 'FY2026-Q2');
    expect(fy.ok && fy.value).toBe(1200);
  });

  it('are calendar quarters when no fiscal start is stated, and said so', () => {
    const data = buildMetricData([
      {
        metric: 'revenue',
        label: 'Revenue',
        period: 'FY2026-Q1',
        value: 5,
        unit: 'currency',
        source: { document_id: 'd', document_name: 'x.csv', locator: 'row 2' },
      },
    ]);
    const r = computeMetric(data, 'revenue', '2026-Q1');
    expect(r.ok && r.value).toBe(5);
    expect(r.ok && r.readings?.[0]).toMatch(/no fiscal-year start is stated/);
  });

  it('are kept as their months when they are no calendar quarter (a February start)', () => {
    const data = buildMetricData(
      [
        {
          metric: 'revenue',
          label: 'Revenue',
          period: 'FY2026-Q1',
          value: 5,
          unit: 'currency',
          source: { document_id: 'd', document_name: 'x.csv', locator: 'row 2' },
        },
      ],
      { fiscalStartMonth: 2 },
    );
    // FY2026 starts in February 2025: its Q1 is February – April 2025, and only that quarter asks for it.
    expect([...(data.series.get('revenue')?.keys() ?? [])]).toEqual(['2025-02..2025-04']);
    const r = computeMetric(data, 'revenue', 'FY2026-Q1');
    expect(r.ok && [r.value, r.readings?.[0]]).toEqual([
      5,
      'Q1 FY2026 read as February 2025 – April 2025 (the fiscal year starts in February)',
    ]);
    expect(computeMetric(data, 'revenue', '2025-03').ok).toBe(false);
  });
});

describe('metrics spread over several sheets, with their own header names', () => {
  it('reads one metric family per sheet, month-end dates down the first column', async () => {
    const wb = new ExcelJS.Workbook();
    const months = [0, 1, 2].map((i) => new Date(Date.UTC(2026, i + 1, 0)));
    const sheet = (name: string, header: string[], rows: number[][]) => {
      const s = wb.addWorksheet(name);
      s.addRow(header);
      rows.forEach((r, i) => {
        s.addRow([months[i], ...r]);
      });
      s.getColumn(1).numFmt = 'dd/mm/yyyy';
    };
    sheet('MRR', ['Month ending', 'Recurring revenue (MRR)'], [[1000], [1100], [1150]]);
    sheet(
      'Logos',
      ['Month ending', 'Customers at month end', 'Customers added', 'Customers lost'],
      [
        [50, 5, 2],
        [52, 4, 2],
        [55, 4, 1],
      ],
    );
    sheet('Cash', ['Month ending', 'Cash in bank'], [[9000], [8500], [8100]]);
    const ps = await points('kpis.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
    expect(at(ps, 'mrr', '2026-03')?.value).toBe(1150);
    expect(at(ps, 'customers', '2026-02')?.value).toBe(52);
    expect(at(ps, 'new_customers', '2026-01')?.value).toBe(5);
    expect(at(ps, 'churned_customers', '2026-03')?.value).toBe(1);
    expect(at(ps, 'cash', '2026-03')?.value).toBe(8100);
    const data = buildMetricData(ps);
    const logo = computeMetric(data, 'logo_churn', '2026-03');
    expect(logo.ok && logo.value).toBe(1.9231); // 1 lost / 52 at the start of March
    const arpa = computeMetric(data, 'arpa', '2026-03');
    expect(arpa.ok && arpa.value).toBeCloseTo(1150 / 55, 2);
  });
});

describe('a scale stated on another sheet of the workbook', () => {
  const workbook = async (note: string) => {
    const wb = new ExcelJS.Workbook();
    const pl = wb.addWorksheet('P&L');
    pl.addRow(['Line', 'Jan 2026', 'Feb 2026']);
    pl.addRow(['Revenue', 412.5, 430.1]);
    pl.addRow(['Gross margin %', 71.2, 72.4]);
    const kpi = wb.addWorksheet('KPIs');
    kpi.addRow(['Month', 'Customers', 'MRR']);
    kpi.addRow(['Jan 2026', 120, 38_000]);
    kpi.addRow(['Feb 2026', 124, 39_500]);
    const readme = wb.addWorksheet('Read me');
    readme.addRow(['Exported from the ledger.']);
    readme.addRow([note]);
    return Buffer.from(await wb.xlsx.writeBuffer());
  };

  it('applies a note on the Read me sheet to the amounts of the sheets it names, and says so', async () => {
    const ps = await points('book.xlsx', await workbook('P&L figures are in USD thousands.'), 'xlsx');
    expect(at(ps, 'revenue', '2026-02')?.value).toBe(430_100);
    expect(at(ps, 'revenue', '2026-02')?.note).toBe(
      'Read as: thousands of dollars (from the note "P&L figures are in USD thousands." on the sheet "Read me")',
    );
    // Never to a percent, and not to the sheet the note does not name.
    expect(at(ps, 'gross_margin', '2026-02')?.value).toBe(72.4);
    expect(at(ps, 'mrr', '2026-02')?.value).toBe(39_500);
    expect(at(ps, 'customers', '2026-02')?.value).toBe(124);
  });

  it('applies a note that names no sheet to every sheet, but never to a count', async () => {
    const ps = await points('book-all.xlsx', await workbook('All amounts in $000'), 'xlsx');
    expect(at(ps, 'revenue', '2026-01')?.value).toBe(412_500);
    expect(at(ps, 'mrr', '2026-01')?.value).toBe(38_000_000);
    expect(at(ps, 'customers', '2026-01')?.value).toBe(120);
  });

  it('reads nothing into a note that states no scale', async () => {
    const ps = await points(
      'book-none.xlsx',
      await workbook('Figures are unaudited; months are calendar months.'),
      'xlsx',
    );
    expect(at(ps, 'revenue', '2026-01')?.value).toBe(412.5);
    expect(at(ps, 'revenue', '2026-01')?.note).toBeUndefined();
  });
});

describe('months written without a year', () => {
  it('take the year from the sheet or title, wrapping into the next year once', async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('P&L FY2026');
    s.addRow(['Line', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb']);
    s.addRow(['Revenue', 10, 11, 12, 13, 14, 15, 16, 17]);
    const ps = await points('pl-fy.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
    const revenue = ps.filter((p) => p.metric === 'revenue');
    expect(revenue.map((p) => p.period)).toEqual([
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(revenue[0]!.note).toBe(
      'months written without a year read as July 2025 – February 2026 (from "P&L FY2026")',
    );
  });

  it('read a column of month names under a calendar-year title', async () => {
    const csv = ['Month,MRR,New customers', 'January,100,3', 'February,110,4', 'March,120,2'].join('\n');
    const ps = await points('kpis_2025.csv', csv, 'csv');
    expect(at(ps, 'mrr', '2025-03')?.value).toBe(120);
    expect(at(ps, 'new_customers', '2025-02')?.value).toBe(4);
  });

  it('give no points when the year is not clear', async () => {
    const csv = ['Month,MRR', 'Jan,100', 'Feb,110', 'Mar,120'].join('\n');
    expect(await points('kpis.csv', csv, 'csv')).toEqual([]);
    expect(await points('kpis_2024_vs_2025.csv', csv, 'csv')).toEqual([]);
  });
});

describe('one row per segment and month', () => {
  it('sums amounts and counts over the segments, and says so', async () => {
    const csv = [
      'Month,Plan,MRR,New customers,Churned MRR',
      '2026-01,Starter,1000,4,-50',
      '2026-01,Team,3000,2,-100',
      '2026-02,Starter,1100,5,-40',
      '2026-02,Team,3200,1,-120',
    ].join('\n');
    const ps = await points('by-plan.csv', csv, 'csv');
    expect(at(ps, 'mrr', '2026-02')?.value).toBe(4300);
    expect(at(ps, 'new_customers', '2026-01')?.value).toBe(6);
    expect(at(ps, 'churned_mrr', '2026-02')?.value).toBe(160);
    expect(at(ps, 'mrr', '2026-02')?.note).toBe('summed over the 2 values of column "Plan" (Starter, Team)');
    expect(at(ps, 'churned_mrr', '2026-02')?.note).toMatch(/negative numbers.*; summed over the 2 values/);
  });

  it('uses the total rows when the table has them', async () => {
    const csv = [
      'Month,Region,MRR',
      'Jan 2026,EMEA,400',
      'Jan 2026,Americas,600',
      'Jan 2026,Total,1000',
      'Feb 2026,EMEA,420',
      'Feb 2026,Americas,650',
      'Feb 2026,Total,1070',
    ].join('\n');
    const ps = await points('by-region.csv', csv, 'csv');
    expect(ps.map((p) => [p.period, p.value])).toEqual([
      ['2026-01', 1000],
      ['2026-02', 1070],
    ]);
    expect(ps[0]!.note).toBe('the "Total" rows of column "Region"');
  });

  it('gives no points for a transaction log (no column makes the rows unique)', async () => {
    const csv = [
      'Date,Customer,Amount',
      '2026-01-03,Acme,100',
      '2026-01-09,Acme,50',
      '2026-01-12,Globex,70',
      '2026-02-02,Acme,100',
    ].join('\n');
    expect(await points('invoices.csv', csv, 'csv')).toEqual([]);
  });
});

describe('long exports and lists', () => {
  it('pivots date, metric, amount rows into one series per metric', async () => {
    const csv = [
      'date,type,amount',
      '2026-01-31,MRR,1000',
      '2026-01-31,Churned MRR,-40',
      '2026-01-31,Budget note,7',
      '2026-02-28,MRR,1100',
      '2026-02-28,Churned MRR,-55',
    ].join('\n');
    const ps = await points('long.csv', csv, 'csv');
    expect(at(ps, 'mrr', '2026-02')?.value).toBe(1100);
    expect(at(ps, 'churned_mrr', '2026-02')?.value).toBe(55);
    expect(at(ps, 'churned_mrr', '2026-02')?.note).toMatch(/written as negative numbers/);
  });

  it('gives no points for a customer list with the day each signed', async () => {
    const csv = [
      'Customer,Plan,MRR,Customer since',
      'Alder,Pro,400,2019-03-14',
      'Birch,Team,900,2020-07-02',
      'Cobalt,Pro,120,2021-11-23',
      'Dune,Team,880,2022-05-09',
      'Elm,Pro,310,2023-01-17',
    ].join('\n');
    expect(await points('customers.csv', csv, 'csv')).toEqual([]);
  });

  it('gives no points for a short list of roles with the quarter each starts (a hiring plan)', async () => {
    // Each row is a role, not a period: its openings are no headcount or hires series.
    const plan = [
      'Role,Team,Openings,Start quarter,Hiring manager',
      'Account Executive,Sales,3,Q1 2026,Ana Ruiz',
      'Data Engineer,Engineering,4,Q2 2026,Chen Li',
    ].join('\n');
    expect(await points('hiring_plan.csv', plan, 'csv')).toEqual([]);
    const teams = [
      'Team,Headcount,Review quarter',
      'Sales,12,Q1 2026',
      'Engineering,20,Q1 2026',
      'Support,6,Q2 2026',
    ].join('\n');
    expect(await points('teams.csv', teams, 'csv')).toEqual([]);
    // Two periods in a row are a series still, whatever the rows are called.
    const quarterly = ['Quarter,Headcount', 'Q1 2026,38', 'Q2 2026,41'].join('\n');
    expect(at(await points('hc.csv', quarterly, 'csv'), 'headcount', '2026-Q2')?.value).toBe(41);
  });

  it('still reads a month-name column beside month-end dates', async () => {
    const csv = [
      'Month,Month end,MRR',
      'January,2026-01-31,100',
      'February,2026-02-28,110',
      'March,2026-03-31,120',
      'April,2026-04-30,125',
      'May,2026-05-31,130',
    ].join('\n');
    expect(at(await points('kpis.csv', csv, 'csv'), 'mrr', '2026-05')?.value).toBe(130);
  });
});

describe('more period spellings', () => {
  it.each([
    ['Mar-25', '2025-03'],
    ['March 2025', '2025-03'],
    ['3/2025', '2025-03'],
    ['FY2026 Q1', 'FY2026-Q1'],
    ['1Q25', '2025-Q1'],
    ['Q1 FY26', 'FY2026-Q1'],
  ])('%s → %s', (label, period) => {
    expect(readPeriod(label)).toBe(period);
  });
  it('a half year is no period of its own (never read as a year or a quarter)', () => {
    expect(readPeriod('H1 2025')).toBeUndefined();
    expect(readPeriod('1H25')).toBeUndefined();
  });
});

describe('totals, averages and fiscal-year subtotals', () => {
  it('drops an average row, a bare Total row and an FY column beside its fiscal quarters', async () => {
    const wide = [
      'Line,Q1 FY26,Q2 FY26,Q3 FY26,Q4 FY26,FY26',
      'Ending MRR,100,110,120,130,460',
      'Revenue,300,320,340,360,1320',
      'Total,400,430,460,490,1780',
    ].join('\n');
    const ps = await points('fy.csv', wide, 'csv');
    expect(ps.some((p) => p.period === 'FY2026')).toBe(false);
    expect(ps.some((p) => p.label === 'Total')).toBe(false);
    const data = buildMetricData(ps, { fiscalStartMonth: 7 });
    // The fiscal year of a balance is its closing quarter; of a flow, the sum of the quarters.
    const mrr = computeMetric(data, 'mrr', 'FY2026');
    expect(mrr.ok && mrr.value).toBe(130);
    const revenue = computeMetric(data, 'revenue', 'FY2026');
    expect(revenue.ok && revenue.value).toBe(1320);

    const long = ['Month,MRR,New MRR', 'Jan 2026,100,10', 'Feb 2026,110,12', 'Monthly average,105,11'].join('\n');
    const lp = await points('avg.csv', long, 'csv');
    expect(lp.filter((p) => p.metric === 'new_mrr').map((p) => p.value)).toEqual([10, 12]);
  });
});

describe('numbers written with decimal commas', () => {
  // A German billing export: `;`, dot thousands and decimal commas, months as MM/YYYY.
  const csv = [
    'Monat;MRR;New MRR;Churned MRR;Customers',
    '01/2025;147.667,18;9.234,95;4.850,06;953',
    '02/2025;152.067,88;7.123,78;3.552,48;989',
    '03/2025;158.801,68;8.561,11;3.851,06;1014',
  ].join('\n');

  it('reads 1.234,56 as 1,234.56 and each point says so', async () => {
    const ps = await points('export.csv', csv, 'csv');
    expect(at(ps, 'mrr', '2025-02')?.value).toBe(152067.88);
    expect(at(ps, 'churned_mrr', '2025-03')?.value).toBe(3851.06);
    expect(at(ps, 'customers', '2025-03')?.value).toBe(1014);
    expect(at(ps, 'mrr', '2025-02')?.note).toContain('decimal commas');
  });

  it('reads a pipe table in EUR k with decimal commas at its scale, negatives included', async () => {
    const md = [
      '| EUR k | Q1 2025 | Q2 2025 |',
      '|---|---:|---:|',
      '| Revenue | 1.699,0 | 742,3 |',
      '| EBITDA | -130,1 | -96,2 |',
    ].join('\n');
    const ps = await points('pack.md', md, 'md');
    expect(at(ps, 'revenue', '2025-Q1')?.value).toBe(1_699_000);
    expect(at(ps, 'revenue', '2025-Q2')?.value).toBe(742_300);
    expect(at(ps, 'ebitda', '2025-Q1')?.value).toBe(-130_100);
  });

  it('reads French exports: spaces for thousands, a decimal comma', async () => {
    const csv = ['Mois;MRR;Churned MRR', 'janv. 2025;147 667,18;4 850,06', 'févr. 2025;152 067,88;3 552,48'].join('\n');
    const ps = await points('fr.csv', csv, 'csv');
    expect(at(ps, 'mrr', '2025-02')?.value).toBe(152067.88);
    expect(at(ps, 'churned_mrr', '2025-01')?.value).toBe(4850.06);
  });

  it('leaves an ordinary export with thousands commas as it was', async () => {
    const ps = await points(
      'us.csv',
      ['Month,MRR,New MRR', 'Jan 2026,"1,234",12.5', 'Feb 2026,"1,300",13.25'].join('\n'),
      'csv',
    );
    expect(at(ps, 'mrr', '2026-01')?.value).toBe(1234);
    expect(at(ps, 'new_mrr', '2026-02')?.value).toBe(13.25);
    expect(at(ps, 'mrr', '2026-01')?.note).toBeUndefined();
  });
});

describe('an ARR roll-forward', () => {
  // A spreadsheet app's export: first-of-month dates, currency cells quoted, ARR instead of MRR.
  const csv = [
    'Month,Beginning ARR,New ARR,Expansion ARR,Contraction ARR,Churned ARR,Ending ARR',
    '2025-01-01,"$1,200,000","$60,000","$12,000","$6,000","$24,000","$1,242,000"',
    '2025-02-01,"$1,242,000","$48,000","$18,000","$3,600","$12,000","$1,292,400"',
    '2025-03-01,"$1,292,400","$36,000","$6,000","$2,400","$30,000","$1,302,000"',
  ].join('\n');

  it('is read as the MRR movements it is twelve times of, and says so', async () => {
    const ps = await points('arr.csv', csv, 'csv');
    expect(at(ps, 'new_mrr', '2025-01')?.value).toBe(5000);
    expect(at(ps, 'starting_mrr', '2025-01')?.value).toBe(100_000);
    expect(at(ps, 'mrr', '2025-03')?.value).toBe(108_500);
    expect(at(ps, 'churned_mrr', '2025-03')?.note).toBe(
      '"Churned ARR" is annual (ARR); read as Churned MRR = ARR ÷ 12',
    );
    expect(ps.some((p) => p.metric.startsWith('item:'))).toBe(false);
  });

  it('gives NRR from the roll-forward, and the movements back in ARR when asked that way', async () => {
    const data = buildMetricData(await points('arr.csv', csv, 'csv'));
    const nrr = computeMetric(data, 'nrr', '2025-Q1');
    // (1,200,000 + 36,000 − 12,000 − 66,000) / 1,200,000
    expect(nrr.ok && nrr.value).toBeCloseTo(96.5, 6);
    const churned = computeMetric(data, 'churned_arr', '2025-Q1');
    expect(churned.ok && churned.value).toBeCloseTo(66_000, 6);
    const arr = computeMetric(data, 'arr', '2025-03');
    expect(arr.ok && arr.value).toBeCloseTo(1_302_000, 6);
  });
});

describe('a P&L with months across and fiscal-quarter subtotals between them', () => {
  it('keeps the months and drops each Q FY column that repeats its three months', async () => {
    const pl = [
      'Line,Oct-24,Nov-24,Dec-24,Q1 FY25,Jan-25,Feb-25,Mar-25,Q2 FY25,FY25 Total',
      'Revenue,100,110,120,330,130,140,150,420,750',
      'Cash at end of period,900,800,700,700,600,500,400,400,400',
    ].join('\n');
    const ps = await points('pl-fy.csv', pl, 'csv');
    expect(ps.filter((p) => p.metric === 'revenue').map((p) => p.period)).toEqual([
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
    ]);
    // An October fiscal year: H1 FY25 = Oct 2024 – Mar 2025, summed from the months only.
    const data = buildMetricData(ps, { fiscalStartMonth: 10 });
    const h1 = computeMetric(data, 'revenue', { half: 1, year: 2025, fiscal: true });
    expect(h1.ok && h1.value).toBe(750);
  });

  it('keeps fiscal quarters whose months are not in the table', async () => {
    const ps = await points('pl-q.csv', ['Line,Jan-25,Feb-25,Q3 FY24', 'Revenue,100,110,300'].join('\n'), 'csv');
    expect(at(ps, 'revenue', 'FY2024-Q3')?.value).toBe(300);
  });
});

describe('dates as European and database exports write them', () => {
  it.each([
    ['März 2025', '2025-03'],
    ['mars 2025', '2025-03'],
    ['Okt. 2025', '2025-10'],
    ['dic-25', '2025-12'],
    ['Mai 2025', '2025-05'],
    ['01.03.2025', '2025-03'],
    ['2025-03-31 00:00:00', '2025-03'],
    ['Q1/2025', '2025-Q1'],
  ])('%s → %s', (label, period) => {
    expect(readPeriod(label)).toBe(period);
  });

  it('reads a first-of-month column written day first as the months it is', async () => {
    const csv = ['Date,MRR', '01/01/2025,100', '01/02/2025,110', '01/03/2025,120', '01/04/2025,130'].join('\n');
    const ps = await points('dmy.csv', csv, 'csv');
    expect(ps.filter((p) => p.metric === 'mrr').map((p) => p.period)).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
    ]);
    // Month first stays month first.
    const us = ['Date,MRR', '01/31/2025,100', '02/28/2025,110', '03/31/2025,120'].join('\n');
    expect((await points('mdy.csv', us, 'csv')).map((p) => p.period)).toEqual(['2025-01', '2025-02', '2025-03']);
  });
});

describe('header rows exports add', () => {
  it('a units row under the header joins the headers and is no data', async () => {
    const csv = ['Month,MRR,New MRR,Customers', ',EUR,EUR,#', 'Jan 2025,1000,100,10', 'Feb 2025,1100,120,11'].join(
      '\n',
    );
    const ps = await points('units.csv', csv, 'csv');
    expect(at(ps, 'mrr', '2025-02')?.value).toBe(1100);
    expect(at(ps, 'customers', '2025-01')?.value).toBe(10);
  });

  it('months under a Budget group above the header are plans, whichever side the actuals are', async () => {
    for (const [groups, revenue] of [
      [',Budget,,,Actuals,,', 'Revenue,200,210,220,100,110,120'],
      [',Actuals,,,Budget,,', 'Revenue,100,110,120,200,210,220'],
    ] as const) {
      const csv = [groups, 'Line,Jan 2025,Feb 2025,Mar 2025,Jan 2025,Feb 2025,Mar 2025', revenue].join('\n');
      const ps = await points('grouped.csv', csv, 'csv');
      expect(ps.filter((p) => p.metric === 'revenue' && !p.plan).map((p) => p.value)).toEqual([100, 110, 120]);
      // The budget's months are the plan's points, kept apart from the actuals.
      const plan = ps.filter((p) => p.metric === 'revenue' && p.plan);
      expect(plan.map((p) => [p.period, p.value, p.plan])).toEqual([
        ['2025-01', 200, 'Budget'],
        ['2025-02', 210, 'Budget'],
        ['2025-03', 220, 'Budget'],
      ]);
    }
  });
});
