import { METRICS_BY_ID, metricForLabel, normalizeLabel } from '../../graph/catalog.ts';
import {
  month,
  type PeriodSpec,
  type ResolvedPeriod,
  range,
  resolvePeriod,
  shiftPeriod,
} from '../../graph/engine/periods.ts';
import { formatPeriod, lastMonthOf as lastMonthOfPeriod, monthsOf, quarterOfMonth } from '../../lib/periods.ts';
import type { AnswerMetric, Citation } from '../types.ts';
import { labelOf, periodPhrase, rangeLabel } from './answer.ts';
import type { Figure, Listing, Outcome, ToolClient } from './calls.ts';
import { isCurrent } from './parse-periods.ts';
import { type MetricMention, type ParsedQuestion, phrasesNaming, type TenantMetricLabel } from './parse-question.ts';

/**
 * What the local engine's answer writers share: the draft they fill, how a metric's value is read
 * through the tools (compute_metric, get_metric, query_table), default periods, naming helpers.
 */

/** Metrics defined over a quarter or longer: "current" means the last complete quarter. */
export const QUARTERLY = new Set([
  'magic_number',
  'cac_payback',
  'burn_multiple',
  'quick_ratio',
  'cac',
  'ltv',
  'ltv_cac',
]);

/** Retention is quoted annually unless a period is named. */
export const ANNUAL = new Set(['nrr', 'grr', 'rule_of_40', 'fcf_margin']);

export const MAX_SERIES_CALLS = 12;

export interface Draft {
  lines: string[];
  citations: Citation[];
  metrics: AnswerMetric[];
}

export function mainMetric(parsed: ParsedQuestion): MetricMention {
  return parsed.metrics.find((m) => !m.weak) ?? parsed.metrics[0]!;
}

export type { PeriodSpec, ResolvedPeriod };

/**
 * Periods are the graph's (src/graph/engine/periods.ts owns them): the reader emits its `PeriodSpec`,
 * resolved here against the latest month of the metric's data and the company's fiscal-year start —
 * the same function the tools resolve their `period` input with, so an answer names the months a tool read.
 */
export function resolveSpec(spec: PeriodSpec, latest: string, fiscalStartMonth = 1): ResolvedPeriod {
  const ctx = { latestMonth: latest, fiscalStartMonth };
  const r = resolvePeriod(ctx, spec);
  if (r.ok) return r.period;
  // A range written backwards ("Q3 back to Q1"): read from the earlier end.
  if (typeof spec === 'object' && 'from' in spec) {
    const back = resolvePeriod(ctx, { from: spec.to, to: spec.from });
    if (back.ok) return back.period;
  }
  return month(latest);
}

/** A canonical period id (`2026-06`, `2026-Q2`, `FY2026`, `2025-07..2026-06`) with its months and label. */
export function canonicalPeriod(id: string, fiscalStartMonth = 1): ResolvedPeriod {
  return resolveSpec(id, lastMonthOfPeriod(id) ?? id, fiscalStartMonth);
}

export function defaultPeriod(metric: string, latest: string, fiscalStartMonth = 1): ResolvedPeriod {
  if (ANNUAL.has(metric)) return resolveSpec({ trailing: 12 }, latest, fiscalStartMonth);
  if (QUARTERLY.has(metric)) return resolveSpec('last_quarter', latest, fiscalStartMonth);
  return month(latest);
}

export function periodFor(
  parsed: ParsedQuestion,
  metric: string,
  latest: string,
  fiscalStartMonth = 1,
  index = 0,
): { period: ResolvedPeriod; named: boolean; current: boolean } {
  const spec = parsed.periods[index];
  if (!spec || isCurrent(spec))
    return { period: defaultPeriod(metric, latest, fiscalStartMonth), named: false, current: true };
  let period = resolveSpec(spec, latest, fiscalStartMonth);
  // Quarterly metrics asked for a month are read for the quarter that month closes.
  if (metric === 'magic_number' && period.kind === 'month')
    period = canonicalPeriod(quarterOfMonth(period.id), fiscalStartMonth);
  return { period, named: true, current: false };
}

/** Whether a table line may stand for catalog metric `id`: the catalog reads its label as that metric, or as none. */
function sameMetric(id: string, label: string): boolean {
  if (!METRICS_BY_ID.has(id)) return true;
  const def = metricForLabel(label);
  return def === undefined || def.id === id;
}

export function isDerived(id: string): boolean {
  return METRICS_BY_ID.get(id)?.kind === 'derived';
}

/** Components the graph derives from other lines when no document states them (values.ts `monthValue`). */
const FROM_OTHER_LINES = new Set(['gross_margin', 'net_burn', 'customers_start', 'starting_mrr', 'mrr', 'customers']);
/** Balances a document may give only as the next period's opening balance: missing, they stay "not found". */
const FROM_OPENING = new Set(['mrr', 'customers']);

