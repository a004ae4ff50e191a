import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { TenantMetric } from '../../../lib/api-types.ts';

export function useTenantMetrics() {
  return useQuery({
    queryKey: ['metrics'],
    queryFn: ({ signal }) => api<{ metrics: TenantMetric[] }>('/api/metrics', { signal }),
    select: (d) => d.metrics,
  });
}

const PREFERRED = [
  'nrr',
  'net_revenue_retention',
  'arr',
  'ending_arr',
  'ending_mrr',
  'mrr',
  'burn_multiple',
  'cac_payback',
];

/**
 * Suggested first questions from what the tenant uploaded: the best-known metrics first, each asked
 * the way a founder would ("…and is it good for our stage?").
 */
export function suggestQuestions(metrics: TenantMetric[], max = 4): string[] {
  const usable = metrics.filter((m) => !m.metric.startsWith('item:'));
  const ranked = [...usable].sort((a, b) => rank(a.metric) - rank(b.metric) || b.series.length - a.series.length);
  const out: string[] = [];
  for (const m of ranked) {
    if (out.length >= max) break;
    const name = m.name || m.metric.replace(/_/g, ' ');
    const period = m.latest?.period;
    if (out.length === 0) {
      out.push(`What was our ${name}${period ? ` in ${period}` : ''}, and is it good for our stage?`);
    } else if (out.length === 1 && m.series.length > 1) {
      out.push(`How has our ${name} trended over time?`);
    } else {
      out.push(`How does our ${name} compare to SaaS benchmarks?`);
    }
  }
  return out;
}

function rank(metric: string): number {
  const i = PREFERRED.indexOf(metric);
  return i === -1 ? PREFERRED.length : i;
}

export const GENERIC_QUESTIONS = [
  'What metrics did you find in my documents?',
  'What is a good net revenue retention for a Series A SaaS company?',
  'Summarize my latest board update.',
];
