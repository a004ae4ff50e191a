import { isMonthName, parsePeriod } from '../../lib/periods.ts';
import type { CellValue, ColumnType, ParsedTable } from '../types.ts';
import { columnLetter } from './locate.ts';
import { type CellKind, type DecimalMark, decimalMarkOf, round, typeCell } from './numbers.ts';
import { readPeriod } from './periods.ts';
import { PLAN_WORD } from './plans.ts';

/** A cell as a parser read it, before typing. XLSX number formats arrive as `{ number, kind }`. */
export type RawCell =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | { number: number; kind: 'percent' | 'currency'; currency?: string };

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
function isTextish(c: RawCell, mark: DecimalMark): boolean {
  if (c instanceof Date) return true;
  if (typeof c === 'number') return parsePeriod(c) !== undefined && Number.isInteger(c) && c > 1900 && c < 2101;
  if (typeof c !== 'string') return false;
  return readPeriod(c) !== undefined || typeCell(c, mark).kind === 'text';
}

/**
 * Turn a grid into a typed table: find the header row (below any title rows), type every cell, decide
 * column types and orientation. `undefined` when the grid holds no data row under a header. The
 * grid's rows may be reused to hold the typed values (callers hand over their grid).
 */
export function buildTable(grid: RawCell[][], style: TableStyle = {}): ParsedTable | undefined {
  const builder = new TableBuilder(style);
  for (let i = 0; i < grid.length; i++) {
    const row = grid[i];
    if (row) builder.push(row, style.rowNumbers?.[i] ?? i + 1);
  }
  return builder.finish();
}

/** Rows looked at before the header is chosen. */
const HEAD_ROWS = 50;

interface ColumnCounts {
  present: number;
  numeric: number;
  percent: number;
  currency: number;
  /** Cells per currency their symbol names (`€` → EUR). */
  codes?: Record<string, number>;
}

/**
 * The same, row by row: the first rows are held until the header is found, every later row is typed
 * as it arrives (in place), so a large CSV never holds its raw strings and typed values at once.
 */
export class TableBuilder {
  private readonly head: Array<{ row: RawCell[]; n: number }> = [];
  private headerAt = -1;
  private headerRow: RawCell[] = [];
  private titleRows: RawCell[][] = [];
  private readonly typed: CellValue[][] = [];
  private readonly numbers: number[] = [];
  private readonly counts: ColumnCounts[] = [];
  private c0 = Number.POSITIVE_INFINITY;
  private c1 = -1;
  private headerNumber = 0;
  /** Decided from the rows held before the header is chosen (up to `HEAD_ROWS`). */
  private mark: DecimalMark = 'point';

  constructor(private readonly style: TableStyle = {}) {}

  /** Add the next row (`n`: its row number in the file). Blank rows are skipped. */
  push(row: RawCell[], n: number): void {
    let first = -1;
    let last = -1;
    for (let j = 0; j < row.length; j++) {
      if (!isEmpty(row[j])) {
        if (first < 0) first = j;
        last = j;
      }
    }
    if (first < 0) return;
    if (first < this.c0) this.c0 = first;
    if (last > this.c1) this.c1 = last;
    if (this.headerAt < 0) {
      this.head.push({ row, n });
      if (this.head.length >= HEAD_ROWS) this.chooseHeader();
      return;
    }
    this.typeRow(row, n);
  }

