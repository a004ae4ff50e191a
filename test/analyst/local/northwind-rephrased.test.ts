import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figureFirst, VERDICT_RE } from './fake-context.ts';
import { type Company, companyWith, FIXTURES, filesIn } from './real-pipeline.ts';

/** The Northwind facts asked in other words than the evaluation's: the rules, not the phrasings. */
let company: Company;
beforeAll(async () => {
  company = await companyWith(filesIn(path.join(FIXTURES, 'northwind'), /^northwind_.*\.(csv|md|xlsx)$/));
});
afterAll(async () => company?.close());

const numeric: Array<[string, number, { abs?: number; rel?: number }]> = [
  ["MRR in Jun '26?", 1_095_472, { rel: 0.001 }],
  ['MRR for 2026-06', 1_095_472, { rel: 0.001 }],
  ["What's our run-rate right now?", 13_145_664, { rel: 0.001 }],
  ['annual recurring revenue at the end of June', 13_145_664, { rel: 0.001 }],
  ['How much net new MRR did we add in March?', 44_975, { rel: 0.001 }],
  ['NDR last quarter', 102.11, { abs: 0.01 }],
  ['net dollar retention in the second quarter of 2026', 102.11, { abs: 0.01 }],
  ['GRR TTM', 81.86, { abs: 0.01 }],
  ['gross dollar retention over the past year', 81.86, { abs: 0.01 }],
  ['customer churn rate in May', 1.06, { abs: 0.01 }],
  ['payback period for Q2', 9.11, { rel: 0.01 }],
  ["What's the burn multiple last quarter?", 0.44, { rel: 0.02 }],
  ['YoY ARR growth as of June', 85.25, { abs: 0.01 }],
  ['Rule of 40?', 52.32, { abs: 0.01 }],
  ['quick ratio for 1Q26', 6.51, { rel: 0.01 }],
  ['sales efficiency (magic number) for Q2', 1.96, { rel: 0.01 }],
  ['How many logos did we have at the end of June?', 516, { rel: 0 }],
  ['How many paying customers do we have right now?', 516, { rel: 0 }],
  ['How much did we spend on research and development in the first quarter of 2026?', 1_534_000, { rel: 0 }],
  ['Operating loss in Q2', 695_345, { rel: 0 }],
  ['How many new customers did we add in Q2 2026?', 73, { rel: 0 }],
  ['headcount now', 50, { rel: 0 }],
  ['MRR as of the end of Q2 2026?', 1_095_472, { rel: 0 }],
  ['ARR today?', 13_145_664, { rel: 0 }],
  ['Net new MRR for 2026-03', 44_975, { rel: 0 }],
  ['NRR for April through June 2026', 102.11, { abs: 0.01 }],
  ['GRR, last twelve months', 81.86, { abs: 0.01 }],
  ['logo churn rate for May', 1.06, { abs: 0.01 }],
  ['How long is CAC payback in Q2?', 9.11, { rel: 0.01 }],
  ['Burn multiple (Q2 2026)?', 0.44, { rel: 0.02 }],
  ['YoY ARR growth at June 2026', 85.25, { abs: 0.01 }],
  ['Rule of 40 (TTM)?', 52.32, { abs: 0.01 }],
  ['Q1 2026 quick ratio', 6.51, { rel: 0.01 }],
  ['magic number for the second quarter', 1.96, { rel: 0.01 }],
  ['customer count at end of June 2026', 516, { rel: 0 }],
  ['R&D expense Q1 2026', 1_534_000, { rel: 0 }],
  ['Operating income for the second quarter of 2026', 695_345, { rel: 0 }],
  ['How much MRR did we add in March 2026?', 44_975, { rel: 0 }],
  ['How much did we spend on marketing in Q2 2026?', 931_070, { rel: 0 }],
  ['What was S&M as a percentage of revenue in Q2 2026?', 30.28, { abs: 0.01 }],
  ["What's our average monthly burn over the last 6 months?", 252_537, { rel: 0.001 }],
  ['What was MRR growth month over month in June?', 53_860, { rel: 0 }],
  ['How much did MRR grow in Q2 2026?', 152_794, { rel: 0 }],
  ['What was revenue last quarter vs the quarter before?', 422_899, { rel: 0 }],
];

