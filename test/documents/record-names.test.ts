import { describe, expect, it } from 'vitest';
import { closestNames, matchName, namesMentioned, nameWords } from '../../src/documents/records/match.ts';
import { queryRecordList } from '../../src/documents/records/query.ts';
import { dateOf } from '../../src/documents/records/recognise.ts';
import type { RecordList } from '../../src/documents/records/types.ts';

/** How a name a person writes finds the record it means (documents/records/match.ts), and when it must not. */

const NAMES = [
  'Lachlan & Byrne Solicitors',
  'Contoso Ltd',
  'Pelican Frame Co.',
  'Pemberton Dairies',
  'Orchard Lane Pharmacy',
  'Underhill Hotels',
  'Brackenridge Hotels',
  'Target',
  'Kite',
  'Q3 Logistics',
];

describe('matchName: a name given by the caller', () => {
  it('ignores case, punctuation, "&" written as "and", legal suffixes and a leading "the"', () => {
    expect(nameWords('The Contoso Ltd.')).toEqual(['contoso']);
    expect(matchName('lachlan and byrne solicitors', NAMES)).toEqual([
      { name: 'Lachlan & Byrne Solicitors', how: 'exact', mention: 'lachlan and byrne solicitors' },
    ]);
    expect(matchName('CONTOSO', NAMES).map((m) => m.name)).toEqual(['Contoso Ltd']);
    expect(matchName('Contoso Inc', NAMES).map((m) => m.name)).toEqual(['Contoso Ltd']);
    expect(matchName('Pelican Frame', NAMES).map((m) => [m.name, m.how])).toEqual([['Pelican Frame Co.', 'exact']]);
  });

  it('takes a typo in a long word, never in a short one or a number', () => {
    expect(matchName('Pemberton Dairys', NAMES).map((m) => [m.name, m.how])).toEqual([['Pemberton Dairies', 'typo']]);
    expect(matchName('Pembertin Dairies', NAMES).map((m) => m.name)).toEqual(['Pemberton Dairies']);
    expect(matchName('Kits', NAMES)).toEqual([]);
    expect(matchName('Q4 Logistics', NAMES)).toEqual([]);
  });

  it('finds a name by part of it, and a name inside a longer text, but prefers the exact one', () => {
    expect(matchName('Orchard Lane', NAMES).map((m) => [m.name, m.how])).toEqual([
      ['Orchard Lane Pharmacy', 'partial'],
    ]);
    expect(matchName('the Orchard Lane Pharmacy deal', NAMES).map((m) => [m.name, m.how])).toEqual([
      ['Orchard Lane Pharmacy', 'contains'],
    ]);
    // Several records share the part: all are returned, for the caller to ask which one.
    expect(matchName('Hotels', NAMES).map((m) => m.name)).toEqual(['Underhill Hotels', 'Brackenridge Hotels']);
    expect(matchName('Target', NAMES).map((m) => m.how)).toEqual(['exact']);
  });

  it('finds nothing for a name that is no record, and offers near names only when they are near', () => {
    expect(matchName('Acme Widgets', NAMES)).toEqual([]);
    expect(closestNames('Acme Widgets', NAMES)).toEqual([]);
    expect(closestNames('Pemberton Farms', NAMES)).toEqual(['Pemberton Dairies']);
    expect(matchName('', NAMES)).toEqual([]);
  });
});

