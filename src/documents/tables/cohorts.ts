import type { ParsedTable } from '../types.ts';

/** A column headed by the periods since a cohort started: `Month 1`, `M0`, `Week 3`, `Day 30`, `Period 2`. */
const OFFSET = /^(?:months?|mo|m|weeks?|wk|w|days?|d|periods?|p)\s*[-_#.]?\s*(\d{1,3})$/i;

/**
 * A cohort table (a logo- or revenue-retention export: one row per signup month, and across, the months
 * since — `Month 1` … `Month 12`): each cell is what is left of that row's cohort so many months on, and
 * the row's other figures (`New customers`, `Cohort size`, `MRR`) are the cohort's own. None of it is a
 * time series: `Month 6` under March 2025 is no value of any metric in March 2025, and a cohort's size is
 * not the company's customers then. Such a table gives no metric points; it stays a typed table, so its
 * rows are searchable. Recognised by three or more columns whose headers count up the periods since.
 */
export function isCohortTable(table: ParsedTable): boolean {
  if (table.orientation !== 'long') return false;
  const offsets = table.header
    .map((h) => OFFSET.exec(h.trim())?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  if (offsets.length < 3) return false;
  // Counting up one at a time (`Month 1, Month 2, Month 3`), as a cohort's columns do.
  return offsets.every((n, i) => i === 0 || n === offsets[i - 1]! + 1);
}
