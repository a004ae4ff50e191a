import { addMonths, formatPeriod, monthsOf, parsePeriod, periodKind, quarterOfMonth } from '../../lib/periods.ts';

/**
 * The one owner of periods (issue 11): what a question, a tool input or a route names (`PeriodSpec`) and
 * the months it means (`ResolvedPeriod`). The question reader emits a spec, the tools pass it here, and
 * what comes back — id, label, months — is what every answer names.
 *
 * Strings: explicit periods (`2026-03`, `March 2026`, `2026-Q2`, `2025`, `FY2026`, `FY2026-Q1`,
 * `2025-07..2026-06`) and relative ones, which count from the LATEST month in the data, never the wall
 * clock: `current`/`latest`/`last_month` (the latest month), `previous_month`, `last_quarter` (the latest
 * complete quarter), `current_quarter` (quarter to date), `previous_quarter`, `ttm`/`ltm`/`last_12_months`,
 * `last_N_months`, `ytd`, `this_year`, `last_year` (the latest complete year). Relative quarters and years
 * are fiscal when the company's fiscal year starts in another month than January. The latest month is
 * the tenant's (`MetricData.latestMonth`, given to tools as `GraphPort.periodContext`): a list of deals
 * whose open deals close after the data ends still means by "last quarter" the quarter a metric answer
 * means — never one counted from an expected close date.
 *
 * Objects, as a question names a period:
 * - `{month, year?}` — a month; without a year the latest one that is not after the data ("in March").
 * - `{quarter, year?, fiscal?}` — `fiscal`: a quarter of the fiscal year ("Q2 FY26", "fiscal Q3"), read
 *   with the company's fiscal-year start; fiscal years are named by the calendar year they end in.
 * - `{half, year?, fiscal?}` — H1 / H2.
 * - `yearsBack` on a month, quarter or half without a year: in the (fiscal, for a fiscal quarter or half)
 *   year that many years before the latest data's — "March last year" is `{month: 3, yearsBack: 1}`,
 *   "Q2 this year" `{quarter: 2, yearsBack: 0}`.
 * - `{year, fiscal?}` — a whole calendar or fiscal year ("full year 2025", "FY2026").
 * - `{from, to}` — from the start of one period to the end of the other ("April through June").
 * - `{trailing, end?}` — the N months ending at `end` (the latest month when absent).
 * - `{since}` — from the start of a period to the latest month ("since January").
 * - `{shift, of, unit?}` — the period `shift` lengths of `of` later (earlier when negative): "and the quarter
 *   before?" after a question about Q2 is `{shift: -1, of: <Q2>, unit: 'quarter'}`; with a `unit` other than
 *   the length of `of`, the (fiscal) month, quarter or year that holds the end of `of` is shifted instead.
 */
export type PeriodSpec =
  | string
  | { from: PeriodSpec; to: PeriodSpec }
  | { trailing: number; end?: string }
  | { month: number; year?: number; yearsBack?: number }
  | { quarter: number; year?: number; fiscal?: boolean; yearsBack?: number }
  | { half: number; year?: number; fiscal?: boolean; yearsBack?: number }
  | { year: number; fiscal?: boolean }
  | { since: PeriodSpec }
  | { shift: number; of: PeriodSpec; unit?: 'month' | 'quarter' | 'year' };

export interface ResolvedPeriod {
  /** Canonical id: `2026-06`, `2026-Q2`, `2025`, `FY2026`, `FY2026-Q1`, or `2025-07..2026-06`. */
  id: string;
  /** As people write it: `June 2026`, `Q2 2026`, `the 12 months to June 2026`, `2026 year to date`. */
  label: string;
  kind: 'month' | 'quarter' | 'year' | 'fiscal_year' | 'fiscal_quarter' | 'range';
  months: string[];
  /** First and last month. */
  start: string;
  end: string;
  /** Period keys a document may use for exactly this span (a P&L's `2026-Q2` column). */
  native: string[];
  /** Set when the spec asked for a trailing window ("the last 6 months"): its length in months. */
  trailing?: number;
}

export interface PeriodContext {
  latestMonth: string | undefined;
  fiscalStartMonth: number;
}

export type PeriodResult = { ok: true; period: ResolvedPeriod } | { ok: false; message: string };

