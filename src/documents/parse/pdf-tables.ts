import { buildTable, type RawCell } from '../tables/build.ts';
import { typeCell } from '../tables/numbers.ts';
import type { ParsedTable } from '../types.ts';

/** One run of text pdf.js places on a page: its baseline origin (points, y upwards), width and font height. */
export interface PdfTextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A stretch of a line with no column gap in it: one table cell when the line is a table row. */
interface Segment {
  text: string;
  x0: number;
  x1: number;
}

interface Line {
  y: number;
  size: number;
  segments: Segment[];
  runs: PdfTextItem[];
}

/**
 * Gap between two runs on a line that separates columns, in font heights. Words are set about a quarter
 * of a font height apart, and a justified line stretches them to well under one; a designed table leaves
 * columns several font heights apart. Between the two, a gap is read as a column only from 1.5 heights.
 */
const COLUMN_GAP = 1.5;
/** A value cell longer than this is prose, not a figure or a column label. */
const MAX_VALUE_CHARS = 30;
/** A label (first column) cell longer than this is a sentence. */
const MAX_LABEL_CHARS = 60;
/** A title line above a table, read into its title rows (where `($000)` or `FY2026` is stated). */
const MAX_TITLE_CHARS = 80;

/**
 * The tables drawn on one PDF page as typed tables (the shape every parser produces, `buildTable`), read
 * from where pdf.js places the text, since a PDF has no table structure of its own: lines are runs on one
 * baseline, a line splits into cells at gaps of column width, and a table is a run of consecutive lines of
 * two or more cells whose cells stand in the same columns (cells that overlap horizontally across lines are
 * one column, so right-aligned figures under a left-aligned header line up). A run is a table only when it
 * has a header and at least two rows, its value cells are short and mostly figures (`$1,234k`, `78.4%`,
 * `(312)`): a KPI or financial table. Prose — a paragraph with figures in it, two text columns side by side —
 * stays text. A row without a figure in some column gives that cell empty (never the next column's value).
 * Locators: `page N table K, row R, column "Q3 FY26"` (row 1 is the header). `runs`: the text runs the
 * tables were read from (their rows are searchable as table rows, so the page's paragraphs leave them out).
 */
export function pageTables(items: PdfTextItem[], page: number): { tables: ParsedTable[]; runs: Set<PdfTextItem> } {
  const lines = linesOf(items);
  const tables: ParsedTable[] = [];
  const runs = new Set<PdfTextItem>();
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.segments.length < 2) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < lines.length && lines[j + 1]!.segments.length >= 2 && sameBlock(lines[j]!, lines[j + 1]!)) j++;
    const table = tableOf(lines, i, j, page, tables.length + 1);
    if (table) {
      tables.push(table);
      for (const line of lines.slice(i, j + 1)) for (const run of line.runs) runs.add(run);
    }
    i = j + 1;
  }
  return { tables, runs };
}

/** Two lines belong to one table when no more than about two line heights of space lie between them. */
function sameBlock(a: Line, b: Line): boolean {
  return a.y - b.y <= Math.max(a.size, b.size) * 3;
}

