/**
 * Normalized periods, shared by table parsing, the metric engine and the question parser:
 * `2026-03` (month) · `2026-Q1` (calendar quarter) · `2026` (calendar year) · `FY2026` (fiscal year) ·
 * `2025-08..2025-10` (a span of whole months: a fiscal quarter that is no calendar quarter, once the
 * fiscal-year start puts it on its months).
 */
export type PeriodKind = 'month' | 'quarter' | 'year' | 'fiscal_year' | 'range';

const RANGE = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function monthIndex(word: string): number | undefined {
  const w = word.toLowerCase().slice(0, 3);
  const i = MONTHS.indexOf(w === 'sep' || word.toLowerCase().startsWith('sept') ? 'sep' : w);
  return i < 0 ? undefined : i + 1;
}

/**
 * Whether a word is a month as people write one (`mar`, `sept`, `march`), not merely a word that starts
 * like one (`margin`, `marketing`, `decline`): `monthIndex` reads any word by its first three letters.
 */
export function isMonthName(word: string): boolean {
  const w = word.toLowerCase().replace(/\.$/, '');
  return (
    monthIndex(w) !== undefined && (w.length === 3 || w === 'sept' || MONTH_NAMES.some((m) => m.toLowerCase() === w))
  );
}

const pad = (n: number) => String(n).padStart(2, '0');
const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));
const okYear = (y: number) => y >= 1990 && y <= 2100;

/** Excel's serial day 1 is 1900-01-01 (with the 1900 leap-year bug): serial 25569 = 1970-01-01. */
export function excelSerialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

