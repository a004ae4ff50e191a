import { describe, expect, test } from 'vitest';
import { resolvePeriod, splitPeriod } from '../../src/graph/engine/periods.ts';

const cal = { latestMonth: '2026-06', fiscalStartMonth: 1 };
const midQuarter = { latestMonth: '2026-05', fiscalStartMonth: 1 };
const fiscalJuly = { latestMonth: '2026-06', fiscalStartMonth: 7 };

const id = (ctx: typeof cal, spec: Parameters<typeof resolvePeriod>[1]) => {
  const r = resolvePeriod(ctx, spec);
  if (!r.ok) throw new Error(r.message);
  return r.period;
};

describe('period resolution', () => {
  test('explicit periods', () => {
    expect(id(cal, '2026-03').months).toEqual(['2026-03']);
    expect(id(cal, 'March 2026').id).toBe('2026-03');
    expect(id(cal, 'Q2 2026')).toMatchObject({
      id: '2026-Q2',
      label: 'Q2 2026',
      months: ['2026-04', '2026-05', '2026-06'],
    });
    expect(id(cal, '2025').months).toHaveLength(12);
    expect(id(cal, '2025').native).toEqual(['2025', 'FY2025']);
    expect(id(cal, '2025-07..2026-06')).toMatchObject({
      id: '2025-07..2026-06',
      kind: 'range',
      label: 'the 12 months to June 2026',
    });
    expect(id(cal, { from: '2026-01', to: '2026-03' }).id).toBe('2026-Q1');
    expect(id(cal, { trailing: 3 }).id).toBe('2026-Q2');
  });

  test('relative periods count from the latest month of the data', () => {
    expect(id(cal, 'current').id).toBe('2026-06');
    expect(id(cal, 'last month').id).toBe('2026-06');
    expect(id(cal, 'previous_month').id).toBe('2026-05');
    expect(id(cal, 'last_quarter').id).toBe('2026-Q2');
    expect(id(cal, 'previous_quarter').id).toBe('2026-Q1');
    expect(id(cal, 'ttm').months[0]).toBe('2025-07');
    expect(id(cal, 'last_6_months').id).toBe('2026-01..2026-06');
    expect(id(cal, 'ytd').id).toBe('2026-01..2026-06');
    expect(id(cal, 'last_year').id).toBe('2025');
  });

  test('an incomplete quarter is not the "last quarter"', () => {
    expect(id(midQuarter, 'last_quarter').id).toBe('2026-Q1');
    expect(id(midQuarter, 'this_quarter').id).toBe('2026-04..2026-05');
  });

  test('fiscal quarters and years when the profile starts the year in July', () => {
    expect(id(fiscalJuly, 'last_quarter')).toMatchObject({
      id: 'FY2026-Q4',
      months: ['2026-04', '2026-05', '2026-06'],
    });
    expect(id(fiscalJuly, 'FY2026-Q1').months).toEqual(['2025-07', '2025-08', '2025-09']);
    expect(id(fiscalJuly, 'FY2026').months[0]).toBe('2025-07');
    expect(id(fiscalJuly, 'last_year').id).toBe('FY2026');
    expect(id(fiscalJuly, 'ytd').id).toBe('FY2026');
    // A calendar year is not the fiscal year of the same number.
    expect(id(fiscalJuly, '2026').native).toEqual(['2026']);
    expect(id(fiscalJuly, 'FY2026').native).toEqual(['FY2026']);
    // An explicit calendar quarter stays calendar.
    expect(id(fiscalJuly, 'Q2 2026').id).toBe('2026-Q2');
  });

  test('errors say what is wrong', () => {
    const none = resolvePeriod({ latestMonth: undefined, fiscalStartMonth: 1 }, 'last_quarter');
    expect(!none.ok && none.message).toContain('no monthly data');
    const bad = resolvePeriod(cal, 'someday');
    expect(!bad.ok && bad.message).toBe('cannot read "someday" as a period');
    const backwards = resolvePeriod(cal, '2026-06..2026-01');
    expect(!backwards.ok && backwards.message).toContain('ends before it starts');
    expect(resolvePeriod(cal, 'last_500_months').ok).toBe(false);
  });

  test('splitting a range into months, quarters and years', () => {
    const ttm = id(cal, 'ttm');
    expect(splitPeriod(cal, ttm, 'month')).toHaveLength(12);
    expect(splitPeriod(cal, ttm, 'quarter').map((p) => p.id)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
    expect(splitPeriod(cal, id(cal, '2024-01..2025-12'), 'year').map((p) => p.id)).toEqual(['2024', '2025']);
    expect(splitPeriod(fiscalJuly, id(fiscalJuly, 'FY2026'), 'quarter').map((p) => p.id)).toEqual([
      'FY2026-Q1',
      'FY2026-Q2',
      'FY2026-Q3',
      'FY2026-Q4',
    ]);
  });
});

describe('period specs as a question names them', () => {
  test('a month or quarter without a year is the latest one not after the data', () => {
    expect(id(midQuarter, { month: 3 }).id).toBe('2026-03');
    expect(id(midQuarter, { month: 9 }).id).toBe('2025-09');
    expect(id(midQuarter, { quarter: 3 }).id).toBe('2025-Q3');
    expect(id(cal, { quarter: 2, year: 2026 }).id).toBe('2026-Q2');
  });

  test('fiscal quarters, halves and years follow the company fiscal-year start', () => {
    // "FY25 Q4" with a July start: April–June 2025.
    expect(id(fiscalJuly, { quarter: 4, year: 2025, fiscal: true })).toMatchObject({
      id: 'FY2025-Q4',
      label: 'Q4 FY2025',
      months: ['2025-04', '2025-05', '2025-06'],
    });
    // "fiscal Q3" without a year: the latest Q3 that has begun (January–March 2026 of FY2026).
    expect(id(fiscalJuly, { quarter: 3, fiscal: true }).id).toBe('FY2026-Q3');
    expect(id(fiscalJuly, { half: 1, year: 2026, fiscal: true })).toMatchObject({ start: '2025-07', end: '2025-12' });
    expect(id(fiscalJuly, { year: 2026, fiscal: true }).months[0]).toBe('2025-07');
    // A calendar company's fiscal quarter is the calendar quarter.
    expect(id(cal, { quarter: 4, year: 2025, fiscal: true }).id).toBe('2025-Q4');
  });

  test('"full year 2025" is the whole year, not the year to date', () => {
    expect(id(cal, { year: 2025 }).months).toHaveLength(12);
    expect(id(cal, 'ytd').id).toBe('2026-01..2026-06');
    expect(id(cal, 'ytd').label).toBe('2026 year to date');
  });

  test('since, ranges and periods moved from an earlier one', () => {
    expect(id(cal, { since: { month: 1 } }).id).toBe('2026-01..2026-06');
    expect(id(cal, { from: { month: 4, year: 2026 }, to: { month: 6, year: 2026 } }).id).toBe('2026-Q2');
    expect(id(cal, { trailing: 6 })).toMatchObject({ id: '2026-01..2026-06', trailing: 6 });
    // "And the quarter before?" after Q2 2026; "the next month" after a quarter.
    expect(id(cal, { shift: -1, of: '2026-Q2', unit: 'quarter' }).id).toBe('2026-Q1');
    expect(id(cal, { shift: 1, of: '2026-Q1', unit: 'month' }).id).toBe('2026-04');
    // "The quarter before" after March 2026 (fiscal July start): the fiscal quarter before Jan–Mar.
    expect(id(fiscalJuly, { shift: -1, of: '2026-03', unit: 'quarter' }).id).toBe('FY2026-Q2');
  });

  test('impossible specs are errors, not a guess', () => {
    expect(resolvePeriod(cal, { month: 13 }).ok).toBe(false);
    expect(resolvePeriod(cal, { quarter: 5, year: 2026 }).ok).toBe(false);
    expect(resolvePeriod({ latestMonth: undefined, fiscalStartMonth: 1 }, { month: 3 }).ok).toBe(false);
  });
});

describe('this quarter in a fiscal year', () => {
  test('is named as the company names its quarters when it is whole, and is the months so far when not', () => {
    const aprilStart = { latestMonth: '2026-03', fiscalStartMonth: 4 };
    expect(resolvePeriod(aprilStart, 'this_quarter')).toMatchObject({
      ok: true,
      period: { id: 'FY2026-Q4', label: 'Q4 FY2026', months: ['2026-01', '2026-02', '2026-03'] },
    });
    const mid = resolvePeriod({ latestMonth: '2026-02', fiscalStartMonth: 4 }, 'current_quarter');
    expect(mid.ok && mid.period.months).toEqual(['2026-01', '2026-02']);
    expect(resolvePeriod({ latestMonth: '2026-03', fiscalStartMonth: 1 }, 'this_quarter')).toMatchObject({
      period: { id: '2026-Q1' },
    });
  });
});
