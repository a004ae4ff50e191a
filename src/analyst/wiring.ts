import type { DocumentService } from '../documents/service.ts';
import { METRICS_BY_ID, metricForLabel } from '../graph/catalog.ts';
import { dataSpan } from '../graph/engine/coverage.ts';
import { outOfRange } from '../graph/engine/values.ts';
import {
  type ComputeResult,
  compareMetric,
  computeMetric,
  currencyOf,
  type GraphService,
  listBenchmarks,
  type MetricData,
  metricsView,
  nameOf,
  type PeriodSpec,
  planData,
  resolveMetricId,
  seriesFor,
} from '../graph/index.ts';
import type { SourceRef } from '../graph/types.ts';
import { comparePeriods } from '../lib/periods.ts';
import type { TenantScope } from '../store/paths.ts';
import type { BenchmarkFigure, GraphPort, MetricValue, ToolPorts } from './tools/ports.ts';

/**
 * Binds the tools to the real documents service and tenant graph. Values are in the graph's display
 * units (percent points for percents: NRR 102.1 means 102.1%).
 */
/**
 * Whether a series' own header names another reported metric than the series is (`Subscription revenue`
 * read as MRR): then a question naming the header asks for this series. A header naming what the graph
 * computes from it (`Ending ARR` read as MRR ÷ 12 still answers "ARR" as ARR) is not given.
 */
function headerNamesAnother(metric: string, header: string): boolean {
  if (!METRICS_BY_ID.has(metric)) return false;
  const named = metricForLabel(header);
  return named === undefined || (named.id !== metric && named.kind === 'component');
}

export function createToolPorts(deps: { documents: DocumentService; graph: GraphService }): ToolPorts {
  const { documents, graph } = deps;
  return {
    documents: {
      search: (scope, q, limit) => documents.search(scope, q, limit),
      // The documents service looks the id up among this tenant's documents only.
      passages: (scope, id) => documents.passages(scope, id).catch(() => []),
      async list(scope) {
        const docs = await documents.listDocuments(scope);
        return docs.map((d) => ({ id: d.id, name: d.name, status: d.status, metrics: d.metrics }));
      },
      tables: (scope) => documents.getTables(scope),
      records: (scope) => documents.getRecordLists(scope),
    },
    graph: graphPort(graph),
  };
}

/** The period a failed result names: the one the graph resolved, else the spec as asked. */
function askedPeriod(period: PeriodSpec | undefined): string {
  return period === undefined ? '' : typeof period === 'string' ? period : JSON.stringify(period);
}

/** The currency of a metric's amounts, for a metric whose unit is one (nothing for percents and counts). */
function currencyField(unit: string, data: MetricData): { currency?: string | null } {
  return unit === 'currency' ? { currency: currencyOf(data) ?? null } : {};
}

function toValue(result: ComputeResult, fallbackPeriod: string, data: MetricData): MetricValue {
  if (!result.ok) {
    const failed = {
      metric: result.metric,
      name: nameOf(result.metric),
      unit: METRICS_BY_ID.get(result.metric)?.unit ?? 'number',
      ...currencyField(METRICS_BY_ID.get(result.metric)?.unit ?? 'number', data),
      period: result.period ?? fallbackPeriod,
      ...(result.period_label ? { period_label: result.period_label } : {}),
      value: null,
    };
    // The graph found the figure impossible for the metric (a reading error): never a value.
    if (result.problem === 'implausible')
      return { ...failed, problem: { code: 'reading_error', message: result.message }, missing: [], sources: [] };
    return {
      ...failed,
      ...(result.outside ? { outside_data: result.outside } : {}),
      missing: result.missing.length
        ? result.missing.map((m) => `${nameOf(m.metric)} (${m.metric}) for ${m.periods.join(', ')}`)
        : [result.message],
      sources: [],
    };
  }
  const sources: SourceRef[] = [];
  const seen = new Set<string>();
  for (const input of result.inputs) {
    for (const s of input.sources ?? (input.source ? [input.source] : [])) {
      const key = `${s.document_id}|${s.locator}`;
      if (!seen.has(key)) {
        seen.add(key);
        sources.push(s);
      }
    }
  }
  const impossible = outOfRange(result.metric, result.value);
  return {
    metric: result.metric,
    name: result.name,
    unit: result.unit,
    ...currencyField(result.unit, data),
    period: result.period,
    period_label: result.period_label,
    value: impossible ? null : result.value,
    ...(impossible
      ? { problem: { code: 'reading_error' as const, read: result.value, message: impossible }, missing: [] }
      : {}),
    formula: result.formula,
    ...(result.readings?.length ? { readings: result.readings } : {}),
    inputs: result.inputs.map((i) => ({
      metric: i.metric,
      // A line item's own input keeps the document's label (`AWS hosting`).
      name: i.metric === result.metric ? result.name : nameOf(i.metric),
      period: i.period,
      value: i.value,
      ...(i.source ? { source: i.source } : {}),
    })),
    sources,
  };
}

