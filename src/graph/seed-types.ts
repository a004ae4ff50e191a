import type { Unit } from './types.ts';

/**
 * The shipped benchmark graph (`data/seed_graph.json`, installed as `DATA_DIR/_global/seed_graph.json`).
 * Built by `npm run seed:build` from `data/benchmarks/saas_benchmarks.json`; read-only at run time.
 */
export const SEED_SCHEMA_VERSION = 1;

export type Verification = 'verified-primary' | 'verified-secondary' | 'unverified' | 'untagged';

/** Whether a figure is a per-month rate or a per-year one (retention, growth): only like is compared. */
export type Basis = 'monthly' | 'annual';

export type CompanySize = 'smb' | 'mid_market' | 'enterprise';

/** What a segment string says, as comparable facets (all optional: `all` has none). */
export interface SegmentFacets {
  arr_min?: number;
  arr_max?: number;
  acv_min?: number;
  acv_max?: number;
  size?: CompanySize;
  funding?: 'venture' | 'bootstrapped' | 'pe';
  ownership?: 'public' | 'private';
  market?: 'b2b' | 'b2c';
  /** Cut by something other than size (e.g. `NDR >=100% & CAC payback <18 mo`, `ARPA $0-10/month`). */
  other?: boolean;
}

export interface SeedMetric {
  id: string;
  name: string;
  synonyms: string[];
  definition: string;
  formula: string | null;
  /** Our unit vocabulary; `source_unit` is the data's (`%`, `$`, `months`, `x`). */
  unit: Unit;
  source_unit: string;
  higher_is_better: boolean | null;
  components: string[];
  /** True when the id is a catalog metric the engine can compute. */
  in_catalog: boolean;
  /** The names this metric has in the source data. */
  source_names: string[];
}

export interface SeedSegment {
  id: string;
  label: string;
  facets: SegmentFacets;
}

export interface BenchmarkSource {
  publisher: string;
  report: string;
  year: number | null;
  url: string;
}

export interface SeedBenchmark {
  id: string;
  metric: string;
  /** The metric as the source names it (`Logo churn (monthly)`). */
  source_metric: string;
  stat: string;
  value: number;
  unit: Unit;
  source_unit: string;
  basis: Basis | null;
  segment: string;
  segment_label: string;
  period: string;
  /** The latest year the period names (or the publication year), for recency. */
  data_year: number | null;
  source: BenchmarkSource;
  verification: Verification;
  /** `verification` is one of the verified tags; unverified rows are kept but not used by default. */
  verified: boolean;
  notes: string;
}

export interface SeedEdge {
  source: string;
  target: string;
  type: 'has_benchmark' | 'in_segment' | 'derived_from';
}

export interface SeedGraph {
  schema_version: number;
  /** sha256 of the source rows and the builder's schema version: changes whenever the content does. */
  hash: string;
  version: string;
  source_file: string;
  row_count: number;
  metrics: SeedMetric[];
  segments: SeedSegment[];
  benchmarks: SeedBenchmark[];
  edges: SeedEdge[];
}

/** One row of `saas_benchmarks.json`. */
export interface BenchmarkRow {
  metric: string;
  definition?: string;
  formula?: string;
  unit: string;
  segment: string;
  stat: string;
  value: number;
  period: string;
  source: { publisher: string; report: string; year: number | null; url: string };
  notes?: string;
}
