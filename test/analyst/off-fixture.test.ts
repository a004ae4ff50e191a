import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abstains, numbersIn } from './companies/check.ts';
import { type Company, companyWith, FIXTURES, filesIn } from './local/real-pipeline.ts';

/**
 * Questions nobody wrote fixtures for, typed as founders and CFOs type them — qualifiers, other
 * companies, rates asked of amounts, what-ifs, advice, actions, metrics no document holds, people and
 * dates no document states — asked of the five companies of the judged set through the real pipeline.
 *
 * The product's worst failure is a confident answer to a different question (logo churn for "employee
 * churn", our CEO for Stripe's, a hiring sentence for "how many engineers do we have"). So each question
 * asserts either what the documents state (a figure or a name, where they state it) or a plain "I
 * couldn't find …" / out-of-scope answer that gives no figure as the answer.
 */
const COMPANIES = ['brightwave', 'kestrel', 'marlowe', 'quillon', 'fernhill'] as const;
type Name = (typeof COMPANIES)[number];

/** The answer gives no figure or fact as the answer: it says first that it cannot. */
function declines(answer: string): boolean {
  // "**Logo churn in June 2026 is 0.97%.**" states a figure; an abstention opens with what it could not find.
  return abstains(answer) && !/^\*\*[^*]*\d/.test(answer.trim());
}

/** Answers none of the five companies' documents hold: each must decline, never give a nearby figure. */
const UNANSWERABLE = [
  // A qualifier the company-wide metric leaves unexplained.
  'what is our employee churn rate',
  'whats our arr per employee',
  'revenue per employee',
  "what's our net burn per employee",
  'what is mrr per sales rep',
  'whats our cost per lead',
  'mrr by region',
  'churn in germany',
  'customer churn rate in the uk',
  'what is our cac in the uk',
  'nrr for enterprise customers',
  'arr for our enterprise segment',
  'what is our smb churn',
  'churn among smb customers last quarter',
  'whats our mrr in euros',
  "what's our marketing headcount",
  'what is gross margin excluding hosting',
  "what's our ndr excluding our largest customer",
  "what's the lifetime value of enterprise customers",
  // Another organisation's figure or person.
  'what is the churn rate of our competitors',
  "what is salesforce's arr",
  'whats the churn rate at hubspot',
  'who is the ceo of stripe',
  'who is the CEO of Stripe?',
  'what is the revenue of our largest competitor',
  "tell me about our competitors' growth",
  // A rate or ratio asked of an amount, or a metric no document holds.
  'what is our ebitda margin',
  'net income margin',
  "what's our opex margin",
  "what's our opex ratio",
  'what is our conversion rate from trial to paid',
  'what is our expansion rate',
  'nps score',
  'dau last week',
  'website traffic last month',
  "what's our sales cycle length",
  "what's our pipeline coverage",
  "what's our cash conversion",
  'how many support tickets last month',
  'how many trials did we start last month',
  // Arithmetic, targets and what-ifs: not a figure the documents give.
  "what's 15% of our arr",
  'what is our churn rate target',
  "what's our arr growth vs last year's plan",
  'what would MRR be if churn halved',
  'if we cut burn by 20% how long is runway',
  'what happens to runway if we hire 5 engineers',
  'how many months of runway if we stop hiring',
  'forecast mrr next quarter',
  'projected arr at end of next year',
  'when do we expect to break even',
  // Periods outside the data, or that are not periods.
  'mrr in march 2019',
  'revenue in 2030',
  'what was burn in the first half of 2019',
  'give me our burn for each month of 2019',
  'what was mrr on 31 february 2026',
  // Advice, actions and requests outside the analyst's job.
  'email this to my cfo',
  'send the board deck to the investors',
  'schedule a board meeting for next week',
  'draft an email to investors about q4',
  'what should our pricing be',
  'should we raise prices',
  'should we hire more salespeople',
  'how can we reduce churn',
  'tell me a joke about saas',
  'translate our board memo to french',
  "what's the weather today",
  // People, amounts and dates no document states.
  'how many engineers do we have',
  'how many sales reps do we have',
  'how big is our sales team',
  'how much did we raise in our series a',
  "what's our valuation",
  'how much equity does the ceo own',
  "what's the CEO's salary",
  'whats the average salary of our engineers',
  'how much do we pay in rent',
  "what's our payroll cost",
  'who is our head of marketing',
  'who are our investors',
  'who is our biggest investor',
  'when is our next fundraise',
  'how long has our cfo been with us',
  "what's the market size",
  "what's our average discount",
];