/**
 * A metric's value in a period. compute_metric is the graph's one call with the fallbacks (computed
 * from the formula, else the figure a document reports for the metric); get_metric for reported
 * metrics (it also returns the series to chart). Then a line item naming the metric in other words,
 * and query_table over the raw tables as a last resort.
 */
export async function metricValue(
  tools: ToolClient,
  m: MetricMention,
  period: ResolvedPeriod,
): Promise<Outcome<Figure>> {
  if (isDerived(m.id)) {
    const computed = await tools.computeMetric(m.id, period.id);
    if (computed.ok && computed.value.value !== null) return computed;
    const alias = aliasItem(tools, m.id);
    if (alias) {
      const viaAlias = await tools.getMetric(alias.id, period.id);
      if (viaAlias.ok && viaAlias.value.value !== null) {
        const def = METRICS_BY_ID.get(m.id);
        return {
          ok: true,
          value: {
            ...viaAlias.value,
            metric: m.id,
            name: def?.name ?? alias.name,
            unit: def?.unit ?? viaAlias.value.unit,
          },
        };
      }
    }
    return computed;
  }
  const reported = await tools.getMetric(m.id, period.id);
  if (reported.ok && reported.value.value !== null) return reported;
  // Not stored as a series of its own (gross margin from a P&L's gross profit and revenue): the graph's
  // one call with the fallbacks derives it from the lines it comes from.
  let first = reported;
  if (!reported.ok && reported.error.code === 'metric_not_found' && FROM_OTHER_LINES.has(m.id)) {
    const computed = await tools.computeMetric(m.id, period.id);
    if (computed.ok && computed.value.value !== null) return computed;
    if (computed.ok && computed.value.problem) return computed;
    if (!FROM_OPENING.has(m.id)) first = computed.ok ? computed : reported;
  }
  // A line item whose header names the metric in other words ("Recurring revenue (monthly)" for MRR).
  const alias = aliasItem(tools, m.id);
  if (alias) {
    const viaAlias = await tools.getMetric(alias.id, period.id);
    if (viaAlias.ok && viaAlias.value.value !== null) {
      return {
        ok: true,
        value: { ...viaAlias.value, metric: m.id, name: METRICS_BY_ID.get(m.id)?.name ?? alias.name },
      };
    }
  }
  // Not among the extracted metrics: read the line straight from the uploaded tables.
  const multi = period.months.length > 1;
  const def = METRICS_BY_ID.get(m.id);
  const op = !multi
    ? 'value'
    : def?.aggregation === 'avg'
      ? 'avg'
      : def?.aggregation === 'sum' || !def
        ? 'sum'
        : 'value';
  // A balance (MRR, cash) over several months is its closing (or opening) month's cell.
  const cell =
    multi && def?.aggregation === 'last'
      ? period.end
      : multi && def?.aggregation === 'first'
        ? period.start
        : period.id;
  const items = [...new Set([m.source === 'tenant' ? m.name : m.phrase, m.name])];
  for (const item of items) {
    const t = await tools.queryTable(item, cell, op);
    if (!t.ok || t.value.value === null) continue;
    // The table's match is by words: "MRR" also finds a `New MRR` line. A line the catalog knows as
    // another metric is that metric's figure, never this one's (it would be stated as MRR).
    if (!sameMetric(m.id, t.value.item)) continue;
    // Nor is a line that holds the metric's word among words of its own ("Customer Support Wages" for the
    // customers of "which month did the most customers cancel"): each of its words is one of the metric's.
    if (m.source !== 'tenant' && !namedByMetric(m.id, t.value.item)) continue;
    // A sum or an average over fewer months than the period has is a partial figure: say so.
    const covered = new Set(t.value.points.flatMap((p) => monthsOf(p.period)));
    const partial =
      (op === 'sum' || op === 'avg') && covered.size < period.months.length
        ? `only ${covered.size} of ${period.months.length} months have data`
        : undefined;
    return {
      ok: true,
      value: {
        ...(partial ? { partial } : {}),
        metric: m.id,
        name: m.name,
        unit: def?.unit ?? 'currency',
        period: t.value.period,
        value: t.value.value,
        formula:
          op === 'value'
            ? `as reported in the table ("${t.value.item}")`
            : `${op} of "${t.value.item}" over ${t.value.points.length} periods`,
        inputs:
          op === 'value'
            ? []
            : t.value.points.map((p) => ({ metric: m.id, name: t.value.item, period: p.period, value: p.value })),
        missing: [],
        sources: t.value.sources,
      },
    };
  }
  return first;
}

