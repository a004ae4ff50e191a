import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abstains } from '../companies/check.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * A list of customers who left — a cancellations export — through the real pipeline (issue 11): its
 * records are lost customers, so "our largest customer" is never ranked from it (a document may state
 * it, or it is not known); the biggest customer lost in a period, how many left for a cause, and a
 * follow-up about "them" are answered from its rows. Expected figures are computed from the rows below.
 */

const csv = (rows: Array<Array<string | number>>) => `${rows.map((r) => r.join(',')).join('\n')}\n`;
const file = (name: string, text: string) => ({ name, data: Buffer.from(text) });

const LEFT = [
  { client: 'Harbour Freight', licences: 30, price: 12.5, on: '2026-03-04', why: 'Too expensive' },
  { client: 'Kelp Studio', licences: 4, price: 20, on: '2026-03-18', why: 'Switched to a competitor' },
  { client: 'Nimbus Dental', licences: 9, price: 12.5, on: '2026-02-11', why: 'Price increase' },
  { client: 'Quill and Moss', licences: 12, price: 20, on: '2026-01-20', why: 'Too expensive' },
  { client: 'Larch Tutoring', licences: 2, price: 20, on: '2026-03-25', why: 'No longer needed' },
];
const paid = (l: (typeof LEFT)[number]) => l.licences * l.price;
const biggestLost = [...LEFT].sort((a, b) => paid(b) - paid(a))[0]!;
const march = LEFT.filter((l) => l.on.startsWith('2026-03')).sort((a, b) => paid(b) - paid(a))[0]!;
const forPrice = LEFT.filter((l) => /expensive|price/i.test(l.why)).length;

const export_ = file(
  'Churned accounts.csv',
  csv([
    ['Client', 'Licences', 'Price per licence (USD)', 'Cancelled on', 'Why they left'],
    ...LEFT.map((l) => [l.client, l.licences, l.price, l.on, l.why]),
  ]),
);
const metrics = file(
  'kpis.csv',
  csv([
    ['Month', 'MRR', 'Paying practices', 'Churned practices'],
    ['Jan 2026', 61_000, 410, 1],
    ['Feb 2026', 62_500, 415, 1],
    ['Mar 2026', 63_100, 418, 3],
  ]),
);
const memo = file(
  'board memo.md',
  '# Board memo, March 2026\n\nBrightline Logistics remains our largest customer, paying $9,000 a month across 640 licences.\n',
);

describe('a cancellations export beside metrics and a memo', () => {
  let company: Company;
  beforeAll(async () => {
    company = await companyWith([metrics, export_, memo]);
  }, 60_000);
  afterAll(async () => company?.close());

  it('never ranks the lost customers for "our largest customer": the memo states it', async () => {
    const { answer } = await company.ask('who is our largest customer');
    expect(answer).toMatch(/Brightline Logistics/);
    expect(answer).not.toMatch(new RegExp(biggestLost.client));
  });

  it('ranks the customers lost in a period by licences × price per licence', async () => {
    const { answer } = await company.ask('which was the biggest customer we lost in March 2026?');
    expect(answer).toMatch(new RegExp(`\\*\\*The largest customer you lost.*${march.client}, at \\$${paid(march)}`));
    // The company's own word for a customer ("Churned practices"): a practice is a customer.
    expect((await company.ask('biggest practice we lost last quarter?')).answer).toMatch(
      new RegExp(`you lost.*${biggestLost.client}`),
    );
  });

  it("reads the company's own word for a customer in its metrics and in questions", async () => {
    const month = await company.ask('in which month this year did the most practices cancel');
    expect(month.answer).toMatch(/\*\*March 2026 had the highest churned customers/);
    expect((await company.ask('how many paying practices do we have')).answer).toMatch(/\b418\b/);
    // One new logo picked by a superlative is a customer, not the count of new customers.
    const logo = await company.ask('biggest new logo this year');
    expect(logo.answer).not.toMatch(/New customers in/);
  });

  it('counts the customers who left for a cause, and finds none for a cause nobody gave', async () => {
    const { answer } = await company.ask('how many customers cancelled because of cost last quarter');
    expect(answer).toMatch(new RegExp(`\\*\\*${forPrice} customers left \\(reason = cost;`));
    const rival = LEFT.filter((l) => /competitor/i.test(l.why)).length;
    expect((await company.ask('how many customers left due to a competitor in Q1 2026?')).answer).toMatch(
      new RegExp(`\\*\\*${rival} customer left \\(reason = competitor;`),
    );
    const bugs = await company.ask('how many customers cancelled because of bugs last quarter');
    expect(abstains(bugs.answer)).toBe(true);
    expect(bugs.answer).not.toMatch(/\*\*\d+ customers/);
  });

  it('answers a follow-up about "them" from the record the answer before named, or says it cannot', async () => {
    const history: Array<{ question: string; answer: string }> = [];
    const ask = async (q: string) => {
      const { answer } = await company.ask(q, [...history]);
      history.push({ question: q, answer });
      return answer;
    };
    expect(await ask('biggest client we lost last quarter?')).toMatch(new RegExp(biggestLost.client));
    expect(await ask('why did they leave')).toMatch(new RegExp(`${biggestLost.client}.*${biggestLost.why}`));
    // Two turns on: the question before pointed back too, so it is still the same client.
    expect(await ask('how many licences did they have')).toMatch(
      new RegExp(`${biggestLost.client} had ${biggestLost.licences} licences`),
    );
    const offices = await ask('how many offices did they have');
    expect(abstains(offices)).toBe(true);
    expect(offices).not.toMatch(/\*\*\d/);
  });

  it('names no record for "they" after an answer about no single record', async () => {
    const first = await company.ask('what was MRR in March 2026?');
    const { answer } = await company.ask('how many licences did they have', [
      { question: 'what was MRR in March 2026?', answer: first.answer },
    ]);
    for (const l of LEFT) expect(answer).not.toMatch(new RegExp(`${l.client} had`));
  });
});

describe('a cancellations export alone', () => {
  let company: Company;
  beforeAll(async () => {
    company = await companyWith([export_]);
  }, 60_000);
  afterAll(async () => company?.close());

  it('does not know the largest customer, and still knows the largest one lost', async () => {
    const { answer } = await company.ask('who is our largest customer?');
    expect(abstains(answer)).toBe(true);
    for (const l of LEFT) expect(answer).not.toMatch(new RegExp(l.client));
    expect((await company.ask('who was the biggest customer we lost?')).answer).toMatch(
      new RegExp(`you lost.*${biggestLost.client}`),
    );
  });
});

describe('a customer roster beside a cancellations export', () => {
  let company: Company;
  beforeAll(async () => {
    company = await companyWith([
      export_,
      file(
        'customers.csv',
        csv([
          ['Customer', 'MRR', 'Plan'],
          ['Brightline Logistics', 9_000, 'Enterprise'],
          ['Copper Kettle', 1_200, 'Growth'],
        ]),
      ),
    ]);
  }, 60_000);
  afterAll(async () => company?.close());

  it('ranks the current customers from the roster, the lost ones from the export', async () => {
    expect((await company.ask('who is our largest customer?')).answer).toMatch(
      /Your largest customer by MRR is Brightline Logistics/,
    );
    expect((await company.ask('who was the biggest customer we lost?')).answer).toMatch(
      new RegExp(`you lost.*${biggestLost.client}`),
    );
  });
});
