import { z } from 'zod';
import { METRICS_BY_ID, metricForLabel, normalizeLabel } from '../../graph/catalog.ts';
import { isPeriodText } from '../../graph/engine/periods.ts';
import type { SourceRef } from '../../graph/types.ts';
import type { AnswerMetric, Citation, Tool } from '../types.ts';
import type { BenchmarkSource, MetricSeries, MetricValue } from './ports.ts';

/** A tool with `run`'s input typed from its schema and its output type kept (the registry holds plain `Tool`s). */
export function defineTool<I extends z.ZodType, O>(tool: Tool<I, O>): Tool<I, O> {
  return tool;
}

/** A period id: `2026-06`, `2026-Q2`, `2025`, `FY2026`, `FY2026-Q1` or `2025-07..2026-06` (table cells, series bounds). */
export const PeriodId = z
  .string()
  .trim()
  .regex(
    /^(?:\d{4}-(?:0[1-9]|1[0-2])|\d{4}-Q[1-4]|\d{4}|FY\d{4}(?:-Q[1-4])?|\d{4}-(?:0[1-9]|1[0-2])\.\.\d{4}-(?:0[1-9]|1[0-2]))$/,
    'a period like 2026-06, 2026-Q2, 2025, FY2026, FY2026-Q1 or 2025-07..2026-06',
  );

const PeriodText = z
  .string()
  .trim()
  .max(40)
  .refine(isPeriodText, 'a period like 2026-06, 2026-Q2, FY2026, FY2026-Q1, 2025-07..2026-06, last_quarter, ttm, ytd');
const Year = z.number().int().min(1990).max(2100);
/** Years before the latest data's year ("March last year": 1), for a month, quarter or half without a year. */
const YearsBack = z.number().int().min(0).max(50);

/**
 * The graph's period spec (src/graph/engine/periods.ts `PeriodSpec`), as the engines pass it: a period
 * string (an id, or a relative one counted from the latest month of data: `latest`, `last_quarter`,
 * `previous_quarter`, `ttm`, `last_6_months`, `ytd`, `last_year`) or an object — `{month, year?}`,
 * `{quarter, year?, fiscal?}` (fiscal: of the company's fiscal year), `{half, year?, fiscal?}`,
 * `{year, fiscal?}`, `{from, to}`, `{trailing, end?}`, `{since}`. The graph resolves it (fiscal year
 * included) and the output names the period it resolved to. Objects are strict, so `{month: 0, year: 2026}`
 * is refused rather than read as the year.
 */
export const PeriodInput = z.union([
  PeriodText,
  z.strictObject({ month: z.number().int().min(1).max(12), year: Year.optional(), yearsBack: YearsBack.optional() }),
  z.strictObject({
    quarter: z.number().int().min(1).max(4),
    year: Year.optional(),
    fiscal: z.boolean().optional(),
    yearsBack: YearsBack.optional(),
  }),
  z.strictObject({
    half: z.number().int().min(1).max(2),
    year: Year.optional(),
    fiscal: z.boolean().optional(),
    yearsBack: YearsBack.optional(),
  }),
  z.strictObject({ year: Year, fiscal: z.boolean().optional() }),
  z.strictObject({ from: PeriodText, to: PeriodText }),
  z.strictObject({ trailing: z.number().int().min(1).max(120), end: PeriodText.optional() }),
  z.strictObject({ since: PeriodText }),
]);

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
    ...(value.currency !== undefined ? { currency: value.currency } : {}),
    value: value.value,
    period: value.period,
    series: (series?.series ?? []).map((p) => ({ period: p.period, value: p.value })),
  };
}