const pad = (n: number) => String(n).padStart(2, '0');
const monthNo = (m: string) => Number(m.slice(5, 7));
const yearNo = (m: string) => Number(m.slice(0, 4));

export function resolvePeriod(ctx: PeriodContext, spec: PeriodSpec | undefined): PeriodResult {
  if (spec === undefined) return resolvePeriod(ctx, 'latest');
  if (typeof spec === 'object') return resolveObject(ctx, spec);
  const s = spec
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const latest = ctx.latestMonth;
  const rel = (fn: (latest: string) => PeriodResult): PeriodResult => (latest ? fn(latest) : noData());

  if (['current', 'latest', 'now', 'this_month', 'last_month', 'latest_month', 'current_month'].includes(s)) {
    return rel((l) => ({ ok: true, period: month(l) }));
  }
  if (s === 'previous_month' || s === 'prior_month') return rel((l) => ({ ok: true, period: month(addMonths(l, -1)) }));
  if (['last_quarter', 'latest_quarter', 'previous_quarter', 'prior_quarter'].includes(s)) {
    return rel((l) => {
      const start = quarterStart(ctx, l);
      let end = addMonths(start, 2);
      if (end > l) end = addMonths(start, -1); // the quarter is not complete yet: the one before it
      if (s === 'previous_quarter' || s === 'prior_quarter') end = addMonths(end, -3);
      return { ok: true, period: quarter(ctx, addMonths(end, -2)) };
    });
  }
  if (s === 'this_quarter' || s === 'current_quarter' || s === 'qtd') {
    // A whole quarter is named as the company names its quarters ("Q4 FY2026", as last_quarter is);
    // a quarter under way is the months so far.
    return rel((l) => {
      const start = quarterStart(ctx, l);
      return addMonths(start, 2) === l ? { ok: true, period: quarter(ctx, start) } : rangeResult(ctx, start, l);
    });
  }
  if (['ttm', 'ltm', 'trailing_twelve_months', 'last_twelve_months', 'past_year', 'past_12_months'].includes(s)) {
    return rel((l) => ({ ok: true, period: trailing(ctx, l, 12) }));
  }
  let m: RegExpExecArray | null;
  if ((m = /^(?:last|trailing|past)_(\d{1,3})_months?$/.exec(s))) {
    const n = Number(m[1]);
    if (n < 1 || n > 120) return { ok: false, message: `trailing months must be 1–120, got ${n}` };
    return rel((l) => ({ ok: true, period: trailing(ctx, l, n) }));
  }
  if (s === 'ytd' || s === 'this_year' || s === 'current_year' || s === 'year_to_date') {
    return rel((l) => {
      const fy = fiscalYearOf(ctx, l);
      const name = ctx.fiscalStartMonth === 1 ? String(fy) : `FY${fy}`;
      return { ok: true, period: range(ctx, yearStart(ctx, l), l, `${name} year to date`) };
    });
  }
  if (s === 'last_year' || s === 'latest_year' || s === 'previous_year') {
    return rel((l) => {
      let end = addMonths(yearStart(ctx, l), 11);
      if (end > l) end = addMonths(end, -12);
      if (s === 'previous_year') end = addMonths(end, -12);
      return rangeResult(ctx, addMonths(end, -11), end);
    });
  }
  if ((m = /^(\d{4}_\d{2})\.\.(\d{4}_\d{2})$/.exec(s))) {
    return rangeResult(ctx, m[1]!.replace('_', '-'), m[2]!.replace('_', '-'));
  }
  if ((m = /^fy_?(\d{4})_?q([1-4])$/.exec(s))) {
    const fy = Number(m[1]);
    const start = addMonths(fiscalYearFirstMonth(ctx, fy), (Number(m[2]) - 1) * 3);
    return { ok: true, period: quarter(ctx, start) };
  }
  const parsed = parsePeriod(spec);
  if (!parsed) return { ok: false, message: `cannot read "${spec}" as a period` };
  const kind = periodKind(parsed);
  if (kind === 'month') return { ok: true, period: month(parsed) };
  if (kind === 'quarter') return { ok: true, period: calendarQuarter(parsed) };
  const months = monthsOf(parsed, ctx.fiscalStartMonth);
  return {
    ok: true,
    period: withEnds({ id: parsed, label: formatPeriod(parsed), kind, months, native: nativeKeys(ctx, months) }),
  };
}

type ObjectSpec = Exclude<PeriodSpec, string>;