/** Answers some documents state: the figure or name where they do, a plain decline elsewhere. */
const STATED: Array<{ question: string; where: Partial<Record<Name, string[] | number>> }> = [
  // "Last year in March" is March of last year (MRR as each month-end table reports it).
  {
    question: 'mrr last year in march',
    where: { brightwave: 261_490, kestrel: 598_757, quillon: 796_670, fernhill: 138_922 },
  },
  // A role written in capitals is a role: its holder's joining sentence answers.
  { question: 'when did the CRO join?', where: { quillon: ['November 2025'], brightwave: ['3 March 2025'] } },
  // (A VP of Engineering heads the function a CTO heads: the role family answers.)
  { question: 'who is our cto', where: { brightwave: ['Aiko Marsh'], kestrel: ['Sven Lindqvist'] } },
  { question: 'who is our ceo', where: { brightwave: ['Tomas Ekberg'] } },
  { question: 'what is the name of our cto', where: { brightwave: ['Aiko Marsh'], kestrel: ['Sven Lindqvist'] } },
  // A count of the noun asked, of the kind asked.
  // Quillon's deck says "Headcount was 58 at the end of FY26" (its fiscal year ends with the data, March
  // 2026): the metric's own name in the text states it, though the question says "employees".
  { question: 'how many employees do we have', where: { kestrel: ['96 employees'], quillon: ['58'] } },
  { question: 'how many people did we hire in Q4', where: { fernhill: ['five people'] } },
  // A superlative is part of what is asked: the smallest customer is not the largest.
  { question: 'who is our smallest customer', where: { quillon: ['Bellweather Care'], kestrel: ['Coastal Spur'] } },
  // "Founded" is not "starts": a fiscal year or a pilot starting does not answer it.
  { question: 'when was the company founded', where: { brightwave: ['2019'], quillon: ['2018'] } },
  { question: 'who is our auditor', where: { brightwave: ['Pellham & Rowe'] } },
  // A win rate is won over closed deals, where a deals list has them.
  { question: 'win rate on deals', where: { marlowe: ['66.7%'], quillon: ['57.1%'] } },
  // "Gross profit margin" is gross margin; a typo of "the" is mended.
  { question: 'gross profit margin', where: {} },
  { question: 'whats teh burn rate', where: {} },
];

describe('off-fixture questions on the five companies (real pipeline)', () => {
  const companies = new Map<Name, Company>();
  beforeAll(async () => {
    for (const name of COMPANIES)
      companies.set(name, await companyWith(filesIn(path.join(FIXTURES, 'companies', name, 'documents'))));
  }, 120_000);
  afterAll(async () => {
    for (const c of companies.values()) await c.close();
  });

  it('has at least 60 questions of its own', () => {
    expect(UNANSWERABLE.length + STATED.length).toBeGreaterThanOrEqual(60);
    expect(new Set(UNANSWERABLE).size).toBe(UNANSWERABLE.length);
  });

  it.each(UNANSWERABLE)('“%s” is declined by every company, with no figure given as the answer', async (question) => {
    const wrong: string[] = [];
    for (const name of COMPANIES) {
      const { answer } = await companies.get(name)!.ask(question);
      if (!declines(answer)) wrong.push(`${name}: ${answer.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(STATED)('“$question” states what the documents say, and declines elsewhere', async ({ question, where }) => {
    const wrong: string[] = [];
    for (const name of COMPANIES) {
      const { answer } = await companies.get(name)!.ask(question);
      const expected = where[name];
      const first = answer.split('\n\n')[0] ?? '';
      const ok =
        expected === undefined
          ? // Not stated for this company: either the company's own figure (a metric question) or a decline —
            // never a quoted sentence that answers something else.
            declines(answer) || /^\*\*[A-Z][^*]* (?:is|was|were) /.test(answer.trim())
          : typeof expected === 'number'
            ? numbersIn(first).some((n) => Math.abs(n - expected) <= Math.abs(expected) * 0.001)
            : expected.some((t) => first.includes(t));
      if (!ok) wrong.push(`${name}: ${answer.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives the figure where the metric is asked plainly (gross profit margin is gross margin; "teh" is "the")', async () => {
    const bw = companies.get('brightwave')!;
    expect((await bw.ask('gross profit margin')).answer).toMatch(/^\*\*Gross margin in [A-Z][a-z]+ \d{4} is \d/);
    expect((await bw.ask('whats teh burn rate')).answer).toMatch(/^\*\*Net burn in [A-Z][a-z]+ \d{4} is \$/);
  });
});
