import { describe, expect, it } from 'vitest';
import { fiscalStartFromText } from '../../src/graph/fiscal.ts';

describe('a fiscal-year start stated in prose', () => {
  it.each([
    ['Months are fiscal-year months; FY2026 runs July 2025 to June 2026.', 7],
    ['so FY26 ran from April 2025 to March 2026', 4],
    ['Our fiscal year is February to January.', 2],
    ['Our fiscal year starts on July 1.', 7],
    ['Our fiscal year runs from 1 April to 31 March.', 4],
    ['Our fiscal year begins on 1 April; FY26 closed on 31 March 2026.', 4],
    ['FY ends June 30', 7],
    ['Our financial year ends on 30 June.', 7],
    ['The fiscal year-end is 31 March.', 4],
    ['Fiscal year ending September 30, 2025', 10],
    ['Our year end is 31 December.', 1],
    ['The financial year starts on the 1st of October.', 10],
  ])('%s → %i', (text, month) => {
    expect(fiscalStartFromText(text)).toBe(month);
  });

  it('does not read a span of other things as a fiscal year', () => {
    expect(fiscalStartFromText('The pilot runs July 2025 to June 2026.')).toBeUndefined();
    expect(fiscalStartFromText('FY2026 revenue grew from July to June.')).toBeUndefined();
    expect(fiscalStartFromText('The contract ends on 30 June.')).toBeUndefined();
    expect(fiscalStartFromText('Our fiscal year results were strong in March.')).toBeUndefined();
  });
});
