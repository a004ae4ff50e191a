import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractMetrics } from '../../src/documents/extract-metrics.ts';
import { parseDocument } from '../../src/documents/parse/index.ts';
import { namesPlan, planLine } from '../../src/documents/tables/plans.ts';
import type { DocumentFormat } from '../../src/documents/types.ts';
import { computeMetric } from '../../src/graph/engine/compute.ts';
import { buildMetricData, planData } from '../../src/graph/engine/data.ts';
import type { MetricPoint } from '../../src/graph/types.ts';

/**
 * Issue 11: a table whose sheet, title, workbook note or file says it is a budget / forecast / plan /
 * target never gives actuals — its figures are the plan, kept apart by the graph.
 */
let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-plans-'));
});
afterAll(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function points(name: string, content: Buffer | string, format: DocumentFormat): Promise<MetricPoint[]> {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, content);
  return extractMetrics(await parseDocument(file, format), { document_id: 'doc_plan01', document_name: name });
}

const MONTHS = ['2025-10', '2025-11', '2025-12'];
const day = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5)) - 1, 1));

/** A workbook of actuals (`Metrics`, Oct – Dec 2025) and, beside it, a plan sheet running to March 2026. */
async function workbook(planSheet: string, opts: { title?: string; note?: string; notesSheet?: string } = {}) {
  const wb = new ExcelJS.Workbook();
  const act = wb.addWorksheet('Metrics');
  act.addRow(['', ...MONTHS.map(day)]);
  act.addRow(['MRR', 100_000, 104_000, 109_000]);
  act.addRow(['Customers', 200, 205, 212]);
  const plan = wb.addWorksheet(planSheet);
  if (opts.title) plan.addRow([opts.title]);
  const planMonths = ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'];
  plan.addRow(['', ...planMonths.map(day)]);
  plan.addRow(['MRR', 101_000, 103_000, 105_000, 107_000, 109_000, 111_000]);
  plan.addRow(['Customers', 201, 203, 206, 209, 212, 215]);
  if (opts.note) wb.addWorksheet(opts.notesSheet ?? 'Read me').addRow([opts.note]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const actual = (ps: MetricPoint[], metric: string) =>
  ps.filter((p) => p.metric === metric && !p.plan).map((p) => [p.period, p.value]);
const planned = (ps: MetricPoint[], metric: string) =>
  ps.filter((p) => p.metric === metric && p.plan).map((p) => [p.period, p.value]);

describe('a plan sheet beside the actuals', () => {
  it.each(['Forecast 2026', 'Plan', 'FY26 Budget', 'Targets'])(
    'the sheet "%s" gives plan points, never actuals',
    async (sheet) => {
      const ps = await points(`book-${sheet}.xlsx`, await workbook(sheet), 'xlsx');
      expect(actual(ps, 'mrr')).toEqual([
        ['2025-10', 100_000],
        ['2025-11', 104_000],
        ['2025-12', 109_000],
      ]);
      expect(planned(ps, 'mrr')).toHaveLength(6);
      const jan = ps.find((p) => p.metric === 'mrr' && p.period === '2026-01');
      expect(jan?.plan).toBe(sheet);
      expect(jan?.note).toMatch(/a plan, not actuals \(the sheet/);
    },
  );

  it('a title row saying budget makes a plainly named sheet a plan', async () => {
    const ps = await points('titled.xlsx', await workbook('Sheet2', { title: 'Budget approved by the board' }), 'xlsx');
    expect(planned(ps, 'mrr')).toHaveLength(6);
    expect(actual(ps, 'mrr')).toHaveLength(3);
  });

  it('a workbook note naming the sheet makes it a plan; one naming it as actuals does not', async () => {
    const plan = await points(
      'noted.xlsx',
      await workbook('Numbers', { note: 'The Metrics sheet has actuals; the Numbers sheet is the board forecast.' }),
      'xlsx',
    );
    expect(planned(plan, 'mrr')).toHaveLength(6);
    expect(actual(plan, 'mrr')).toHaveLength(3);
    const act = await points(
      'noted-actual.xlsx',
      await workbook('Numbers', { note: 'The Numbers sheet holds actuals from Stripe.' }),
      'xlsx',
    );
    expect(planned(act, 'mrr')).toHaveLength(0);
  });

  it('a "Budget notes" sheet of prose plans nothing, and the actuals stay actuals', async () => {
    const ps = await points(
      'prose.xlsx',
      await workbook('Sheet2', {
        note: 'MRR came in ahead of budget in December; the board will revisit the plan in March.',
        notesSheet: 'Budget notes',
      }),
      'xlsx',
    );
    // Sheet2 (no plan word anywhere) is read as it was: actuals, its months after the Metrics sheet's too.
    expect(planned(ps, 'mrr')).toHaveLength(0);
    expect(ps.some((p) => p.source.locator.startsWith('Budget notes'))).toBe(false);
  });

  it('"Budget vs Actual" and "MRR by plan" are not plans as a whole', () => {
    expect(namesPlan('Budget vs Actual')).toBe(false);
    expect(namesPlan('Variance to plan')).toBe(false);
    expect(namesPlan('MRR by plan')).toBe(false);
    expect(namesPlan('Pricing plan')).toBe(false);
    expect(namesPlan('Plans')).toBe(false);
    expect(namesPlan('Forecast 2026')).toBe(true);
    expect(namesPlan('hiring_plan_fy26.csv')).toBe(true);
  });

  it('a CSV named as a forecast is a plan', async () => {
    const csv = ['Month,MRR', 'Jan 2026,120000', 'Feb 2026,125000'].join('\n');
    const ps = await points('mrr_forecast_2026.csv', csv, 'csv');
    expect(planned(ps, 'mrr')).toEqual([
      ['2026-01', 120_000],
      ['2026-02', 125_000],
    ]);
    expect(actual(ps, 'mrr')).toEqual([]);
  });
});

describe('a plan line beside the actual one', () => {
  it('a row or column whose label says plan gives the plan of what it names, and the actual line stays the actual', async () => {
    const wide = [
      'Metric,Jan 2026,Feb 2026',
      'Budget MRR,150,160',
      'MRR,100,110',
      'Customers (plan),9,9',
      'Customers,5,6',
      'Growth plan,40,44',
    ].join('\n');
    const ps = await points('wide-lines.csv', wide, 'csv');
    expect(actual(ps, 'mrr')).toEqual([
      ['2026-01', 100],
      ['2026-02', 110],
    ]);
    expect(planned(ps, 'mrr')).toEqual([
      ['2026-01', 150],
      ['2026-02', 160],
    ]);
    // Before, the plan row took `customers` and the actual row became a line item of its own.
    expect(actual(ps, 'customers')).toEqual([
      ['2026-01', 5],
      ['2026-02', 6],
    ]);
    expect(ps.find((p) => p.metric === 'customers' && p.plan)?.note).toMatch(/the line "Customers \(plan\)"/);
    // A subscription plan's line is no plan.
    expect(ps.find((p) => p.label === 'Growth plan')?.plan).toBeUndefined();

    const long = [
      'Month,MRR budget,MRR,Forecast customers,Customers',
      'Jan 2026,150,100,9,5',
      'Feb 2026,160,110,9,6',
    ].join('\n');
    const lp = await points('long-lines.csv', long, 'csv');
    expect(actual(lp, 'mrr')).toEqual([
      ['2026-01', 100],
      ['2026-02', 110],
    ]);
    expect(planned(lp, 'customers')).toEqual([
      ['2026-01', 9],
      ['2026-02', 9],
    ]);
  });

  it.each([
    ['Budget MRR', 'MRR'],
    ['MRR target', 'MRR'],
    ['Customers (plan)', 'Customers'],
    ['MRR - plan', 'MRR'],
    ['Plan MRR', 'MRR'],
    ['Growth plan', undefined],
    ['MRR vs budget', undefined],
    ['% of Budget', undefined],
    ['over Budget', undefined],
  ])('planLine(%s) → %s', (label, planned) => {
    expect(planLine(label)).toBe(planned);
  });
});

describe('the graph keeps the plan apart', () => {
  it('the latest month and every computed figure come from the actuals; the plan answers on its own', async () => {
    const ps = await points('graph.xlsx', await workbook('Forecast 2026'), 'xlsx');
    const data = buildMetricData(ps);
    expect(data.latestMonth).toBe('2025-12');
    const feb = computeMetric(data, 'mrr', '2026-02');
    expect(feb.ok).toBe(false);
    const plan = planData(data);
    expect(plan.latestMonth).toBe('2026-03');
    const r = computeMetric(plan, 'mrr', '2026-02');
    expect(r.ok && r.value).toBe(109_000);
    // No plan in the documents: an empty plan, never the actuals.
    expect(planData(buildMetricData(actualOnly(ps))).series.size).toBe(0);
  });
});

const actualOnly = (ps: MetricPoint[]) => ps.filter((p) => !p.plan);
