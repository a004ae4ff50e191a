import { parsePeriod } from '../../lib/periods.ts';
import type { CellValue, ColumnType, ParsedTable } from '../types.ts';
import { columnLetter } from './locate.ts';
import { type CellKind, round, typeCell } from './numbers.ts';

/** A cell as a parser read it, before typing. XLSX number formats arrive as `{ number, kind }`. */
export type RawCell =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | { number: number; kind: 'percent' | 'currency' };

export interface TableStyle {
  /** XLSX: the sheet name and the 1-based column of the grid's first column. */
  sheet?: string;
  firstColumn?: number;
  /** The file's row number of each grid row (default: index + 1). */
  rowNumbers?: number[];
  /** Non-sheet tables inside a document: `Highlights table 1, `. */
  prefix?: string;
}

const HEADER_SCAN_ROWS = 15;
const DATE_HEADER = /\b(month|date|period|quarter|year|as of|week|day)\b/i;

const isEmpty = (c: RawCell) => c === null || c === undefined || (typeof c === 'string' && c.trim() === '');

/** `YYYY-MM-DD` for a date cell (UTC, as spreadsheet dates are). */
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function rawText(c: RawCell): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? '' : isoDay(c);
  if (typeof c === 'object') return String(c.number);
  return String(c).trim();
}

/** Header-like: words, not numbers (a period such as `Q1 2026` or a date counts as a header word). */
function isTextish(c: RawCell): boolean {
  if (c instanceof Date) return true;
  if (typeof c === 'number') return parsePeriod(c) !== undefined && Number.isInteger(c) && c > 1900 && c < 2101;
  if (typeof c !== 'string') return false;
  return parsePeriod(c) !== undefined || typeCell(c).kind === 'text';
}

/**
 * Turn a grid into a typed table: find the header row (below any title rows), type every cell, decide
 * column types and orientation. `undefined` when the grid holds no data row under a header. The
 * grid's rows may be reused to hold the typed values (callers hand over their grid).
 */
