import type { ParsedTable } from '../types.ts';

/** `1 → A`, `27 → AA`. */
export function columnLetter(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Where one data cell sits: `P&L FY2026!D6` for a sheet, `row 25, column "ending_mrr"` otherwise. */
export function cellLocator(table: ParsedTable, row: number, column: number): string {
  const { cells } = table;
  const rowNumber = cells.rowNumbers[row] ?? row + 2;
  if (cells.sheet !== undefined) return `${cells.sheet}!${columnLetter((cells.firstColumn ?? 1) + column)}${rowNumber}`;
  return `${cells.prefix ?? ''}row ${rowNumber}, column "${table.header[column] ?? column + 1}"`;
}

/** Where one data row sits: `P&L FY2026!A6:E6` or `row 6`. */
export function rowLocator(table: ParsedTable, row: number): string {
  const { cells } = table;
  const rowNumber = cells.rowNumbers[row] ?? row + 2;
  if (cells.sheet !== undefined) {
    const first = cells.firstColumn ?? 1;
    return `${cells.sheet}!${columnLetter(first)}${rowNumber}:${columnLetter(first + table.header.length - 1)}${rowNumber}`;
  }
  return `${cells.prefix ?? ''}row ${rowNumber}`;
}