function resolve(data: MetricData, metric: string): string {
  return resolveMetricId(data, metric) ?? metric;
}

function graphPort(graph: GraphService): GraphPort {
  // Calls made together (list_metrics asks for the metrics and the fiscal start at once) share one read
  // of the tenant's graph; nothing is kept once it resolves, so no call sees data older than its own start.
  const reading = new Map<string, Promise<MetricData>>();
  const metricData = (scope: TenantScope): Promise<MetricData> => {
    const key = scope.dir;
    let p = reading.get(key);
    if (!p) {
      p = graph.getMetricData(scope).finally(() => reading.delete(key));
      reading.set(key, p);
    }
    return p;
  };
  const graphValue = async (scope: TenantScope, metric: string, period?: PeriodSpec): Promise<MetricValue> => {
    const data = await metricData(scope);
    return toValue(computeMetric(data, resolve(data, metric), period), askedPeriod(period), data);
  };
  return {
    async listMetrics(scope) {
      const data = await metricData(scope);
      return metricsView(data).map((v) => ({
        metric: v.metric,
        name: v.name,
        unit: v.unit,
        kind: METRICS_BY_ID.get(v.metric)?.kind ?? 'line_item',
        periods: v.series.map((p) => p.period),
        latest: { period: v.latest.period, value: v.latest.value },
        ...(headerNamesAnother(v.metric, v.label) ? { header: v.label } : {}),
      }));
    },
    async fiscalStartMonth(scope) {
      return (await metricData(scope)).fiscalStartMonth;
    },
    async periodContext(scope) {
      const data = await metricData(scope);
      return { latestMonth: data.latestMonth, fiscalStartMonth: data.fiscalStartMonth };
    },
    async currency(scope) {
      return currencyOf(await metricData(scope)) ?? null;
    },
    async series(scope, metric, range) {
      const data = await metricData(scope);
      const id = resolve(data, metric);
      const inRange = (p: string) =>
        (!range?.from || comparePeriods(p, range.from) >= 0) && (!range?.to || comparePeriods(p, range.to) <= 0);
      const stored = metricsView(data, id)[0];
      // A derived metric's series is its value month by month, as computeMetric gives each one (computed
      // first, a figure a document reports for that month where it cannot be): the points a document
      // states are not the series — a board memo's two quarterly NRR figures are no monthly ranking. A
      // component no document writes as such is computed the same way from its substitutes (net burn from a
      // cash-flow sheet's net cash flow or the fall in cash, gross margin from gross profit / revenue).
      if (METRICS_BY_ID.get(id)?.kind === 'derived' || (!stored && METRICS_BY_ID.has(id))) {
        const span = dataSpan(data);
        const from = range?.from ?? (range?.to ? undefined : span.first);
        const to = range?.to ?? (range?.from ? undefined : span.last);
        const computed = seriesFor(
          data,
          id,
          from || to ? { from: from ?? to!, to: to ?? from! } : 'last_12_months',
          'month',
        );
        if (computed.ok) {
          const series = computed.points
            .filter((p) => !outOfRange(computed.metric, p.value))
            .map((p) => ({ period: p.period, value: p.value }));
          if (series.length > 0)
            return {
              metric: computed.metric,
              name: computed.name,
              unit: computed.unit,
              ...currencyField(computed.unit, data),
              series,
            };
        }
      }
      if (stored) {
        return {
          metric: stored.metric,
          name: stored.name,
          unit: stored.unit,
          ...currencyField(stored.unit, data),
          // A value the metric cannot take is a reading error, never a point to rank or chart.
          series: stored.series.filter((p) => inRange(p.period) && !outOfRange(stored.metric, p.value)),
        };
      }
      return undefined;
    },
    async plans(scope) {
      const plans = planData(await metricData(scope));
      return metricsView(plans).map((v) => ({
        metric: v.metric,
        name: v.name,
        unit: v.unit,
        plans: [...new Set([...(plans.series.get(v.metric)?.values() ?? [])].map((p) => p.plan ?? ''))].filter(Boolean),
        periods: v.series.map((p) => p.period),
      }));
    },
    // The plan's figure: the same engine over the plans alone, so nothing of the actuals enters it.
    async planValueIn(scope, metric, period, planWord) {
      const data = await metricData(scope);
      const plans = planData(data, planWord);
      const id = resolve(plans, metric);
      const value = toValue(computeMetric(plans, id, period), askedPeriod(period), data);
      const names = new Set<string>();
      for (const i of value.inputs ?? []) {
        const series = plans.series.get(i.metric);
        const p = series?.get(i.period) ?? series?.values().next().value;
        if (p?.plan) names.add(p.plan);
      }
      return names.size ? { ...value, plan: [...names].join(', ') } : value;
    },
    // A stored metric's value and any metric's value are the graph's one value call (with its fallbacks).
    valueIn: graphValue,
    computeMetric: graphValue,
    async benchmarks(metric, segment) {
      const seed = await graph.seed();
      const out: BenchmarkFigure[] = [];
      for (const entry of listBenchmarks(seed, { metric, ...(segment ? { segment } : {}) })) {
        for (const b of entry.benchmarks) {
          out.push({
            metric: entry.metric.id,
            stat: b.stat,
            value: b.value,
            unit: b.unit,
            segment: b.segment_label,
            period: b.period,
            source: { ...b.source, year: b.source.year ?? 0 },
            verified: b.verified,
          });
        }
      }
      return out.slice(0, 30);
    },
    async compare(scope, metric, opts) {
      const [seed, data, state] = await Promise.all([graph.seed(), metricData(scope), graph.getState(scope)]);
      const id = resolve(data, metric);
      const def = METRICS_BY_ID.get(id);
      const r = compareMetric(seed, data, state.profile, id, {
        ...(opts.period !== undefined ? { period: opts.period } : {}),
        ...(opts.value !== undefined ? { value: opts.value } : {}),
        ...(opts.segment ? { segment: opts.segment } : {}),
      });
      if (!r.ok) {
        return {
          metric: id,
          name: nameOf(id),
          unit: def?.unit ?? 'number',
          ...currencyField(def?.unit ?? 'number', data),
          value: opts.value ?? null,
          period: askedPeriod(opts.period),
          position: 'unknown',
          summary: r.message,
          band: { label: '' },
          figures: [],
          missing: [r.message],
        };
      }
      return {
        metric: r.metric,
        name: r.name,
        unit: r.unit,
        ...currencyField(r.unit, data),
        value: r.value,
        period: r.period ?? askedPeriod(opts.period),
        position: r.position,
        summary: r.caution ? `${r.verdict} (${r.caution})` : r.verdict,
        band: { ...r.band },
        figures: r.figures.map((f) => ({
          metric: r.metric,
          stat: f.stat,
          value: f.value,
          unit: f.unit,
          segment: f.segment_label,
          period: f.period,
          source: { ...f.source, year: f.source.year ?? 0 },
          verified: f.verified,
        })),
      };
    },
    rememberFact(scope, fact, source) {
      return graph.rememberFact(scope, { ...fact, source });
    },
  };
}
