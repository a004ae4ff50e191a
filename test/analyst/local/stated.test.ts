import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askedNoun, askOf, carries, rolesIn, selectSentences } from '../../../src/analyst/local/stated.ts';
import { docx, pdf } from '../../fixtures/companies/lib.ts';
import { abstains } from '../companies/check.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * Answers stated in documents (issue 11, items 4 and 5), through the real pipeline: prose in a DOCX,
 * a PDF and a Markdown file of a company of our own (Tidewater Analytics), asked in other words than
 * the documents use. Each answer must quote the sentence that holds the fact of the type asked; a
 * question whose fact no sentence states must be answered "I couldn't find …", never a nearby fact.
 */

const MEMO = docx([
  { h: 'Operating memo, March 2026' },
  { p: 'Our largest client is Quarrington Foods, which pays $7,250 a month for the Enterprise tier.' },
  { p: 'Gabriel Osei joined as Chief Revenue Officer on 12 January 2026 and now manages eleven sellers.' },
  { p: 'Most customers who cancelled in February said they left because the mobile app was too slow.' },
  { p: 'The next board meeting is scheduled for 21 May 2026 in Bristol.' },
  { p: 'We plan to hire 6 engineers in the second half of 2026.' },
]);

const NOTES = `# Tidewater Analytics — company notes

Tidewater Analytics was founded in 2018 and is headquartered in Bristol.

## People

- Finance is led by Mariam Haddad, our finance lead.
- Support is run by Colm Brennan.

## Partners

In January 2026 we signed a channel partnership with Ferrow Cloud, which resells our dashboards in Ireland.

## Pricing

From 1 April 2026 the Pro plan costs $89 per user per month, up from $79.
`;

let company: Company;
beforeAll(async () => {
  const letter = await pdf('Tidewater letter to investors', [
    '# Tidewater Analytics — letter to investors, Q1 2026',
    'The main risk to the plan is our dependence on a single data provider, Lumasource.',
    'On the board-approved plan we have 22 months of runway.',
    'Our main competitor is Harbourline, which undercut us on price in two deals.',
  ]);
  company = await companyWith([
    { name: 'tidewater_operating_memo_mar2026.docx', data: MEMO },
    { name: 'tidewater_company_notes.md', data: Buffer.from(NOTES) },
    { name: 'tidewater_letter_to_investors_q1_2026.pdf', data: letter },
  ]);
}, 60_000);
afterAll(async () => company?.close());

const first = (answer: string) => answer.split('\n\n')[0] ?? '';

describe('answers stated in prose (DOCX, PDF, Markdown) through the real pipeline', () => {
  it.each([
    ['who is our biggest customer?', 'Quarrington Foods', 'tidewater_operating_memo_mar2026.docx'],
    ['which account pays us the most', 'Quarrington', 'tidewater_operating_memo_mar2026.docx'],
    ['when did the head of sales join', '12 January 2026', 'tidewater_operating_memo_mar2026.docx'],
    ["who's our sales lead", 'Gabriel Osei', 'tidewater_operating_memo_mar2026.docx'],
    ['who is the cfo', 'Mariam Haddad', 'tidewater_company_notes.md'],
    ['who runs support', 'Colm Brennan', 'tidewater_company_notes.md'],
    ['whats the top churn reason', 'mobile app', 'tidewater_operating_memo_mar2026.docx'],
    ['when is the next board mtg', '21 May 2026', 'tidewater_operating_memo_mar2026.docx'],
    ['how many engineers are we planning to hire', '6 engineers', 'tidewater_operating_memo_mar2026.docx'],
    ['who resells for us', 'Ferrow Cloud', 'tidewater_company_notes.md'],
    ['which partner did we sign in january', 'Ferrow Cloud', 'tidewater_company_notes.md'],
    ['how much does the Pro plan cost now?', '$89', 'tidewater_company_notes.md'],
    ['what is the main risk to the plan', 'Lumasource', 'tidewater_letter_to_investors_q1_2026.pdf'],
    ['who is our main competitor', 'Harbourline', 'tidewater_letter_to_investors_q1_2026.pdf'],
    ['where are we headquartered', 'Bristol', 'tidewater_company_notes.md'],
  ])('%s → %s, quoted from %s', async (question, fact, document) => {
    const r = await company.ask(question);
    expect(first(r.answer)).toContain(fact);
    expect(first(r.answer)).toContain('“');
    expect(r.citations[0]).toMatchObject({ document_name: document });
  });

  it('puts the fact first when the sentence gives one, and the sentence with it', async () => {
    const r = await company.ask('who is our largest client');
    expect(r.answer.split('\n')[0]).toMatch(/^\*\*Quarrington Foods\.\*\* “Our largest client is Quarrington Foods/);
  });

  it('"according to the investor letter" gives the figure that document states, then the computed one is not invented', async () => {
    const r = await company.ask('how many months of runway do we have according to the investor letter');
    expect(r.answer).toContain('22 months');
    expect(r.citations[0]).toMatchObject({ document_name: 'tidewater_letter_to_investors_q1_2026.pdf' });
  });

  it.each([
    'who is our cto?', // no CTO is named
    'when did Quarrington Foods become a customer?', // named, but no date of it
    'how old is our CRO?', // the CRO is named, with a date, not an age
    'what discount does Ferrow Cloud get?', // the partner is named, no discount
    'how much do we pay in office rent?', // a figure is stated for something else
    'who is our auditor?',
    'when did we open the Dublin office?',
    'which bank do we use?',
    'how many employees do we have?',
  ])('abstains on %s: "I couldn\'t find …", never a nearby fact', async (question) => {
    const r = await company.ask(question);
    expect(abstains(r.answer)).toBe(true);
    // Nothing quoted: no sentence of the documents is given as the answer.
    expect(r.answer).not.toContain('“Our');
    expect(r.answer).not.toMatch(/Osei|\$7,250|\$89|22 months/);
  });

  it('answers a request outside its job with what it does and an example', async () => {
    for (const q of ['write me a poem about churn', 'tell me a joke', 'write a python function for NRR']) {
      const r = await company.ask(q);
      expect(r.answer).toMatch(/operations analyst/);
      expect(r.answer).toMatch(/for example “[^”]+\?”/);
      expect(r.answer.split(/(?<=[.!?])\s/).length).toBeLessThanOrEqual(2);
    }
  });
});

