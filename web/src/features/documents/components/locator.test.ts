import { describe, expect, it } from 'vitest';
import { shouldOffer } from '../../feedback/api/questionnaire.ts';
import { locatorMatches } from './DocumentDetailPage.tsx';

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
  it('is offered once, after the fifth query, if not answered yet', () => {
    const empty = { answers: null, offered: false };
    expect(shouldOffer(4, empty, false)).toBe(false);
    expect(shouldOffer(5, empty, false)).toBe(true);
    expect(shouldOffer(9, empty, true)).toBe(false);
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
    expect(shouldOffer(5, answered, false)).toBe(false);
  });
});
