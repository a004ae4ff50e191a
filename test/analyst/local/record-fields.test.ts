import { describe, expect, it } from 'vitest';
import { namePhrases, readRecordQuestion, unmatchedQualifiers } from '../../../src/analyst/local/record-answers.ts';
import { askedField } from '../../../src/analyst/local/record-fields.ts';

/**
 * Routing of record questions: which field of a named record a question asks for (record-fields.ts),
 * read from the question with the name taken out, and which aggregate a list question is.
 */
describe('askedField: the field a question asks of a named record', () => {
  const cases: Array<[string, Parameters<typeof askedField>[1], 'customers' | 'deals', unknown]> = [
    ['how much does pay us a month', 'amount', 'customers', { kind: 'value', role: 'mrr' }],
    ['whats annual contract value', 'text', 'customers', { kind: 'value', role: 'arr' }],
    ['how much is the deal worth', 'amount', 'deals', { kind: 'value' }],
    ['when did become a customer', 'date', 'customers', { kind: 'date', role: 'start' }],
    ['how long has been with us', 'text', 'customers', { kind: 'date', role: 'start' }],
    ['since when is a client', 'date', 'customers', { kind: 'date', role: 'start' }],
    ['when did cancel', 'date', 'customers', { kind: 'date', role: 'end' }],
    ['when did the deal close', 'date', 'deals', { kind: 'date', role: 'close' }],
    ['when is the contract up for renewal', 'date', 'customers', { kind: 'date', role: 'renewal' }],
    ['who owns the deal?', 'person', 'deals', { kind: 'text', role: 'owner' }],
    ["who's the account manager for", 'person', 'customers', { kind: 'text', role: 'owner' }],
    ['which rep looks after', 'text', 'customers', { kind: 'text', role: 'owner' }],
    ['where is based', 'text', 'customers', { kind: 'text', role: 'region' }],
    ['which country is in', 'text', 'customers', { kind: 'text', role: 'region' }],
    ['what plan is on', 'text', 'customers', { kind: 'text', role: 'plan' }],
    ['what stage is the deal at', 'text', 'deals', { kind: 'text', role: 'stage' }],
    ['how many seats does have', 'count', 'customers', { kind: 'value', role: 'seats' }],
    ['tell me about', 'text', 'customers', { kind: 'summary' }],
  ];
  for (const [text, type, kind, expected] of cases) {
    it(`“${text}” → ${JSON.stringify(expected)}`, () => {
      expect(askedField(text, type, kind)).toEqual(expected);
    });
  }
});

describe('readRecordQuestion: list questions and their aggregates', () => {
  it('reads the open pipeline as the sum of open deals, and "how many … pipeline" as a count', () => {
    expect(readRecordQuestion('whats the open pipeline worth')).toMatchObject({
      kind: 'deals',
      intent: 'sum',
      status: 'open',
    });
    expect(readRecordQuestion('how many open deals in the pipeline')).toMatchObject({
      kind: 'deals',
      intent: 'count',
      status: 'open',
    });
  });

  it('reads "with us the longest" and "newest" as a ranking by the start date', () => {
    expect(readRecordQuestion('which customer has been with us the longest')).toMatchObject({
      kind: 'customers',
      intent: 'top',
      order: 'asc',
      sortDate: 'start',
    });
    expect(readRecordQuestion('who is our newest client?')).toMatchObject({
      intent: 'top',
      order: 'desc',
      sortDate: 'start',
    });
    expect(readRecordQuestion('which deal closed most recently')).toMatchObject({ kind: 'deals', sortDate: 'close' });
  });

  it('reads a win rate as a deals question, and a superlative of a total as a ranking of groups', () => {
    expect(readRecordQuestion("what's our win rate")).toMatchObject({ kind: 'deals', intent: 'rate' });
    expect(readRecordQuestion('close rate in fy26')).toMatchObject({ intent: 'rate' });
    expect(readRecordQuestion('which owner has the biggest pipeline')).toMatchObject({
      intent: 'group',
      groupBy: 'owner',
      groupRank: 'value',
      status: 'open',
    });
    // The biggest deal is one deal: its owner is a field of it, not a ranking of owners.
    expect(readRecordQuestion('which rep closed the biggest deal')).toMatchObject({ intent: 'top', limit: 1 });
  });

  it('leaves metric questions alone', () => {
    expect(readRecordQuestion('what is our mrr')).toBeUndefined();
    expect(readRecordQuestion('logo churn in q3')).toBeUndefined();
    expect(readRecordQuestion('which month in 2025 did we win the most new customers')).toBeUndefined();
  });
});

describe('namePhrases: a name as the question writes it', () => {
  it('joins the capitalised words around a name', () => {
    expect(namePhrases('how much does Acme Widgets pay us', ['Acme', 'Widgets'])).toEqual(['Acme Widgets']);
    expect(namePhrases("what is Gusto's ARR?", ['Gusto'])).toEqual(['Gusto']);
    expect(namePhrases('Does Lachlan & Byrne pay us?', ['Lachlan', 'Byrne'])).toEqual(['Lachlan & Byrne']);
    expect(namePhrases('how much does it pay us', [])).toEqual([]);
    expect(namePhrases('how much does Acme GmbH pay us', ['Acme'])).toEqual(['Acme GmbH']);
    expect(namePhrases('What Is Our Largest Customer', ['Largest', 'Customer'])).toEqual([]);
  });
});

describe('unmatchedQualifiers: a part of the list the question asks for and the list does not have', () => {
  it('names capitalised words no filter, record or period explains', () => {
    expect(unmatchedQualifiers('who is the biggest customer in Brazil', [], [])).toEqual(['Brazil']);
    expect(unmatchedQualifiers('who is the biggest customer in Germany', ['Germany'], [])).toEqual([]);
    expect(unmatchedQualifiers('top 5 customers by MRR in Q3 FY26', [], [])).toEqual([]);
    expect(unmatchedQualifiers('biggest deal Hannah closed in March', ['Hannah Osei'], [])).toEqual([]);
    expect(unmatchedQualifiers('how many Deals did Acme close', [], ['Acme'])).toEqual([]);
  });

  it('reads nothing into a question written In Title Case', () => {
    expect(unmatchedQualifiers('What Is Our Largest Customer', [], [])).toEqual([]);
  });
});

describe('askedField: a field no list role holds', () => {
  it('names what was asked instead of giving the record’s other figures', () => {
    expect(askedField('what discount does get', 'text', 'customers')).toEqual({ kind: 'other', what: 'discount' });
    expect(askedField('what is the NPS of', 'text', 'customers')).toMatchObject({ kind: 'other' });
    expect(askedField('tell me about', 'text', 'customers')).toEqual({ kind: 'summary' });
    expect(askedField('is still a customer?', 'text', 'customers')).toEqual({ kind: 'churned' });
    expect(askedField('has churned?', 'text', 'customers')).toEqual({ kind: 'churned' });
    expect(askedField('when did churn', 'date', 'customers')).toEqual({ kind: 'date', role: 'end' });
    expect(askedField('how many employees does have', 'count', 'customers')).toEqual({
      kind: 'other',
      what: 'employees',
    });
    expect(askedField('how much has paid us in total', 'amount', 'customers')).toMatchObject({ kind: 'other' });
    expect(askedField('what do we know about this account', 'text', 'customers')).toEqual({ kind: 'summary' });
  });
});
