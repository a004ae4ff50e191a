import { useQuery } from '@tanstack/react-query';
import { formatPeriod } from '../../../../../src/lib/periods.ts';
import { api } from '../../../lib/api-client.ts';
import type { TenantMetric } from '../../../lib/api-types.ts';

const tenantMetrics = ({ signal }: { signal: AbortSignal }) =>
  api<{ metrics: TenantMetric[]; currency: string | null }>('/api/metrics', { signal });

export function useTenantMetrics() {
  return useQuery({ queryKey: ['metrics'], queryFn: tenantMetrics, select: (d) => d.metrics });
}

/**
 * The currency the tenant's amounts are in (`EUR`; `null`: several; `undefined` while loading, read as
 * dollars): one read shared with useTenantMetrics (same query key).
 */
export function useTenantCurrency(): string | null | undefined {
  return useQuery({ queryKey: ['metrics'], queryFn: tenantMetrics, select: (d) => d.currency }).data;
}

// One period vocabulary for the server and the app: `2026-06` → `June 2026`, `2026-Q2` → `Q2 2026`.
export { formatPeriod };

/**
 * Suggested first questions from what the tenant uploaded: the questions a founder asks most
 * (retention, burn, payback, churn), offered only when the uploaded series can answer them, then
 * the trend of the best-known metrics.
 */
export function suggestQuestions(metrics: TenantMetric[], max = 4): string[] {
  const byId = new Map(metrics.filter((m) => !m.metric.startsWith('item:')).map((m) => [m.metric, m]));
  const has = (...ids: string[]) => ids.every((id) => byId.has(id));
  const out: string[] = [];
  // Series a question already uses are not offered again as a trend.
  const covered = new Set<string>();
  const ask = (question: string, ...uses: string[]) => {
    out.push(question);
    for (const id of uses) covered.add(id);
  };
  const mrr = byId.get('mrr') ?? byId.get('arr');
  if (mrr) {
    const when = mrr.latest ? ` in ${formatPeriod(mrr.latest.period)}` : '';
    ask(`What was our ${mrr.metric === 'arr' ? 'ARR' : 'MRR'}${when}, and how has it trended?`, mrr.metric);
  }
  if (has('expansion_mrr') || has('churned_mrr')) {
    ask(
      'What was our net revenue retention last quarter, and is it good for our stage?',
      'expansion_mrr',
      'churned_mrr',
    );
  }
  if (has('net_burn') && (has('mrr') || has('new_mrr'))) {
    ask('What is our burn multiple, and how does it compare to benchmarks?', 'net_burn');
  }
  if (has('sales_marketing', 'new_customers') || has('cac'))
    ask('What is our CAC payback period?', 'sales_marketing', 'cac');
  if (has('churned_customers') || has('logo_churn')) ask('What was our logo churn last month?', 'churned_customers');
  if (has('gross_margin')) ask('How has our gross margin trended?', 'gross_margin');
  for (const m of byId.values()) {
    if (out.length >= max) break;
    if (m.series.length > 1 && !covered.has(m.metric)) {
      ask(`How has our ${m.name || m.metric.replace(/_/g, ' ')} trended over time?`, m.metric);
    }
  }
  return out.slice(0, max);
}

export const GENERIC_QUESTIONS = [
  'What metrics did you find in my documents?',
  'What is a good net revenue retention for a Series A SaaS company?',
  'Summarize my latest board update.',
];
