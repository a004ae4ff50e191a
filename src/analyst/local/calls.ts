import { lastMonthOf } from '../../lib/periods.ts';
import type { ToolInputs, ToolOutputs } from '../tools/index.ts';
import type {
  BenchmarkComparison,
  BenchmarkFigure,
  DocumentSummary,
  MetricListing,
  MetricSeries,
  MetricValue,
  PlanListing,
} from '../tools/ports.ts';
import type { SearchResult } from '../tools/search_documents.ts';
import type { AnswerMetric, Citation, ToolContext, ToolError, ToolInputOf } from '../types.ts';

/**
 * The local engine's tool calls. Every call goes through `ctx.callTool` and gets the tool's own typed
 * output back (`ToolOutputs`): nothing is re-parsed. The records below are the tools' types (ports.ts)
 * with the citations and chartable metric the tool returned next to them.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ToolError };

export interface Listing {
  metrics: MetricListing[];
  documents: DocumentSummary[];
  /** The latest month any metric reaches — "now" for every relative period. */
  latestMonth?: string;
  /** First month of the company's fiscal year (1 = calendar). */
  fiscalStartMonth: number;
  /** The currency amounts are in (ISO 4217), `null` when the documents state several (list_metrics). */
  currency: string | null;
  /** The metrics the documents' budgets, forecasts and plans give (list_metrics `plans`). */
  plans: PlanListing[];
}

/** A metric's value (get_metric / compute_metric), its citations, and what the web app charts. */
export type Figure = Omit<MetricValue, 'sources' | 'inputs' | 'missing'> & {
  inputs: Input[];
  missing: string[];
  sources: Citation[];
  chart?: AnswerMetric;
  /** Set when the value covers only part of the period asked for ("6 of 12 months"). */
  partial?: string;
};

export type Input = NonNullable<MetricValue['inputs']>[number];
export type Series = MetricSeries & { sources: Citation[] };
export type Comparison = BenchmarkComparison & { sources: Citation[]; chart?: AnswerMetric };
export type Passage = SearchResult;
export type TableValue = ToolOutputs['query_table'];
export type { BenchmarkFigure };

type Name = keyof ToolInputs;

function figureOf(value: MetricValue, sources: Citation[], chart: AnswerMetric): Figure {
  return { ...value, inputs: value.inputs ?? [], missing: value.missing ?? [], sources, chart };
}

export class ToolClient {
  /** Tool calls made so far this turn (the runtime caps them; the planner spends what is left wisely). */
  used = 0;
  /** What list_metrics said this turn (the tenant's metrics and line items). */
  listing: Listing | undefined;

  constructor(
    private readonly ctx: ToolContext,
    readonly maxCalls = 12,
  ) {}

  get remaining(): number {
    return Math.max(0, this.maxCalls - this.used);
  }

  private async call<N extends Name>(name: N, input: ToolInputs[N]): Promise<Outcome<ToolOutputs[N]>> {
    this.used += 1;
    // A thrown error (revoked tenant, exhausted budget) ends the turn: the engine's caller reports it.
    const res = await this.ctx.callTool(name, input as ToolInputOf<N>);
    return res.ok ? { ok: true, value: res.output as ToolOutputs[N] } : { ok: false, error: res.error };
  }

  async listMetrics(): Promise<Outcome<Listing>> {
    const res = await this.call('list_metrics', {});
    if (!res.ok) return res;
    const metrics = res.value.metrics ?? [];
    let latestMonth: string | undefined;
    for (const m of metrics) {
      for (const p of m.periods ?? []) {
        const end = lastMonthOf(p);
        if (end && (!latestMonth || end > latestMonth)) latestMonth = end;
      }
    }
    this.listing = {
      metrics,
      documents: res.value.documents ?? [],
      fiscalStartMonth: res.value.fiscal_start_month ?? 1,
      currency: res.value.currency === undefined ? 'USD' : res.value.currency,
      plans: res.value.plans ?? [],
      ...(latestMonth ? { latestMonth } : {}),
    };
    return { ok: true, value: this.listing };
  }

  async getMetric(metric: string, period: string): Promise<Outcome<Figure>> {
    const res = await this.call('get_metric', { metric, period });
    if (!res.ok) return res;
    if (!res.value.value) return { ok: false, error: { code: 'no_value', message: `no value of ${metric}` } };
    return { ok: true, value: figureOf(res.value.value, res.value.sources, res.value.metric) };
  }

  /** The plan's figure (a budget or forecast in the documents) for one period: never an actual. */
  async getPlan(metric: string, period: string, planWord?: string): Promise<Outcome<Figure>> {
    const res = await this.call('get_metric', {
      metric,
      period,
      plan: true,
      ...(planWord ? { plan_word: planWord } : {}),
    });
    if (!res.ok) return res;
    if (!res.value.value) return { ok: false, error: { code: 'no_value', message: `no plan of ${metric}` } };
    return { ok: true, value: figureOf(res.value.value, res.value.sources, res.value.metric) };
  }

  async computeMetric(metric: string, period: string): Promise<Outcome<Figure>> {
    const res = await this.call('compute_metric', { metric, period });
    if (!res.ok) return res;
    return { ok: true, value: figureOf(res.value.value, res.value.sources, res.value.metric) };
  }

  async series(metric: string, from?: string, to?: string): Promise<Outcome<Series>> {
    const res = await this.call('get_metric', { metric, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    if (!res.ok) return res;
    if (!res.value.series) return { ok: false, error: { code: 'no_series', message: `no series of ${metric}` } };
    return { ok: true, value: { ...res.value.series, sources: res.value.sources } };
  }

  async compare(metric: string, period: string, value?: number): Promise<Outcome<Comparison>> {
    const res = await this.call('compare_to_benchmark', { metric, period, ...(value !== undefined ? { value } : {}) });
    if (!res.ok) return res;
    return { ok: true, value: { ...res.value.comparison, sources: res.value.sources, chart: res.value.metric } };
  }

  async remember(fact: { subject: string; predicate: string; object: string }): Promise<Outcome<true>> {
    const res = await this.call('remember_fact', fact);
    return res.ok ? { ok: true, value: true } : res;
  }

  async benchmarks(metric: string): Promise<Outcome<BenchmarkFigure[]>> {
    const res = await this.call('get_benchmark', { metric });
    return res.ok ? { ok: true, value: res.value.figures } : res;
  }

  async search(query: string, limit = 8, documentId?: string): Promise<Outcome<Passage[]>> {
    const res = await this.call('search_documents', {
      query: query.slice(0, 500),
      limit,
      ...(documentId ? { document_id: documentId } : {}),
    });
    return res.ok ? { ok: true, value: res.value.results } : res;
  }

  async queryRecords(input: ToolInputs['query_records']): Promise<Outcome<ToolOutputs['query_records']>> {
    return this.call('query_records', input);
  }

  async queryTable(
    item: string,
    period: string | undefined,
    op: 'value' | 'sum' | 'avg' | 'max' | 'min',
  ): Promise<Outcome<TableValue>> {
    return this.call('query_table', { item, op, ...(period ? { period } : {}) });
  }
}
