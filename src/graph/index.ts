/**
 * The graph part's public API (DESIGN.md §2): the shared benchmark graph, each tenant's graph and the
 * metric engine. The analyst's tools call these; the server uses `createGraphService` and the views.
 */
export { type CompareMetricResult, compareMetric } from './analytics.ts';
export {
  type CompareOk,
  type CompareOptions,
  type CompareResult,
  compareToBenchmark,
  type Figure,
  findSeedMetric,
  formatValue,
  listBenchmarks,
  type Position,
  selectBenchmarks,
} from './engine/benchmark.ts';
export {
  type ComputeFail,
  type ComputeOk,
  type ComputeResult,
  computeFor,
  computeMetric,
  DERIVED_METRICS,
  nameOf,
  resolveMetricId,
} from './engine/compute.ts';
export {
  buildMetricData,
  currencyOf,
  type DataPoint,
  type MetricData,
  planData,
  type RankedPoint,
} from './engine/data.ts';
export { type PeriodSpec, type ResolvedPeriod, resolvePeriod, splitPeriod } from './engine/periods.ts';
export {
  type Change,
  type ChangeOk,
  changeBetween,
  changeOf,
  type ExtremeOk,
  extreme,
  type Granularity,
  type SeriesOk,
  type SeriesResult,
  seriesFor,
  type TrendOk,
  trend,
} from './engine/series.ts';
export type { InputRef, Missing } from './engine/values.ts';
export { installSeedGraph, loadSeedGraph, openSeedGraph, SHIPPED_SEED_GRAPH } from './seed.ts';
export type { Basis, SeedBenchmark, SeedGraph, SeedMetric, SeedSegment } from './seed-types.ts';
export type { CompanyProfile, GraphState } from './state.ts';
export { createGraphService, type GraphService, type GraphSink, metricDataOf, type NewFact } from './tenant-graph.ts';
export { type GraphView, graphView, type MetricView, metricsView } from './views.ts';
