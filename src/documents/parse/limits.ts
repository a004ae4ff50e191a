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

export const unreadable = (message: string) => new AppError(422, 'unreadable_document', message);
