import type { RecordList } from '../../documents/records/types.ts';
import type { ParsedTable } from '../../documents/types.ts';
import type { OutsideData } from '../../graph/engine/coverage.ts';
import type { PeriodContext, PeriodSpec } from '../../graph/engine/periods.ts';
import type { Fact, SourceRef, Unit } from '../../graph/types.ts';
import type { TenantScope } from '../../store/paths.ts';

/**
 * What the tools need from documents and the graph, as narrow interfaces. Every call takes the
 * tenant's scope first (from the tool context, never from tool input), so a tool can only reach the
 * tenant it runs for. `src/analyst/wiring.ts` adapts the real services to these; tests use fakes.
 *
 * A value is asked for with the graph's `PeriodSpec` (src/graph/engine/periods.ts: an id such as
 * `2026-Q2`, a relative name such as `last_quarter`, or an object such as `{quarter: 4, year: 2025,
 * fiscal: true}`); the graph resolves it and the value names the period it resolved to (`period`,
 * `period_label`). Series bounds and stored periods are ids (`2026-06`, `2026-Q2`, `2025`, `FY2026`).
 */
export interface SearchHit {
  document_id: string;
  document_name: string;
  locator: string;
  snippet: string;
  score: number;
}

export interface DocumentSummary {
  id: string;
  name: string;
  status: string;
  metrics: string[];
}

export interface TableRef {
  document_id: string;
  document_name: string;
  table: ParsedTable;
  /** Set when the table is a plan (a budget, forecast or target: tables/plans.ts), said as its reading. */
  plan?: string;
}

/** One searchable piece of a document, whole (search hits carry only a snippet of it). */
export interface PassageText {
  locator: string;
  text: string;
  heading?: string;
}

export interface DocumentsPort {
  search(scope: TenantScope, query: string, limit: number): Promise<SearchHit[]>;
  /** The passages of one of the tenant's ready documents (empty for another tenant's id or a document not ready). */
  passages(scope: TenantScope, documentId: string): Promise<PassageText[]>;
  list(scope: TenantScope): Promise<DocumentSummary[]>;
  /** Every typed table of the tenant's ready documents. */
  tables(scope: TenantScope): Promise<TableRef[]>;
  /** Every list of customers or deals (documents/records), newest document first. */
  records(scope: TenantScope): Promise<RecordList[]>;
}

export interface MetricListing {
  metric: string;
  name: string;
  unit: Unit;
  kind: 'component' | 'derived' | 'line_item';
  /** Periods with data (months for stored series), oldest first. */
  periods: string[];
  latest?: { period: string; value: number };
  /**
   * The document's own header for the series when that header names another metric: the content decided
   * what the series is (`Subscription revenue` that rolls forward with the MRR movements is MRR). A
   * question that names the header asks for this series.
   */
  header?: string;
}

export interface SeriesPoint {
  period: string;
  value: number;
  source?: SourceRef;
}

export interface MetricSeries {
  metric: string;
  name: string;
  unit: Unit;
  /** An amount's currency (ISO 4217, the company's: graph `currencyOf`; `null`: several). Only for unit `currency`. */
  currency?: string | null;
  series: SeriesPoint[];
}

/** One value of a stored or derived metric: the figure, how it was made, and from what — or what is missing. */
export interface MetricValue {
  metric: string;
  name: string;
  unit: Unit;
  /** As on `MetricSeries`: the currency of an amount. */
  currency?: string | null;
  /** The period the graph resolved the asked spec to (`2026-Q2`, `FY2026-Q4`, `2025-07..2026-06`). */
  period: string;
  /** As people write it: `Q2 2026`, `Q4 FY2026`, `the last 12 months`. */
  period_label?: string;
  value: number | null;
  formula?: string;
  inputs?: Array<{ metric: string; name?: string; period: string; value: number; source?: SourceRef }>;
  /** Inputs that could not be found (value is null then), e.g. `sales_marketing_spend for 2026-Q2`. */
  missing?: string[];
  /**
   * The figure the data gave is outside what the metric can be (GRR above 100%, a negative churn rate):
   * a reading error, so `value` is null and this says what was read and why it cannot be right.
   */
  problem?: { code: 'reading_error'; read?: number; message: string };
  /**
   * How the documents' own conventions were read where they decided the figure (`Read as: thousands of
   * dollars (from the header "MRR ($000)")`, a churn column written as negative numbers): said with the answer.
   */
  readings?: string[];
  /**
   * Set when `value` is null because the period lies wholly before or after the data (src/graph/engine/
   * coverage.ts): `note` says where the data is (`your data runs from April 2025 to June 2026`), and
   * both engines say it instead of the inputs that are missing.
   */
  outside_data?: OutsideData;
  /** Set when the figure is a plan's (`get_metric` with `plan`): the plan's name (`FY26 Budget`), never an actual. */
  plan?: string;
  sources: SourceRef[];
}

