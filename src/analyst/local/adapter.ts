import type { Unit } from '../../graph/types.ts';
import { periodKind } from '../../lib/periods.ts';
import type { AnswerMetric, Citation, ToolContext } from '../types.ts';

/**
 * The one place that knows the tools' output shapes (src/analyst/tools/*): it calls them through
 * `ctx.callTool` and maps what comes back into the small records the planner and answer writer use.
 * Outputs are read defensively — a field that is missing or of another type is treated as absent.
 */
type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const UNITS: Unit[] = ['currency', 'count', 'percent', 'ratio', 'months', 'number'];
const unit = (v: unknown): Unit => (UNITS.includes(v as Unit) ? (v as Unit) : 'number');

export type ToolError = { code: string; message: string };
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ToolError };

export interface Listing {
  metrics: Array<{
    id: string;
    name: string;
    unit: Unit;
    kind: string;
    periods: string[];
    latest?: { period: string; value: number };
  }>;
  documents: Array<{ id: string; name: string; status: string }>;
  /** The latest month any metric reaches — "now" for every relative period. */
  latestMonth?: string;
}

export interface Input {
  metric: string;
  name: string;
  period: string;
  value: number;
  source?: Citation;
}

export interface Figure {
  metric: string;
  name: string;
  unit: Unit;
  period: string;
  value: number | null;
  formula?: string;
  inputs: Input[];
  missing: string[];
  sources: Citation[];
  chart?: AnswerMetric;
  /** Set when the value covers only part of the period asked for ("6 of 12 months"). */
  partial?: string;
}

export interface Series {
  metric: string;
  name: string;
  unit: Unit;
  points: Array<{ period: string; value: number }>;
  sources: Citation[];
}

export interface Comparison {
  value: number | null;
  unit: Unit;
  period: string;
  position: string;
  summary: string;
  band: { low?: number; median?: number; high?: number; label: string };
  figures: Array<{ stat: string; value: number; segment: string }>;
  missing: string[];
  sources: Citation[];
  chart?: AnswerMetric;
}

export interface BenchmarkFigure {
  stat: string;
  value: number;
  segment: string;
  verified: boolean;
  source: Extract<Citation, { benchmark: true }>;
}

export interface Passage {
  document_id: string;
  document_name: string;
  locator: string;
  snippet: string;
  score: number;
}

export interface TableValue {
  item: string;
  period: string;
  value: number | null;
  valuePeriod?: string;
  points: Array<{ period: string; value: number }>;
  sources: Citation[];
}

function citation(v: unknown): Citation | undefined {
  const r = rec(v);
  if (!r) return undefined;
  if (r.benchmark === true) {
    return {
      benchmark: true,
      publisher: str(r.publisher) ?? '',
      report: str(r.report) ?? '',
      year: num(r.year) ?? 0,
      url: str(r.url) ?? '',
    };
  }
  const id = str(r.document_id);
  if (!id) return undefined;
  const snippet = str(r.snippet);
  return {
    document_id: id,
    document_name: str(r.document_name) ?? id,
    locator: str(r.locator) ?? '',
    ...(snippet !== undefined ? { snippet } : {}),
  };
}
const citations = (v: unknown): Citation[] => arr(v).flatMap((c) => citation(c) ?? []);

function answerMetric(v: unknown): AnswerMetric | undefined {
  const r = rec(v);
  if (!r || !str(r.metric)) return undefined;
  const band = rec(r.benchmark);
  return {
    metric: str(r.metric) ?? '',
    name: str(r.name) ?? str(r.metric) ?? '',
    unit: str(r.unit) ?? 'number',
    value: num(r.value) ?? null,
    period: str(r.period) ?? '',
    series: arr(r.series).flatMap((p) => {
      const pr = rec(p);
      const value = num(pr?.value);
      const period = str(pr?.period);
      return period && value !== undefined ? [{ period, value }] : [];
    }),
    ...(band
      ? {
          benchmark: {
            label: str(band.label) ?? '',
            ...(num(band.low) !== undefined ? { low: num(band.low) } : {}),
            ...(num(band.median) !== undefined ? { median: num(band.median) } : {}),
            ...(num(band.high) !== undefined ? { high: num(band.high) } : {}),
            ...(str(band.source) ? { source: str(band.source) } : {}),
          },
        }
      : {}),
  };
}

