import ExcelJS from 'exceljs';

/**
 * A second company, unlike Northwind in every layout choice: a WIDE workbook (months across the
 * columns as `Jan-25`, metrics down the rows with other names), a quarterly cost CSV with line items
 * that are not catalog metrics, and a plain-text investor memo. Data runs January–September 2025.
 */
export const MONTHS = ['Jan-25', 'Feb-25', 'Mar-25', 'Apr-25', 'May-25', 'Jun-25', 'Jul-25', 'Aug-25', 'Sep-25'];

const NEW = [9000, 11000, 8000, 12000, 10000, 14000, 13000, 9500, 12500];
const UPSELL = [3000, 2500, 4000, 3500, 5000, 4500, 3000, 6000, 4000];
const DOWN = [800, 1200, 900, 1500, 700, 1100, 1300, 900, 1000];
const CANCEL = [2000, 3500, 1500, 2500, 4000, 3000, 2200, 5100, 2600];
const LOGO_NEW = [6, 7, 5, 8, 6, 9, 8, 6, 8];
const LOGO_LOST = [2, 3, 1, 2, 3, 2, 2, 4, 2];
const SM = [60000, 62000, 61000, 65000, 66000, 70000, 68000, 69000, 72000];
const GM = [74.5, 75.0, 75.2, 75.8, 76.0, 76.1, 76.4, 76.0, 76.6];
const BURN = [90000, 85000, 88000, 92000, 87000, 80000, 83000, 86000, 79000];
const HEADCOUNT = [22, 22, 23, 24, 24, 25, 26, 26, 27];

export interface AcmeTruth {
  begin: number[];
  end: number[];
  logosBegin: number[];
  logosEnd: number[];
  cash: number[];
}

export function acmeTruth(): AcmeTruth {
  const begin: number[] = [];
  const end: number[] = [];
  let mrr = 150_000;
  for (let i = 0; i < MONTHS.length; i++) {
    begin.push(mrr);
    mrr = mrr + NEW[i]! + UPSELL[i]! - DOWN[i]! - CANCEL[i]!;
    end.push(mrr);
  }
  const logosBegin: number[] = [];
  const logosEnd: number[] = [];
  let logos = 120;
  for (let i = 0; i < MONTHS.length; i++) {
    logosBegin.push(logos);
    logos = logos + LOGO_NEW[i]! - LOGO_LOST[i]!;
    logosEnd.push(logos);
  }
  const cash: number[] = [];
  let c = 4_000_000;
  for (const b of BURN) {
    c -= b;
    cash.push(c);
  }
  return { begin, end, logosBegin, logosEnd, cash };
}

export const ACME = { NEW, UPSELL, DOWN, CANCEL, LOGO_NEW, LOGO_LOST, SM, GM, BURN, HEADCOUNT };

export async function acmeWorkbook(): Promise<Buffer> {
  const t = acmeTruth();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('KPIs 2025');
  ws.addRow(['Acme Cloud — operating metrics']);
  ws.addRow([]);
  ws.addRow(['Metric', ...MONTHS]);
  const rows: Array<[string, number[]]> = [
    ['Beginning MRR', t.begin],
    ['New Business MRR', NEW],
    ['Upsell MRR', UPSELL],
    ['Downgrades', DOWN],
    ['Cancellations', CANCEL],
    ['Ending MRR', t.end],
    ['Logos BOP', t.logosBegin],
    ['New Logos', LOGO_NEW],
    ['Lost Logos', LOGO_LOST],
    ['Logos EOP', t.logosEnd],
    ['S&M Expense', SM],
    ['Gross Margin %', GM],
    ['Net Burn', BURN],
    ['Cash on Hand', t.cash],
    ['Headcount', HEADCOUNT],
  ];
  for (const [label, values] of rows) ws.addRow([label, ...values]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const ACME_COSTS_CSV = [
  'Quarter,AWS hosting,Contractors,Office rent',
  'Q1 2025,"$31,200","$18,000","$12,000"',
  'Q2 2025,"$33,950","$21,500","$12,000"',
  'Q3 2025,"$36,400","$19,750","$12,600"',
].join('\n');

export const ACME_MEMO = [
  'Acme Cloud — investor memo, September 2025',
  '',
  'Customers',
  '',
  'Our biggest client is Globex Corporation, which signed a three-year renewal in August.',
  'We added 22 logos in the third quarter, mostly mid-market logistics firms.',
  '',
  'Churn',
  '',
  'The main reason customers left in Q3 was the missing SSO integration, which ships in October.',
  '',
  'Next steps',
  '',
  'We will start raising a Series A in Q1 2026.',
  'The annual planning offsite is on 2025-11-06 in Denver.',
].join('\n');

export async function acmeFiles(): Promise<Array<{ name: string; data: Buffer }>> {
  return [
    { name: 'acme_kpis_2025.xlsx', data: await acmeWorkbook() },
    { name: 'acme_quarterly_costs.csv', data: Buffer.from(ACME_COSTS_CSV) },
    { name: 'acme_investor_memo_sep_2025.txt', data: Buffer.from(ACME_MEMO) },
  ];
}
