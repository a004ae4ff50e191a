import { isMonthName, monthIndex, parsePeriod } from '../../lib/periods.ts';
import { PLAN_WORD } from './plans.ts';

/**
 * A period as spreadsheets write it, for table headers and period columns. On top of `parsePeriod`
 * (real dates and Excel serials, `2026-01`, `Jan-26`, `January 2026`, `1/31/2026`, `Q1 2026`, `FY2026`):
 * - fiscal quarters (`Q1 FY26`, `FY26 Q1`, `Q1-FY2026`, `FY2026-Q1`, `1Q FY26`) → `FY2026-Q1`, resolved to
 *   calendar months by the graph once the fiscal-year start is known (docs/graph.md);
 * - `2026 Jan`, `2026M01`, `1/31/26` (two-digit years), `Jan-26 Actual`, `Q1 2026 (A)`;
 * - a range of months, as QuickBooks heads a quarter's or a year's column (`Jan - Mar, 2025`,
 *   `January–March 2025`, `Oct 2025 - Dec 2025`, `Jan - Dec 2025`): the calendar quarter or year it
 *   spans, or the month; any other span (`Feb - Apr`, `Jan - Jun`) is no period the graph holds;
 * - a column that is a plan and not what happened (`Budget`, `Forecast`, `Plan`, `Target`) is no period,
 *   so its figures are never read as actuals.
 */
export function readPeriod(input: string | number | Date | null | undefined): string | undefined {
  if (typeof input !== 'string') return parsePeriod(input);
  let s = input.trim().replace(/\s+/g, ' ');
  if (!s || s.length > 40) return undefined;
  if (PLAN_WORD.test(s)) return undefined;
  s = s
    .replace(/\s*\((?:a|act|actual|actuals)\)$/i, '')
    .replace(/[\s-]+(?:act|actual|actuals)$/i, '')
    .trim();
  const fiscal = fiscalQuarter(s);
  if (fiscal) return fiscal;
  const range = monthRange(s);
  if (range !== undefined) return range || undefined;
  s = englishMonths(s);
  let m: RegExpExecArray | null;
  // Q1/2026, Q1 / 26
  if ((m = /^q([1-4])\s*\/\s*(\d{4}|\d{2})$/i.exec(s))) return parsePeriod(`Q${m[1]} ${m[2]}`);
  // 2026 Jan, 2026-Jan
  if ((m = /^(\d{4})[ -]([a-z]{3,9})\.?$/i.exec(s))) return parsePeriod(`${m[2]} ${m[1]}`);
  // 2026M01
  if ((m = /^(\d{4})m(\d{1,2})$/i.exec(s))) return parsePeriod(`${m[1]}-${m[2]}`);
  // 1/31/26, 31/1/26, 01/26 (month/two-digit year)
  if ((m = /^(\d{1,2})[/.](\d{1,2}[/.])?(\d{2})$/.exec(s))) return parsePeriod(`${m[1]}/${m[2] ?? ''}20${m[3]}`);
  return parsePeriod(s);
}

const RANGE = /^([a-z]{3,9})\.?(?:\s+(\d{4}))?\s*(?:-|–|—|to|through|thru)\s*([a-z]{3,9})\.?,?\s+(\d{4})$/i;

/**
 * `Jan - Mar, 2025` → `2025-Q1`, `Jan - Dec 2025` → `2025`, `Mar - Mar 2025` → `2025-03`; `''` for a range
 * of months that is none of those (so no reading of its words can take it for a period); undefined when
 * the text is no range of months.
 */
function monthRange(s: string): string | undefined {
  const m = RANGE.exec(s);
  if (!m || !isMonthName(m[1]!) || !isMonthName(m[3]!)) return undefined;
  const from = monthIndex(m[1]!)!;
  const to = monthIndex(m[3]!)!;
  const year = Number(m[4]);
  if (m[2] && Number(m[2]) !== year) return '';
  if (year < 1990 || year > 2100 || to < from) return '';
  if (from === to) return `${year}-${String(from).padStart(2, '0')}`;
  if (from === 1 && to === 12) return String(year);
  if (to - from === 2 && from % 3 === 1) return `${year}-Q${(from + 2) / 3}`;
  return '';
}

const fy = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

/** `Q1 FY26`, `FY26 Q1`, `FY2026-Q1`, `1Q FY26`, `Q1 FY 2026` → `FY2026-Q1`. */
export function fiscalQuarter(s: string): string | undefined {
  const m =
    /^q([1-4])\s*[-'’ ]?\s*fy\s*'?\s*(\d{4}|\d{2})$/i.exec(s) ??
    /^([1-4])q\s*[-'’ ]?\s*fy\s*'?\s*(\d{4}|\d{2})$/i.exec(s) ??
    (() => {
      const r = /^fy\s*'?\s*(\d{4}|\d{2})\s*[-'’ ]?\s*q([1-4])$/i.exec(s);
      return r ? ([r[0], r[2], r[1]] as unknown as RegExpExecArray) : null;
    })();
  if (!m) return undefined;
  const year = fy(m[2]!);
  if (year < 1990 || year > 2100) return undefined;
  return `FY${year}-Q${m[1]}`;
}

/**
 * Month names of the languages European exports are written in (German, French, Dutch, Spanish,
 * Italian), as the English name: `März 2025`, `mars 2025`, `Okt. 2025`, `dic-25`. Only a whole word
 * before a year is replaced, so an English label is never touched.
 */
const FOREIGN_MONTHS: Array<[RegExp, string]> = (
  [
    ['januar|janvier|januari|enero|gennaio|jänner|jaenner|janv', 'Jan'],
    ['februar|février|fevrier|februari|febrero|febbraio|févr|fevr', 'Feb'],
    ['märz|maerz|mär|mrz|mars|maart|marzo|mrt', 'Mar'],
    ['avril|avr|abril|aprile', 'Apr'],
    ['mai|mei|mayo|maggio', 'May'],
    ['juni|juin|junio|giugno', 'Jun'],
    ['juli|juillet|juil|julio|luglio', 'Jul'],
    ['août|aout|augustus|agosto', 'Aug'],
    ['septembre|septiembre|settembre|sept|set', 'Sep'],
    ['oktober|octobre|octubre|ottobre|okt', 'Oct'],
    ['novembre|noviembre', 'Nov'],
    ['dezember|décembre|decembre|diciembre|dicembre|dez|déc|dic', 'Dec'],
  ] as const
).map(([names, en]) => [new RegExp(`^(?:${names})\\.?(?=[\\s'’-]*\\d{2,4}$)`, 'i'), en]);

function englishMonths(s: string): string {
  if (!/^\p{L}/u.test(s)) return s;
  for (const [re, en] of FOREIGN_MONTHS) if (re.test(s)) return s.replace(re, en);
  return s;
}