describe('what a sentence must hold', () => {
  it('reads roles as documents write them', () => {
    expect(rolesIn('Gabriel Osei joined as Chief Revenue Officer')).toContain('sales');
    expect(rolesIn('who is our head of sales')).toContain('sales');
    expect(rolesIn('our VP of Sales')).toContain('sales');
    expect(rolesIn('the sales lead')).toContain('sales');
    expect(rolesIn('who is the CFO')).toContain('finance');
    expect(rolesIn('Finance is led by Mariam Haddad')).toContain('finance');
    expect(rolesIn('Ruth Okafor joined as Chief Financial Officer')).toContain('finance');
    expect(rolesIn('our VP of Engineering')).toContain('engineering');
    expect(rolesIn('Halvorsen remains our largest customer')).toEqual([]);
  });

  it('a superlative must qualify the party asked about, and a team is not customers', () => {
    const passage = (text: string) => [
      { document_id: 'd', document_name: 'memo.docx', locator: 'p1', snippet: text, text, score: 1 },
    ];
    const reading = (text: string, content: string[]) =>
      ({
        text,
        best: { kind: 'stated', score: 1, answerType: 'organisation', evidence: [] },
        readings: [],
        wh: 'who',
        unexplained: [],
        content,
        keyNouns: [],
        names: [],
      }) as unknown as Parameters<typeof askOf>[0];
    const largest = reading('who is our largest customer', ['large', 'customer']);
    const partnerOnly =
      'Our integration with Ledgerline, the accounting platform, is now our largest referral partner.';
    expect(selectSentences(largest, passage(partnerOnly), { type: 'organisation' }).filter((x) => x.typed)).toEqual([]);
    const right = selectSentences(largest, passage('Wexley Foods is our largest customer, at $3,100 a month.'), {
      type: 'organisation',
    });
    expect(right[0]?.fact).toBe('Wexley Foods');
    const churned = reading('which customers churned in q3', ['customer', 'churn']);
    const team = 'Odile Brandt now runs sales and customer success.';
    expect(selectSentences(churned, passage(team), { type: 'organisation' })).toEqual([]);
  });

  it('finds the noun a question asks about', () => {
    expect(askedNoun('who is our largest customer')).toBe('customer');
    expect(askedNoun('which account pays us the most')).toBe('account');
    expect(askedNoun('what discount does corvid get', ['corvid'])).toBe('discount');
    expect(askedNoun("who's our reseller partner")).toBe('partner');
    expect(askedNoun('who audits our accounts')).toBeUndefined();
  });

  it('carries the answer type only when the sentence gives it', () => {
    expect(carries('Priya Raman joined as VP of Sales on 3 March 2025.', 'date')).toBe(true);
    expect(carries('Priya Raman joined as VP of Sales on 3 March 2025.', 'person')).toBe(true);
    expect(carries('We signed a reseller partner for the northern region.', 'organisation')).toBe(false);
    expect(carries('Brightwave Labs was founded in 2019 by Tomas Ekberg (CEO).', 'amount')).toBe(false);
    expect(carries('Team plan prices rise by 8% from 1 February 2026.', 'money')).toBe(false);
    expect(carries('Team: $45 per seat per month', 'money')).toBe(true);
    expect(carries('Churn spiked after we retired the desktop app.', 'reason')).toBe(true);
    expect(carries('Churn spiked in May.', 'reason')).toBe(false);
  });

  it('a "how much … cost" question asks for money, "how old" for a figure, "where" for a place', () => {
    const reading = (text: string, answerType: 'amount' | 'text' | 'person' = 'text') =>
      ({
        text,
        best: { kind: 'stated', score: 1, answerType, evidence: [] },
        readings: [],
        wh: 'how',
        unexplained: [],
        content: [],
        keyNouns: [],
        names: [],
      }) as unknown as Parameters<typeof askOf>[0];
    expect(askOf(reading('how much does the team plan cost', 'amount')).type).toBe('money');
    expect(askOf(reading('how old is our ceo')).type).toBe('amount');
    expect(askOf(reading('where is our second office')).type).toBe('place');
  });
});

