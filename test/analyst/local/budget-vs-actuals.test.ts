import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbersIn } from '../companies/check.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * A Budget vs. Actuals workbook (a period row over `Actual | Budget | Variance | % of Budget`): the actual
 * columns answer what happened, the budget columns what was planned, and "over budget" / "% of budget"
 * set one against the other — never the variance or the share column as a figure of its own.
 */
const QUARTERS = ['Jan - Mar 2026', 'Apr - Jun 2026', 'Jul - Sep 2026'];
const LINES: Array<[string, number[], number[]]> = [
  ['Total Revenue', [410_000, 432_500, 455_250], [400_000, 440_000, 450_000]],
  ['Sales & Marketing', [120_400, 131_900, 128_300], [118_000, 125_000, 130_000]],
  ['Research & Development', [205_000, 212_750, 219_600], [200_000, 210_000, 215_000]],
];

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Budget vs Actual');
  ws.addRow(['Harbourline Software']);
  ws.addRow(['Budget vs. Actual, 2026']);
  const top = ws.addRow(['', ...QUARTERS.flatMap((q) => [q, '', '', ''])]);
  for (let i = 0; i < QUARTERS.length; i++) ws.mergeCells(top.number, 2 + i * 4, top.number, 5 + i * 4);
  ws.addRow(['', ...QUARTERS.flatMap(() => ['Actual', 'Budget', 'Variance', '% of Budget'])]);
  for (const [label, actual, budget] of LINES) {
    ws.addRow([
      label,
      ...actual.flatMap((a, i) => [a, budget[i]!, a - budget[i]!, `${((a / budget[i]!) * 100).toFixed(1)}%`]),
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const lead = (answer: string) => numbersIn(answer.split('\n')[0]!);

describe('a Budget vs. Actuals workbook by quarter', () => {
  let company: Company;
  beforeAll(async () => {
    company = await companyWith([{ name: 'harbourline_bva_2026.xlsx', data: await workbook() }]);
  }, 60_000);
  afterAll(() => company.close());

  it('answers an actual from the Actual column', async () => {
    const { answer } = await company.ask('revenue in q2 2026');
    expect(lead(answer)).toContain(432_500);
  });

  it('answers the budget from the Budget column, said as the plan', async () => {
    const { answer } = await company.ask('what was the revenue budget for q3 2026');
    expect(lead(answer)).toContain(450_000);
    expect(answer).toMatch(/plan/i);
  });

  it('"how much over budget" is the actual less the budget', async () => {
    const { answer } = await company.ask('how much over budget was R&D in q2 2026');
    expect(lead(answer)).toContain(2_750);
  });

  it('"what % of budget" is the actual as a share of the budget', async () => {
    const { answer } = await company.ask('what % of budget did we hit on revenue in q1 2026');
    expect(answer.split('\n')[0]).toMatch(/102\.5/);
  });
});