const ALIAS_STOP = new Set([
  'total',
  'the',
  'of',
  'and',
  'usd',
  'amount',
  'value',
  'in',
  'a',
  'pct',
  'percentage',
  'rate',
]);
/** Words that headers use interchangeably: "Paying accounts" = "paying customers", "Upgrades revenue" = "expansion MRR". */
const WORD_CLASS: Record<string, string> = {
  account: 'customer',
  logo: 'customer',
  client: 'customer',
  subscriber: 'customer',
  cost: 'spend',
  expense: 'spend',
  expenditure: 'spend',
  revenue: 'mrr',
  recurring: 'mrr',
  upgrade: 'expansion',
  upsell: 'expansion',
  downgrade: 'contraction',
  downsell: 'contraction',
  churn: 'churned',
  lost: 'churned',
  cancelled: 'churned',
  canceled: 'churned',
  cancellation: 'churned',
  sale: 'sale',
  employee: 'headcount',
  fte: 'headcount',
};
const tokenSet = (text: string) =>
  new Set(
    normalizeLabel(text)
      .split(' ')
      .filter((w) => w && !ALIAS_STOP.has(w))
      .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
      .map((w) => WORD_CLASS[w] ?? w),
  );

/** Whether every word of a table's line is a word of one of the metric's names (`Total revenue` of revenue). */
function namedByMetric(id: string, label: string): boolean {
  const def = METRICS_BY_ID.get(id);
  if (!def) return true;
  const known = new Set([def.name, ...def.synonyms, ...phrasesNaming(id)].flatMap((n) => [...tokenSet(n)]));
  return [...tokenSet(label)].every((w) => known.has(w));
}

/** The tenant's line item (`item:…`) whose words are exactly those of one of the metric's names. */
function aliasItem(tools: ToolClient, id: string): { id: string; name: string } | undefined {
  const def = METRICS_BY_ID.get(id);
  if (!def) return undefined;
  const names = [def.name, ...def.synonyms].map(tokenSet).filter((t) => t.size >= 2);
  for (const item of tools.listing?.metrics ?? []) {
    if (!item.metric.startsWith('item:')) continue;
    const words = tokenSet(item.name);
    if (names.some((n) => n.size === words.size && [...n].every((w) => words.has(w))))
      return { id: item.metric, name: item.name };
  }
  return undefined;
}

export function keep(draft: Draft, figure: { sources: Citation[]; chart?: AnswerMetric }) {
  draft.citations.push(...figure.sources);
}

/**
 * What the tenant's series are called, for finding them inside a question: each metric's name, and the
 * document's own header where the content decided that the series is another metric than the header says
 * (`Subscription revenue` read as MRR), so "subscription revenue in March" asks for that series.
 */
export function tenantLabels(listing: Listing): TenantMetricLabel[] {
  return [
    ...listing.metrics.flatMap((m) => [
      { id: m.metric, label: m.name },
      ...(m.header ? [{ id: m.metric, label: m.header }] : []),
    ]),
    // The company's own word for a customer is the customers ("the month the most agencies cancelled").
    ...customerNounsOf(listing).map((noun) => ({ id: 'customers', label: noun })),
  ];
}

/** A plain English plural's singular: agencies → agency, branches → branch, seats → seat. */
export const singular = (w: string) =>
  w
    .replace(/(?<=[a-z]{2})ies$/, 'y')
    .replace(/(?<=[a-z]{2}(?:ch|sh|x|ss))es$/, '')
    .replace(/(?<=[a-z]{3}[^s])s$/, '');

/**
 * The company's own word for a customer: a count the graph read as customers from a line the document
 * names by another noun ("Paying agencies", "New agencies", "Churned agencies" — documents/extract-
 * metrics.ts `ownCustomerNoun`, whose `header` list_metrics gives), singular. An agency is then a customer.
 */
export function customerNounsOf(listing: Pick<Listing, 'metrics'>): string[] {
  const out = new Set<string>();
  for (const m of listing.metrics) {
    if (!['customers', 'new_customers', 'churned_customers'].includes(m.metric) || !m.header) continue;
    const hit = /^(?:paying|new|churned|cancell?ed|lost)\s+([a-z]{3,})$/i.exec(m.header.trim());
    const noun = hit ? singular(hit[1]!.toLowerCase()) : undefined;
    if (noun && noun !== 'customer') out.add(noun);
  }
  return [...out];
}

