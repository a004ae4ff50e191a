import type { CompanySize } from './seed-types.ts';
import type { Fact, SourceRef, Unit } from './types.ts';

/** `<tenant>/graph_state.json`: the tenant's graph. Only the graph service writes it. */
export const GRAPH_STATE_VERSION = 1;

export interface StoredPoint {
  period: string;
  value: number;
  unit: Unit;
  /** The label as written in the document. */
  label: string;
  source: SourceRef;
  /** When the document was uploaded: the most recent upload is preferred for the same metric and period. */
  uploaded_at: string;
  /** How the document's convention was read (MetricPoint.note). */
  note?: string;
  /** The currency the document states for this amount (MetricPoint.currency). */
  currency?: string;
  /** The plan this figure belongs to (MetricPoint.plan): never an actual. */
  plan?: string;
}

export interface GraphDocument {
  id: string;
  name: string;
  uploaded_at: string;
  added_at: string;
  metrics: string[];
  points: number;
  /** Fiscal-year start month (1–12) the document states, if it does. */
  fiscal_year_start_month: number | null;
}

export interface CompanyProfile {
  name: string | null;
  /** ARR at the latest month (ending MRR × 12). */
  arr: number | null;
  arr_band: string | null;
  /** Average annual contract value (ARR / customers). */
  acv: number | null;
  /** SMB / mid-market / enterprise from ACV. */
  segment: CompanySize | null;
  latest_month: string | null;
  /** 1 = calendar year; set when a document (or the user) states it. */
  fiscal_year_start_month: number | null;
  fiscal_source: SourceRef | { conversation: string; turn: number } | null;
}

export interface DerivedValue {
  metric: string;
  period: string;
  value: number;
  unit: Unit;
  formula: string;
  inputs: Array<{ metric: string; period: string; value: number; source: SourceRef | null }>;
}

export interface GraphEdge {
  source: string;
  target: string;
  type: 'reports' | 'derives' | 'from_document' | 'about';
}

export interface GraphState {
  version: number;
  updated_at: string | null;
  profile: CompanyProfile;
  documents: Record<string, GraphDocument>;
  /** metric id (or `item:<slug>`) → every point from every document. */
  series: Record<string, StoredPoint[]>;
  /** Derived values at the latest month, the last quarter and the trailing twelve months (a cache for views). */
  derived: DerivedValue[];
  facts: Fact[];
  /** Company → seed-graph metric edges (metrics it reports, metrics derivable from them). */
  edges: GraphEdge[];
}

export function emptyState(): GraphState {
  return {
    version: GRAPH_STATE_VERSION,
    updated_at: null,
    profile: {
      name: null,
      arr: null,
      arr_band: null,
      acv: null,
      segment: null,
      latest_month: null,
      fiscal_year_start_month: null,
      fiscal_source: null,
    },
    documents: {},
    series: {},
    derived: [],
    facts: [],
    edges: [],
  };
}
