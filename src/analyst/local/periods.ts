import { addMonths, formatPeriod, monthIndex, monthsOf, periodKind, quarterOfMonth } from '../../lib/periods.ts';

/**
 * Periods as a question names them, before and after they are anchored to the latest month of data
 * (never the wall clock: "last quarter" means the last quarter the company has reported).
 */
export type PeriodSpec =
  | { kind: 'month'; month: number; year?: number }
  /** `fiscal`: a quarter of the fiscal year ("Q2 FY26"); `fiscalStart` the company's first fiscal month. */
  | { kind: 'quarter'; quarter: number; year?: number; fiscal?: boolean; fiscalStart?: number }
  | { kind: 'half'; half: number; year?: number }
  | { kind: 'year'; year: number; fiscal: boolean; fiscalStart?: number }
  | { kind: 'trailing'; months: number }
  | { kind: 'relative'; which: RelativePeriod }
  /** "since January": from the start of that period to the latest data. */
  | { kind: 'since'; from: Exclude<PeriodSpec, { kind: 'since' }> }
  /** "April through June 2026": from the start of one period to the end of the other. */
  | {
      kind: 'span';
      from: Extract<PeriodSpec, { kind: 'month' | 'quarter' }>;
      to: Extract<PeriodSpec, { kind: 'month' | 'quarter' }>;
    };

export type RelativePeriod =
  | 'current'
  | 'last_month'
  | 'prev_month'
  | 'this_quarter'
  | 'last_quarter'
  | 'prev_quarter'
  | 'this_year'
  | 'last_year'
  | 'ytd';

export interface ResolvedPeriod {
  /** `2026-06`, `2026-Q2`, `2025`, `FY2026`, or `2025-07..2026-06` for a trailing / half-year range. */
  period: string;
  kind: 'month' | 'quarter' | 'year' | 'fiscal_year' | 'range';
  start: string;
  end: string;
  months: string[];
  /** How an answer names it: `June 2026`, `Q2 2026`, `the last 12 months`. */
  label: string;
  /** Trailing window length when the question asked for one. */
  trailing?: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const yearOf = (month: string) => Number(month.slice(0, 4));
const monthNo = (month: string) => Number(month.slice(5, 7));

function range(start: string, end: string, label: string, trailing?: number): ResolvedPeriod {
  const months: string[] = [];
  for (let m = start; m <= end; m = addMonths(m, 1)) months.push(m);
  return {
    period: `${start}..${end}`,
    kind: 'range',
    start,
    end,
    months,
    label,
    ...(trailing ? { trailing } : {}),
  };
}

/** A canonical period (`2026-06`, `2026-Q2`, `2025`, `FY2026`) with its months and label. */
export function canonicalPeriod(period: string, fiscalStartMonth = 1): ResolvedPeriod {
  const kind = periodKind(period);
  const months = monthsOf(period, fiscalStartMonth);
  return {
    period,
    kind,
    start: months[0] ?? period,
    end: months[months.length - 1] ?? period,
    months,
    label: formatPeriod(period),
  };
}

/** The last complete calendar quarter at `latest` (the quarter of `latest` when it is the quarter's last month). */
export function lastCompleteQuarter(latest: string): string {
  return monthNo(latest) % 3 === 0
    ? quarterOfMonth(latest)
    : quarterOfMonth(addMonths(latest, -(monthNo(latest) % 3 || 3)));
}

/** Anchor a spec to the latest month of data. A month or quarter without a year takes the latest year, or the year before when that would lie in the future. */
export function resolvePeriod(spec: PeriodSpec, latest: string, fiscalStartMonth = 1): ResolvedPeriod {
  const ly = yearOf(latest);
  switch (spec.kind) {
    case 'month': {
      let y = spec.year ?? ly;
      if (spec.year === undefined && `${y}-${pad(spec.month)}` > latest) y -= 1;
      return canonicalPeriod(`${y}-${pad(spec.month)}`);
    }
    case 'quarter': {
      const fs = spec.fiscalStart ?? fiscalStartMonth;
      if (spec.fiscal && fs !== 1) {
        // Fiscal years are named by the calendar year they end in (FY2026 = July 2025 – June 2026).
        const fyOfLatest = monthNo(latest) >= fs ? yearOf(latest) + 1 : yearOf(latest);
        let fy = spec.year ?? fyOfLatest;
        const startOf = (y: number) => addMonths(`${y - 1}-${pad(fs)}`, (spec.quarter - 1) * 3);
        if (spec.year === undefined && startOf(fy) > latest) fy -= 1;
        const start = startOf(fy);
        return range(start, addMonths(start, 2), `Q${spec.quarter} FY${fy}`);
      }
      let y = spec.year ?? ly;
      const first = () => `${y}-${pad((spec.quarter - 1) * 3 + 1)}`;
      if (spec.year === undefined && first() > latest) y -= 1;
      return canonicalPeriod(`${y}-Q${spec.quarter}`);
    }
    case 'half': {
      let y = spec.year ?? ly;
      const first = () => `${y}-${pad(spec.half === 1 ? 1 : 7)}`;
      if (spec.year === undefined && first() > latest) y -= 1;
      const start = first();
      return range(start, addMonths(start, 5), `H${spec.half} ${y}`);
    }
    case 'year':
      return canonicalPeriod(spec.fiscal ? `FY${spec.year}` : String(spec.year), spec.fiscalStart ?? fiscalStartMonth);
    case 'trailing': {
      const n = Math.max(1, Math.min(120, spec.months));
      if (n === 1) return canonicalPeriod(latest);
      return range(addMonths(latest, -(n - 1)), latest, `the last ${n} months`, n);
    }
    case 'relative':
      return resolveRelative(spec.which, latest);
    case 'span': {
      const a = resolvePeriod(spec.from, latest, fiscalStartMonth);
      const b = resolvePeriod(spec.to, latest, fiscalStartMonth);
      const [start, end] = a.start <= b.end ? [a.start, b.end] : [b.start, a.end];
      return range(start, end, `${formatPeriod(start)} – ${formatPeriod(end)}`);
    }
    case 'since': {
      const start = resolvePeriod(spec.from, latest, fiscalStartMonth).start;
      if (start >= latest) return canonicalPeriod(latest);
      return range(start, latest, `${formatPeriod(start)} – ${formatPeriod(latest)}`);
    }
  }
}

function resolveRelative(which: RelativePeriod, latest: string): ResolvedPeriod {
  const ly = yearOf(latest);
  switch (which) {
    case 'current':
    case 'last_month':
      return canonicalPeriod(latest);
    case 'prev_month':
      return canonicalPeriod(addMonths(latest, -1));
    case 'this_quarter':
      return canonicalPeriod(quarterOfMonth(latest));
    case 'last_quarter':
      return canonicalPeriod(lastCompleteQuarter(latest));
    case 'prev_quarter': {
      const q = lastCompleteQuarter(latest);
      return canonicalPeriod(quarterOfMonth(addMonths(monthsOf(q)[0] ?? latest, -3)));
    }
    case 'this_year':
    case 'ytd':
      return monthNo(latest) === 12 ? canonicalPeriod(String(ly)) : range(`${ly}-01`, latest, `${ly} year to date`);
    case 'last_year':
      return monthNo(latest) === 12 ? canonicalPeriod(String(ly)) : canonicalPeriod(String(ly - 1));
  }
}

export function monthFromWord(word: string): number | undefined {
  return monthIndex(word);
}
