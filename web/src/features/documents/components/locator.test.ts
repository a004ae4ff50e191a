import { describe, expect, it } from 'vitest';
import { SNOOZE_MS, shouldOffer } from '../../feedback/api/questionnaire.ts';
import { citedCell, locatorMatches } from './DocumentDetailPage.tsx';

describe('locatorMatches (citation → place in the document)', () => {
  it('matches the same locator, a cell inside a sheet range, and a row inside a row range', () => {
    expect(locatorMatches('page 2', 'page 2')).toBe(true);
    expect(locatorMatches('Sheet1!A1:E8', 'Sheet1!B4')).toBe(true);
    expect(locatorMatches('rows 1-25', 'row 5, column "ARR"')).toBe(true);
    expect(locatorMatches('line 12', 'line 12, column "x"')).toBe(true);
  });

  it('does not match other places', () => {
    expect(locatorMatches('page 2', 'page 3')).toBe(false);
    expect(locatorMatches('Sheet2!A1:E8', 'Sheet1!B4')).toBe(false);
    expect(locatorMatches('rows 1-25', 'row 26, column "ARR"')).toBe(false);
    expect(locatorMatches('page 2', '')).toBe(false);
  });
});

describe('questionnaire offer', () => {
  it('is offered after the fifth query if not answered, and "Not now" holds for a week', () => {
    const empty = { answers: null, offered: false };
    const now = Date.UTC(2026, 5, 1);
    expect(shouldOffer(4, empty, 0, now)).toBe(false);
    expect(shouldOffer(5, empty, 0, now)).toBe(true);
    // Not now (snoozed a week): not back the next day, nor after more questions, but back after the week.
    const until = now + SNOOZE_MS;
    expect(shouldOffer(9, empty, until, now + 86_400_000)).toBe(false);
    expect(shouldOffer(9, empty, until, now + 6 * 86_400_000)).toBe(false);
    expect(shouldOffer(9, empty, until, now + 7 * 86_400_000)).toBe(true);
    expect(shouldOffer(5, { answers: null, offered: true }, 0, now)).toBe(true);
    const answered = {
      answers: {
        first_impression: 'ok',
        questions_and_help: '',
        uploaded: '',
        missing: '',
        recommend: 'Yes',
        recommend_why: '',
      },
      offered: true,
    };
    expect(shouldOffer(5, answered, 0, now)).toBe(false);
  });
});

describe('citedCell (the row and cell a citation points at)', () => {
  const header = ['month', 'starting_mrr', 'ending_mrr'];
  it('finds a CSV row (the header is row 1) and its named column', () => {
    expect(citedCell({ locator: 'rows 1-25', header }, 'row 23, column "starting_mrr"')).toEqual({ row: 21, col: 1 });
    expect(citedCell({ locator: 'rows 1-25', header }, 'row 2')).toEqual({ row: 0, col: null });
    expect(citedCell({ locator: 'rows 1-25', header }, 'row 26, column "x"')).toEqual({ row: null, col: null });
  });

  it('finds a spreadsheet cell inside the range', () => {
    expect(citedCell({ locator: 'P&L FY2026!A1:C8', header }, 'P&L FY2026!C7')).toEqual({ row: 5, col: 2 });
    expect(citedCell({ locator: 'Sheet1!B3:D9', header }, 'Sheet1!B4:D4')).toEqual({ row: 0, col: 0 });
    expect(citedCell({ locator: 'Sheet1!A1:C8', header }, 'Sheet2!C7')).toEqual({ row: null, col: null });
  });
});