export function buildTable(grid: RawCell[][], style: TableStyle = {}): ParsedTable | undefined {
  // Keep each row's file row number while dropping blank rows. Rows are not copied: big CSVs.
  const rows: RawCell[][] = [];
  const numbers: number[] = [];
  let c0 = Number.POSITIVE_INFINITY;
  let c1 = -1;
  for (let i = 0; i < grid.length; i++) {
    const row = grid[i];
    if (!row) continue;
    let first = -1;
    let last = -1;
    for (let j = 0; j < row.length; j++) {
      if (!isEmpty(row[j])) {
        if (first < 0) first = j;
        last = j;
      }
    }
    if (first < 0) continue;
    c0 = Math.min(c0, first);
    c1 = Math.max(c1, last);
    rows.push(row);
    numbers.push(style.rowNumbers?.[i] ?? i + 1);
  }
  if (rows.length < 2) return undefined;
  const width = c1 - c0 + 1;
  const at = (row: RawCell[], j: number): RawCell => row[c0 + j];
  const cellsOf = (row: RawCell[]) => Array.from({ length: width }, (_, j) => at(row, j));

  const filled = (cells: RawCell[]) => cells.filter((c) => !isEmpty(c)).length;
  const maxFilled = Math.max(...rows.slice(0, 50).map((r) => filled(cellsOf(r))));
  let headerAt = 0;
  for (let i = 0; i < Math.min(HEADER_SCAN_ROWS, rows.length - 1); i++) {
    const cells = cellsOf(rows[i]!);
    const count = filled(cells);
    const textish = cells.filter((c) => !isEmpty(c) && isTextish(c)).length;
    if (count >= Math.max(2, Math.ceil(maxFilled * 0.5)) && textish >= count * 0.5) {
      headerAt = i;
      break;
    }
  }
  const title = rows
    .slice(0, headerAt)
    .map((r) =>
      cellsOf(r)
        .filter((c) => !isEmpty(c))
        .map(rawText)
        .join(' '),
    )
    .filter(Boolean)
    .join(' · ');
  const header = cellsOf(rows[headerAt]!).map((c, j) => {
    if (typeof c === 'number' && Number.isInteger(c) && c >= 32874 && c <= 73051) {
      return isoDay(new Date(Math.round((c - 25569) * 86_400_000)));
    }
    return rawText(c) || `column ${j + 1}`;
  });

  const counts = header.map(() => ({ present: 0, numeric: 0, percent: 0, currency: 0 }));
  const body = rows.slice(headerAt + 1);
  const typedRows: CellValue[][] = new Array(body.length);
  for (let i = 0; i < body.length; i++) {
    const row = body[i]!;
    // Typed in place when the row already starts at the table's first column (large CSVs: no copy).
    const out: CellValue[] = c0 === 0 ? (row as CellValue[]) : new Array(width);
    for (let j = 0; j < width; j++) {
      const { value, kind } = typeRaw(at(row, j));
      out[j] = value;
      if (kind === 'empty') continue;
      const c = counts[j]!;
      c.present++;
      if (kind === 'number') c.numeric++;
      else if (kind === 'percent') {
        c.numeric++;
        c.percent++;
      } else if (kind === 'currency') {
        c.numeric++;
        c.currency++;
      }
    }
    out.length = width;
    typedRows[i] = out;
  }

  const columnTypes: ColumnType[] = header.map((h, j) => columnType(h, j, typedRows, counts[j]!));
  // Date serials in a period column become ISO dates so every reader sees the period.
  columnTypes.forEach((t, j) => {
    if (t !== 'period') return;
    for (const row of typedRows) {
      const v = row[j];
      if (typeof v === 'number' && parsePeriod(v) !== undefined && v > 2100) {
        row[j] = isoDay(new Date(Math.round((v - 25569) * 86_400_000)));
      }
    }
  });

  const periodHeaders = header.filter((h, j) => j > 0 && parsePeriod(h) !== undefined).length;
  const orientation =
    periodHeaders >= 2 && columnTypes[0] === 'text'
      ? 'wide'
      : columnTypes.includes('period')
        ? 'long'
        : periodHeaders >= 2
          ? 'wide'
          : 'none';

  const rowNumbers = numbers.slice(headerAt + 1);
  const firstRow = numbers[headerAt]!;
  const lastRow = rowNumbers[rowNumbers.length - 1] ?? firstRow;
  let locator: string;
  if (style.sheet !== undefined) {
    const first = (style.firstColumn ?? 1) + c0;
    locator = `${style.sheet}!${columnLetter(first)}${firstRow}:${columnLetter(first + width - 1)}${lastRow}`;
  } else if (style.prefix) {
    locator = style.prefix.replace(/,\s*$/, '');
  } else {
    locator = `rows ${firstRow}-${lastRow}`;
  }
  return {
    locator,
    ...(style.sheet !== undefined ? { sheet: style.sheet } : {}),
    ...(title ? { title } : {}),
    header,
    rows: typedRows,
    columnTypes,
    orientation,
    cells: {
      ...(style.sheet !== undefined ? { sheet: style.sheet, firstColumn: (style.firstColumn ?? 1) + c0 } : {}),
      rowNumbers,
      ...(style.prefix ? { prefix: style.prefix } : {}),
    },
  };
}

function typeRaw(c: RawCell): { value: CellValue; kind: CellKind } {
  if (c === null || c === undefined) return { value: null, kind: 'empty' };
  if (c instanceof Date)
    return Number.isNaN(c.getTime()) ? { value: null, kind: 'empty' } : { value: isoDay(c), kind: 'text' };
  if (typeof c === 'number')
    return Number.isFinite(c) ? { value: round(c), kind: 'number' } : { value: null, kind: 'empty' };
  if (typeof c === 'boolean') return { value: String(c), kind: 'text' };
  if (typeof c === 'object') return { value: round(c.number), kind: c.kind };
  return typeCell(c);
}

interface ColumnCounts {
  present: number;
  numeric: number;
  percent: number;
  currency: number;
}

/** Periods are judged on a sample (up to 200 values), so wide text columns stay cheap. */
const PERIOD_SAMPLE = 200;

function columnType(header: string, j: number, values: CellValue[][], counts: ColumnCounts): ColumnType {
  if (counts.present === 0) return 'text';
  let periods = 0;
  let seen = 0;
  const numericLooksLikeDate = DATE_HEADER.test(header);
  for (let i = 0; i < values.length && seen < PERIOD_SAMPLE; i++) {
    const v = values[i]![j];
    if (v === null || v === undefined) continue;
    seen++;
    // Date cells were typed as ISO dates, so they count here as strings.
    if (typeof v === 'string' && parsePeriod(v) !== undefined) periods++;
    else if (typeof v === 'number' && numericLooksLikeDate && parsePeriod(v) !== undefined) periods++;
    // Stop early once the column clearly is not made of periods.
    if (seen >= 20 && periods < seen * 0.5) break;
  }
  if (seen > 0 && periods >= seen * 0.8) return 'period';
  if (counts.numeric < counts.present * 0.8) return 'text';
  if (counts.percent * 2 >= counts.numeric) return 'percent';
  if (counts.currency > 0) return 'currency';
  return 'number';
}
