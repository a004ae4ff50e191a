import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerNouns, parseQuestion } from '../../../src/analyst/local/parse-question.ts';
import { readQuestion } from '../../../src/analyst/local/reading.ts';
import { selectSentences } from '../../../src/analyst/local/stated.ts';
import { abstains } from '../companies/check.ts';
import { figureFirst } from './fake-context.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * Questions typed quickly and facts written in the documents' own words (issue 11), through the real
 * pipeline, on a company of our own (Hollowmere Rota Cloud, a calendar year, data January 2025 – March
 * 2026): a mistyped question word, "this FY", "lowest monthly NRR over the past year" (a ranking of
 * months, not the trailing-year figure), a headcount stated in prose for a month, and facts stated with
 * an irregular verb ("led"), a derived noun ("integration") or another word for the party ("provider").
 * A question no sentence answers is declined, never answered with a nearby fact.
 */
const MONTHS = Array.from({ length: 15 }, (_, i) => {
  const d = new Date(Date.UTC(2025, i, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
});
// New MRR peaks in June 2025 overall, in February 2026 this year; September 2025 loses the most.
const NEW = [4200, 4600, 5100, 4800, 5300, 9500, 5000, 4700, 5200, 4900, 5100, 4400, 5000, 8000, 6000];
const EXPANSION = [900, 1000, 1100, 950, 1200, 1000, 1050, 980, 1020, 1100, 1150, 990, 1010, 1080, 1120];
const CONTRACTION = [400, 350, 420, 380, 410, 390, 360, 400, 1200, 370, 380, 360, 390, 410, 400];
const CHURNED = [1500, 1400, 1600, 1450, 1550, 1500, 1480, 1520, 7800, 1490, 1510, 1470, 1530, 1500, 1540];

const rows: Array<{ month: string; start: number; end: number; customers: number }> = [];
let mrr = 100_000;
MONTHS.forEach((month, i) => {
  const start = mrr;
  mrr = start + NEW[i]! + EXPANSION[i]! - CONTRACTION[i]! - CHURNED[i]!;
  rows.push({ month, start, end: mrr, customers: 400 + i * 6 });
});
const CSV = [
  'Month,MRR,New MRR,Expansion MRR,Contraction MRR,Churned MRR,Customers',
  ...rows.map((r, i) => [r.month, r.end, NEW[i], EXPANSION[i], CONTRACTION[i], CHURNED[i], r.customers].join(',')),
].join('\n');

const UPDATE = `# Hollowmere — monthly update, March 2026

## Team

We ended February with 41 people on the team.

## Product

Our integration with Paysmith, the payroll provider, went live in February: managers now export approved shifts straight to payroll.

## Funding

Hartwell Ventures led our seed round in 2024.
`;

let company: Company;
beforeAll(async () => {
  company = await companyWith([
    { name: 'hollowmere_metrics.csv', data: Buffer.from(`${CSV}\n`) },
    { name: 'hollowmere-update-march-2026.md', data: Buffer.from(UPDATE) },
  ]);
}, 60_000);
afterAll(async () => company?.close());

const first = (answer: string) => answer.split('\n\n')[0] ?? '';

describe('question words typed quickly, and period words', () => {
  it('a mistyped question word is the question word, not a qualifier of the metric', async () => {
    const r = await company.ask('wats our mrr');
    expect(first(r.answer)).toMatch(/^\*\*MRR at the end of March 2026/);
    expect(figureFirst(r.answer, rows.at(-1)!.end, { rel: 0 })).toBe(true);
    const much = await company.ask('hw mcuh new mrr did we add in february');
    expect(first(much.answer)).toMatch(/^\*\*New MRR in February 2026/);
    expect(figureFirst(much.answer, 8000, { rel: 0 })).toBe(true);
  });

  it('"this FY" is the fiscal year to date, a period, not an unknown "fy"', async () => {
    const r = await company.ask('best month for new mrr this FY');
    expect(first(r.answer)).toMatch(/^\*\*February 2026 had the highest new MRR/);
  });

  it('"growth vs March 2025" compares the latest month with that month, not March with February', async () => {
    const r = await company.ask('mrr growth vs march 2025');
    expect(first(r.answer)).toMatch(/from \$[\d,]+ at the end of March 2025 to \$[\d,]+ at the end of March 2026/);
    expect(figureFirst(r.answer, rows.at(-1)!.end - rows[2]!.end, { rel: 0 })).toBe(true);
  });

  it('"lowest monthly NRR over the past year" ranks the months, it is not the trailing-year figure', async () => {
    const r = await company.ask('lowest monthly NRR over the past year?');
    expect(first(r.answer)).toMatch(/^\*\*September 2025 had the lowest net revenue retention/);
  });
});

describe('facts stated in prose in the documents’ own words', () => {
  it.each([
    // The sentence never says "headcount": the metric's other names ("people") find it.
    ['what was headcount in feb', '41 people'],
    ['which payroll company did we integrate with', 'Paysmith'],
    ['who led our seed round', 'Hartwell Ventures'],
    ['who is our lead investor', 'Hartwell Ventures'],
  ])('%s → %s', async (question, fact) => {
    const r = await company.ask(question);
    expect(first(r.answer)).toContain(fact);
    expect(r.citations[0]).toMatchObject({ document_name: 'hollowmere-update-march-2026.md' });
  });

  it.each([
    // A headcount stated for February does not answer December.
    'what was headcount in december',
    // The seed round's lead is not the Series B's, and the payroll partner is not an accounting one.
    'who led our series b',
    'which accounting company did we integrate with',
  ])('%s → declined', async (question) => {
    const r = await company.ask(question);
    expect(abstains(r.answer), r.answer).toBe(true);
    expect(r.answer).not.toMatch(/Paysmith|Hartwell|\b41\b/);
  });
});

/**
 * A company whose table counts its customers in its own noun ("Active clinics", "New clinics", "Churned
 * clinics") beside a cost line that holds the word "customer" ("Customer support wages", in money).
 */
const CLINIC_MONTHS = ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'];
const NEW_CLINICS = [9, 11, 8, 14, 10, 12];
const CHURNED_CLINICS = [3, 4, 9, 5, 2, 4];
const CLINICS = [
  'Month,MRR,Active clinics,New clinics,Churned clinics,Customer support wages',
  ...CLINIC_MONTHS.map((m, i) =>
    [m, 80_000 + i * 1500, 300 + i * 5, NEW_CLINICS[i], CHURNED_CLINICS[i], 21_000 + i * 350].join(','),
  ),
].join('\n');

describe('customers counted in the company’s own noun', () => {
  let clinics: Company;
  beforeAll(async () => {
    clinics = await companyWith([{ name: 'tallowby_kpis.csv', data: Buffer.from(`${CLINICS}\n`) }]);
  }, 60_000);
  afterAll(async () => clinics?.close());

  it('"the most clinics cancel" is the churned clinics line, ranked by month', async () => {
    const r = await clinics.ask('in which month did the most clinics cancel');
    expect(first(r.answer)).toMatch(/^\*\*December 2025 had the highest churned clinics/);
  });

  it('"how many clinics did we sign" is the new clinics line', async () => {
    const r = await clinics.ask('how many clinics did we sign in january 2026');
    expect(first(r.answer)).toMatch(/^\*\*New clinics in January 2026/);
    expect(figureFirst(r.answer, 14, { abs: 0 })).toBe(true);
  });

  it('the company’s noun for its customers is one: "the biggest new clinic" answers "biggest new logo"', () => {
    expect(
      customerNouns(
        CLINICS.split('\n')[0]!
          .split(',')
          .map((label) => ({ id: `item:${label}`, label })),
      ),
    ).toEqual(['clinic']);
    const passage = {
      document_id: 'd1',
      document_name: 'tallowby-notes.md',
      locator: '¶1',
      snippet: 'We signed Brackwater Vets in February, the biggest new clinic we have won this year.',
      score: 1,
    };
    const pick = (nouns: string[]) => {
      const parsed = parseQuestion('biggest new logo this year', [], []);
      const reading = readQuestion('biggest new logo this year', {
        parsed,
        phraseOperation: parsed.operation,
        documents: [],
        ownNames: [],
        followUp: false,
        customerNouns: nouns,
      });
      return selectSentences(reading, [passage], { type: 'organisation' }).find((f) => f.typed)?.fact;
    };
    expect(pick(['clinic'])).toBe('Brackwater Vets');
    // A company whose tables do not call customers clinics: a clinic is not a customer.
    expect(pick([])).toBeUndefined();
  });

  it('a cost line holding the word "customer" is never the customers', async () => {
    const r = await clinics.ask('which month did the most customers cancel');
    expect(abstains(r.answer), r.answer).toBe(true);
    expect(first(r.answer)).not.toMatch(/21,|22,|support wages/i);
  });
});