  finish(): ParsedTable | undefined {
    if (this.headerAt < 0) {
      if (this.head.length < 2) return undefined;
      this.chooseHeader();
    }
    if (this.typed.length === 0) return undefined;
    const { style, c0, c1 } = this;
    const width = c1 - c0 + 1;
    const cellsOf = (row: RawCell[]) => Array.from({ length: width }, (_, j) => row[c0 + j]);

    const titleCells = this.titleRows.map(cellsOf);
    const headerCells = cellsOf(this.headerRow);
    // A period row over a measure row (`Jan - Mar, 2025` over `Actual | Budget | …`): one header of two rows.
    const periodOf = periodsOverMeasures(titleCells.at(-1), headerCells);
    const title = (periodOf ? titleCells.slice(0, -1) : titleCells)
      .map((r) =>
        r
          .filter((c) => !isEmpty(c))
          .map(rawText)
          .join(' '),
      )
      .filter(Boolean)
      .join(' · ');
    // A group row above the header (`Actuals` over some months, `Budget` over others): the columns under
    // a plan group are plans, never read as what happened.
    const groups = planGroups(titleCells, width);
    const header = headerCells.map((c, j) => {
      if (typeof c === 'number' && Number.isInteger(c) && c >= 32874 && c <= 73051) {
        const day = isoDay(new Date(Math.round((c - 25569) * 86_400_000)));
        return groups[j] ? `${day} (${groups[j]})` : day;
      }
      const text = rawText(c) || `column ${j + 1}`;
      if (periodOf?.[j]) return `${periodOf[j]} (${text})`;
      return groups[j] ? `${text} (${groups[j]})` : text;
    });

    // Rows were typed at their own positions: align them to the table's columns.
    const typedRows = this.typed;
    for (let i = 0; i < typedRows.length; i++) {
      let row = typedRows[i]!;
      if (c0 > 0) row = row.slice(c0);
      if (row.length !== width) {
        const had = row.length;
        row.length = width;
        if (had < width) row.fill(null, had);
      }
      typedRows[i] = row;
    }
    const counts = header.map((_, j) => this.counts[c0 + j] ?? { present: 0, numeric: 0, percent: 0, currency: 0 });

    const columnTypes: ColumnType[] = header.map((h, j) => columnType(h, j, typedRows, counts[j]!));
    // The currency a column's cells are written in: the one their symbols name, when they name one.
    const currencies = counts.map((c, j) => (columnTypes[j] === 'currency' ? soleCurrency(c.codes) : undefined));
    // Date serials in a period column become ISO dates so every reader sees the period.
    columnTypes.forEach((t, j) => {
      if (t !== 'period') return;
      for (const row of typedRows) {
        const v = row[j];
        if (typeof v === 'number' && parsePeriod(v) !== undefined && v > 2100) {
          row[j] = isoDay(new Date(Math.round((v - 25569) * 86_400_000)));
        }
      }
      if (dayFirstColumn(typedRows, j)) {
        for (const row of typedRows) {
          const m = typeof row[j] === 'string' ? NUMERIC_DATE.exec(row[j] as string) : null;
          if (m)
            row[j] = `${m[3]!.length === 2 ? `20${m[3]}` : m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
        }
      }
    });

    const periodHeaders = header.filter((h, j) => j > 0 && readPeriod(h) !== undefined).length;
    const orientation =
      periodHeaders >= 2 && columnTypes[0] === 'text'
        ? 'wide'
        : columnTypes.includes('period')
          ? 'long'
          : periodHeaders >= 2
            ? 'wide'
            : 'none';

    const rowNumbers = this.numbers;
    const firstRow = this.headerNumber;
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
      ...(currencies.some(Boolean) ? { currencies } : {}),
      orientation,
      cells: {
        ...(style.sheet !== undefined ? { sheet: style.sheet, firstColumn: (style.firstColumn ?? 1) + c0 } : {}),
        rowNumbers,
        ...(style.prefix ? { prefix: style.prefix } : {}),
      },
      ...(this.mark === 'comma' ? { decimalMark: 'comma' as const } : {}),
    };
  }

  /** The header is the first of the early rows that is wide enough and mostly words. */
  private chooseHeader(): void {
    const rows = this.head;
    // Decimal commas (`1.234,56`) are told from decimal points by the cells that only one of them reads.
    this.mark = decimalMarkOf(
      rows.flatMap((r) => r.row.filter((c): c is string => typeof c === 'string' && readPeriod(c) === undefined)),
    );
    const filled = (cells: RawCell[]) => cells.filter((c) => !isEmpty(c)).length;
    const maxFilled = Math.max(...rows.map((r) => filled(r.row)));
    let headerAt = 0;
    for (let i = 0; i < Math.min(HEADER_SCAN_ROWS, rows.length - 1); i++) {
      const cells = rows[i]!.row;
      const count = filled(cells);
      const textish = cells.filter((c) => !isEmpty(c) && isTextish(c, this.mark)).length;
      if (count >= Math.max(2, Math.ceil(maxFilled * 0.5)) && textish >= count * 0.5) {
        headerAt = i;
        break;
      }
    }
    this.headerAt = headerAt;
    this.titleRows = rows.slice(0, headerAt).map((r) => r.row);
    this.headerRow = rows[headerAt]!.row;
    this.headerNumber = rows[headerAt]!.n;
    let data = rows.slice(headerAt + 1);
    // A units row under the header (`, EUR, EUR, #`): each unit joins its column's header, and the row is
    // no data (a row of words under numbers would make every column text).
    const units = data[0]?.row;
    if (units && isUnitsRow(units)) {
      this.headerRow = this.headerRow.map((h, j) => {
        const u = units[j];
        return typeof u === 'string' && u.trim() && !isEmpty(h) ? `${rawText(h)} (${u.trim()})` : h;
      });
      data = data.slice(1);
    }
    for (const { row, n } of data) this.typeRow(row, n);
    this.head.length = 0;
  }

  /** Type a data row in place (its cells keep their own positions until `finish`). */
  private typeRow(row: RawCell[], n: number): void {
    const out = row as CellValue[];
    for (let j = 0; j < row.length; j++) {
      const { value, kind, currency } = typeRaw(row[j], this.mark);
      out[j] = value;
      if (kind === 'empty') continue;
      let c = this.counts[j];
      if (!c) {
        c = { present: 0, numeric: 0, percent: 0, currency: 0 };
        this.counts[j] = c;
      }
      c.present++;
      if (kind === 'number') c.numeric++;
      else if (kind === 'percent') {
        c.numeric++;
        c.percent++;
      } else if (kind === 'currency') {
        c.numeric++;
        c.currency++;
        if (currency) {
          c.codes ??= {};
          c.codes[currency] = (c.codes[currency] ?? 0) + 1;
        }
      }
    }
    this.typed.push(out);
    this.numbers.push(n);
  }
}

/** The one currency a column's symbols name (none when they name several). */
function soleCurrency(codes: Record<string, number> | undefined): string | undefined {
  const named = Object.keys(codes ?? {});
  return named.length === 1 ? named[0] : undefined;
}

function typeRaw(c: RawCell, mark: DecimalMark): { value: CellValue; kind: CellKind; currency?: string } {
  if (c === null || c === undefined) return { value: null, kind: 'empty' };
  if (c instanceof Date)
    return Number.isNaN(c.getTime()) ? { value: null, kind: 'empty' } : { value: isoDay(c), kind: 'text' };
  if (typeof c === 'number')
    return Number.isFinite(c) ? { value: round(c), kind: 'number' } : { value: null, kind: 'empty' };
  if (typeof c === 'boolean') return { value: String(c), kind: 'text' };
  if (typeof c === 'object')
    return { value: round(c.number), kind: c.kind, ...(c.currency ? { currency: c.currency } : {}) };
  return typeCell(c, mark);
}

/** Units as an export's second header row writes them. */
const UNIT_CELL =
  /^\(?(?:[$€£¥%#x]|usd|eur|gbp|chf|sek|nok|dkk|k|m|mm|000s?|'000|units?|count|number|no\.?|months?|days?|ratio|pct|percent|in\s+(?:usd|eur|gbp|[$€£])(?:\s*(?:k|m|000s?))?|(?:usd|eur|gbp|[$€£])\s*(?:k|m|000s?|thousands?|millions?))\)?$/i;

/** A row that holds only units (and blanks): at least two of them, no figure, no period. */
function isUnitsRow(row: RawCell[]): boolean {
  const filled = row.filter((c) => !isEmpty(c));
  return filled.length >= 2 && filled.every((c) => typeof c === 'string' && UNIT_CELL.test(c.trim()));
}

/**
 * The plan group (`Budget`, `Forecast`) each column sits under, from the title rows above the header: a
 * label in a row of otherwise blank cells heads the columns from it to the next label.
 */
function planGroups(titleRows: RawCell[][], width: number): Array<string | undefined> {
  const out: Array<string | undefined> = new Array(width).fill(undefined);
  for (const row of titleRows) {
    const labels = row.map((c, j) => ({ j, text: typeof c === 'string' ? c.trim() : '' })).filter((x) => x.text);
    // A group row has several labels spread over the columns, none in the first (label) column alone.
    if (labels.length < 2 || labels.length > width / 2 + 1) continue;
    labels.forEach((l, i) => {
      const end = labels[i + 1]?.j ?? width;
      if (!PLAN_WORD.test(l.text)) return;
      for (let j = l.j; j < end; j++) out[j] = l.text;
    });
  }
  return out;
}

/**
 * A header of two rows, period over measure, as QuickBooks writes a Budget vs. Actuals (`Jan - Mar, 2025`
 * merged over `Actual | Budget | over Budget | % of Budget`, the same measures under every period): the
 * period each column sits under, so its header becomes `Jan - Mar, 2025 (Actual)`. Then only the actual
 * columns read as periods (`readPeriod` drops `(Actual)`); a plan column keeps its plan word and is a
 * plan, never what happened (as under `planGroups`); any other measure (a variance, a share of budget) is
 * no period, so its figures are never a line's own. Undefined when the rows are not of that shape (a year
 * over months is not: months are periods themselves).
 */
function periodsOverMeasures(above: RawCell[] | undefined, header: RawCell[]): Array<string | undefined> | undefined {
  if (!above) return undefined;
  const labels = above.map((c, j) => ({ j, text: isEmpty(c) ? '' : rawText(c) })).filter((l) => l.text);
  if (labels.length < 2) return undefined;
  const measureOf = (j: number) => (typeof header[j] === 'string' ? (header[j] as string).trim() : '');
  const spans = labels.map((l, i) => {
    const end = labels[i + 1]?.j ?? header.length;
    return { label: l.text, measures: Array.from({ length: end - l.j }, (_, k) => measureOf(l.j + k)), from: l.j };
  });
  const periods = spans.filter((s) => readPeriod(s.label) !== undefined).length;
  if (periods < 2 || periods < spans.length - 1) return undefined;
  // Every group: two measures or more, words (no period, no month), the same ones as the first group's.
  const first = spans[0]!.measures.filter(Boolean).map((m) => m.toLowerCase());
  if (first.length < 2) return undefined;
  for (const span of spans) {
    const ms = span.measures.filter(Boolean);
    if (ms.length !== first.length || ms.some((m, k) => m.toLowerCase() !== first[k])) return undefined;
    if (ms.some((m) => readPeriod(m) !== undefined || isMonthName(m))) return undefined;
  }
  const out: Array<string | undefined> = new Array(header.length).fill(undefined);
  for (const span of spans) {
    span.measures.forEach((m, k) => {
      if (m) out[span.from + k] = span.label;
    });
  }
  return out;
}

const NUMERIC_DATE = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;

/**
 * Whether a column of `01/03/2025`-style dates is written day first. One cell cannot say, the column
 * can: a first number above 12 somewhere (`31/03/2025`), or the same first number on every row while the
 * second runs through the months (`01/01/2025`, `01/02/2025` … is a first-of-month export, not January).
 */
function dayFirstColumn(rows: CellValue[][], j: number): boolean {
  const dates = rows
    .map((row) => (typeof row[j] === 'string' ? NUMERIC_DATE.exec(row[j] as string) : null))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2])] as const);
  if (dates.length < 2) return false;
  if (dates.some(([a]) => a > 12)) return true;
  if (dates.some(([, b]) => b > 12)) return false;
  const firsts = new Set(dates.map(([a]) => a));
  const seconds = new Set(dates.map(([, b]) => b));
  return firsts.size === 1 && seconds.size >= 3;
}

/** A total, subtotal or average row (`Total`, `FY2025 total`, `YTD`, `Monthly average`, `Avg.`): no period. */
export const TOTAL_LABEL =
  /^(?:(?:sub|grand\s*)?totals?|sum|ytd|year to date|average|avg|mean)\b|\b(?:totals?|average|avg\.?|mean)$/i;

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
    // A `Total` / `Subtotal` / `YTD` row under the periods does not make the column any less a period column.
    if (typeof v === 'string' && TOTAL_LABEL.test(v)) continue;
    seen++;
    // Date cells were typed as ISO dates, so they count here as strings.
    if (typeof v === 'string' && readPeriod(v) !== undefined) periods++;
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
