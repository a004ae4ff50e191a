/**
 * Shapes shared by documents (which extract metric series), the graph (which stores them) and the
 * analyst (which computes with them).
 *
 * Periods are normalized strings: `2026-03` (month), `2026-Q1` (calendar quarter), `2026` (calendar
 * year), `FY2026` (fiscal year as labelled by the company).
 */
export interface SourceRef {
  document_id: string;
  document_name: string;
  /** Where in the document: `row 25, column "ending_mrr"`, `P&L FY2026!E8`, `page 2`. */
  locator: string;
}

export type Unit = 'currency' | 'count' | 'percent' | 'ratio' | 'months' | 'number';

/** One value of one metric (canonical id like `ending_mrr`, or `item:<label slug>` for other line items). */
export interface MetricPoint {
  metric: string;
  /** The label as written in the document (`Beginning MRR`, `AWS hosting`). */
  label: string;
  period: string;
  value: number;
  unit: Unit;
  source: SourceRef;
  /** How the document's own convention was read, when it decided the figure (`written as negative numbers; read as amounts lost`). */
  note?: string;
  /** For an amount: the ISO 4217 currency the document states it in (`EUR`), when it states one. */
  currency?: string;
  /**
   * For a figure of a plan (a budget, forecast or target sheet): the plan's name as the document gives it
   * (`FY26 Budget`). Such a point is never an actual; the engine reads it only when a plan is asked for.
   */
  plan?: string;
}

/** A fact found in text or remembered from conversation. */
export interface Fact {
  id: string;
  subject: string;
  predicate: string;
  object: string;
  source: SourceRef | { conversation: string; turn: number };
  created_at: string;
}