function figure(v: unknown, chart: unknown, sources: unknown): Figure | undefined {
  const r = rec(v);
  if (!r) return undefined;
  return {
    metric: str(r.metric) ?? '',
    name: str(r.name) ?? str(r.metric) ?? '',
    unit: unit(r.unit),
    period: str(r.period) ?? '',
    value: num(r.value) ?? null,
    ...(str(r.formula) ? { formula: str(r.formula) } : {}),
    inputs: arr(r.inputs).flatMap((i) => {
      const ir = rec(i);
      const value = num(ir?.value);
      if (!ir || value === undefined) return [];
      const source = citation(ir.source);
      return [
        {
          metric: str(ir.metric) ?? '',
          name: str(ir.name) ?? str(ir.metric) ?? '',
          period: str(ir.period) ?? '',
          value,
          ...(source ? { source } : {}),
        },
      ];
    }),
    missing: arr(r.missing).flatMap((m) => str(m) ?? []),
    sources: citations(sources),
    chart: answerMetric(chart),
  };
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

  private async call(name: string, input: Rec): Promise<Outcome<Rec>> {
    this.used += 1;
    // A thrown error (revoked tenant, exhausted budget) ends the turn: the engine's caller reports it.
    const res = await this.ctx.callTool(name, input);
    if (!res.ok) return { ok: false, error: res.error };
    return { ok: true, value: rec(res.output) ?? {} };
  }

  async listMetrics(): Promise<Outcome<Listing>> {
    const res = await this.call('list_metrics', {});
    if (!res.ok) return res;
    const metrics = arr(res.value.metrics).flatMap((m) => {
      const r = rec(m);
      const id = str(r?.metric);
      if (!r || !id) return [];
      return [
        {
          id,
          name: str(r.name) ?? id,
          unit: unit(r.unit),
          kind: str(r.kind) ?? 'component',
          periods: arr(r.periods).flatMap((p) => str(p) ?? []),
          ...latestOf(r.latest),
        },
      ];
    });
    let latestMonth: string | undefined;
    for (const m of metrics) {
      for (const p of m.periods) {
        const end = lastMonth(p);
        if (end && (!latestMonth || end > latestMonth)) latestMonth = end;
      }
    }
    const documents = arr(res.value.documents).flatMap((d) => {
      const r = rec(d);
      const id = str(r?.id);
      return r && id ? [{ id, name: str(r.name) ?? id, status: str(r.status) ?? '' }] : [];
    });
    this.listing = { metrics, documents, ...(latestMonth ? { latestMonth } : {}) };
    return { ok: true, value: this.listing };
  }

  async getMetric(metric: string, period: string): Promise<Outcome<Figure>> {
    const res = await this.call('get_metric', { metric, period });
    if (!res.ok) return res;
    const f = figure(res.value.value, res.value.metric, res.value.sources);
    return f ? { ok: true, value: f } : { ok: false, error: { code: 'bad_output', message: 'no value' } };
  }

  async computeMetric(metric: string, period: string): Promise<Outcome<Figure>> {
    const res = await this.call('compute_metric', { metric, period });
    if (!res.ok) return res;
    const f = figure(res.value.value, res.value.metric, res.value.sources);
    return f ? { ok: true, value: f } : { ok: false, error: { code: 'bad_output', message: 'no value' } };
  }

  async series(metric: string, from?: string, to?: string): Promise<Outcome<Series>> {
    const res = await this.call('get_metric', { metric, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    if (!res.ok) return res;
    const s = rec(res.value.series);
    if (!s) return { ok: false, error: { code: 'bad_output', message: 'no series' } };
    return {
      ok: true,
      value: {
        metric: str(s.metric) ?? metric,
        name: str(s.name) ?? metric,
        unit: unit(s.unit),
        points: arr(s.series).flatMap((p) => {
          const pr = rec(p);
          const value = num(pr?.value);
          const period = str(pr?.period);
          return period && value !== undefined ? [{ period, value }] : [];
        }),
        sources: citations(res.value.sources),
      },
    };
  }

  async compare(metric: string, period: string, value?: number): Promise<Outcome<Comparison>> {
    const res = await this.call('compare_to_benchmark', {
      metric,
      period,
      ...(value !== undefined ? { value } : {}),
    });
    if (!res.ok) return res;
    const c = rec(res.value.comparison);
    if (!c) return { ok: false, error: { code: 'bad_output', message: 'no comparison' } };
    const band = rec(c.band) ?? {};
    return {
      ok: true,
      value: {
        value: num(c.value) ?? null,
        unit: unit(c.unit),
        period: str(c.period) ?? period,
        position: str(c.position) ?? 'unknown',
        summary: str(c.summary) ?? '',
        band: {
          label: str(band.label) ?? '',
          ...(num(band.low) !== undefined ? { low: num(band.low) } : {}),
          ...(num(band.median) !== undefined ? { median: num(band.median) } : {}),
          ...(num(band.high) !== undefined ? { high: num(band.high) } : {}),
        },
        figures: arr(c.figures).flatMap((f) => {
          const fr = rec(f);
          const v = num(fr?.value);
          return fr && v !== undefined ? [{ stat: str(fr.stat) ?? '', value: v, segment: str(fr.segment) ?? '' }] : [];
        }),
        missing: arr(c.missing).flatMap((m) => str(m) ?? []),
        sources: citations(res.value.sources),
        chart: answerMetric(res.value.metric),
      },
    };
  }

  async remember(fact: { subject: string; predicate: string; object: string }): Promise<Outcome<true>> {
    const res = await this.call('remember_fact', fact);
    return res.ok ? { ok: true, value: true } : res;
  }

  async benchmarks(metric: string): Promise<Outcome<BenchmarkFigure[]>> {
    const res = await this.call('get_benchmark', { metric });
    if (!res.ok) return res;
    return {
      ok: true,
      value: arr(res.value.figures).flatMap((f) => {
        const r = rec(f);
        const value = num(r?.value);
        const source = rec(r?.source);
        if (!r || value === undefined) return [];
        return [
          {
            stat: str(r.stat) ?? '',
            value,
            segment: str(r.segment) ?? '',
            verified: r.verified !== false,
            source: {
              benchmark: true as const,
              publisher: str(source?.publisher) ?? '',
              report: str(source?.report) ?? '',
              year: num(source?.year) ?? 0,
              url: str(source?.url) ?? '',
            },
          },
        ];
      }),
    };
  }

  async search(query: string, limit = 8): Promise<Outcome<Passage[]>> {
    const res = await this.call('search_documents', { query: query.slice(0, 500), limit });
    if (!res.ok) return res;
    return {
      ok: true,
      value: arr(res.value.results).flatMap((p) => {
        const r = rec(p);
        const id = str(r?.document_id);
        if (!r || !id) return [];
        return [
          {
            document_id: id,
            document_name: str(r.document_name) ?? id,
            locator: str(r.locator) ?? '',
            snippet: str(r.snippet) ?? str(r.text) ?? '',
            score: num(r.score) ?? 0,
          },
        ];
      }),
    };
  }

  async queryTable(
    item: string,
    period: string | undefined,
    op: 'value' | 'sum' | 'avg' | 'max' | 'min',
  ): Promise<Outcome<TableValue>> {
    const res = await this.call('query_table', { item, op, ...(period ? { period } : {}) });
    if (!res.ok) return res;
    const v = res.value;
    const valuePeriod = str(v.value_period);
    return {
      ok: true,
      value: {
        item: str(v.item) ?? item,
        period: str(v.period) ?? period ?? '',
        value: num(v.value) ?? null,
        ...(valuePeriod ? { valuePeriod } : {}),
        points: arr(v.points).flatMap((p) => {
          const pr = rec(p);
          const value = num(pr?.value);
          const pp = str(pr?.period);
          return pp && value !== undefined ? [{ period: pp, value }] : [];
        }),
        sources: citations(v.sources),
      },
    };
  }
}

function latestOf(v: unknown): { latest?: { period: string; value: number } } {
  const r = rec(v);
  const period = str(r?.period);
  const value = num(r?.value);
  return period && value !== undefined ? { latest: { period, value } } : {};
}

function lastMonth(period: string): string | undefined {
  const range = /^\d{4}-\d{2}\.\.(\d{4}-\d{2})$/.exec(period);
  if (range) return range[1];
  const kind = periodKind(period);
  if (kind === 'month') return period;
  if (kind === 'quarter') {
    const [y, q] = period.split('-Q').map(Number) as [number, number];
    return `${y}-${String(q * 3).padStart(2, '0')}`;
  }
  if (kind === 'year' && /^\d{4}$/.test(period)) return `${period}-12`;
  return undefined;
}
