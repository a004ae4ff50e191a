import { formatPeriod, monthsOf } from '../../lib/periods.ts';
import type { MetricData } from './data.ts';

/**
 * A period asked for that lies wholly outside the months the documents give — before they start or
 * after they end. One owner of the rule and of how it is said: the graph puts it on a failed value
 * (`MetricValue.outside_data`), the Claude engine reads it from the tool result, and the local engine
 * writes the same note, so both say "your data runs from … to …" rather than listing missing inputs.
 */
export interface OutsideData {
  position: 'before' | 'after';
  /** First and last month any series of the documents reaches (`2025-04`, `2026-06`). */
  first: string;
  last: string;
  /** As an answer says it: `your data runs from April 2025 to June 2026`, `your data ends in June 2026`. */
  note: string;
}

/** The first and last month any series reaches (a quarter or year point covers its months). */
export function dataSpan(data: MetricData): { first?: string; last?: string } {
  let first: string | undefined;
  let last: string | undefined;
  for (const series of data.series.values()) {
    for (const period of series.keys()) {
      const months = monthsOfPeriod(period);
      const a = months[0];
      const b = months.at(-1);
      if (a && (!first || a < first)) first = a;
      if (b && (!last || b > last)) last = b;
    }
  }
  return { ...(first ? { first } : {}), ...(last ? { last } : {}) };
}

/** Where the months of a period lie against the data's span: before it, after it, or (undefined) within. */
export function outsideData(
  months: readonly string[],
  span: { first?: string | undefined; last?: string | undefined },
): OutsideData | undefined {
  const { first, last } = span;
  const start = months[0];
  const end = months.at(-1);
  if (!first || !last || !start || !end) return undefined;
  if (end < first)
    return {
      position: 'before',
      first,
      last,
      note: `your data runs from ${formatPeriod(first)} to ${formatPeriod(last)}`,
    };
  if (start > last) return { position: 'after', first, last, note: `your data ends in ${formatPeriod(last)}` };
  return undefined;
}

// A fiscal quarter kept as its months (`2025-08..2025-10`) covers them too.
const monthsOfPeriod = (p: string) =>
  /^(?:FY)?\d{4}(?:-(?:Q[1-4]|\d{2}))?$|^\d{4}-\d{2}\.\.\d{4}-\d{2}$/.test(p) ? monthsOf(p) : [];
