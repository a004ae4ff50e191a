import { monthIndex } from '../lib/periods.ts';

const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

/**
 * The fiscal-year start month a text states, if it states one: "our fiscal year starts on July 1",
 * "fiscal year begins in February", "FY runs from April to March", "fiscal year ending June 30" (→ July).
 */
export function fiscalStartFromText(text: string): number | undefined {
  const t = text.toLowerCase();
  const start = new RegExp(
    String.raw`\b(?:fiscal year|financial year|fy)\s+(?:starts?|begins?|runs? from|commences?)\s+(?:on\s+|in\s+)?(?:the\s+)?(?:1st\s+(?:of\s+)?)?${MONTH}\b`,
  ).exec(t);
  if (start) return monthIndex(start[1]!);
  // "FY2026 runs July 2025 to June 2026", "FY26 ran from April 2025 to March 2026", "our fiscal year is July to June".
  const span = new RegExp(
    String.raw`\b(?:fiscal year|financial year|fy)\s*'?(?:\d{4}|\d{2})?\s+(?:runs?|ran|spans?|spanned|covers?|covered|is|was)\s+(?:from\s+)?${MONTH}\b(?:\s+\d{4})?\s*(?:to|through|until|[-–])\s*${MONTH}\b`,
  ).exec(t);
  if (span) return monthIndex(span[1]!);
  const ending = new RegExp(
    String.raw`\b(?:fiscal year|financial year|fy)\s+(?:ends?|ending)\s+(?:on\s+|in\s+)?(?:the\s+)?${MONTH}\b`,
  ).exec(t);
  if (ending) {
    const m = monthIndex(ending[1]!);
    if (m) return (m % 12) + 1;
  }
  return undefined;
}