function resolveObject(ctx: PeriodContext, spec: ObjectSpec): PeriodResult {
  const latest = ctx.latestMonth;
  const int = (n: unknown, lo: number, hi: number) => Number.isInteger(n) && (n as number) >= lo && (n as number) <= hi;
  if ('trailing' in spec) {
    const end = spec.end ? toMonth(ctx, spec.end) : latest;
    if (!end) return noData();
    if (!int(spec.trailing, 1, 120))
      return { ok: false, message: `trailing months must be 1–120, got ${spec.trailing}` };
    return { ok: true, period: trailing(ctx, end, spec.trailing) };
  }
  if ('shift' in spec) {
    const of = resolvePeriod(ctx, spec.of);
    if (!of.ok) return of;
    if (!int(spec.shift, -120, 120)) return { ok: false, message: `cannot shift a period by ${spec.shift}` };
    const size = { month: 1, quarter: 3, year: 12 }[spec.unit ?? 'month'];
    let base = of.period;
    if (spec.unit && base.months.length !== size) {
      const e = base.end;
      base =
        spec.unit === 'month'
          ? month(e)
          : spec.unit === 'quarter'
            ? quarter(ctx, quarterStart(ctx, e))
            : range(ctx, yearStart(ctx, e), addMonths(yearStart(ctx, e), 11));
    }
    return { ok: true, period: shiftPeriod(ctx, base, spec.shift * base.months.length) };
  }
  if ('since' in spec) {
    const from = resolvePeriod(ctx, spec.since);
    if (!from.ok) return from;
    if (!latest) return noData();
    const start = from.period.start;
    if (start >= latest) return { ok: true, period: month(latest) };
    return { ok: true, period: range(ctx, start, latest, `${formatPeriod(start)} – ${formatPeriod(latest)}`) };
  }
  if ('from' in spec) {
    const from = resolvePeriod(ctx, spec.from);
    const to = resolvePeriod(ctx, spec.to);
    if (!from.ok) return from;
    if (!to.ok) return to;
    return rangeResult(ctx, from.period.start, to.period.end, true);
  }
  if ('year' in spec && !('month' in spec) && !('quarter' in spec) && !('half' in spec)) {
    if (!int(spec.year, 1990, 2100)) return { ok: false, message: `cannot read year ${spec.year}` };
    return resolvePeriod(ctx, spec.fiscal ? `FY${spec.year}` : String(spec.year));
  }
  const year = 'year' in spec ? spec.year : undefined;
  if (year !== undefined && !int(year, 1990, 2100)) return { ok: false, message: `cannot read year ${year}` };
  // Without a year: the latest one whose period does not start after the data ends.
  if (year === undefined && !latest) return noData();
  const back = 'yearsBack' in spec ? spec.yearsBack : undefined;
  if (back !== undefined && !int(back, 0, 50)) return { ok: false, message: `cannot go back ${back} years` };
  const pick = (startOf: (y: number) => string, latestYear: number, yearAfterLatest: number) => {
    if (year !== undefined) return year;
    // "Last year" counts back from the year the data's next month is in, as `last_year` does (data to
    // December 2025: last year is 2025); "this year" is the latest data's own year.
    if (back !== undefined) return back === 0 ? latestYear : yearAfterLatest - back;
    return startOf(latestYear) > latest! ? latestYear - 1 : latestYear;
  };
  const next = latest ? addMonths(latest, 1) : undefined;
  if ('month' in spec) {
    if (!int(spec.month, 1, 12)) return { ok: false, message: `there is no month ${spec.month}` };
    const y = pick((y) => `${y}-${pad(spec.month)}`, latest ? yearNo(latest) : 0, next ? yearNo(next) : 0);
    return { ok: true, period: month(`${y}-${pad(spec.month)}`) };
  }
  const fiscal = spec.fiscal === true && ctx.fiscalStartMonth !== 1;
  if ('quarter' in spec) {
    if (!int(spec.quarter, 1, 4)) return { ok: false, message: `there is no quarter ${spec.quarter}` };
    if (fiscal) {
      const startOf = (fy: number) => addMonths(fiscalYearFirstMonth(ctx, fy), (spec.quarter - 1) * 3);
      const fy = pick(startOf, latest ? fiscalYearOf(ctx, latest) : 0, next ? fiscalYearOf(ctx, next) : 0);
      return { ok: true, period: quarter(ctx, startOf(fy)) };
    }
    const startOf = (y: number) => `${y}-${pad((spec.quarter - 1) * 3 + 1)}`;
    const y = pick(startOf, latest ? yearNo(latest) : 0, next ? yearNo(next) : 0);
    return { ok: true, period: calendarQuarter(`${y}-Q${spec.quarter}`) };
  }
  if (!int(spec.half, 1, 2)) return { ok: false, message: `there is no half ${spec.half}` };
  if (fiscal) {
    const startOf = (fy: number) => addMonths(fiscalYearFirstMonth(ctx, fy), (spec.half - 1) * 6);
    const fy = pick(startOf, latest ? fiscalYearOf(ctx, latest) : 0, next ? fiscalYearOf(ctx, next) : 0);
    const start = startOf(fy);
    return { ok: true, period: range(ctx, start, addMonths(start, 5), `H${spec.half} FY${fy}`) };
  }
  const startOf = (y: number) => `${y}-${spec.half === 1 ? '01' : '07'}`;
  const y = pick(startOf, latest ? yearNo(latest) : 0, next ? yearNo(next) : 0);
  return { ok: true, period: range(ctx, startOf(y), addMonths(startOf(y), 5), `H${spec.half} ${y}`) };
}

