import type { Config } from '../config.ts';
import type { DocumentRecord, TextBlock } from '../documents/types.ts';
import { type Clock, isoSeconds } from '../lib/clock.ts';
import { badRequest } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { TenantScope } from '../store/paths.ts';
import { METRICS, METRICS_BY_ID } from './catalog.ts';
import { computeFor, DERIVED_METRICS } from './engine/compute.ts';
import { buildMetricData, type MetricData } from './engine/data.ts';
import { resolvePeriod } from './engine/periods.ts';
import { fiscalStartFromText } from './fiscal.ts';
import { openSeedGraph, SHIPPED_SEED_GRAPH } from './seed.ts';
import type { SeedGraph } from './seed-types.ts';
import { arrBandLabel, sizeForAcv } from './segments.ts';
import type { DerivedValue, GraphEdge, GraphState } from './state.ts';
import { graphStateBackend } from './state-store.ts';
import { factsFromText } from './text-facts.ts';
import type { Fact, MetricPoint } from './types.ts';

/**
 * Each tenant's graph (`graph_state.json` in the tenant folder). It is the documents part's sink
 * (`addDocument` replaces that document's points, `removeDocument` drops everything that came from it)
 * and the analyst's memory (`rememberFact`). Writes are atomic and serialized per tenant; reads see the
 * last complete write. A file that does not parse is an error naming its path, never reset.
 */
export interface GraphSink {
  addDocument(scope: TenantScope, doc: DocumentRecord, points: MetricPoint[], text: TextBlock[]): Promise<void>;
  removeDocument(scope: TenantScope, documentId: string): Promise<void>;
}

export interface NewFact {
  subject: string;
  predicate: string;
  object: string;
  source: Fact['source'];
}

export interface GraphService extends GraphSink {
  /** Install the shipped seed graph into DATA_DIR/_global when needed and load it (call once at start). */
  init(): Promise<void>;
  seed(): Promise<Readonly<SeedGraph>>;
  getState(scope: TenantScope): Promise<GraphState>;
  /** The engine's input for this tenant (series with preferences resolved, fiscal start from the profile). */
  getMetricData(scope: TenantScope): Promise<MetricData>;
  rememberFact(scope: TenantScope, fact: NewFact): Promise<Fact>;
  /** Set what the tenant tells us about itself (its name, its fiscal-year start). */
  updateProfile(
    scope: TenantScope,
    patch: { name?: string; fiscal_year_start_month?: number | null },
    source?: GraphState['profile']['fiscal_source'],
  ): Promise<GraphState['profile']>;
}

const MAX_FACTS = 2000;
const MAX_FIELD = 500;

export function createGraphService(deps: {
  config: Pick<Config, 'dataDir'>;
  clock: Clock;
  shippedSeedFile?: string;
}): GraphService {
  let seedPromise: Promise<Readonly<SeedGraph>> | undefined;
  const seed = () => {
    seedPromise ??= openSeedGraph(deps.config.dataDir, deps.shippedSeedFile ?? SHIPPED_SEED_GRAPH).catch(
      (err: unknown) => {
        seedPromise = undefined;
        throw err;
      },
    );
    return seedPromise;
  };
  const now = () => isoSeconds(deps.clock.now());

  function read(scope: TenantScope): Promise<GraphState> {
    return graphStateBackend(scope).read(scope);
  }

  /** Read-modify-write serialized per tenant (by the backend); derived parts are recomputed before the write. */
  function update<T>(scope: TenantScope, fn: (state: GraphState) => T): Promise<T> {
    return graphStateBackend(scope).update(scope, (state) => {
      const result = fn(state);
      refresh(state);
      state.updated_at = now();
      return result;
    });
  }

  return {
    async init() {
      await seed();
    },
    seed,
    getState: read,
    async getMetricData(scope) {
      return metricDataOf(await read(scope));
    },

    async addDocument(scope, doc, points, text) {
      const fiscal = fiscalStartFromText(text.map((b) => b.text).join('\n'));
      const found = factsFromText(text);
      await update(scope, (state) => {
        dropDocument(state, doc.id);
        const metrics = new Set<string>();
        for (const p of points) {
          if (!Number.isFinite(p.value) || !p.metric || !p.period) continue;
          const list = state.series[p.metric] ?? [];
          list.push({
            period: p.period,
            value: p.value,
            unit: p.unit,
            label: p.label,
            source: { ...p.source, document_id: doc.id, document_name: p.source.document_name || doc.name },
            uploaded_at: doc.uploaded_at,
            ...(p.note ? { note: p.note } : {}),
            ...(p.currency ? { currency: p.currency } : {}),
            ...(p.plan ? { plan: p.plan } : {}),
          });
          state.series[p.metric] = list;
          metrics.add(p.metric);
        }
        state.documents[doc.id] = {
          id: doc.id,
          name: doc.name,
          uploaded_at: doc.uploaded_at,
          added_at: now(),
          metrics: [...metrics].sort(),
          points: points.length,
          fiscal_year_start_month: fiscal ?? null,
        };
        for (const f of found) {
          state.facts.push({
            id: newId('fact'),
            subject: f.subject,
            predicate: f.predicate,
            object: f.object,
            source: { document_id: doc.id, document_name: doc.name, locator: f.locator },
            created_at: now(),
          });
        }
        if (state.facts.length > MAX_FACTS) state.facts.splice(0, state.facts.length - MAX_FACTS);
      });
    },

    async removeDocument(scope, documentId) {
      await update(scope, (state) => {
        dropDocument(state, documentId);
      });
    },

    async rememberFact(scope, input) {
      const clean = (s: string, what: string) => {
        const v = s.trim().replace(/\s+/g, ' ');
        if (!v) throw badRequest(`a fact needs a ${what}`);
        if (v.length > MAX_FIELD) throw badRequest(`a fact's ${what} is limited to ${MAX_FIELD} characters`);
        return v;
      };
      const subject = clean(input.subject, 'subject');
      const predicate = clean(input.predicate, 'predicate');
      const object = clean(input.object, 'object');
      return update(scope, (state) => {
        const same = state.facts.find(
          (f) =>
            f.subject.toLowerCase() === subject.toLowerCase() &&
            f.predicate.toLowerCase() === predicate.toLowerCase() &&
            f.object === object,
        );
        if (same) return same;
        const fact: Fact = { id: newId('fact'), subject, predicate, object, source: input.source, created_at: now() };
        state.facts.push(fact);
        if (state.facts.length > MAX_FACTS) state.facts.splice(0, state.facts.length - MAX_FACTS);
        return fact;
      });
    },

    async updateProfile(scope, patch, source) {
      if (patch.fiscal_year_start_month != null) {
        const m = patch.fiscal_year_start_month;
        if (!Number.isInteger(m) || m < 1 || m > 12) throw badRequest('fiscal_year_start_month must be 1–12');
      }
      return update(scope, (state) => {
        if (patch.name !== undefined) state.profile.name = patch.name.trim().slice(0, 200) || null;
        if (patch.fiscal_year_start_month !== undefined) {
          state.profile.fiscal_year_start_month = patch.fiscal_year_start_month;
          state.profile.fiscal_source = patch.fiscal_year_start_month === null ? null : (source ?? null);
        }
        return state.profile;
      });
    },
  };
}

