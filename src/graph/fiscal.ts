import { monthIndex } from '../lib/periods.ts';

const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
/** A day before or after the month: `1 April`, `1st of April`, `April 1`, `June 30th`, `30 June 2026`. */
const DAY_BEFORE = String.raw`(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?`;
const DAY_AFTER = String.raw`(?:\s+\d{1,2}(?:st|nd|rd|th)?\b)?(?:,?\s+\d{4})?`;
/** How prose names the fiscal year: `fiscal year`, `financial year`, `FY`, `FY2026`, `our year`. */
const FY = String.raw`\b(?:fiscal|financial)\s+years?(?:\s*'?(?:\d{4}|\d{2}))?|\bfy\s*'?(?:\d{4}|\d{2})?`;

/**
 * The fiscal-year start month a text states, if it states one: "our fiscal year starts on July 1",
 * "fiscal year begins on 1 April", "FY runs from April to March", "our fiscal year runs from 1 April to
 * 31 March", "fiscal year ending June 30" / "FY ends 30 June" / "year end is 31 March" (→ the month after).
 */
export function fiscalStartFromText(text: string): number | undefined {
  const t = text.toLowerCase().replace(/\s+/g, ' ');
  const start = new RegExp(
    String.raw`(?:${FY})\s+(?:starts?|started|begins?|began|commences?|runs?\s+from|ran\s+from)\s+(?:on\s+|in\s+)?(?:the\s+)?${DAY_BEFORE}${MONTH}\b`,
  ).exec(t);
  if (start) return monthIndex(start[1]!);
  // "FY2026 runs July 2025 to June 2026", "FY26 ran from April 2025 to March 2026", "our fiscal year is July to June".
  const span = new RegExp(
    String.raw`(?:${FY})\s+(?:runs?|ran|spans?|spanned|covers?|covered|is|was)\s+(?:from\s+)?${DAY_BEFORE}${MONTH}${DAY_AFTER}\s*(?:to|through|until|[-–])\s*${DAY_BEFORE}${MONTH}\b`,
  ).exec(t);
  if (span) return monthIndex(span[1]!);
  const ending = new RegExp(
    String.raw`(?:(?:${FY})[\s-]+(?:ends?|ending|ended|closes?|closing|end\s+is|end\s+date\s+is)|\byear[\s-]end(?:\s+date)?(?:\s+is|:))\s+(?:on\s+|in\s+)?(?:the\s+)?${DAY_BEFORE}${MONTH}\b`,
  ).exec(t);
  if (ending) {
    const m = monthIndex(ending[1]!);
    if (m) return (m % 12) + 1;
  }
  return undefined;
}
