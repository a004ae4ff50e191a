import { describe, expect, it } from 'vitest';
import { fiscalStartFromText } from '../../src/graph/fiscal.ts';

describe('a fiscal-year start stated as a span', () => {
  it.each([
    ['Months are fiscal-year months; FY2026 runs July 2025 to June 2026.', 7],
    ['so FY26 ran from April 2025 to March 2026', 4],
    ['Our fiscal year is February to January.', 2],
    ['Our fiscal year starts on July 1.', 7],
  ])('%s → %i', (text, month) => {
    expect(fiscalStartFromText(text)).toBe(month);
  });

  it('does not read a span of other things as a fiscal year', () => {
    expect(fiscalStartFromText('The pilot runs July 2025 to June 2026.')).toBeUndefined();
    expect(fiscalStartFromText('FY2026 revenue grew from July to June.')).toBeUndefined();
  });
});
