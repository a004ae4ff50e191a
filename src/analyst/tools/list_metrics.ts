import { z } from 'zod';
import { defineTool } from './define.ts';
import type { DocumentSummary, MetricListing, PlanListing, ToolPorts } from './ports.ts';

export interface ListMetricsOutput {
  metrics: MetricListing[];
  documents: DocumentSummary[];
  /** First month of the fiscal year (1 = calendar): "Q2 FY26" and "FY2026" are read with it. */
  fiscal_start_month: number;
  /**
   * The currency every amount is in (ISO 4217: `EUR`): the one the documents state, `USD` when none
   * states one; `null` when they state several (say an amount's currency only as its document does).
   */
  currency: string | null;
  /**
   * The metrics the documents' plans give (a budget, forecast or target sheet), never among `metrics`:
   * `get_metric` with `plan: true` reads them. Empty when the documents state no plan.
   */
  plans: PlanListing[];
}

/**
 * Output: `{metrics: MetricListing[], documents: [{id, name, status, metrics}]}` — what data the
 * company has, so a planner can say exactly what is missing and which document would supply it.
 */
export const listMetricsTool = (ports: ToolPorts) =>
  defineTool({
    name: 'list_metrics',
    description:
      'Lists the metrics and line items found in the uploaded documents, with the periods they cover and the ' +
      'latest value, plus the documents themselves, the fiscal-year start, the currency amounts are in and the ' +
      'metrics a budget / forecast / plan in the documents gives (`plans`, read with get_metric plan: true). ' +
      'Call it to learn what data exists.',
    input: z.object({}),
    async run(ctx): Promise<ListMetricsOutput> {
      const [metrics, documents, fiscal, currency, plans] = await Promise.all([
        ports.graph.listMetrics(ctx.scope),
        ports.documents.list(ctx.scope),
        ports.graph.fiscalStartMonth?.(ctx.scope) ?? Promise.resolve(1),
        ports.graph.currency?.(ctx.scope) ?? Promise.resolve('USD'),
        ports.graph.plans?.(ctx.scope) ?? Promise.resolve([]),
      ]);
      return { metrics, documents, fiscal_start_month: fiscal, currency, plans };
    },
  });
