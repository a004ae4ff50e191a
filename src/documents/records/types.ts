/**
 * Record lists (issue 11): a table whose rows are entities — customers, deals — rather than periods.
 * What is stored is the reading of the table (which column plays which role), next to the typed
 * table in the document's extraction; the rows are read from the table when a list is queried, so a
 * 50,000-row export is not kept twice.
 */

/** What a list's rows are. `customers`: accounts that pay; `deals`: opportunities of a pipeline or bookings. */
export type RecordKind = 'customers' | 'deals';

/**
 * The role a column plays in a list. Values: `mrr` (monthly), `arr` (annual), `amount` (a deal or
 * contract value with no period). Dates: `start` (signed up, customer since), `end` (churned,
 * cancelled), `close` (a deal's close date). `seats`: how many units a record pays for (seats, users,
 * a subscription's quantity). `reason`: why a customer left or a deal was lost. The rest are words a
 * list is filtered or grouped by.
 */
export type RecordRole =
  | 'name'
  | 'mrr'
  | 'arr'
  | 'amount'
  | 'seats'
  | 'start'
  | 'end'
  | 'close'
  | 'status'
  | 'stage'
  | 'plan'
  | 'segment'
  | 'region'
  | 'owner'
  | 'type'
  | 'reason';

export const VALUE_ROLES = ['mrr', 'arr', 'amount'] as const;
export type ValueRole = (typeof VALUE_ROLES)[number];
export const DATE_ROLES = ['start', 'end', 'close'] as const;
export type DateRole = (typeof DATE_ROLES)[number];
export const TEXT_ROLES = ['status', 'stage', 'plan', 'segment', 'region', 'owner', 'type', 'reason'] as const;
export type TextRole = (typeof TEXT_ROLES)[number];

export interface RecordColumn {
  /** The column's index in the typed table, and its header as the document writes it. */
  column: number;
  header: string;
  role: RecordRole;
  /** A value column's currency (ISO 4217), as its cells' symbols or its header name it (`ARR (EUR)`). */
  currency?: string;
  /** A value column's stated scale (`MRR ($000)`): its values are multiplied by `factor` when read. */
  scale?: { factor: number; words: string };
  /**
   * A value column that is a price per unit (`unit_amount`, `Price per seat`) in a list with a quantity
   * (`seats`) column: a record's value is the unit price times its quantity, as a subscription export
   * bills it.
   */
  perUnit?: boolean;
  /** What a `seats` column counts, as the list says it (`seats`, `users`, `branch` from "Pro (per branch)"). */
  unit?: string;
}

/** The stored reading of one table as a list (in `Extracted.records`). */
export interface RecordListSpec {
  kind: RecordKind;
  /** Index of the table in the extraction's `parsed.tables`, and its locator (`Customers!A1:H40`). */
  table: number;
  locator: string;
  columns: RecordColumn[];
  /**
   * The document's name, title or sheet says its rows are customers who left ("subscriptions_canceled",
   * "Churned accounts"): with no row saying otherwise, the list is one of lost customers (`RecordList.lost`).
   */
  churnNamed?: boolean;
}

/** One entity of a list, read from its table row. */
export interface EntityRecord {
  name: string;
  /** Where the row is: `Customers!A7:H7` or `row 7`. */
  locator: string;
  /** Amounts by value role. */
  values: Partial<Record<ValueRole | 'seats', number>>;
  /** Dates by role: `YYYY-MM-DD`, or `YYYY-MM` when the document gives only the month. */
  dates: Partial<Record<DateRole, string>>;
  /** Text fields by role, as written. */
  fields: Partial<Record<TextRole, string>>;
  /** A customer that has left (status or an end date), a deal won or lost (status or stage). */
  churned?: boolean;
  outcome?: 'won' | 'lost' | 'open';
}

/** A list as the analyst reads it: its rows, and the rows left out with why. */
export interface RecordList {
  kind: RecordKind;
  document_id: string;
  document_name: string;
  locator: string;
  columns: RecordColumn[];
  records: EntityRecord[];
  /** Rows that are not entities: a `Total` row, a row with no name. */
  skipped: Array<{ locator: string; reason: 'total' | 'no_name' }>;
  /**
   * A customer list whose every row is a customer who has left — a cancellations or churn export —
   * and why it reads so (`every row has a "canceled_at" date`). Its records are lost customers, never
   * the current ones: "our largest customer" is not ranked from it.
   */
  lost?: string;
}