/** A metric a plan in the documents (a budget, forecast or target sheet) gives, and the periods it covers. */
export interface PlanListing {
  metric: string;
  name: string;
  unit: Unit;
  /** The plans' names as their documents give them (`FY26 Budget`). */
  plans: string[];
  /** Periods the plan gives, oldest first. */
  periods: string[];
}

export interface BenchmarkSource {
  publisher: string;
  report: string;
  year: number;
  url: string;
}

export interface BenchmarkFigure {
  metric: string;
  stat: string;
  value: number;
  unit?: Unit;
  segment: string;
  period?: string;
  source: BenchmarkSource;
  verified: boolean;
}

export interface BenchmarkComparison {
  metric: string;
  name: string;
  unit: Unit;
  /** As on `MetricSeries`: the currency of the company's amount (the benchmarks' own are in `figures`). */
  currency?: string | null;
  value: number | null;
  period: string;
  /** e.g. `above_median`, `top_quartile`, `below_bottom_quartile`, `unknown`. */
  position: string;
  /** A sentence a person reads: `above the median (104%) of private SaaS at $10–20M ARR`. */
  summary: string;
  band: { low?: number; median?: number; high?: number; label: string };
  figures: BenchmarkFigure[];
  missing?: string[];
}

export interface GraphPort {
  listMetrics(scope: TenantScope): Promise<MetricListing[]>;
  /** The company's first fiscal month (1 = calendar year), as the documents or the profile give it. */
  fiscalStartMonth?(scope: TenantScope): Promise<number>;
  /**
   * What relative periods count from: the latest month of the tenant's data and its fiscal-year start
   * (periods.ts). Every tool that resolves "last quarter" uses this one, so they all mean the same months.
   */
  periodContext?(scope: TenantScope): Promise<PeriodContext>;
  /**
   * The currency the company's amounts are in (ISO 4217): the one its documents state, `USD` when none
   * states one, `null` when they state several.
   */
  currency?(scope: TenantScope): Promise<string | null>;
  /** The stored series of a metric or line item (`item:<slug>`), optionally within a period range. */
  series(scope: TenantScope, metric: string, range?: { from?: string; to?: string }): Promise<MetricSeries | undefined>;
  /** A stored metric's value in one period (months combined per the catalog's aggregation). */
  valueIn(scope: TenantScope, metric: string, period: PeriodSpec): Promise<MetricValue>;
  /** The metrics the documents' plans give (budget, forecast, target sheets): none when they state no plan. */
  plans?(scope: TenantScope): Promise<PlanListing[]>;
  /** A metric's planned value in one period, read from the plans only (`MetricValue.plan` names the plan). */
  planValueIn?(scope: TenantScope, metric: string, period: PeriodSpec, planWord?: string): Promise<MetricValue>;
  /**
   * Any metric's value in a period (latest when absent), with its fallbacks in one call: computed from
   * its formula, else the figure a document reports for it, else the line item of that name.
   */
  computeMetric(scope: TenantScope, metric: string, period?: PeriodSpec): Promise<MetricValue>;
  benchmarks(metric: string, segment?: string): Promise<BenchmarkFigure[]>;
  compare(
    scope: TenantScope,
    metric: string,
    opts: { value?: number; period?: PeriodSpec; segment?: string },
  ): Promise<BenchmarkComparison>;
  rememberFact(
    scope: TenantScope,
    fact: { subject: string; predicate: string; object: string },
    source: { conversation: string; turn: number },
  ): Promise<Fact>;
}

export interface ToolPorts {
  documents: DocumentsPort;
  graph: GraphPort;
}
