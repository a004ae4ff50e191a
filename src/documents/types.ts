/**
 * The one shape every parser produces (issue 4): text blocks and typed tables, each with a locator
 * a person can follow back into the original (page 3 · Sheet1!B2:E8 · line 12 · row 5, column "ARR").
 */
export type DocumentFormat = 'pdf' | 'docx' | 'xlsx' | 'csv' | 'tsv' | 'md' | 'txt' | 'json';

export interface TextBlock {
  text: string;
  /** e.g. `page 2`, `Highlights ¶3`, `line 14`. */
  locator: string;
  /** The heading the block sits under, when the format has headings. */
  heading?: string;
}

/** A cell after typing: numbers are numbers (currency, separators, %, parentheses handled). */
export type CellValue = number | string | null;

export interface ParsedTable {
  /** e.g. `Sheet1!A1:E8` or `rows 1-25`. */
  locator: string;
  /** Sheet name for XLSX. */
  sheet?: string;
  /** Title rows found above the header, if any. */
  title?: string;
  header: string[];
  rows: CellValue[][];
  /** Per column: `number` | `percent` | `currency` | `period` | `text`. */
  columnTypes: ColumnType[];
  /** Per column, the ISO 4217 code its cells' currency symbols name (`€1,200` → `EUR`), when they name one. */
  currencies?: Array<string | undefined>;
  /** Orientation found: periods in rows (`long`), periods in columns (`wide`), or neither. */
  orientation: 'long' | 'wide' | 'none';
  /**
   * How to name one cell (see `cellLocator` in tables/locate.ts): for a sheet, the 1-based column of
   * `header[0]` and the sheet row of each data row (`P&L!D6`); otherwise the row number as a person
   * counts it in the file (header = row 1 for CSV) and an optional prefix (`Highlights table 1, `).
   */
  cells: { sheet?: string; firstColumn?: number; rowNumbers: number[]; prefix?: string };
  /** `comma` when the table writes decimal commas (`1.234,56`); absent for the usual decimal point. */
  decimalMark?: 'comma';
}

export type ColumnType = 'number' | 'percent' | 'currency' | 'period' | 'text';

export interface ParsedDocument {
  format: DocumentFormat;
  blocks: TextBlock[];
  tables: ParsedTable[];
  /** Pages for PDF, sheets for XLSX. */
  pages?: number;
  sheets?: string[];
  /** Something the partner should know about a document that was read (e.g. a scanned PDF). */
  warning?: string;
}

export type DocumentStatus = 'processing' | 'ready' | 'failed';

/** Metadata kept per document in the tenant's folder (`documents/index.json`). */
export interface DocumentRecord {
  id: string;
  name: string;
  format: DocumentFormat;
  content_type: string;
  size: number;
  sha256: string;
  status: DocumentStatus;
  error: { code: string; message: string } | null;
  uploaded_at: string;
  processed_at: string | null;
  pages: number | null;
  sheets: string[] | null;
  /** A warning about a ready document (a scanned PDF: no text found); absent on older records. */
  warning?: string | null;
  /** Canonical metric ids (and line-item labels) found in this document's tables. */
  metrics: string[];
  passages: number;
  /** Times processing was started (1 at upload; 2 after a retry following an interruption). */
  attempts?: number;
  /** Bytes kept for it: the original plus its extraction (the search index is counted per tenant). */
  stored_bytes?: number;
}
