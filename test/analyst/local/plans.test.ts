import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abstains, numbersIn } from '../companies/check.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * Issue 11, "never confidently wrong": a plan sheet beside the actuals (a forecast, a plan) answers
 * questions about the plan, and only those — an actual is never the plan's figure, and a month only the
 * plan gives has no actual.
 */
const day = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5)) - 1, 1));
const ACTUAL = ['2025-10', '2025-11', '2025-12'];
const PLANNED = ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'];

async function workbook(planSheet: string | undefined, notes?: { sheet: string; text: string }) {
  const wb = new ExcelJS.Workbook();
  const act = wb.addWorksheet('Metrics');
  act.addRow(['Acme Analytics — monthly metrics']);
  act.addRow(['', ...ACTUAL.map(day)]);
  act.addRow(['MRR', 100_000, 104_000, 109_000]);
  act.addRow(['Customers', 200, 205, 212]);
  if (planSheet) {
    const plan = wb.addWorksheet(planSheet);
    plan.addRow(['', ...PLANNED.map(day)]);
    plan.addRow(['MRR', 101_500, 103_500, 105_500, 107_500, 109_500, 111_500]);
    plan.addRow(['Customers', 201, 204, 207, 210, 213, 216]);
  }
  if (notes) wb.addWorksheet(notes.sheet).addRow([notes.text]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const lead = (answer: string) => numbersIn(answer).slice(0, 8);

describe('a forecast sheet beside the actuals', () => {
  let company: Company;
  beforeAll(async () => {
    company = await companyWith([{ name: 'acme_kpis.xlsx', data: await workbook('Forecast 2026') }]);
  }, 60_000);
  afterAll(() => company.close());

  it('"current MRR" is the last actual month, never the forecast’s last month', async () => {
    const { answer } = await company.ask('what is our mrr');
    expect(answer).toMatch(/December 2025/);
    expect(lead(answer)).toContain(109_000);
    expect(lead(answer)).not.toContain(111_500);
  });

  it('an actual asked after the actuals end abstains, however the forecast covers it', async () => {
    const { answer } = await company.ask('actual mrr for february 2026');
    expect(abstains(answer)).toBe(true);
    expect(answer).not.toContain('109,500');
  });

  it('the forecast’s figure answers a question about the forecast, named as the plan', async () => {
    const { answer } = await company.ask('forecast mrr for february 2026');
    expect(answer).toMatch(/^\*\*Planned MRR for February 2026: \$109,500\*\* \(from “Forecast 2026”\)/);
    expect(answer).toMatch(/not an actual/);
    expect(answer).toMatch(/Forecast 2026!F2/);
  });

  it('the actual against the forecast is actual − plan, with both figures', async () => {
    const { answer } = await company.ask('how did mrr do vs forecast in november?');
    expect(answer).toMatch(/\$104,000: \$500 above the plan \(“Forecast 2026”: \$103,500/);
    expect(answer).toMatch(/Difference \(actual − plan\): \+\$500/);
  });

  it('a month the forecast does not cover abstains, with what it covers', async () => {
    const { answer } = await company.ask('forecasted customers for june 2026');
    expect(abstains(answer)).toBe(true);
    expect(answer).toMatch(/October 2025 to March 2026/);
  });

  it('a follow-up of a forecast question stays on the forecast; one asking for the actual, or a new question, does not', async () => {
    const first = 'forecast mrr for january 2026';
    const a = await company.ask(first);
    const next = await company.ask('and february?', [{ question: first, answer: a.answer }]);
    expect(next.answer).toMatch(/Planned MRR for February 2026: \$109,500/);
    const other = await company.ask('what about churned mrr', [{ question: first, answer: a.answer }]);
    expect(abstains(other.answer)).toBe(true);
    expect(other.answer).toMatch(/planned \*\*Churned MRR\*\*/);
    const fresh = await company.ask('mrr in november 2025', [{ question: first, answer: a.answer }]);
    expect(lead(fresh.answer)).toContain(104_000);
  });

  it('the forecast for a month with no actual yet says no actual is there to set against it', async () => {
    const { answer } = await company.ask('mrr vs forecast in march 2026');
    expect(abstains(answer)).toBe(true);
    expect(answer).toMatch(/plans \$111,500/);
  });
});

describe('a budget column beside the actual one', () => {
  it('the actual stays the actual, the budget answers the budget, the gap is actual − budget', async () => {
    const csv = ['Month,MRR budget,MRR', 'Jan 2026,150000,140000', 'Feb 2026,160000,171000'].join('\n');
    const company = await companyWith([{ name: 'kpis.csv', data: Buffer.from(csv) }]);
    try {
      const now = await company.ask('what is our mrr');
      expect(lead(now.answer)).toContain(171_000);
      expect(lead(now.answer)).not.toContain(160_000);
      const budget = await company.ask('budgeted mrr for january 2026');
      expect(budget.answer).toMatch(/Planned MRR for January 2026: \$150,000/);
      const gap = await company.ask('how far off budget was mrr in february 2026');
      expect(gap.answer).toMatch(/\$171,000: \$11,000 above the plan/);
    } finally {
      await company.close();
    }
  }, 60_000);
});

describe('a plan line named as the company names its customers', () => {
  it('the budget’s "New clinics" answers budgeted new clinics, as a count', async () => {
    const wb = new ExcelJS.Workbook();
    const act = wb.addWorksheet('Dashboard');
    act.addRow(['', ...ACTUAL.map(day)]);
    act.addRow(['MRR', 100_000, 104_000, 109_000]);
    act.addRow(['Paying clinics', 200, 205, 212]);
    act.addRow(['New clinics', 9, 8, 10]);
    const bud = wb.addWorksheet('Budget 2026');
    bud.addRow(['', ...PLANNED.map(day)]);
    bud.addRow(['New clinics', 12, 12, 14, 14, 16, 16]);
    const company = await companyWith([{ name: 'clinic kpis.xlsx', data: Buffer.from(await wb.xlsx.writeBuffer()) }]);
    try {
      const { answer } = await company.ask('budgeted new clinics for december 2025');
      expect(answer).toMatch(/: 14\*\* \(from “Budget 2026”\)/);
      const gap = await company.ask('new clinics vs budget in december 2025');
      expect(gap.answer).toMatch(/10: 4 below the plan/);
    } finally {
      await company.close();
    }
  }, 60_000);
});

describe('a budget and a forecast for the same months', () => {
  it('"the forecast" is the forecast’s figure and "the budget" the budget’s', async () => {
    const wb = new ExcelJS.Workbook();
    const act = wb.addWorksheet('Metrics');
    act.addRow(['', ...ACTUAL.map(day)]);
    act.addRow(['MRR', 100_000, 104_000, 109_000]);
    for (const [sheet, base] of [
      ['FY26 Budget', 120_000],
      ['Q3 Forecast', 130_000],
    ] as const) {
      const ws = wb.addWorksheet(sheet);
      ws.addRow(['', ...PLANNED.map(day)]);
      ws.addRow(['MRR', ...PLANNED.map((_, i) => base + i * 1_000)]);
    }
    const company = await companyWith([{ name: 'fpa.xlsx', data: Buffer.from(await wb.xlsx.writeBuffer()) }]);
    try {
      const f = await company.ask('forecast mrr for january 2026');
      expect(f.answer).toMatch(/Planned MRR for January 2026: \$133,000\*\* \(from “Q3 Forecast”\)/);
      const b = await company.ask('budgeted mrr for january 2026');
      expect(b.answer).toMatch(/Planned MRR for January 2026: \$123,000\*\* \(from “FY26 Budget”\)/);
      const gap = await company.ask('mrr vs forecast in december 2025');
      expect(gap.answer).toMatch(/\$109,000: \$23,000 below the plan \(“Q3 Forecast”/);
    } finally {
      await company.close();
    }
  }, 60_000);
});

describe('plans that are not there', () => {
  it('a sheet named "Plan" is read as the plan too', async () => {
    const company = await companyWith([{ name: 'kpis.xlsx', data: await workbook('Plan') }]);
    try {
      const { answer } = await company.ask('what were customers vs plan in december');
      expect(answer).toMatch(/212: 5 above the plan \(“Plan”: 207/);
    } finally {
      await company.close();
    }
  }, 60_000);

  it('a "Budget notes" sheet of prose gives no budget figure, and the actual is never given as the budget', async () => {
    const company = await companyWith([
      {
        name: 'kpis.xlsx',
        data: await workbook(undefined, {
          sheet: 'Budget notes',
          text: 'MRR came in ahead of budget in December; the board will revisit the plan in March.',
        }),
      },
    ]);
    try {
      const { answer } = await company.ask('what was the budgeted mrr for december 2025');
      expect(answer).not.toMatch(/Planned MRR/);
      expect(lead(answer)).not.toContain(109_000);
      // The actuals are read as before.
      const mrr = await company.ask('mrr in december 2025');
      expect(lead(mrr.answer)).toContain(109_000);
    } finally {
      await company.close();
    }
  }, 60_000);
});