/** Read a period from a header or cell: a string, an Excel date serial or a Date. `undefined` if it is not one. */
export function parsePeriod(input: string | number | Date | null | undefined): string | undefined {
  if (input === null || input === undefined) return undefined;
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return undefined;
    return `${input.getUTCFullYear()}-${pad(input.getUTCMonth() + 1)}`;
  }
  if (typeof input === 'number') {
    // Serials between 1990 and 2100 only, so plain numbers are not mistaken for dates.
    if (Number.isInteger(input) && input >= 32874 && input <= 73051) return parsePeriod(excelSerialToDate(input));
    if (Number.isInteger(input) && okYear(input)) return String(input);
    return undefined;
  }
  // A time of day after a date (`2026-03-31 00:00:00`, as database exports write it) says nothing of the month.
  const s = input
    .trim()
    .replace(/\s+/g, ' ')
    .replace(
      /^(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?(?:z|utc|[+-]\d{2}:?\d{2}))?$/i,
      '$1',
    );
  if (!s || s.length > 40) return undefined;
  let m: RegExpExecArray | null;
  // 2026-03, 2026/03, 2026-03-31, 2026.03
  if ((m = /^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:T.*)?$/.exec(s))) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (okYear(y) && mo >= 1 && mo <= 12) return `${y}-${pad(mo)}`;
    return undefined;
  }
  // 03/2026, 3-2026, 03/31/2026, 31/03/2026; 01.03.2026 is the 1st of March (dots are written day first)
  if ((m = /^(\d{1,2})[-/.](\d{1,2}[-/.])?(\d{4})$/.exec(s))) {
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2].slice(0, -1)) : undefined;
    const y = Number(m[3]);
    const dayFirst = b !== undefined && (a > 12 || m[2]!.endsWith('.'));
    const mo = b === undefined ? a : dayFirst ? b : a;
    if (okYear(y) && mo >= 1 && mo <= 12) return `${y}-${pad(mo)}`;
    return undefined;
  }
  // Q1 2026, Q1-26, Q1'26, Q1 FY2026 (read as calendar), 2026 Q1, 2026-Q1, 1Q26
  if ((m = /^q([1-4])(?:\s*[-'’ ]\s*|\s*)(?:fy\s*)?(\d{4}|\d{2})$/i.exec(s))) {
    const y = fullYear(m[2]!);
    if (okYear(y)) return `${y}-Q${m[1]}`;
  }
  if ((m = /^(\d{4})\s*[- ]?\s*q([1-4])$/i.exec(s))) {
    const y = Number(m[1]);
    if (okYear(y)) return `${y}-Q${m[2]}`;
  }
  if ((m = /^([1-4])q\s*'?(\d{2}|\d{4})$/i.exec(s))) {
    const y = fullYear(m[2]!);
    if (okYear(y)) return `${y}-Q${m[1]}`;
  }
  // FY2026, FY26, FY 2026, FY'26
  if ((m = /^fy\s*'?(\d{4}|\d{2})$/i.exec(s))) {
    const y = fullYear(m[1]!);
    if (okYear(y)) return `FY${y}`;
  }
  // 2026, CY2026
  if ((m = /^(?:cy\s*)?(\d{4})$/i.exec(s))) {
    const y = Number(m[1]);
    if (okYear(y)) return String(y);
  }
  // Mar 2026, March 2026, Mar-26, Mar '26, March 31, 2026, 31 March 2026, Mar 31 2026
  if ((m = /^([a-z]{3,9})\.?\s*(?:\d{1,2}(?:st|nd|rd|th)?,?\s*)?[-'’ ]?\s*(\d{4}|\d{2})$/i.exec(s))) {
    const mo = monthIndex(m[1]!);
    const y = fullYear(m[2]!);
    if (mo && isMonthWord(m[1]!) && okYear(y)) return `${y}-${pad(mo)}`;
  }
  if ((m = /^(\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]{3,9})\.?,?[ -](\d{4}|\d{2})$/i.exec(s))) {
    const mo = monthIndex(m[2]!);
    const y = fullYear(m[3]!);
    if (mo && isMonthWord(m[2]!) && okYear(y)) return `${y}-${pad(mo)}`;
  }
  return undefined;
}

function isMonthWord(word: string): boolean {
  const w = word.toLowerCase();
  return MONTH_NAMES.some((name) => {
    const n = name.toLowerCase();
    return n === w || (w.length >= 3 && n.startsWith(w)) || (w === 'sept' && n === 'september');
  });
}

export function periodKind(period: string): PeriodKind {
  if (/^\d{4}-\d{2}$/.test(period)) return 'month';
  if (RANGE.test(period)) return 'range';
  if (/^\d{4}-Q[1-4]$/.test(period)) return 'quarter';
  if (/^FY\d{4}$/.test(period)) return 'fiscal_year';
  return 'year';
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}`;
}

export function quarterOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/**
 * The months a period spans. A fiscal year `FY2026` with `fiscalStartMonth` 7 spans 2025-07 … 2026-06
 * (named after the calendar year it ends in); with 1 it is the calendar year.
 */
export function monthsOf(period: string, fiscalStartMonth = 1): string[] {
  const kind = periodKind(period);
  if (kind === 'month') return [period];
  if (kind === 'quarter') {
    const [y, q] = period.split('-Q').map(Number) as [number, number];
    const first = `${y}-${pad((q - 1) * 3 + 1)}`;
    return [0, 1, 2].map((i) => addMonths(first, i));
  }
  if (kind === 'range') {
    const [, from, to] = RANGE.exec(period)!;
    const months: string[] = [];
    // Bounded like every range the engine resolves (at most ten years of months).
    for (let m = from!; m <= to! && months.length < 1200; m = addMonths(m, 1)) months.push(m);
    return months;
  }
  const year = Number(period.replace('FY', ''));
  const first =
    kind === 'fiscal_year' && fiscalStartMonth !== 1 ? `${year - 1}-${pad(fiscalStartMonth)}` : `${year}-01`;
  return Array.from({ length: 12 }, (_, i) => addMonths(first, i));
}

/** The last month a period covers: `2026-Q2` → `2026-06`, `2025` → `2025-12`, `2025-07..2026-06` → `2026-06`. */
export function lastMonthOf(period: string): string | undefined {
  const range = RANGE.exec(period);
  if (range) return range[2];
  const kind = periodKind(period);
  if (kind === 'month') return period;
  if (kind === 'quarter') {
    const [y, q] = period.split('-Q').map(Number) as [number, number];
    return `${y}-${String(q * 3).padStart(2, '0')}`;
  }
  if (kind === 'year' && /^\d{4}$/.test(period)) return `${period}-12`;
  return undefined;
}

export function comparePeriods(a: string, b: string): number {
  const start = (p: string) => monthsOf(p)[0]!;
  const byStart = start(a).localeCompare(start(b));
  return byStart !== 0 ? byStart : monthsOf(a).length - monthsOf(b).length;
}

/** A period as people write it: `June 2026`, `Q2 2026`, `FY2026`, `2026`, `August 2025 – October 2025`. */
export function formatPeriod(period: string): string {
  const range = RANGE.exec(period);
  if (range) return `${formatPeriod(range[1]!)} – ${formatPeriod(range[2]!)}`;
  const kind = periodKind(period);
  if (kind === 'month') {
    const [y, m] = period.split('-').map(Number) as [number, number];
    return `${MONTH_NAMES[m - 1]} ${y}`;
  }
  if (kind === 'quarter') {
    const [y, q] = period.split('-Q');
    return `Q${q} ${y}`;
  }
  return period;
}