describe('Northwind, rephrased (real tools)', () => {
  it.each(numeric)('%s → %d among the first figures', async (question, value, tol) => {
    const r = await company.ask(question);
    expect(figureFirst(r.answer, value, tol), r.answer).toBe(true);
  });

  it('names the month with the highest churned MRR, however asked', async () => {
    for (const q of [
      'In which month over the past year was churned MRR highest?',
      'When did MRR churn peak in the last 12 months?',
    ]) {
      const r = await company.ask(q);
      expect(r.answer.split('\n')[0], q).toContain('May 2026');
    }
  });

  it('answers "which quarter / which year" by quarter and by year', async () => {
    const q = await company.ask('Which quarter in 2025 had the highest NRR?');
    expect(q.answer.split('\n')[0]).toBe('**Q2 2025 had the highest net revenue retention in 2025: 103.17%.**');
    const y = await company.ask('Which year had the most revenue?');
    expect(y.answer.split('\n')[0]).toMatch(/^\*\*2025 had the highest revenue/);
    expect(y.answer).toContain('January 2026 – June 2026');
  });

  it('compares with benchmarks in other words, with a verdict', async () => {
    for (const q of [
      'How do we stack up on NRR over the trailing twelve months?',
      'Is our net dollar retention good for our stage?',
    ]) {
      const r = await company.ask(q);
      expect(figureFirst(r.answer, 113.27, { abs: 0.01 }), r.answer).toBe(true);
      expect(r.answer, q).toMatch(VERDICT_RE);
      expect(r.answer, q).toContain('**Against benchmarks**');
    }
  });

  it('answers document questions in other words', async () => {
    const board = await company.ask("What's the date of the next board meeting?");
    expect(board.answer).toContain('2026-08-14');
    const big = await company.ask('Which customer is the biggest?');
    expect(big.answer.split('\n')[0]).toContain('Contoso Retail');
    const hires = await company.ask('How many engineers do we plan to hire?');
    expect(figureFirst(hires.answer, 6, { rel: 0 })).toBe(true);
    const who = await company.ask("Who's our largest customer?");
    expect(who.answer.split('\n')[0]).toContain('Contoso Retail');
    const reason = await company.ask('Main reason for churn in Q2?');
    expect(reason.answer.split('\n')[0]).toContain('budget');
    const price = await company.ask('What will the Growth plan cost after the price change?');
    expect(price.answer).toContain('$1,450');
  });

  it('says what a metric means when asked, with our figure first', async () => {
    const r = await company.ask('What does burn multiple mean?');
    expect(r.answer.split('\n')[0]).toMatch(/^\*\*Burn multiple in Q2 2026 is 0\.44x\.\*\*/);
    expect(r.answer).toContain('*Burn multiple:* Net burn per dollar of net new ARR.');
  });

  it('says when a period lies after the data instead of guessing', async () => {
    const r = await company.ask('What will MRR be in December 2026?');
    expect(r.answer).toMatch(
      /^I couldn't find \*\*MRR\*\* for December 2026 in your documents: your data ends in June 2026/,
    );
  });

  it('a period before the data is named with the range the data covers, never a nearby figure', async () => {
    const r = await company.ask('What was MRR in January 2019?');
    expect(r.answer).toMatch(
      /^I couldn't find \*\*MRR\*\* for January 2019 in your documents: your data runs from \w+ \d{4} to June 2026/,
    );
    expect(r.metrics).toEqual([]);
  });

  it('keeps the metric for a follow-up question', async () => {
    const r = await company.ask('and in Q1 2026?', [
      { question: 'What was our SaaS quick ratio in Q2 2026?', answer: '…' },
    ]);
    expect(figureFirst(r.answer, 6.505, { rel: 0.01 })).toBe(true);
  });

  it('moves the previous period for "the quarter before", through a chain of follow-ups', async () => {
    const q1 = await company.ask('and in Q1 2026?', [
      { question: 'What was our SaaS quick ratio in Q2 2026?', answer: '…' },
    ]);
    const before = await company.ask('and the quarter before?', [
      { question: 'What was our SaaS quick ratio in Q2 2026?', answer: '…' },
    ]);
    // The same figure as asking for Q1 2026 by name.
    expect(before.answer.split('\n')[0]).toBe(q1.answer.split('\n')[0]);
    const chained = await company.ask('same for NRR', [
      { question: 'What was our SaaS quick ratio in Q2 2026?', answer: '…' },
      { question: 'and the quarter before?', answer: '…' },
    ]);
    expect(chained.answer.split('\n')[0]).toMatch(/^\*\*Net revenue retention in Q1 2026 was /);
  });

  it('answers a month question for a line reported only by quarter with the quarter, said as the quarter’s', async () => {
    const r = await company.ask('What was operating income last month?');
    expect(r.answer.split('\n')[0]).toBe(
      "I couldn't find operating income for June 2026 in your documents: they give it only by quarter. For Q2 2026 (April 2026 – June 2026) as a whole it was -$695,345.",
    );
  });

  it('carries the period into a follow-up that names another metric', async () => {
    const r = await company.ask('What about GRR?', [{ question: 'What was NRR in Q2 2026?', answer: '…' }]);
    expect(r.answer.split('\n')[0]).toMatch(/^\*\*Gross revenue retention in Q2 2026 was 95\.74%\.\*\*/);
  });

  it('reads "is that good?" and "why?" after a figure as about that figure', async () => {
    const history = [{ question: 'What was our net revenue retention in Q2 2026?', answer: '…' }];
    const good = await company.ask('Is that good?', history);
    expect(figureFirst(good.answer, 102.11, { abs: 0.01 })).toBe(true);
    expect(good.answer).toContain('**Against benchmarks**');
    const why = await company.ask('Why?', history);
    expect(why.answer).toMatch(/down 0\.55 pts from 102\.66% in Q1 2026/);
  });

  it('explains a change with the period before and the reason the documents give', async () => {
    const r = await company.ask('Why did NRR drop in Q2 2026?');
    expect(figureFirst(r.answer, 102.11, { abs: 0.01 })).toBe(true);
    expect(r.answer).toMatch(/down 0\.55 pts from 102\.66% in Q1 2026/);
    expect(r.answer).toContain('budget cuts');
  });

  it('greets with example questions and lists the data with latest values', async () => {
    const hi = await company.ask('Hello');
    expect(hi.answer).toContain('What is our current ARR?');
    expect(hi.calls).toEqual(['list_metrics']);
    const list = await company.ask('What metrics do you have?');
    expect(list.answer).toContain('- MRR (July 2024 – June 2026) — latest $1,095,472 in June 2026');
  });

  it('gives the key metrics at a glance for "how are we doing?"', async () => {
    const r = await company.ask('How are we doing?');
    expect(r.answer.split('\n')[0]).toBe('**ARR at the end of June 2026 is $13,145,664.**');
    expect(r.answer).toContain('Net revenue retention over the last 12 months: 113.27%');
    expect(r.answer).toMatch(/Burn multiple in Q2 2026: 0\.44x — \w+/);
    expect(r.calls.length).toBeLessThanOrEqual(12);
  });

  it('returns the metric with its series and benchmark band for the chart', async () => {
    const r = await company.ask('What was our net revenue retention in Q2 2026?');
    const m = r.metrics[0];
    expect(m).toMatchObject({ metric: 'nrr', unit: 'percent' });
    expect(m?.value).toBeCloseTo(102.11, 1);
    expect(m?.series.length).toBeGreaterThan(1);
    expect(m?.benchmark?.label).toBeTruthy();
    expect(r.citations.some((c) => !('benchmark' in c) && c.document_name.endsWith('.csv'))).toBe(true);
  });

  it('shows a trend with its series for the chart', async () => {
    const r = await company.ask('Show me the MRR trend over the last 6 months');
    expect(r.answer.split('\n')[0]).toMatch(/^\*\*MRR was \$1,095,472 in June 2026\*\*, up/);
    expect(r.metrics[0]?.series).toHaveLength(6);
  });
});
