import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Company, companyWith } from './real-pipeline.ts';

/** Headers that name catalog metrics in other words, kept by the documents part as line items. */
const CSV = [
  'Period,Recurring Revenue (Monthly),Paying Accounts,Marketing & Sales Costs,Churned Revenue,Upgrades Revenue',
  'Jan 2026,"$120,500",88,"$40,000","$1,200","$2,000"',
  'Feb 2026,"$125,900",91,"$42,000","$900","$2,500"',
  'Mar 2026,"$131,200",95,"$41,000","$1,500","$1,800"',
].join('\n');

let company: Company;
beforeAll(async () => {
  company = await companyWith([{ name: 'kpi.csv', data: Buffer.from(CSV) }]);
});
afterAll(async () => company?.close());

const first = (s: string) => s.split('\n')[0];

describe('metrics under other headers (real tools)', () => {
  it.each([
    ['What was MRR in March 2026?', '**MRR at the end of March 2026 was $131,200.**'],
    ['How many customers do we have?', '**Customers at the end of March 2026 are 95.**'],
    ['What was S&M spend in Q1 2026?', '**Sales & marketing spend in Q1 2026 was $123,000.**'],
    ['What was churned MRR in February?', '**Churned MRR in February 2026 was $900.**'],
    ['expansion MRR in Q1 2026', '**Expansion MRR in Q1 2026 was $6,300.**'],
  ])('%s', async (question, expected) => {
    expect(first((await company.ask(question)).answer)).toBe(expected);
  });
});

describe('a plan that runs past the actuals (real tools)', () => {
  let planned: Company;
  beforeAll(async () => {
    const actuals = ['month,mrr,customers', '2026-01,400000,180', '2026-02,415000,184', '2026-03,431000,190'].join(
      '\n',
    );
    const plan = [
      'month,planned hires',
      ...Array.from({ length: 9 }, (_, i) => `2026-${String(i + 4).padStart(2, '0')},${i + 2}`),
    ].join('\n');
    planned = await companyWith([
      { name: 'actuals.csv', data: Buffer.from(actuals) },
      { name: 'hiring_plan_2026.csv', data: Buffer.from(plan) },
    ]);
  });
  afterAll(async () => planned?.close());

  it('anchors "current" to the metric’s own latest month, not the plan’s last month', async () => {
    const r = await planned.ask('What is our current MRR?');
    expect(first(r.answer)).toBe('**MRR at the end of March 2026 is $431,000.**');
    const arr = await planned.ask('ARR right now?');
    expect(first(arr.answer)).toBe('**ARR at the end of March 2026 is $5,172,000.**');
  });
});

describe('a derived metric reported as a column (real tools)', () => {
  let reported: Company;
  beforeAll(async () => {
    const csv = [
      'Quarter,ARR,Net Revenue Retention %',
      'Q1 2026,"$4,800,000",108.5%',
      'Q2 2026,"$5,300,000",111.2%',
    ].join('\n');
    reported = await companyWith([{ name: 'board_kpis.csv', data: Buffer.from(csv) }]);
  });
  afterAll(async () => reported?.close());

  it('reads the reported value when the inputs to compute it are absent', async () => {
    const r = await reported.ask('What was NRR in Q2 2026?');
    expect(first(r.answer)).toMatch(/^\*\*Net revenue retention in Q2 2026 was 111\.20%\.\*\*/);
  });
});

describe('an export that gives MRR only as each month’s opening balance (real tools)', () => {
  let opening: Company;
  beforeAll(async () => {
    const csv = [
      'Month,Beginning MRR,New MRR,Expansion MRR,Contraction MRR,Churned MRR',
      '2025-11,105000,4000,1500,-700,-1800',
      '2025-12,108000,6000,1000,-500,-1500',
    ].join('\n');
    opening = await companyWith([{ name: 'opening.csv', data: Buffer.from(csv) }]);
  });
  afterAll(async () => opening?.close());

  it('answers the latest MRR as derived from its opening balance and movements, and says so', async () => {
    const { answer } = await opening.ask('what is our mrr');
    expect(first(answer)).toBe('**MRR at the end of December 2025 is $113,000.**');
    expect(answer).toMatch(/Read as: MRR at the end of December 2025 derived/);
  });

  it('still says it cannot find MRR for a month after the data', async () => {
    const { answer } = await opening.ask('mrr in february 2026');
    expect(answer).toMatch(/^I couldn't find/);
  });
});

describe('a column whose content decided what it is, asked by its own header (real tools)', () => {
  let billing: Company;
  beforeAll(async () => {
    const tsv = [
      'Month\tSubscription revenue\tNew MRR\tUpsell\tDownsell\tLost MRR',
      'October 2025\t50,000\t2,000\t500\t-300\t-700',
      'November 2025\t51,650\t2,100\t400\t-250\t-600',
      'December 2025\t52,950\t1,800\t600\t-200\t-900',
      'January 2026\t54,850\t2,500\t300\t-400\t-500',
    ].join('\n');
    billing = await companyWith([{ name: 'billing.tsv', data: Buffer.from(tsv) }]);
  });
  afterAll(async () => billing?.close());

  it.each([
    ['subscription revenue in December 2025', '**MRR at the end of December 2025 was $52,950.**'],
    ['mrr?', '**MRR at the end of January 2026 is $54,850.**'],
    ['arr', '**ARR at the end of January 2026 is $658,200.**'],
  ])('%s', async (question, expected) => {
    const { answer } = await billing.ask(question);
    expect(first(answer)).toBe(expected);
    expect(answer).toMatch(/Read as: month-end MRR \("Subscription revenue"/);
  });
});
