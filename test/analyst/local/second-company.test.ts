import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, acmeFiles, acmeTruth } from './acme-fixture.ts';
import { figureFirst, VERDICT_RE } from './fake-context.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/** A company the engine has never seen (wide workbook, other headers, quarterly costs, a memo), over the real tools. */
let company: Company;
const t = acmeTruth();
beforeAll(async () => {
  company = await companyWith(await acmeFiles());
});
afterAll(async () => company?.close());

const first = (answer: string) => answer.split('\n')[0] ?? '';

describe('Acme Cloud (second company, real tools)', () => {
  it('reads "as of Sep" as the latest September and answers the ending MRR first', async () => {
    const r = await company.ask("What's our MRR as of Sep?");
    expect(first(r.answer)).toBe(`**MRR at the end of September 2025 was $${t.end[8]!.toLocaleString('en-US')}.**`);
    expect(r.citations[0]).toMatchObject({ document_name: 'acme_kpis_2025.xlsx' });
  });

  it('computes NDR for a quarter named without a year', async () => {
    const r = await company.ask('NDR for Q3');
    const sum = (xs: number[]) => xs.slice(6, 9).reduce((a, b) => a + b, 0);
    const nrr = ((t.begin[6]! + sum(ACME.UPSELL) - sum(ACME.DOWN) - sum(ACME.CANCEL)) / t.begin[6]!) * 100;
    expect(first(r.answer)).toContain('Net revenue retention in Q3 2025');
    expect(figureFirst(r.answer, nrr, { abs: 0.01 })).toBe(true);
    expect(r.answer).toContain('**How it was computed**');
  });

  it('counts lost logos over a quarter', async () => {
    const r = await company.ask('How many logos did we lose in Q2?');
    expect(figureFirst(r.answer, 7, { abs: 0 })).toBe(true);
    expect(first(r.answer)).toMatch(/Churned customers in Q2 2025 were 7/);
  });

  it("reads the tenant's own line items from a quarterly table", async () => {
    const aws = await company.ask('What did we spend on AWS hosting in Q2 2025?');
    expect(first(aws.answer)).toMatch(/^\*\*AWS hosting in Q2 2025 was \$33,950\.\*\*/i);
    const contractors = await company.ask('How much did we spend on contractors in the first half of 2025?');
    expect(figureFirst(contractors.answer, 39_500, { rel: 0 })).toBe(true);
  });

  it('finds the month with the most new business', async () => {
    const r = await company.ask('Which month had the most new business?');
    expect(first(r.answer)).toMatch(/^\*\*June 2025 had the highest new MRR/);
  });

  it('answers "is it healthy" with a verdict and the benchmark source', async () => {
    const r = await company.ask('Is our burn multiple healthy?');
    expect(first(r.answer)).toMatch(/^\*\*Burn multiple in Q3 2025 is \d+\.\d\dx\.\*\*/);
    expect(r.answer).toContain('**Against benchmarks**');
    expect(r.answer).toMatch(VERDICT_RE);
    expect(r.citations.some((c) => 'benchmark' in c)).toBe(true);
  });

  it('says what is missing and which document would supply it', async () => {
    const r = await company.ask('What was revenue in Q2 2025?');
    expect(r.answer).toMatch(/couldn't find \*\*Revenue\*\* for Q2 2025/);
    expect(r.answer).toMatch(/upload a P&L/);
    const r40 = await company.ask('What is our Rule of 40?');
    expect(r40.answer).toMatch(/can't compute \*\*Rule of 40\*\*/);
    expect(r40.answer).toMatch(/need .*revenue/i);
  });

  it('answers document questions extractively, quoting the memo', async () => {
    const who = await company.ask('Who is our biggest client?');
    expect(first(who.answer)).toContain('Globex Corporation');
    expect(who.citations[0]).toMatchObject({ document_name: 'acme_investor_memo_sep_2025.txt' });
    const when = await company.ask('When is the planning offsite?');
    expect(first(when.answer)).toContain('2025-11-06');
    const why = await company.ask('What was the main reason customers left in Q3?');
    expect(first(why.answer)).toContain('SSO');
  });

  it('answers current cash and runway relative to the latest data', async () => {
    const cash = await company.ask('How much cash do we have?');
    expect(first(cash.answer)).toBe(
      `**Cash balance at the end of September 2025 is $${t.cash[8]!.toLocaleString('en-US')}.**`,
    );
    const runway = await company.ask("What's our runway?");
    expect(first(runway.answer)).toMatch(/^\*\*Runway as of September 2025 is \d+\.\d\d months\.\*\*/);
  });

  it('answers the evaluation templates on this company too', async () => {
    const sum = (xs: number[], from: number, to: number) => xs.slice(from, to).reduce((a, b) => a + b, 0);
    const quick = (sum(ACME.NEW, 0, 3) + sum(ACME.UPSELL, 0, 3)) / (sum(ACME.DOWN, 0, 3) + sum(ACME.CANCEL, 0, 3));
    const q = await company.ask('What was our SaaS quick ratio in Q1 2025?');
    expect(figureFirst(q.answer, quick, { rel: 0.01 }), q.answer).toBe(true);
    const magic = ((t.end[8]! - t.begin[6]!) * 12) / sum(ACME.SM, 3, 6);
    const mg = await company.ask('What was the magic number in Q3 2025?');
    expect(figureFirst(mg.answer, magic, { rel: 0.01 }), mg.answer).toBe(true);
    const churn = await company.ask('Which month had the highest cancellations?');
    expect(first(churn.answer)).toMatch(/^\*\*August 2025 had the highest churned MRR/);
    const logo = await company.ask('What was logo churn in August 2025?');
    expect(figureFirst(logo.answer, (4 / t.logosBegin[7]!) * 100, { abs: 0.01 }), logo.answer).toBe(true);
    const bench = await company.ask('How does our NRR in Q3 compare to benchmarks?');
    expect(bench.answer).toMatch(VERDICT_RE);
    expect(bench.answer).toContain('**Against benchmarks**');
  });

  it('asks the documents first about another company, and never gives the company-wide figure as its answer', async () => {
    const globex = await company.ask("How long is Globex's renewal?");
    expect(first(globex.answer)).toContain('Globex Corporation, which signed a three-year renewal');
    const initech = await company.ask("What was Initech's MRR in September 2025?");
    expect(first(initech.answer)).toMatch(
      /^I couldn't find the answer to “What was Initech's MRR in September 2025\?”/,
    );
    expect(initech.answer).toContain('for the company as a whole, not for Initech');
    expect(initech.answer).not.toContain(t.end[8]!.toLocaleString('en-US'));
  });

  it('stays within the per-turn tool cap', async () => {
    const r = await company.ask('Which month had the highest NRR this year?');
    expect(r.calls.length).toBeLessThanOrEqual(12);
    expect(r.answer.length).toBeGreaterThan(0);
  });
});