describe('namesMentioned: the names a question mentions', () => {
  it('finds a whole name in any case, and gives back the words as written', () => {
    expect(namesMentioned('how much does Pemberton Dairies pay us a month', NAMES)).toEqual([
      { name: 'Pemberton Dairies', how: 'exact', mention: 'Pemberton Dairies' },
    ]);
    expect(namesMentioned('who owns the orchard lane pharmacy deal?', NAMES).map((m) => m.mention)).toEqual([
      'orchard lane pharmacy',
    ]);
    expect(namesMentioned("what's Lachlan and Byrne's MRR", NAMES).map((m) => m.name)).toEqual([
      'Lachlan & Byrne Solicitors',
    ]);
  });

  it('takes the first word of a name alone only capitalised and naming no other record', () => {
    expect(namesMentioned('when does the Pemberton contract renew?', NAMES).map((m) => [m.name, m.how])).toEqual([
      ['Pemberton Dairies', 'partial'],
    ]);
    expect(namesMentioned('when does the pemberton contract renew?', NAMES)).toEqual([]);
  });

  it('does not read ordinary words as a one-word name', () => {
    expect(namesMentioned('what is our revenue target for fy27', NAMES)).toEqual([]);
    expect(namesMentioned('Target: how much does it pay?', NAMES)).toEqual([]);
    expect(namesMentioned('how much does Target pay us', NAMES).map((m) => m.name)).toEqual(['Target']);
    expect(namesMentioned('how many hotels do we serve', NAMES)).toEqual([]);
    expect(namesMentioned('mrr in q3', NAMES)).toEqual([]);
  });
});

describe('queryRecordList with a name', () => {
  const list: RecordList = {
    kind: 'customers',
    document_id: 'doc_1',
    document_name: 'accounts.xlsx',
    locator: 'Accounts!A1:C4',
    columns: [
      { column: 0, header: 'Account', role: 'name' },
      { column: 1, header: 'Monthly fee', role: 'mrr' },
      { column: 2, header: 'Signed', role: 'start' },
    ],
    records: [
      {
        name: 'Contoso Ltd',
        locator: 'Accounts!A2:C2',
        values: { mrr: 4_200 },
        dates: { start: '2023-05-02' },
        fields: {},
      },
      { name: 'Fabrikam', locator: 'Accounts!A3:C3', values: { mrr: 900 }, dates: { start: '2021-01-15' }, fields: {} },
      { name: 'Tailspin Toys', locator: 'Accounts!A4:C4', values: { mrr: 2_000 }, dates: {}, fields: {} },
    ],
    skipped: [],
  };

  it('keeps only the named record and says what it matched', () => {
    const r = queryRecordList(list, { op: 'list', name: 'contoso' });
    expect(r.records.map((x) => [x.name, x.value])).toEqual([['Contoso Ltd', 4_200]]);
    expect(r.named?.found.map((f) => f.how)).toEqual(['exact']);
  });

  it('keeps nothing for an unknown name, never the largest record instead', () => {
    const r = queryRecordList(list, { op: 'list', name: 'Acme Widgets' });
    expect(r.count).toBe(0);
    expect(r.records).toEqual([]);
    expect(r.named).toEqual({ asked: 'Acme Widgets', found: [], closest: [] });
  });

  it('ranks by a date: the earliest start first, rows without the date last', () => {
    const r = queryRecordList(list, { op: 'list', sortDate: 'start', order: 'asc' });
    expect(r.records.map((x) => x.name)).toEqual(['Fabrikam', 'Contoso Ltd', 'Tailspin Toys']);
    const none = queryRecordList(list, { op: 'list', sortDate: 'end', order: 'asc' });
    expect(none.notes.join(' ')).toMatch(/no end date/);
  });
});

describe('dateOf: the day a date cell gives, as exports write it', () => {
  it('reads the day of ISO, day-month-year and month-day-year text', () => {
    expect(dateOf('2022-10-09')).toBe('2022-10-09');
    expect(dateOf('25 Jan 2026')).toBe('2026-01-25');
    expect(dateOf('4 July 2025')).toBe('2025-07-04');
    expect(dateOf('Jan 25, 2026')).toBe('2026-01-25');
    expect(dateOf('25-Jan-2026')).toBe('2026-01-25');
    expect(dateOf('2026/01/25')).toBe('2026-01-25');
  });

  it('reads a slashed date only when the order is not in doubt, else its month; never a day that does not exist', () => {
    expect(dateOf('25/01/2026')).toBe('2026-01-25');
    expect(dateOf('04/18/2026')).toBe('2026-04-18');
    expect(dateOf('31 Feb 2026')).not.toBe('2026-02-31');
    expect(dateOf('March 2026')).toBe('2026-03');
    expect(dateOf('next week')).toBeUndefined();
  });
});