function linesOf(items: PdfTextItem[]): Line[] {
  const runs = items
    .filter((it) => it.str.trim() !== '' && Number.isFinite(it.x) && Number.isFinite(it.y))
    .sort((a, b) => b.y - a.y || a.x - b.x);
  const grouped: PdfTextItem[][] = [];
  for (const run of runs) {
    const line = grouped.at(-1);
    const size = Math.max(run.height, 1);
    // One baseline: within a third of a font height (a superscript or a rounding of the matrix).
    if (line && Math.abs(line[0]!.y - run.y) <= size / 3) line.push(run);
    else grouped.push([run]);
  }
  return grouped.map((runsOnLine) => {
    runsOnLine.sort((a, b) => a.x - b.x);
    const size = Math.max(...runsOnLine.map((r) => r.height), 1);
    const segments: Segment[] = [];
    for (const run of runsOnLine) {
      const last = segments.at(-1);
      const gap = last ? run.x - last.x1 : Number.POSITIVE_INFINITY;
      if (last && gap < size * COLUMN_GAP) {
        // pdf.js often leaves the space between words out of the runs: put it back where there is a gap.
        last.text += gap > size * 0.1 && !/\s$/.test(last.text) && !/^\s/.test(run.str) ? ` ${run.str}` : run.str;
        last.x1 = Math.max(last.x1, run.x + run.width);
      } else segments.push({ text: run.str, x0: run.x, x1: run.x + run.width });
    }
    for (const s of segments) s.text = s.text.replace(/\s+/g, ' ').trim();
    return { y: runsOnLine[0]!.y, size, segments, runs: runsOnLine };
  });
}

const isFigure = (text: string) => {
  const kind = typeCell(text).kind;
  return kind === 'number' || kind === 'percent' || kind === 'currency';
};

function tableOf(lines: Line[], from: number, to: number, page: number, n: number): ParsedTable | undefined {
  const rows = lines.slice(from, to + 1);
  if (rows.length < 3) return undefined;
  const columns = columnsOf(rows);
  if (!columns || columns.length < 2) return undefined;
  const grid: string[][] = rows.map((line) => {
    const cells = new Array<string>(columns.length).fill('');
    for (const s of line.segments) cells[columns.findIndex((c) => s.x0 <= c.x1 && s.x1 >= c.x0)] = s.text;
    return cells;
  });
  // A KPI or financial table: short labels, short value cells, and most value cells below the header are figures.
  if (grid.some((row) => row[0]!.length > MAX_LABEL_CHARS || row.slice(1).some((c) => c.length > MAX_VALUE_CHARS)))
    return undefined;
  const values = grid.slice(1).flatMap((row) => row.slice(1).filter(Boolean));
  const figures = values.filter(isFigure).length;
  if (figures < 2 || figures < values.length * 0.6) return undefined;
  // The header names the columns: it is not itself a row of figures.
  if (grid[0]!.slice(1).filter(isFigure).length > 0) return undefined;
  const title = titleAbove(lines, from);
  const rawGrid: RawCell[][] = title ? [[title], ...grid] : grid;
  const rowNumbers = title ? [0, ...grid.map((_, k) => k + 1)] : grid.map((_, k) => k + 1);
  return buildTable(rawGrid, { prefix: `page ${page} table ${n}, `, rowNumbers });
}

/**
 * The columns of a run of lines: the horizontal spans where cells lie, cells that overlap across lines
 * being one column. `undefined` when some line has two cells in one column (the lines do not line up).
 */
function columnsOf(rows: Line[]): Array<{ x0: number; x1: number }> | undefined {
  const spans = rows.flatMap((l) => l.segments.map((s) => ({ x0: s.x0, x1: s.x1 }))).sort((a, b) => a.x0 - b.x0);
  const columns: Array<{ x0: number; x1: number }> = [];
  for (const s of spans) {
    const last = columns.at(-1);
    if (last && s.x0 <= last.x1) last.x1 = Math.max(last.x1, s.x1);
    else columns.push({ ...s });
  }
  for (const line of rows) {
    const used = new Set(line.segments.map((s) => columns.findIndex((c) => s.x0 <= c.x1 && s.x1 >= c.x0)));
    if (used.size !== line.segments.length) return undefined;
  }
  return columns;
}

/** The line just above a table when it reads as its title: one short cell, no sentence, close above. */
function titleAbove(lines: Line[], at: number): string | undefined {
  const above = lines[at - 1];
  const first = lines[at]!;
  if (above?.segments.length !== 1 || !sameBlock(above, first)) return undefined;
  const text = above.segments[0]!.text;
  if (text.length > MAX_TITLE_CHARS || /[.!?;:,]$/.test(text)) return undefined;
  return text;
}