/** The `n` months ending at `end`, named like a quarter or year when they are one. */
function trailing(ctx: PeriodContext, end: string, n: number): ResolvedPeriod {
  const p = range(ctx, addMonths(end, 1 - n), end, n > 3 ? `the last ${n} months` : undefined);
  return n > 1 ? { ...p, trailing: n } : p;
}

function calendarQuarter(q: string): ResolvedPeriod {
  const months = monthsOf(q);
  return withEnds({ id: q, label: formatPeriod(q), kind: 'quarter', months, native: [q] });
}

function withEnds(p: Omit<ResolvedPeriod, 'start' | 'end'>): ResolvedPeriod {
  return { ...p, start: p.months[0]!, end: p.months.at(-1)! };
}

/** Whether a string names a period this module can resolve (tool inputs are checked with it). */
export function isPeriodText(s: string): boolean {
  return resolvePeriod({ latestMonth: '2026-01', fiscalStartMonth: 1 }, s).ok;
}

function noData(): PeriodResult {
  return {
    ok: false,
    message: 'no monthly data yet, so relative periods (latest, last quarter, TTM) cannot be resolved',
  };
}

function toMonth(ctx: PeriodContext, spec: string): string | undefined {
  const r = resolvePeriod(ctx, spec);
  return r.ok ? r.period.months.at(-1) : undefined;
}

export function month(m: string): ResolvedPeriod {
  return { id: m, label: formatPeriod(m), kind: 'month', months: [m], start: m, end: m, native: [m] };
}

/** The first month of the (fiscal) quarter containing `m`. */
function quarterStart(ctx: PeriodContext, m: string): string {
  const offset = (monthNo(m) - ctx.fiscalStartMonth + 12) % 12;
  return addMonths(m, -(offset % 3));
}

function yearStart(ctx: PeriodContext, m: string): string {
  const offset = (monthNo(m) - ctx.fiscalStartMonth + 12) % 12;
  return addMonths(m, -offset);
}

/** FY2026 with a July start begins 2025-07 (named after the calendar year it ends in). */
function fiscalYearFirstMonth(ctx: PeriodContext, fy: number): string {
  return ctx.fiscalStartMonth === 1 ? `${fy}-01` : `${fy - 1}-${pad(ctx.fiscalStartMonth)}`;
}

function fiscalYearOf(ctx: PeriodContext, m: string): number {
  return ctx.fiscalStartMonth === 1 || monthNo(m) < ctx.fiscalStartMonth ? yearNo(m) : yearNo(m) + 1;
}

/** The quarter starting at `start`: calendar `2026-Q2`, or fiscal `FY2027-Q1` when the profile is fiscal. */
function quarter(ctx: PeriodContext, start: string): ResolvedPeriod {
  const months = [start, addMonths(start, 1), addMonths(start, 2)];
  const calendar = quarterOfMonth(start);
  if (monthsOf(calendar)[0] === start && ctx.fiscalStartMonth === 1) {
    return withEnds({ id: calendar, label: formatPeriod(calendar), kind: 'quarter', months, native: [calendar] });
  }
  const fy = fiscalYearOf(ctx, start);
  const q = Math.floor(((monthNo(start) - ctx.fiscalStartMonth + 12) % 12) / 3) + 1;
  const id = `FY${fy}-Q${q}`;
  return withEnds({ id, label: `Q${q} FY${fy}`, kind: 'fiscal_quarter', months, native: nativeKeys(ctx, months) });
}

