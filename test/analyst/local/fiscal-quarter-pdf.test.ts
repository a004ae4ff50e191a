import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePlacedPdf, type PlacedText } from '../../documents/fixtures.ts';
import { abstains } from '../companies/check.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * A company whose fiscal year starts in May (its quarters are May – July, August – October, …: no calendar
 * quarter), with a monthly MRR export and a PDF update whose only revenue, margin, burn and cash are in a
 * KPI table of fiscal-quarter columns. Through the real pipeline: the table is read from the PDF, `Q2 FY25`
 * is August – October 2024 by the start the update states, and a quarter's figure answers that quarter only.
 */
const months = ['2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10'];
const moves = [
  [6_000, 2_000, 800, 1_500],
  [6_500, 1_800, 700, 1_600],
  [5_800, 2_200, 900, 1_400],
  [7_000, 2_500, 600, 1_700],
  [4_000, 1_000, 2_400, 9_800], // September: a bad month
  [6_800, 2_100, 800, 1_500],
] as const;
const mrr: number[] = [];
let level = 100_000;
for (const [n, e, c, ch] of moves) {
  level += n + e - c - ch;
  mrr.push(level);
}
const csv = [
  'Month,MRR,New MRR,Expansion MRR,Contraction MRR,Churned MRR',
  ...months.map((m, i) => [m, mrr[i], ...moves[i]!].join(',')),
].join('\n');

function row(cells: string[], y: number, bold = false): PlacedText[] {
  // Labels flush left; figures flush right at their column's edge, under headers set from the left.
  return cells.map((text, c) =>
    c === 0
      ? { text, x: 56, y, bold }
      : bold
        ? { text, x: 250 + c * 110, y, bold }
        : { text, x: 295 + c * 110, y, right: true },
  );
}

let company: Company;
beforeAll(async () => {
  const pdf = await makePlacedPdf([
    { text: 'Lumen Freight — quarterly update', x: 56, y: 740, size: 15, bold: true },
    { text: 'This update covers our second fiscal quarter. Our fiscal year runs from May to April.', x: 56, y: 712 },
    { text: 'Finance', x: 56, y: 680, size: 12, bold: true },
    ...row(['', 'Q2 FY25', 'Q1 FY25'], 656, true),
    ...row(['Total revenue', '$1,480k', '$1,395k'], 640),
    ...row(['Gross margin %', '71.2%', '70.4%'], 624),
    ...row(['Net revenue retention', '96.5%', '99.1%'], 608),
    ...row(['Net burn', '$410k', '$455k'], 592),
    ...row(['Cash and equivalents', '$9.35M', '$9.76M'], 576),
    { text: 'We expect margin to keep improving as the new routing engine rolls out.', x: 56, y: 540 },
  ]);
  company = await companyWith([
    { name: 'mrr_export.csv', data: Buffer.from(`${csv}\n`) },
    { name: 'Lumen update Q2 FY25.pdf', data: pdf },
  ]);
}, 60_000);
afterAll(async () => company?.close());

const first = async (q: string) => (await company.ask(q)).answer.split('\n')[0]!;

describe('a PDF table of fiscal quarters', () => {
  it('answers each quarter with its column, named as the fiscal quarter it is', async () => {
    expect(await first('total revenue in q2 fy25')).toMatch(/Q2 FY2025.*\$1,480,000/);
    expect(await first('gross margin in q1 fy25')).toMatch(/70\.40?%/);
    expect(await first('net burn last quarter')).toMatch(/Q2 FY2025.*\$410,000/);
    const cash = await company.ask('cash at the end of last quarter');
    expect(cash.answer.split('\n')[0]).toMatch(/\$9,350,000/);
    expect(cash.answer).toMatch(/Q2 FY2025 read as August 2024 – October 2024 \(the fiscal year starts in May\)/);
  });

  it('combines a stated quarter with the monthly export (burn multiple)', async () => {
    const netNewArr = (mrr[5]! - mrr[2]!) * 12;
    const expected = (410_000 / netNewArr).toFixed(2);
    expect(await first('burn multiple q2 fy25')).toContain(`${expected}x`);
  });

  it('gives the quarter-end balance for the quarter’s last month, and nothing for a month inside it', async () => {
    expect(await first('cash at the end of october 2024')).toMatch(/\$9,350,000/);
    const inside = await company.ask('cash at the end of september 2024');
    expect(abstains(inside.answer)).toBe(true);
    expect(inside.answer.split('\n')[0]).toMatch(/only at the end of each quarter/);
  });

  it('never states a quarter’s margin or revenue as one of its months’', async () => {
    for (const q of ['gross margin in september 2024', 'revenue in august 2024']) {
      const r = await company.ask(q);
      expect(abstains(r.answer), q).toBe(true);
      // What is known is said as the quarter's.
      expect(r.answer.split('\n')[0], q).toMatch(/by quarter.*Q2 FY2025/);
    }
  });

  it('does not answer a calendar quarter with a fiscal one it overlaps', async () => {
    const r = await company.ask('revenue in q3 2024');
    expect(abstains(r.answer)).toBe(true);
    expect(r.answer).not.toMatch(/1,480,000|1,395,000/);
  });

  it('ranks months from the export, not the update’s quarter NRR, for "which month"', async () => {
    const r = await company.ask('lowest nrr month in the last 6 months');
    expect(r.answer.split('\n')[0]).toMatch(/^\*\*September 2024 had the lowest/);
  });
});
