import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { abstains, check, type QuestionSet, type Scored, score, table } from './companies/check.ts';
import { companyWith, FIXTURES, filesIn } from './local/real-pipeline.ts';

/**
 * The judged test set of issue 11: companies of our own making (test/fixtures/companies/*), each
 * loaded through the real pipeline (upload → parse → graph) and asked every question, follow-ups in one
 * conversation, scored exactly as the HTTP evaluation scores them (companies/check.ts).
 *
 * RATCHET. The goal is every answer right and zero confidently wrong answers (a failed answer that
 * states a figure or fact instead of "I couldn't find …"). The engine does not meet it yet, so each
 * company asserts a floor of right answers and a ceiling of confidently wrong ones at the values last
 * measured. Whoever improves the engine raises the floor and lowers the ceiling here (to the totals and
 * to 0 in the end); a change that loses a right answer or adds a confidently wrong one fails, and the
 * failure prints the per-question table.
 */
const RATCHET: Record<string, { minRight: number; maxConfidentlyWrong: number }> = {
  brightwave: { minRight: 78, maxConfidentlyWrong: 0 },
  kestrel: { minRight: 87, maxConfidentlyWrong: 0 },
  marlowe: { minRight: 77, maxConfidentlyWrong: 0 },
  // Companies 4 and 5 stand in for the unseen set (other layouts, headers, phrasings): their floors are
  // what the engine first measured on them, to be raised.
  quillon: { minRight: 83, maxConfidentlyWrong: 0 },
  // Fernhill's TSV heads its month-end MRR `Subscription revenue`: it rolls forward with the table's
  // movements, so it is read as MRR (graph/roll-forward.ts); the P&L's `Total revenue` stays revenue.
  fernhill: { minRight: 72, maxConfidentlyWrong: 0 },
  // Companies 6 and 7 (generate-unseen.ts): an ARR roll-forward, a transposed P&L with fiscal-quarter
  // subtotal columns and an October fiscal year with half-year questions (Sablewood); euros with decimal
  // commas, MM/YYYY months, a P&L in EUR k and cash only at quarter ends in a DOCX board pack (Ostara).
  // First measured over HTTP at 55/73 (5 confidently wrong) and 29/70 (1).
  sablewood: { minRight: 72, maxConfidentlyWrong: 0 },
  ostara: { minRight: 70, maxConfidentlyWrong: 0 },
  // Companies 8 and 9 (generate-blind.ts) were written blind (without reading the engine), shaped like
  // ChartMogul / QuickBooks / Notion and Baremetrics exports, a PDF KPI table and a DOCX hiring plan; first
  // measured at 47/59 (4 confidently wrong) and 38/54 (1).
  pennant: { minRight: 59, maxConfidentlyWrong: 0 },
  orrery: { minRight: 54, maxConfidentlyWrong: 0 },
  // Companies 10 and 11 (generate-blind-2.ts), also written blind: a Google-Sheets dashboard with a budget
  // sheet beside it, a Xero P&L newest month first, a cash-flow sheet and a Recurly cancellations export in
  // pounds with a May fiscal year (cobbold); a ProfitWell JSON, a Stripe subscriptions export, a QuickBooks
  // Budget vs. Actuals with a two-row header and a cohort table (kiteline). First measured at 43/68 (14
  // confidently wrong) and 29/71 (2). Kiteline's one confidently wrong answer is known: 'which customer pays
  // us the most per month' ranks Stripe's per-interval Amount without the Interval (annual prices ÷ 12)
  // and Quantity; its other misses abstain (cohort cells, subscription statuses, sites = Quantity).
  cobbold: { minRight: 68, maxConfidentlyWrong: 0 },
  kiteline: { minRight: 62, maxConfidentlyWrong: 1 },
};

const ROOT = path.join(FIXTURES, 'companies');
const COMPANIES = Object.keys(RATCHET);
const sets = Object.fromEntries(
  COMPANIES.map((c) => [c, JSON.parse(fs.readFileSync(path.join(ROOT, c, 'questions.json'), 'utf8')) as QuestionSet]),
);

describe('the company test set is what the issue asks for', () => {
  const all = COMPANIES.flatMap((c) => sets[c]!.questions);
  it('has at least three companies and at least 150 questions, 30 unanswerable and 20 answered only in prose', () => {
    expect(COMPANIES.length).toBeGreaterThanOrEqual(3);
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(all.filter((q) => q.expect.kind === 'abstain').length).toBeGreaterThanOrEqual(30);
    expect(all.filter((q) => q.tags?.includes('prose')).length).toBeGreaterThanOrEqual(20);
    expect(new Set(all.map((q) => q.id)).size).toBe(all.length);
    for (const c of COMPANIES) expect(fs.readdirSync(path.join(ROOT, c, 'documents')).length).toBeGreaterThanOrEqual(3);
  });

  it('scores as the evaluation does (a figure among the first eight numbers, a plain abstention)', () => {
    expect(check({ kind: 'number', value: 353_704, rel_tol: 0.01 }, '**MRR in December 2025 was $353,704.**')).toBe(
      true,
    );
    expect(check({ kind: 'number', value: 353_704, rel_tol: 0.01 }, 'MRR was $336,457.')).toBe(false);
    expect(check({ kind: 'percent', value: 99.93, abs_tol: 0.2 }, 'NRR was 107.00%')).toBe(false);
    expect(check({ kind: 'number', value: 5, rel_tol: 0 }, '1 2 3 4 6 7 8 9 5')).toBe(false);
    expect(check({ kind: 'text', any: ['Corvid'] }, 'Your reseller partner is corvid systems.')).toBe(true);
    expect(check({ kind: 'abstain' }, "I couldn't find your NPS in your documents.")).toBe(true);
    expect(check({ kind: 'abstain' }, '**Revenue in September 2026 is $251,643.**')).toBe(false);
    expect(abstains('Customers in Q3 were 412.')).toBe(false);
  });
});

for (const name of COMPANIES) {
  describe(`${sets[name]!.company} (${name}), real pipeline`, () => {
    const results: Scored[] = [];
    let closing: (() => Promise<void>) | undefined;
    afterAll(async () => closing?.());

    it('answers every question at or above the ratchet', { timeout: 240_000 }, async () => {
      const company = await companyWith(filesIn(path.join(ROOT, name, 'documents')));
      closing = () => company.close();
      const history = new Map<string, Array<{ question: string; answer: string }>>();
      for (const q of sets[name]!.questions) {
        const past = q.session ? (history.get(q.session) ?? []) : [];
        const r = await company.ask(q.question, past);
        if (q.session) history.set(q.session, [...past, { question: q.question, answer: r.answer }]);
        results.push(score(q, r.answer));
      }
      const right = results.filter((r) => r.ok).length;
      const wrong = results.filter((r) => r.confidentlyWrong).length;
      const { minRight, maxConfidentlyWrong } = RATCHET[name]!;
      const summary = `${name}: ${right}/${results.length} right (${((right / results.length) * 100).toFixed(1)}%), ${wrong} confidently wrong`;
      console.log(summary);
      if (process.env.COMPANIES_TABLE || right < minRight || wrong > maxConfidentlyWrong) console.log(table(results));
      expect(results).toHaveLength(sets[name]!.questions.length);
      expect(right, summary).toBeGreaterThanOrEqual(minRight);
      expect(wrong, summary).toBeLessThanOrEqual(maxConfidentlyWrong);
    });
  });
}
