import { METRICS, METRICS_BY_ID } from './catalog.ts';
import { selectBenchmarks } from './engine/benchmark.ts';
import { nameOf } from './engine/compute.ts';
import type { MetricData } from './engine/data.ts';
import { display, unitOf } from './engine/values.ts';
import type { SeedGraph } from './seed-types.ts';
import type { GraphState } from './state.ts';
import type { SourceRef, Unit } from './types.ts';

/** Read models for the API and the analyst's `list_metrics`: plain data, bounded, sources attached. */
export interface MetricView {
  metric: string;
  name: string;
  unit: Unit;
  label: string;
  latest: { period: string; value: number; source: SourceRef };
  series: Array<{ period: string; value: number; source: SourceRef }>;
}

/** The tenant's series (percents in percent points), catalog metrics first in catalog order, then line items. */
export function metricsView(data: MetricData, filter?: string): MetricView[] {
  const order = new Map(METRICS.map((m, i) => [m.id, i]));
  const ids = [...data.series.keys()]
    .filter((id) => !filter || id === filter)
    .sort((a, b) => (order.get(a) ?? 1e6) - (order.get(b) ?? 1e6) || a.localeCompare(b));
  const out: MetricView[] = [];
  for (const id of ids) {
    const points = [...(data.series.get(id)?.values() ?? [])];
    if (!points.length) continue;
    const unit = METRICS_BY_ID.get(id)?.unit ?? unitOf(data, id);
    const series = points.map((p) => ({ period: p.period, value: display(p.unit, p.value), source: p.source }));
    // Latest: the last month if there are months, else the last period of any kind.
    const months = series.filter((p) => /^\d{4}-\d{2}$/.test(p.period));
    const latest = (months.length ? months : series).at(-1)!;
    out.push({ metric: id, name: nameOf(id, data), unit, label: points.at(-1)!.label, latest, series });
  }
  return out;
}

export interface GraphNode {
  id: string;
  type: 'company' | 'metric' | 'document' | 'fact' | 'benchmark';
  label: string;
  data: Record<string, unknown>;
}

export interface GraphViewEdge {
  source: string;
  target: string;
  type: string;
}

export interface GraphView {
  mode: 'summary' | 'full';
  nodes: GraphNode[];
  edges: GraphViewEdge[];
  page: { offset: number; limit: number; total_nodes: number };
}

/**
 * The tenant's graph with the benchmark nodes its metrics link to. `summary` keeps it small (latest
 * values, the best three fitting benchmarks per metric, the latest 50 facts); `full` pages over every
 * node (and the edges touching the page).
 */
export function graphView(
  state: GraphState,
  data: MetricData,
  seed: SeedGraph,
  opts: { mode?: 'summary' | 'full'; offset?: number; limit?: number; companyName?: string } = {},
): GraphView {
  const mode = opts.mode ?? 'summary';
  const nodes: GraphNode[] = [];
  const edges: GraphViewEdge[] = [];
  const p = state.profile;
  nodes.push({
    id: 'company',
    type: 'company',
    label: p.name ?? opts.companyName ?? 'Company',
    data: {
      arr: p.arr,
      arr_band: p.arr_band,
      acv: p.acv,
      segment: p.segment,
      latest_month: p.latest_month,
      fiscal_year_start_month: p.fiscal_year_start_month,
    },
  });
  for (const doc of Object.values(state.documents).sort((a, b) => a.uploaded_at.localeCompare(b.uploaded_at))) {
    nodes.push({
      id: `document:${doc.id}`,
      type: 'document',
      label: doc.name,
      data: { id: doc.id, uploaded_at: doc.uploaded_at, metrics: doc.metrics.length, points: doc.points },
    });
    edges.push({ source: 'company', target: `document:${doc.id}`, type: 'has_document' });
  }
  const views = metricsView(data);
  const metricIds = new Set<string>();
  for (const v of views) {
    metricIds.add(v.metric);
    nodes.push({
      id: `metric:${v.metric}`,
      type: 'metric',
      label: v.name,
      data: {
        unit: v.unit,
        kind: 'reported',
        latest: v.latest,
        periods: v.series.length,
        ...(mode === 'full' ? { series: v.series.map((s) => ({ period: s.period, value: s.value })) } : {}),
      },
    });
    edges.push({ source: 'company', target: `metric:${v.metric}`, type: 'reports' });
    const docs = new Set(v.series.map((s) => s.source.document_id));
    for (const d of docs)
      if (state.documents[d])
        edges.push({ source: `metric:${v.metric}`, target: `document:${d}`, type: 'from_document' });
  }
  for (const d of state.derived) {
    const id = `metric:${d.metric}`;
    if (!metricIds.has(d.metric)) {
      metricIds.add(d.metric);
      nodes.push({ id, type: 'metric', label: nameOf(d.metric), data: { unit: d.unit, kind: 'derived', values: [] } });
      edges.push({ source: 'company', target: id, type: 'derives' });
      const def = METRICS_BY_ID.get(d.metric);
      for (const c of def?.components ?? [])
        if (data.series.has(c)) edges.push({ source: id, target: `metric:${c}`, type: 'derived_from' });
    }
    const node = nodes.find((n) => n.id === id)!;
    const values = (node.data.values as unknown[] | undefined) ?? [];
    values.push({ period: d.period, value: d.value, formula: d.formula });
    node.data.values = values;
  }
  const facts = mode === 'summary' ? state.facts.slice(-50) : state.facts;
  for (const f of facts) {
    nodes.push({ id: `fact:${f.id}`, type: 'fact', label: `${f.subject} ${f.predicate} ${f.object}`, data: { ...f } });
    edges.push({ source: 'company', target: `fact:${f.id}`, type: 'knows' });
    if ('document_id' in f.source && state.documents[f.source.document_id]) {
      edges.push({ source: `fact:${f.id}`, target: `document:${f.source.document_id}`, type: 'from_document' });
    }
  }
  const perMetric = mode === 'summary' ? 3 : 50;
  for (const id of metricIds) {
    const { figures } = selectBenchmarks(seed, id, { arr: p.arr ?? undefined, acv: p.acv ?? undefined });
    for (const b of figures.slice(0, perMetric)) {
      nodes.push({
        id: b.id,
        type: 'benchmark',
        label: `${b.stat} ${b.value} (${b.segment_label})`,
        data: {
          stat: b.stat,
          value: b.value,
          unit: b.unit,
          segment: b.segment_label,
          period: b.period,
          source: b.source,
          verified: b.verified,
        },
      });
      edges.push({ source: `metric:${id}`, target: b.id, type: 'has_benchmark' });
    }
  }

  const total = nodes.length;
  const offset = Math.max(0, opts.offset ?? 0);
  const limit = Math.min(Math.max(1, opts.limit ?? (mode === 'summary' ? 500 : 200)), 1000);
  const page = nodes.slice(offset, offset + limit);
  const ids = new Set(page.map((n) => n.id));
  return {
    mode,
    nodes: page,
    edges: edges.filter((e) => ids.has(e.source) || ids.has(e.target)),
    page: { offset, limit, total_nodes: total },
  };
}
