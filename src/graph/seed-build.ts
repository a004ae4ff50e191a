import crypto from 'node:crypto';
import { METRICS, type MetricDef } from './catalog.ts';
import {
  type Basis,
  type BenchmarkRow,
  SEED_SCHEMA_VERSION,
  type SeedBenchmark,
  type SeedEdge,
  type SeedGraph,
  type SeedMetric,
  type SeedSegment,
  type Verification,
} from './seed-types.ts';
import { parseSegment } from './segments.ts';
import type { Unit } from './types.ts';

/**
 * Builds the seed graph from the benchmark rows (pure, deterministic: the same rows give the same
 * bytes and hash). Metric ids are catalog ids where a catalog metric lists the row's name in
 * `benchmarkNames`, else a slug of the name.
 */
export function buildSeedGraph(rows: BenchmarkRow[], sourceFile = 'data/benchmarks/saas_benchmarks.json'): SeedGraph {
  const byName = new Map<string, MetricDef>();
  for (const m of METRICS) for (const n of m.benchmarkNames ?? []) byName.set(n.toLowerCase(), m);

  const metrics = new Map<string, SeedMetric>();
  const segments = new Map<string, SeedSegment>();
  const benchmarks: SeedBenchmark[] = [];
  const edges: SeedEdge[] = [];
  const edgeKeys = new Set<string>();
  const addEdge = (e: SeedEdge) => {
    const key = `${e.source}|${e.target}|${e.type}`;
    if (!edgeKeys.has(key)) {
      edgeKeys.add(key);
      edges.push(e);
    }
  };

  rows.forEach((row, index) => {
    const def = byName.get(row.metric.toLowerCase());
    const metricId = def?.id ?? slug(row.metric);
    const unit = unitOf(row.unit);
    let metric = metrics.get(metricId);
    if (!metric) {
      metric = {
        id: metricId,
        name: def?.name ?? row.metric,
        synonyms: def ? [...def.synonyms] : [row.metric.toLowerCase()],
        definition: row.definition ?? def?.definition ?? '',
        formula: row.formula ?? def?.formula ?? null,
        unit: def?.unit ?? unit,
        source_unit: row.unit,
        higher_is_better: def?.higherIsBetter ?? higherIsBetterFromText(row.definition ?? ''),
        components: def?.components ? [...def.components] : [],
        in_catalog: Boolean(def),
        source_names: [],
      };
      metrics.set(metricId, metric);
    }
    if (!metric.source_names.includes(row.metric)) metric.source_names.push(row.metric);

    const segmentId = `segment:${slug(row.segment)}`;
    if (!segments.has(segmentId)) {
      segments.set(segmentId, { id: segmentId, label: row.segment, facets: parseSegment(row.segment) });
    }

    const notes = row.notes ?? '';
    const verification = verificationOf(notes);
    const id = `benchmark:${metricId}:${String(index + 1).padStart(3, '0')}`;
    benchmarks.push({
      id,
      metric: metricId,
      source_metric: row.metric,
      stat: row.stat,
      value: row.value,
      unit,
      source_unit: row.unit,
      basis: basisOf(row.metric, metricId),
      segment: segmentId,
      segment_label: row.segment,
      period: row.period,
      data_year: dataYear(row.period) ?? row.source.year ?? null,
      source: {
        publisher: row.source.publisher,
        report: row.source.report,
        year: row.source.year ?? null,
        url: row.source.url,
      },
      verification,
      verified: verification === 'verified-primary' || verification === 'verified-secondary',
      notes: notes.replace(/^\s*\[[^\]]+\]\s*/, ''),
    });
    addEdge({ source: `metric:${metricId}`, target: id, type: 'has_benchmark' });
    addEdge({ source: id, target: segmentId, type: 'in_segment' });
  });

  // Derived-from edges between metrics of the graph (and to catalog components they are built from).
  for (const m of metrics.values()) {
    for (const component of m.components)
      addEdge({ source: `metric:${m.id}`, target: `metric:${component}`, type: 'derived_from' });
  }
  // Catalog metrics without benchmarks still belong in the graph: tenants' series link to them.
  for (const def of METRICS) {
    if (metrics.has(def.id)) continue;
    metrics.set(def.id, {
      id: def.id,
      name: def.name,
      synonyms: [...def.synonyms],
      definition: def.definition,
      formula: def.formula ?? null,
      unit: def.unit,
      source_unit: def.unit,
      higher_is_better: def.higherIsBetter ?? null,
      components: def.components ? [...def.components] : [],
      in_catalog: true,
      source_names: [],
    });
    for (const component of def.components ?? []) {
      addEdge({ source: `metric:${def.id}`, target: `metric:${component}`, type: 'derived_from' });
    }
  }

  const hash = crypto
    .createHash('sha256')
    .update(
      JSON.stringify({ schema: SEED_SCHEMA_VERSION, rows, catalog: METRICS.map((m) => [m.id, m.benchmarkNames]) }),
    )
    .digest('hex');
  return {
    schema_version: SEED_SCHEMA_VERSION,
    hash,
    version: `${SEED_SCHEMA_VERSION}.${hash.slice(0, 12)}`,
    source_file: sourceFile,
    row_count: rows.length,
    metrics: [...metrics.values()],
    segments: [...segments.values()],
    benchmarks,
    edges,
  };
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/%/g, ' pct ')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function unitOf(sourceUnit: string): Unit {
  switch (sourceUnit) {
    case '%':
      return 'percent';
    case '$':
      return 'currency';
    case 'months':
      return 'months';
    case 'x':
      return 'ratio';
    default:
      return 'number';
  }
}

function verificationOf(notes: string): Verification {
  const m = /^\s*\[(verified-primary|verified-secondary|unverified)\]/i.exec(notes);
  return m ? (m[1]!.toLowerCase() as Verification) : 'untagged';
}

/** Monthly or annual rate: from the name (`(monthly)`, `(annual …)`), else what the metric is by nature. */
function basisOf(name: string, metricId: string): Basis | null {
  const n = name.toLowerCase();
  if (/\bmonthly\b/.test(n)) return 'monthly';
  if (/\bannual\b|\byoy\b|\bltm\b/.test(n)) return 'annual';
  if (['nrr', 'grr', 'arr_growth_yoy', 'rule_of_40'].includes(metricId) || /growth rate/.test(n)) return 'annual';
  return null;
}

/** The latest four-digit year a period string names (`2020-2023 pooled` → 2023). */
function dataYear(period: string): number | undefined {
  const years = [...period.matchAll(/\b(19|20)\d{2}\b/g)].map((m) => Number(m[0]));
  return years.length ? Math.max(...years) : undefined;
}

function higherIsBetterFromText(definition: string): boolean | null {
  const d = definition.toLowerCase();
  if (/lower is better/.test(d)) return false;
  if (/higher is better/.test(d)) return true;
  return null;
}
