import { z } from 'zod';
import { METRICS_BY_ID, metricForLabel, normalizeLabel } from '../../graph/catalog.ts';
import type { SourceRef } from '../../graph/types.ts';
import type { AnswerMetric, Citation, Tool } from '../types.ts';
import type { BenchmarkSource, MetricSeries, MetricValue } from './ports.ts';

/** A tool with `run`'s input typed from its schema and its output type kept (the registry holds plain `Tool`s). */
export function defineTool<I extends z.ZodType, O>(tool: Tool<I, O>): Tool<I, O> {
  return tool;
}

/** A period string as the tools take it: `2026-06`, `2026-Q2`, `2025`, `FY2026` or `2025-07..2026-06`. */
export const PeriodInput = z
  .string()
  .trim()
  .regex(
    /^(?:\d{4}-(?:0[1-9]|1[0-2])|\d{4}-Q[1-4]|\d{4}|FY\d{4}|\d{4}-(?:0[1-9]|1[0-2])\.\.\d{4}-(?:0[1-9]|1[0-2]))$/,
    'a period like 2026-06, 2026-Q2, 2025, FY2026 or 2025-07..2026-06',
  );

export const MetricInput = z.string().trim().min(1).max(120);

/**
 * A metric as a planner or a model names it → the catalog id (`NRR` → `nrr`, `Beginning MRR` →
 * `starting_mrr`); ids and line items (`item:aws_hosting`) pass through; other names become a line-item id.
 */
export function resolveMetricId(name: string): string {
  const trimmed = name.trim();
  if (METRICS_BY_ID.has(trimmed) || trimmed.startsWith('item:')) return trimmed;
  const def = metricForLabel(trimmed);
  if (def) return def.id;
  return `item:${normalizeLabel(trimmed).replace(/ /g, '_')}`;
}

export function sourceCitation(source: SourceRef, snippet?: string): Citation {
  return snippet === undefined
    ? { document_id: source.document_id, document_name: source.document_name, locator: source.locator }
    : { document_id: source.document_id, document_name: source.document_name, locator: source.locator, snippet };
}

export function benchmarkCitation(source: BenchmarkSource): Citation {
  return { benchmark: true, publisher: source.publisher, report: source.report, year: source.year, url: source.url };
}

/** Citations without repeats (same document and locator, or same benchmark report). */
export function uniqueCitations(citations: Citation[]): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const c of citations) {
    const key = 'benchmark' in c ? `b|${c.publisher}|${c.report}|${c.year}` : `d|${c.document_id}|${c.locator}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

/** The chartable metric of an answer from a metric value and (optionally) its series. */
export function answerMetric(value: MetricValue, series?: MetricSeries): AnswerMetric {
  return {
    metric: value.metric,
    name: value.name,
    unit: value.unit,
    value: value.value,
    period: value.period,
    series: (series?.series ?? []).map((p) => ({ period: p.period, value: p.value })),
  };
}