function dropDocument(state: GraphState, documentId: string): void {
  delete state.documents[documentId];
  for (const [metric, list] of Object.entries(state.series)) {
    const kept = list.filter((p) => p.source.document_id !== documentId);
    if (kept.length) state.series[metric] = kept;
    else delete state.series[metric];
  }
  state.facts = state.facts.filter((f) => !('document_id' in f.source) || f.source.document_id !== documentId);
  if (
    state.profile.fiscal_source &&
    'document_id' in state.profile.fiscal_source &&
    state.profile.fiscal_source.document_id === documentId
  ) {
    state.profile.fiscal_year_start_month = null;
    state.profile.fiscal_source = null;
  }
}

export function metricDataOf(state: GraphState): MetricData {
  const points: Array<MetricPoint & { uploaded_at: string }> = [];
  for (const [metric, list] of Object.entries(state.series)) {
    for (const p of list)
      points.push({
        metric,
        label: p.label,
        period: p.period,
        value: p.value,
        unit: p.unit,
        source: p.source,
        uploaded_at: p.uploaded_at,
        ...(p.note ? { note: p.note } : {}),
        ...(p.currency ? { currency: p.currency } : {}),
        ...(p.plan ? { plan: p.plan } : {}),
      });
  }
  return buildMetricData(points, { fiscalStartMonth: state.profile.fiscal_year_start_month ?? 1 });
}

/** Recompute what follows from the series: fiscal start stated by a document, profile, derived cache, edges. */
function refresh(state: GraphState): void {
  // A fiscal start stated by a document (the most recent upload wins) unless the user set one in conversation.
  const userSet = state.profile.fiscal_source && 'conversation' in state.profile.fiscal_source;
  if (!userSet) {
    const stated = Object.values(state.documents)
      .filter((d) => d.fiscal_year_start_month)
      .sort((a, b) => (a.uploaded_at < b.uploaded_at ? 1 : -1))[0];
    state.profile.fiscal_year_start_month = stated?.fiscal_year_start_month ?? null;
    state.profile.fiscal_source = stated
      ? { document_id: stated.id, document_name: stated.name, locator: 'text' }
      : null;
  }
  const data = metricDataOf(state);
  const profile = state.profile;
  profile.latest_month = data.latestMonth ?? null;
  const latest = resolvePeriod(data, 'latest');
  const arr = latest.ok ? computeFor(data, 'arr', latest.period) : undefined;
  const customers = latest.ok ? computeFor(data, 'customers', latest.period) : undefined;
  profile.arr = arr?.ok ? arr.value : null;
  profile.arr_band = arr?.ok ? arrBandLabel(arr.value) : null;
  profile.acv = arr?.ok && customers?.ok && customers.value > 0 ? Math.round(arr.value / customers.value) : null;
  profile.segment = profile.acv !== null ? sizeForAcv(profile.acv) : null;

  state.derived = derivedCache(data);
  state.edges = edgesOf(state);
}

function derivedCache(data: MetricData): DerivedValue[] {
  const out: DerivedValue[] = [];
  if (!data.latestMonth) return out;
  for (const spec of ['latest', 'last_quarter', 'ttm']) {
    const r = resolvePeriod(data, spec);
    if (!r.ok) continue;
    for (const metric of DERIVED_METRICS) {
      const c = computeFor(data, metric, r.period);
      if (!c.ok || out.some((d) => d.metric === metric && d.period === c.period)) continue;
      out.push({
        metric,
        period: c.period,
        value: c.value,
        unit: c.unit,
        formula: c.formula,
        inputs: c.inputs.map((i) => ({ metric: i.metric, period: i.period, value: i.value, source: i.source })),
      });
    }
  }
  return out;
}

function edgesOf(state: GraphState): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const reported = new Set(Object.keys(state.series));
  for (const metric of [...reported].sort()) {
    if (METRICS_BY_ID.has(metric)) edges.push({ source: 'company', target: `metric:${metric}`, type: 'reports' });
  }
  const derived = new Set(state.derived.map((d) => d.metric));
  for (const def of METRICS) {
    if (def.kind === 'derived' && derived.has(def.id))
      edges.push({ source: 'company', target: `metric:${def.id}`, type: 'derives' });
  }
  return edges;
}
