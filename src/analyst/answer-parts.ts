import { uniqueCitations } from './tools/define.ts';
import type { AnswerMetric, Citation, ToolResult } from './types.ts';

const MAX_CITATIONS = 10;

/**
 * The citations and chartable metrics of an answer, gathered from the successful tool results of the
 * turn (every tool output may carry `sources: Citation[]` and `metric: AnswerMetric`). A later value of
 * the same metric and period replaces an earlier one (e.g. a comparison adds the benchmark band).
 */
export function collectAnswerParts(results: ToolResult[]): { citations: Citation[]; metrics: AnswerMetric[] } {
  const citations: Citation[] = [];
  const metrics = new Map<string, AnswerMetric>();
  for (const r of results) {
    if (!r.ok || !r.output || typeof r.output !== 'object') continue;
    const out = r.output as { sources?: unknown; metric?: unknown };
    if (Array.isArray(out.sources)) citations.push(...(out.sources as Citation[]));
    const m = out.metric as AnswerMetric | undefined;
    if (m && typeof m.metric === 'string') {
      const key = `${m.metric}|${m.period}`;
      const before = metrics.get(key);
      metrics.set(key, {
        ...before,
        ...m,
        series: m.series.length ? m.series : (before?.series ?? []),
        ...((m.benchmark ?? before?.benchmark) ? { benchmark: m.benchmark ?? before?.benchmark } : {}),
      });
    }
  }
  return { citations: uniqueCitations(citations).slice(0, MAX_CITATIONS), metrics: [...metrics.values()] };
}
