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
