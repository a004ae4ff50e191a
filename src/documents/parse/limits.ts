import { AppError } from '../../lib/errors.ts';

/** Bounds that keep one bad file from eating the machine (issue 4, "Bad input"). */
export const LIMITS = {
  /** CSV/TSV: columns per row and characters per record. */
  maxColumns: 1_000,
  maxRecordChars: 1_000_000,
  /** Rows kept per table (a larger table is cut, and says so in its title). */
  maxTableRows: 500_000,
  /** JSON: nesting depth walked for tables and facts. */
  maxJsonDepth: 6,
  /** Text block size before it is split (search passages stay focused). */
  maxBlockChars: 1_500,
} as const;

/**
 * What one document may hold once read (issue 12). Over any of them the document is `failed` with
 * 422 `document_too_large` and nothing of it is kept (no passages, points or extraction).
 */
export interface DocumentLimits {
  /** Characters of extracted text (all blocks). */
  maxTextChars: number;
  /** Search passages (text passages; table rows beyond it are left out of search, tables stay whole). */
  maxPassages: number;
  /** Table cells (rows × columns over all tables). */
  maxTableCells: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxTextChars: 30_000_000,
  maxPassages: 50_000,
  maxTableCells: 5_000_000,
};

export const unreadable = (message: string) => new AppError(422, 'unreadable_document', message);

export const tooLarge = (message: string) => new AppError(422, 'document_too_large', message);
