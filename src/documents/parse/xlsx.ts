import ExcelJS from 'exceljs';
import { buildTable, type RawCell } from '../tables/build.ts';
import { currencyOfSymbol } from '../tables/numbers.ts';
import type { ParsedDocument, ParsedTable, TextBlock } from '../types.ts';
import { LIMITS, unreadable } from './limits.ts';
import { clean } from './text-blocks.ts';

/**
 * XLSX: every worksheet becomes a typed table located `Sheet!A1:E8` (cells `Sheet!C5`). Formula
 * cells give their cached result; percent-formatted numbers arrive as percentages (0.782 → 78.2);
 * date cells stay dates. A sheet with no table, or of notes (`isNotes`), becomes text blocks, one per row.
 */
export async function parseXlsx(file: string): Promise<ParsedDocument> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (err) {
    throw unreadable(`The spreadsheet could not be read: ${(err as Error).message}`);
  }
  const tables: ParsedTable[] = [];
  const blocks: TextBlock[] = [];
  const sheets: string[] = [];
  workbook.eachSheet((sheet) => {
    sheets.push(sheet.name);
    const grid: RawCell[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (rowNumber > LIMITS.maxTableRows) return;
      const cells: RawCell[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        if (col > LIMITS.maxColumns) return;
        cells[col - 1] = rawCell(cell);
      });
      grid[rowNumber - 1] = cells;
    });
    const dense = Array.from(grid, (r) => (r ? Array.from(r, (c) => c ?? null) : []));
    const table = buildTable(dense, { sheet: sheet.name, firstColumn: 1 });
    if (table && !isNotes(sheet.name, table)) {
      tables.push(table);
      return;
    }
    dense.forEach((row, i) => {
      const text = clean(
        row
          .filter((c) => c !== null && c !== undefined)
          .map(String)
          .join(' '),
      );
      if (text) blocks.push({ text, locator: `${sheet.name}!A${i + 1}` });
    });
  });
  return { format: 'xlsx', blocks, tables, sheets };
}

/**
 * A sheet of notes (`Read me`, `Notes`, `About`, `Definitions`), or any sheet whose "table" has no
 * period and no numeric column, is prose: its rows are text passages (searchable, and a fiscal-year
 * sentence in it reaches the graph), not a table of one text column.
 */
function isNotes(name: string, table: ParsedTable): boolean {
  if (table.orientation !== 'none') return false;
  const numeric = table.columnTypes.some((t) => t === 'number' || t === 'currency' || t === 'percent');
  return (
    !numeric ||
    /^(read\s*me|readme|notes?|about|info|information|definitions?|glossary|cover|instructions?)\b/i.test(name.trim())
  );
}

/** The currency a number format shows: `[$€-407] #,##0`, `€#,##0`, `"£"#,##0`, `$#,##0`, `[$USD] #,##0`. */
function currencyOfFormat(numFmt: string): string | undefined {
  const bracket = /\[\$([^\]-]*)/.exec(numFmt)?.[1];
  if (bracket) return currencyOfSymbol(bracket);
  const symbol = /[€£¥$]/.exec(numFmt.replace(/"[^"]*"/g, (q) => q.slice(1, -1)))?.[0];
  return symbol ? currencyOfSymbol(symbol) : undefined;
}

function rawCell(cell: ExcelJS.Cell): RawCell {
  if (cell.type === ExcelJS.ValueType.Merge) return null;
  const value = cell.value;
  const numFmt = cell.numFmt ?? '';
  return fromValue(value, numFmt);
}

function fromValue(value: ExcelJS.CellValue | undefined, numFmt: string): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (numFmt.includes('%')) return { number: value * 100, kind: 'percent' };
    if (/[$€£¥]|\[\$/.test(numFmt)) {
      const currency = currencyOfFormat(numFmt);
      return { number: value, kind: 'currency', ...(currency ? { currency } : {}) };
    }
    return value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === null || result === undefined || (typeof result === 'object' && !(result instanceof Date)))
        return null;
      return fromValue(result as ExcelJS.CellValue, numFmt);
    }
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return null;
  }
  return null;
}