/** `span`: the range was asked as "from … to …", so an unnamed one is labelled by its two ends. */
function rangeResult(ctx: PeriodContext, from: string, to: string, span = false): PeriodResult {
  if (!/^\d{4}-\d{2}$/.test(from) || !/^\d{4}-\d{2}$/.test(to))
    return { ok: false, message: 'a range runs between two months' };
  if (from > to) return { ok: false, message: `the range ${from}..${to} ends before it starts` };
  return { ok: true, period: range(ctx, from, to, span ? `${formatPeriod(from)} – ${formatPeriod(to)}` : undefined) };
}

/** A span of whole months; named like the quarter or year it equals, if it equals one. */
export function range(ctx: PeriodContext, from: string, to: string, label?: string): ResolvedPeriod {
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  if (months.length === 1) return month(from);
  const native = nativeKeys(ctx, months);
  // A span key (a fiscal quarter's months) is a document's name for the months, not one a person says.
  const named = native.find((k) => !k.includes('..'));
  if (named) {
    const kind =
      periodKind(named) === 'fiscal_year' ? 'fiscal_year' : periodKind(named) === 'quarter' ? 'quarter' : 'year';
    return withEnds({ id: named, label: formatPeriod(named), kind, months, native });
  }
  const text =
    label ??
    (months.length % 12 === 0 || months.length > 3
      ? `the ${months.length} months to ${formatPeriod(to)}`
      : `${formatPeriod(from)} – ${formatPeriod(to)}`);
  return withEnds({ id: `${from}..${to}`, label: text, kind: 'range', months, native });
}

/** Keys a document could use for exactly these months. */
function nativeKeys(ctx: PeriodContext, months: string[]): string[] {
  const first = months[0]!;
  const keys: string[] = [];
  if (months.length === 3) {
    const q = quarterOfMonth(first);
    if (monthsOf(q)[0] === first) keys.push(q);
    // A quarter of a fiscal year that is no calendar quarter (February – April): a document's `Q1 FY26`
    // column is kept as its months (data.ts `calendarPoint`), and answers exactly this quarter.
    else if ((monthNo(first) - ctx.fiscalStartMonth + 12) % 3 === 0) keys.push(`${first}..${months[2]}`);
  }
  if (months.length === 12) {
    if (first.endsWith('-01')) keys.push(first.slice(0, 4));
    // A fiscal year label only names these months when they are the profile's fiscal year.
    if (monthNo(first) === ctx.fiscalStartMonth) keys.push(`FY${fiscalYearOf(ctx, first)}`);
  }
  return keys;
}

/** Shift a resolved period by whole months (the previous quarter of a quarter, the same months a year earlier). */
export function shiftPeriod(ctx: PeriodContext, period: ResolvedPeriod, months: number): ResolvedPeriod {
  const from = addMonths(period.months[0]!, months);
  const to = addMonths(period.months.at(-1)!, months);
  if (period.kind === 'quarter' || period.kind === 'fiscal_quarter') return quarter(ctx, from);
  return range(ctx, from, to);
}

/** Split a period into consecutive sub-periods (for series and "which month/quarter was highest"). */
export function splitPeriod(
  ctx: PeriodContext,
  period: ResolvedPeriod,
  by: 'month' | 'quarter' | 'year',
): ResolvedPeriod[] {
  if (by === 'month') return period.months.map(month);
  const size = by === 'quarter' ? 3 : 12;
  const out: ResolvedPeriod[] = [];
  const startOf = (m: string) => (by === 'quarter' ? quarterStart(ctx, m) : yearStart(ctx, m));
  let start = startOf(period.months[0]!);
  const last = period.months.at(-1)!;
  while (start <= last) {
    const p = by === 'quarter' ? quarter(ctx, start) : range(ctx, start, addMonths(start, size - 1));
    out.push(p);
    start = addMonths(start, size);
  }
  return out;
}
