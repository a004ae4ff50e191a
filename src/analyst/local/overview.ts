import { METRICS_BY_ID } from '../../graph/catalog.ts';
import { periodPhrase, sourcesSection, verdict } from './answer.ts';
import type { Listing, ToolClient } from './calls.ts';
import { formatValue } from './format.ts';
import type { MetricMention } from './parse-question.ts';
import { type Draft, dedupe, defaultPeriod, displayName, keep, latestFor, metricValue } from './shared.ts';

/**
 * "How are we doing?": the key SaaS metrics at a glance, each read through the tools with its
 * default period, placed against benchmarks while the per-turn call budget allows.
 */
const KEY_METRICS = ['arr', 'arr_growth_yoy', 'nrr', 'logo_churn', 'burn_multiple', 'runway'];

export async function overviewAnswer(draft: Draft, tools: ToolClient, latest: string, listing: Listing) {
  const rows: string[] = [];
  let headline: string | undefined;
  for (const id of KEY_METRICS) {
    if (tools.remaining <= 1) break;
    const def = METRICS_BY_ID.get(id);
    if (!def) continue;
    const m: MetricMention = { id, name: def.name, phrase: id, source: 'catalog', weak: false, index: 0 };
    const period = defaultPeriod(id, latestFor(listing, id) ?? latest, listing.fiscalStartMonth);
    const got = await metricValue(tools, m, period);
    if (!got.ok || got.value.value === null) continue;
    const f = got.value;
    const text = formatValue(f.value!, f.unit);
    keep(draft, f);
    draft.metrics.push(
      f.chart ?? { metric: id, name: def.name, unit: f.unit, value: f.value, period: f.period, series: [] },
    );
    if (!headline) {
      headline = `**${displayName(f, m)} ${periodPhrase(period, id)} is ${text}.**`;
      continue;
    }
    let place = '';
    if (def.benchmarkNames?.length && tools.remaining > 2) {
      const cmp = await tools.compare(id, f.period || period.id, f.value!);
      if (cmp.ok && cmp.value.position !== 'unknown') {
        place = ` — ${verdict(cmp.value.position, cmp.value, def.higherIsBetter)}`;
        draft.citations.push(...cmp.value.sources.slice(0, 1));
      }
    }
    rows.push(`- ${displayName(f, m)} ${periodPhrase(period, id)}: ${text}${place}`);
  }
  if (!headline) {
    const names = listing.metrics.slice(0, 8).map((x) => x.name);
    draft.lines.push(
      "I can't compute the key metrics (ARR, growth, retention, churn, burn) from your documents yet.",
      '',
      names.length
        ? `What they report: ${names.join(', ')}. Upload a monthly metrics export with MRR movements and customer counts, and a P&L.`
        : 'Upload a monthly metrics export with MRR movements and customer counts, and a P&L.',
    );
    return;
  }
  draft.lines.push(headline, '', '**Key metrics**', ...rows);
  draft.lines.push('', 'Ask about any of them for the formula, the inputs and the benchmark sources.');
  draft.lines.push(...sourcesSection(dedupe(draft.citations)));
}
