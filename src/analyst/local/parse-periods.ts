import type { PeriodSpec } from '../../graph/engine/periods.ts';
import { monthIndex } from '../../lib/periods.ts';

/**
 * Find the periods a question names, in the order written: `June 2026`, `Jun '26`, `2026-06`,
 * `end of June`, `Q2 2026`, `second quarter of 2026`, `FY2026`, `2025`, `last 12 months`, `TTM`,
 * `right now`, `last quarter` … Each match blanks its span so a year is not read twice.
 */
export interface FoundPeriod {
  spec: PeriodSpec;
  index: number;
  text: string;
}

const MONTH_RE =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  eighteen: 18,
  twenty: 20,
  'twenty-four': 24,
  'twenty four': 24,
  thirty: 30,
  'thirty-six': 36,
};
const ORDINAL: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  last: 4,
};

const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));
const count = (w: string) => (/^\d+$/.test(w) ? Number(w) : (NUMBER_WORDS[w] ?? Number.NaN));

type Rule = { re: RegExp; make: (m: RegExpExecArray) => PeriodSpec | undefined };

const NUM_WORDS = Object.keys(NUMBER_WORDS).join('|');

const RULES: Rule[] = [
  // Trailing windows: "last 12 months", "past six months", "trailing twelve months", "TTM", "LTM"
  {
    re: new RegExp(
      `\\b(?:last|past|trailing|previous|prior|rolling|over the last|over the past)[\\s-]+(\\d{1,3}|${NUM_WORDS})[\\s-]+months?\\b`,
      'g',
    ),
    make: (m) => ({ trailing: count(m[1]!) }),
  },
  {
    re: new RegExp(
      `\\b(?:last|past|trailing|previous|prior|rolling)\\s+(\\d{1,2}|${NUM_WORDS})[\\s-]+quarters?\\b`,
      'g',
    ),
    make: (m) => ({ trailing: count(m[1]!) * 3 }),
  },
  {
    re: new RegExp(`\\b(?:last|past|trailing|previous|prior|rolling)\\s+(\\d{1,2}|${NUM_WORDS})[\\s-]+years?\\b`, 'g'),
    make: (m) => ({ trailing: count(m[1]!) * 12 }),
  },
  {
    re: /\b(?:ttm|ltm|t12m|l12m|trailing[\s-]twelve|trailing[\s-]12)\b/g,
    make: () => ({ trailing: 12 }),
  },
  {
    re: /\b(?:(?:over|in|during) the (?:last|past) year|(?:the )?past year|past twelve months|(?:over|in) the last twelve months|trailing year|(?:last|past) 12 mo)\b/g,
    make: () => ({ trailing: 12 }),
  },
  // Quarters: "Q2 2026", "Q2'26", "Q2 FY26", "2026 Q2", "2026-Q2", "2Q26", "second quarter of 2026"
  // Fiscal quarters written fiscal-year first or with "fiscal" before: "FY25 Q4", "FY2026-Q1", "fiscal Q3",
  // "fiscal Q3 2026", "fiscal third quarter"
  {
    re: /\bfy\s*['’]?(\d{4}|\d{2})\s*[-\s/]?\s*q([1-4])\b/g,
    make: (m) => ({ quarter: Number(m[2]), year: fullYear(m[1]!), fiscal: true }),
  },
  {
    re: /\bfiscal\s+(?:year\s+)?q([1-4])(?:\s*[-'’]?\s*(\d{4}|\d{2})(?![\d-]))?\b/g,
    make: (m) => ({ quarter: Number(m[1]), ...(m[2] ? { year: fullYear(m[2]) } : {}), fiscal: true }),
  },
  {
    re: /\bfiscal\s+(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+(?:of\s+)?(\d{4}|\d{2}))?\b/g,
    make: (m) => ({ quarter: ORDINAL[m[1]!] ?? 1, ...(m[2] ? { year: fullYear(m[2]) } : {}), fiscal: true }),
  },
  {
    re: /\b(\d{4})\s*[- ]?\s*q([1-4])\b/g,
    make: (m) => ({ quarter: Number(m[2]), year: Number(m[1]) }),
  },
  {
    re: /\bq([1-4])(?:(?:\s+(?:of|in))?\s*(fy|fiscal(?:\s+year)?)?\s*[-'’]?\s*(\d{4}|\d{2})(?![\d-]))?\b/g,
    make: (m) => ({
      quarter: Number(m[1]),
      ...(m[3] ? { year: fullYear(m[3]) } : {}),
      ...(m[2] ? { fiscal: true } : {}),
    }),
  },
  {
    re: /\b([1-4])q\s*'?(\d{2}|\d{4})\b/g,
    make: (m) => ({ quarter: Number(m[1]), year: fullYear(m[2]!) }),
  },
  {
    re: /\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+(?:of|in)?\s*(fy\s*|fiscal\s+(?:year\s+)?)?(\d{4}|\d{2}))?\b/g,
    make: (m) => ({
      quarter: ORDINAL[m[1]!] ?? 1,
      ...(m[3] ? { year: fullYear(m[3]) } : {}),
      ...(m[2] ? { fiscal: true } : {}),
    }),
  },
  // Halves: "H1 2026", "first half of 2025"; fiscal halves "H2 FY26", "FY26 H1", "1H FY26", "fiscal H1",
  // "second half of fiscal 2026"; "1H25", "2H 2025" (half first, as analysts write it).
  {
    re: /\bfy\s*['’]?(\d{4}|\d{2})\s*[-\s/]?\s*h([12])\b/g,
    make: (m) => ({ half: Number(m[2]), year: fullYear(m[1]!), fiscal: true }),
  },
  {
    re: /\b(?:h([12])|([12])h)(?:\s+(?:of|in))?\s*(fy|fiscal(?:\s+year)?)\s*['’]?\s*(\d{4}|\d{2})(?![\d-])\b/g,
    make: (m) => ({ half: Number(m[1] ?? m[2]), year: fullYear(m[4]!), fiscal: true }),
  },
  {
    re: /\bfiscal\s+(?:year\s+)?(?:h([12])|([12])h)(?:\s*[-'’]?\s*(\d{4}|\d{2})(?![\d-]))?\b/g,
    make: (m) => ({ half: Number(m[1] ?? m[2]), ...(m[3] ? { year: fullYear(m[3]) } : {}), fiscal: true }),
  },
  {
    re: /\b(first|second|1st|2nd)\s+half\s+(?:of\s+)?(?:the\s+)?(fy\s*|fiscal\s+(?:year\s+)?)['’]?(\d{4}|\d{2})?\b/g,
    make: (m) => ({ half: ORDINAL[m[1]!] ?? 1, ...(m[3] ? { year: fullYear(m[3]) } : {}), fiscal: true }),
  },
  {
    re: /\b([12])h\s*['’]?\s*(\d{4}|\d{2})(?![\d-])\b/g,
    make: (m) => ({ half: Number(m[1]), year: fullYear(m[2]!) }),
  },
  {
    re: /\bh([12])(?:\s*[-'’]?\s*(\d{4}|\d{2}))?\b/g,
    make: (m) => ({ half: Number(m[1]), ...(m[2] ? { year: fullYear(m[2]) } : {}) }),
  },
  {
    re: /\b(first|second)\s+half(?:\s+of)?(?:\s+(\d{4}))?\b/g,
    make: (m) => ({ half: m[1] === 'first' ? 1 : 2, ...(m[2] ? { year: Number(m[2]) } : {}) }),
  },
  // Months with a year: "2026-06", "06/2026", "June 2026", "Jun '26", "June 30, 2026", "30 June 2026"
  {
    re: /\b(\d{4})-(\d{2})(?:-\d{2})?\b/g,
    make: (m) => {
      const mo = Number(m[2]);
      return mo >= 1 && mo <= 12 ? { month: mo, year: Number(m[1]) } : undefined;
    },
  },
  {
    re: /\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/g,
    make: (m) => {
      const [a, b] = [Number(m[1]), Number(m[2])];
      const mo = a > 12 ? b : a;
      return mo >= 1 && mo <= 12 ? { month: mo, year: Number(m[3]) } : undefined;
    },
  },
  {
    re: /\b(\d{1,2})\/(\d{4})\b/g,
    make: (m) => {
      const mo = Number(m[1]);
      return mo >= 1 && mo <= 12 ? { month: mo, year: Number(m[2]) } : undefined;
    },
  },
  {
    re: new RegExp(`\\b(${MONTH_RE})\\.?\\s*(?:\\d{1,2}(?:st|nd|rd|th)?,?\\s*)?(?:['’]\\s*(\\d{2})|(\\d{4}))\\b`, 'g'),
    make: (m) => ({ month: monthIndex(m[1]!) ?? 1, year: fullYear(m[2] ?? m[3]!) }),
  },
  {
    re: new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(${MONTH_RE})\\.?,?\\s+(\\d{4})\\b`, 'g'),
    make: (m) => ({ month: monthIndex(m[1]!) ?? 1, year: Number(m[2]) }),
  },
  // A whole year named with "full": "full year 2025", "the full fiscal year 2026", "2025 full year" — the
  // whole year, never the year to date.
  {
    re: /\b(?:the\s+)?(?:full|whole|entire)[\s-]+(fiscal\s+|calendar\s+)?year\s+(?:of\s+)?(fy\s*)?['’]?(\d{4}|\d{2})\b/g,
    make: (m) => ({ year: fullYear(m[3]!), ...(m[1]?.startsWith('fiscal') || m[2] ? { fiscal: true } : {}) }),
  },
  {
    re: /\b(fy\s*)?((?:19|20)\d{2})\s+(?:full|whole|entire)[\s-]+year\b/g,
    make: (m) => ({ year: Number(m[2]), ...(m[1] ? { fiscal: true } : {}) }),
  },
  // Fiscal and calendar years: "FY2026", "FY26", "fiscal 2026", "fiscal year 2026", "CY2025", "2025"
  { re: /\bfy\s*['’]?(\d{4}|\d{2})\b/g, make: (m) => ({ year: fullYear(m[1]!), fiscal: true }) },
  { re: /\bfiscal(?:\s+year)?\s+(\d{4})\b/g, make: (m) => ({ year: Number(m[1]), fiscal: true }) },
  { re: /\b(?:cy\s*)?((?:19|20)\d{2})\b/g, make: (m) => ({ year: Number(m[1]) }) },
  // Months without a year, only where a month is clearly meant ("may" is also a verb)
  {
    re: new RegExp(
      `\\b(?:in|of|for|during|as of|at|end of|since|by|from|to|through|until|and|vs\\.?|versus|than)\\s+(?:the\\s+)?(?:end\\s+of\\s+)?(${MONTH_RE})\\b`,
      'g',
    ),
    make: (m) => ({ month: monthIndex(m[1]!) ?? 1 }),
  },
  {
    re: /\b(january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b/g,
    make: (m) => ({ month: monthIndex(m[1]!) ?? 1 }),
  },
  // Relative to the latest data
  {
    re: /\b(?:last|previous|prior|most recent|latest)\s+(?:full\s+|complete[d]?\s+|reported\s+)?quarter\b|\bquarter\s+(?:before|prior)\b/g,
    make: () => 'last_quarter',
  },
  {
    re: /\b(?:this|current|latest)\s+quarter\b|\bqtd\b|\bquarter to date\b/g,
    make: () => 'this_quarter',
  },
  {
    re: /\b(?:month before last|previous month|prior month)\b/g,
    make: () => 'previous_month',
  },
  {
    re: /\b(?:last|most recent|latest)\s+(?:full\s+|reported\s+)?month\b/g,
    make: () => 'last_month',
  },
  {
    // "Full year" alone is the last complete year (a full year is not one still running).
    re: /\b(?:the\s+)?(?:last\s+)?(?:full|complete[d]?)[\s-]+(?:fiscal\s+|calendar\s+)?year\b/g,
    make: () => 'last_year',
  },
  {
    // The graph reads these from the company's fiscal-year start: "this fiscal year" = fiscal year to date.
    // "FY" without a number is the fiscal year: "this FY", "FYTD", "FY to date".
    re: /\b(?:(?:fiscal\s+|fy\s*)?(?:ytd|year to date)|fytd|fy[\s-]+to[\s-]+date|(?:this|current)\s+(?:(?:fiscal\s+|financial\s+)?year|fy)|(?:(?:over|for|during|in|across) the (?:whole |entire )?(?:fiscal\s+)?year))\b/g,
    make: () => 'ytd',
  },
  { re: /\b(?:last|previous|prior)\s+(?:(?:calendar\s+|fiscal\s+|financial\s+)?year|fy)\b/g, make: () => 'last_year' },
  {
    re: /\b(?:current(?:ly)?|right now|now|today|latest|at present|presently|as of today|this month|most recent|to date)\b/g,
    make: () => 'latest',
  },
];

type Point = { month: number; year?: number } | { quarter: number; year?: number; fiscal?: boolean };
const isPoint = (p: PeriodSpec): p is Point => typeof p === 'object' && ('month' in p || 'quarter' in p);
const isYear = (p: PeriodSpec): p is { year: number; fiscal?: boolean } =>
  typeof p === 'object' && 'year' in p && !('month' in p) && !('quarter' in p) && !('half' in p);

/** A month, quarter or half named without a year ("in March", "Q2"). */
const isYearless = (p: PeriodSpec): boolean =>
  typeof p === 'object' && ('month' in p || 'quarter' in p || 'half' in p) && p.year === undefined;
/** How many years back a year named relative to the data is. */
const YEARS_BACK: Record<string, number> = {
  'last year': 1,
  'previous year': 1,
  'prior year': 1,
  'this year': 0,
  'current year': 0,
};

/** "Now" — the question names no period of its own, so each metric takes its default period. */
export const isCurrent = (p: PeriodSpec | undefined): boolean => p === 'latest';
/** Relative to the latest data (`last_quarter`, `ytd`, the last N months), not a period by its name. */
export const isRelative = (p: PeriodSpec): boolean => typeof p === 'string' || 'trailing' in p;

/**
 * A quarter written without a year ("and q3?", "q3 to q4 fy26") read with the year of the quarter beside
 * it — and as fiscal when that one is fiscal. Any other spec is returned as it is.
 */
export function withYearOf(spec: PeriodSpec, other: PeriodSpec | undefined): PeriodSpec {
  if (typeof spec !== 'object' || !('quarter' in spec) || spec.year !== undefined) return spec;
  if (typeof other !== 'object' || !other || !('quarter' in other) || other.year === undefined) return spec;
  return { ...spec, year: other.year, ...(other.fiscal ? { fiscal: true } : {}) };
}

/** "The same quarter last year", "a year ago": the year before, named only to compare with. */
const SAME_PERIOD_YEAR_BEFORE =
  /\b(?:the )?same (?:period|month|quarter) (?:of |in )?(?:last|the previous|the prior) year\b|\b(?:a|one) year (?:earlier|ago|before)\b/g;
/**
 * "How much has MRR grown vs last year", "up on the prior year", "higher than last year": the year before
 * as the base of a comparison. Not "over the last year" (the trailing twelve months).
 */
const AGAINST_YEAR_BEFORE =
  /\b(?:vs\.?|versus|compared (?:to|with)|than|relative to|against|over|from|on)\s+(?:last\s+year|(?:the\s+)?(?:previous|prior)\s+year)\b/g;

const lowered = (question: string) => question.toLowerCase().replace(/[‘’]/g, "'");
const blank = (text: string, spans: string[]) =>
  spans.reduce((t, span) => t.replace(span, ' '.repeat(span.length)), text);
const yearLike = (p: PeriodSpec) => p === 'ytd' || p === 'last_year' || isYear(p);

/**
 * The words of a question that compare with the same period a year earlier rather than name a period of
 * their own ("the same quarter last year", "a year ago", "vs last year"): a year-over-year question.
 * "This year vs last year", "2025 compared with the prior year" compare two years, each a period, so
 * there "last year" is one.
 */
export function yearBeforeCues(question: string): string[] {
  const text = lowered(question);
  const same = [...text.matchAll(SAME_PERIOD_YEAR_BEFORE)].map((m) => m[0]);
  const against = [...text.matchAll(AGAINST_YEAR_BEFORE)].map((m) => m[0]);
  if (against.length === 0) return same;
  const others = collect(blank(text, [...same, ...against]));
  return others.some((f) => yearLike(f.spec)) ? same : [...same, ...against];
}

/** All periods named in the question, in reading order. */
export function findPeriods(question: string): FoundPeriod[] {
  // "the same quarter last year", "vs last year" compare with a year earlier: no period of their own.
  const found = collect(blank(lowered(question), yearBeforeCues(question)));
  return combined(found, question);
}

/** Every rule's matches in `text`, each blanked so later, looser rules do not read it again. */
function collect(source: string): FoundPeriod[] {
  let text = source;
  const found: FoundPeriod[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      const spec = rule.make(m as RegExpExecArray);
      if (!spec || (typeof spec === 'object' && 'trailing' in spec && !Number.isFinite(spec.trailing))) continue;
      if (isYear(spec) && (spec.year < 1990 || spec.year > 2100)) continue;
      const index = m.index ?? 0;
      found.push({ spec, index, text: m[0] });
    }
    // Blank what this rule matched so later, looser rules do not read it again.
    for (const f of found) {
      text = text.slice(0, f.index) + ' '.repeat(f.text.length) + text.slice(f.index + f.text.length);
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Periods read together: ranges, a month beside a relative year, a quarter taking its neighbour's year, "since". */
function combined(found: FoundPeriod[], question: string): FoundPeriod[] {
  // "April through June 2026", "Jan–Mar 2026": one range. A year written only on the second end
  // ("April through June 2026") applies to the first as well.
  for (let i = 0; i + 1 < found.length; i++) {
    const a = found[i]!;
    const b = found[i + 1]!;
    const between = question.toLowerCase().slice(a.index + a.text.length, b.index);
    if (!/^\s*(through|thru|until|till|[-–—])\s*$/.test(between)) continue;
    if (!isPoint(a.spec) || !isPoint(b.spec)) continue;
    const from = a.spec.year === undefined && b.spec.year !== undefined ? { ...a.spec, year: b.spec.year } : a.spec;
    found.splice(i, 2, {
      spec: { from, to: b.spec },
      index: a.index,
      text: `${a.text}${between}${b.text}`,
    });
  }
  // "MRR last year in March", "Q2 of last year", "March this year": a month, quarter or half without a
  // year, written next to a year named relative to the data, is in that year — not the year itself.
  for (let i = 0; i + 1 < found.length; i++) {
    const a = found[i]!;
    const b = found[i + 1]!;
    const between = question.toLowerCase().slice(a.index + a.text.length, b.index);
    if (!/^\s*(?:,|of|in|during|for)?\s*$/.test(between)) continue;
    const [point, year] = isYearless(a.spec) ? [a, b] : isYearless(b.spec) ? [b, a] : [];
    const back = year ? YEARS_BACK[year.text.replace(/\s+/g, ' ').trim()] : undefined;
    if (!point || back === undefined) continue;
    found.splice(i, 2, {
      spec: { ...(point.spec as Point), yearsBack: back } as PeriodSpec,
      index: a.index,
      text: `${a.text}${between}${b.text}`,
    });
  }
  // "from Q3 to Q4 FY26", "Q3 vs Q4 2025": a quarter written without a year takes the year (and the fiscal
  // reading) of the quarter it is compared with.
  for (let i = 0; i + 1 < found.length; i++) {
    const a = found[i]!;
    const b = found[i + 1]!;
    const between = question.toLowerCase().slice(a.index + a.text.length, b.index);
    if (!/^\s*(to|and|vs\.?|versus|or|compared (to|with)|,)\s*$/.test(between)) continue;
    a.spec = withYearOf(a.spec, b.spec);
  }
  // "since January", "since Q1 2025": from that period to the latest data.
  const lower = question.toLowerCase();
  return found.map((f): FoundPeriod => {
    // "the quarter ending June 30, 2026": the quarter that month closes.
    const before = lower.slice(0, f.index);
    if (
      typeof f.spec === 'object' &&
      'month' in f.spec &&
      /\bquarter\s+(ending|ended|that ended|to)\s+(on\s+|in\s+)?$/.test(before)
    ) {
      return {
        ...f,
        spec: { quarter: Math.ceil(f.spec.month / 3), ...(f.spec.year ? { year: f.spec.year } : {}) },
      };
    }
    const since =
      /^since\b/.test(f.text) || /\bsince\s+(the\s+)?((start|beginning|end)\s+of\s+)?$/.test(lower.slice(0, f.index));
    if (!since || typeof f.spec === 'string' || 'trailing' in f.spec || 'since' in f.spec) return f;
    return { ...f, spec: { since: f.spec } };
  });
}

/**
 * Whether the question has a period noun that no period it names contains ("the month with the most new
 * customers this fiscal year", "best NRR month", "worst month for churn", "lowest monthly NRR over the
 * past year" — each month's figure ranked): with a superlative, it asks which period. "This month",
 * "last quarter", "vs last year" name periods; "per month", "a month" (a rate: "$500 a month") ask for
 * none, and neither does a metric's own name ("monthly recurring revenue": `metricPhrases`).
 */
export function hasFreePeriodNoun(question: string, metricPhrases: string[] = []): boolean {
  let text = lowered(question);
  for (const f of findPeriods(text))
    text = text.slice(0, f.index) + ' '.repeat(f.text.length) + text.slice(f.index + f.text.length);
  text = blank(text, yearBeforeCues(text));
  for (const phrase of metricPhrases.filter((p) => p.includes(' '))) text = text.replace(phrase, ' ');
  return /(?<!\b(?:per|a|an|each|every)\s+)\b(?:month|quarter|qtr|year|period|week|half)s?\b|\b(?:month|quarter|week)ly\b/.test(
    text,
  );
}