/** True when the metric has data but never by month (a quarterly P&L line). */
export function onlyCoarser(listing: Listing, id: string): boolean {
  const monthly = (metric: string) =>
    (listing.metrics.find((x) => x.metric === metric)?.periods ?? []).some((p) => /^\d{4}-\d{2}$/.test(p));
  const periods = listing.metrics.find((x) => x.metric === id)?.periods ?? [];
  // A derived metric a memo states by quarter is still computed month by month from monthly inputs.
  if (METRICS_BY_ID.get(id)?.kind === 'derived' && (METRICS_BY_ID.get(id)?.components ?? []).some(monthly))
    return false;
  return periods.length > 0 && periods.every((p) => !/^\d{4}-\d{2}$/.test(p));
}

/** "Customers … were 516", "MRR … was $1,095,472". */
export function agree(verb: 'is' | 'was', name: string): string {
  const plural = /[a-z]s$/.test(name) && !/ss$/.test(name);
  return plural ? (verb === 'is' ? 'are' : 'were') : verb;
}

export function chartOf(f: Figure): AnswerMetric {
  return { metric: f.metric, name: f.name, unit: f.unit, value: f.value, period: f.period, series: [] };
}

export function displayName(f: Figure, m: MetricMention): string {
  const def = METRICS_BY_ID.get(m.id);
  const name = def?.name ?? (f.name || m.name);
  return name ? name[0]!.toUpperCase() + name.slice(1) : name;
}

export function coverage(listing: Listing): string {
  const withData = listing.metrics.filter((m) => m.periods.length > 0);
  if (withData.length === 0) return 'No metrics have been extracted from your documents yet.';
  const names = withData.slice(0, 12).map((m) => m.name);
  const periods = withData.flatMap((m) => m.periods).sort();
  const span = periods.length ? ` (${labelOf(periods[0]!)} to ${labelOf(latestOf(periods))})` : '';
  return `What your documents do report${span}: ${names.join(', ')}${withData.length > 12 ? ', …' : ''}.`;
}

function latestOf(periods: string[]): string {
  return periods.reduce((a, b) =>
    monthsOf(b.split('..').at(-1) ?? b).at(-1)! > monthsOf(a.split('..').at(-1) ?? a).at(-1)! ? b : a,
  );
}

export function quartersOf(months: string[]): string[] {
  const qs: string[] = [];
  for (const m of months) {
    const q = quarterOfMonth(m);
    if (!qs.includes(q) && monthsOf(q).every((x) => months.includes(x))) qs.push(q);
  }
  return qs;
}

export function spanOf(start: string, end: string, fiscalStartMonth = 1): ResolvedPeriod {
  return range({ latestMonth: end, fiscalStartMonth }, start, end, `${formatPeriod(start)} – ${formatPeriod(end)}`);
}

export function firstMonthOf(listing: Listing, id: string): string | undefined {
  const periods = listing.metrics.find((x) => x.metric === id)?.periods ?? [];
  const starts = periods.map((p) => monthsOf(p.split('..')[0] ?? p)[0]).filter((x): x is string => Boolean(x));
  return starts.sort()[0];
}

function lastMonthOf(listing: Listing, id: string): string | undefined {
  const periods = listing.metrics.find((x) => x.metric === id)?.periods ?? [];
  const ends = periods.map((p) => monthsOf(p.split('..').at(-1) ?? p).at(-1)).filter((x): x is string => Boolean(x));
  return ends.sort().at(-1);
}

/**
 * "Now" for one metric: the last month that metric (or, for a derived one, every one of its inputs
 * present) has data — so a budget sheet running into next year does not move "current MRR". A derived
 * metric a document also states (a memo's quarterly NRR) is computed to where its inputs reach, when
 * that is later than the figures stated.
 */
export function latestFor(listing: Listing, id: string): string | undefined {
  const own = lastMonthOf(listing, id);
  const def = METRICS_BY_ID.get(id);
  if (own && def?.kind !== 'derived') return own;
  const ends = (def?.components ?? []).map((c) => lastMonthOf(listing, c)).filter((x): x is string => Boolean(x));
  const inputs = ends.sort()[0];
  return own && (!inputs || own > inputs) ? own : inputs;
}

/** The period before `p` of the same length: June → May, Q2 → Q1, 2025 → 2024. */
export function previousOf(p: ResolvedPeriod, fiscalStartMonth = 1): ResolvedPeriod {
  return shiftPeriod({ latestMonth: p.end, fiscalStartMonth }, p, -p.months.length);
}

export function labelFor(p: ResolvedPeriod, metric: string): string {
  return periodPhrase(p, metric).replace(/^over the last (\d+) months$/, `over ${rangeLabel(p)}`);
}

export function citationOf(
  p: { document_id: string; document_name: string; locator: string },
  snippet: string,
): Citation {
  return { document_id: p.document_id, document_name: p.document_name, locator: p.locator, snippet };
}

export function dedupe(citations: Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => {
    const key = 'benchmark' in c ? `b|${c.publisher}|${c.report}|${c.year}` : `d|${c.document_id}|${c.locator}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