/**
 * Issue 11, documents of a second company of our own (Larkspur Robotics): a Notion-exported memo (a page
 * id in its file name), a DOCX hiring plan with prose and a role table, asked in other words than the
 * documents use. The figure or fact asked comes first; a question a table row names but no column
 * answers ("what do we pay …" of a table with no pay column) is declined, never answered with a count.
 */
const NOTION_MEMO = `# Quarterly letter — Q1 2026

Status: Final

## Market

The rival we run into most often is Brassica Systems, which bundles its arms with a cheaper service plan.

Kestrel Farms remains the client that spends the most with us, at $14,300 a month since its expansion in March.

## Money

We hold $9.2M in the bank; at this burn rate that is roughly 19 months of runway.

New list prices for the Harvest tier take effect on 1 July 2026, when the per-arm fee rises from $210 to $240.
`;

const HIRING = docx([
  { h: 'Larkspur Robotics — 2026 hiring plan' },
  { p: 'We are 33 people today. The plan adds 9 roles this year, taking us to 42 by December.' },
  { p: 'Peregrine Search is the agency we use for senior searches; the rest we recruit ourselves.' },
  {
    table: [
      ['Position', 'Department', 'Seats', 'Start quarter', 'Recruiter', 'Stage'],
      ['Firmware Engineer', 'Engineering', '3', 'Q3 2026', 'Ilse Marchetti', 'Screening'],
      ['Solutions Architect', 'Sales', '2', 'Q2 2026', 'Bongani Dube', 'Offer made'],
      ['Field Technician', 'Operations', '4', 'Q4 2026', 'Ilse Marchetti', 'Open'],
    ],
  },
]);

describe('a Notion page id, the figure asked first, competitors, parties and table cells', () => {
  let larkspur: Company;
  const MEMO_FILE = 'Quarterly letter — Q1 2026 7c1e9a4b2d6f4b3a8e5c0d9f1a2b3c4d.md';
  beforeAll(async () => {
    larkspur = await companyWith([
      { name: MEMO_FILE, data: Buffer.from(NOTION_MEMO) },
      { name: 'larkspur_hiring_plan_2026.docx', data: HIRING },
    ]);
  }, 60_000);
  afterAll(async () => larkspur?.close());

  it("shows the memo by its title, without the export's page id, and leads with the months asked", async () => {
    const r = await larkspur.ask('what runway does the quarterly letter give us');
    expect(r.answer.split('\n')[0]).toMatch(
      /^\*\*Runway: 19 months, according to Quarterly letter — Q1 2026\.md\.\*\*/,
    );
    expect(r.answer).not.toMatch(/7c1e9a4b/);
    expect(r.citations[0]).toMatchObject({ document_name: 'Quarterly letter — Q1 2026.md' });
  });

  it.each([
    ['biggest rival?', 'Brassica Systems'],
    ['who are we losing customers to', 'Brassica Systems'],
    ['which client spends the most with us', 'Kestrel Farms'],
    ['when do the new prices take effect', '1 July 2026'],
    ['which recruitment firm do we use', 'Peregrine Search'],
    ['who is the recruiter for the solutions architect role', 'Bongani Dube'],
    ['when does the firmware engineer start', 'Q3 2026'],
    ['how many field technicians are we hiring', '4'],
    ['how many people will we hire this year', '9 roles'],
    ['what headcount are we expecting by december', '42'],
  ])('%s → %s, first', async (question, fact) => {
    const r = await larkspur.ask(question);
    expect(r.answer.split('\n')[0]).toMatch(
      new RegExp(`^\\*\\*${fact.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\*\\* “`),
    );
  });

  it.each([
    'what do we pay a firmware engineer', // the row is named, no column holds pay: not the 3 openings
    'how much does a solutions architect earn',
    'what is the salary of a field technician',
    'who is the recruiter for the data scientist role', // no such row
    'who are we losing deals to in germany', // no sentence about Germany
    'how many engineers do we have', // hires are not the engineers there are
  ])('abstains on %s, with no figure of the table as the answer', async (question) => {
    const r = await larkspur.ask(question);
    expect(abstains(r.answer)).toBe(true);
    expect(r.answer).not.toMatch(/^\*\*/);
    // No sentence or row of the documents is quoted as the answer.
    expect(r.citations).toEqual([]);
  });

  it('a standing count is not the hires, and the hires are not the standing count', async () => {
    const now = await larkspur.ask('how many people do we have');
    expect(now.answer).toContain('33 people');
    expect(now.answer).not.toMatch(/^\*\*(9|42)\b/);
  });
});
