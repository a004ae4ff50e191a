import { METRICS_BY_ID } from '../../graph/catalog.ts';
import { addMonths, formatPeriod, monthsOf, quarterOfMonth } from '../../lib/periods.ts';
import type { AnswerMetric, Citation, EngineResult, EngineTurn } from '../types.ts';
import { type Figure, type Listing, type Outcome, type Series, ToolClient } from './adapter.ts';
import {
  benchmarkLines,
  documentFor,
  howComputed,
  labelOf,
  missingLines,
  periodPhrase,
  rangeLabel,
  sourcesSection,
  sourceText,
  TELLING_POSITIONS,
} from './answer.ts';
import { formatChange, formatDelta, formatValue } from './format.ts';
import { type MetricMention, type ParsedQuestion, parseQuestion } from './parse-question.ts';
import { canonicalPeriod, lastCompleteQuarter, type ResolvedPeriod, resolvePeriod } from './periods.ts';
import { bestSentences, type Extract, searchQuery } from './retrieval.ts';

/**
 * The local engine's planner: read the question, call the tools through `ctx.callTool`, write the
 * answer. Deterministic — the same question over the same data gives the same answer.
 */

/** Metrics defined over a quarter or longer: "current" means the last complete quarter. */
const QUARTERLY = new Set(['magic_number', 'cac_payback', 'burn_multiple', 'quick_ratio', 'cac', 'ltv', 'ltv_cac']);
/** Retention is quoted annually unless a period is named. */
const ANNUAL = new Set(['nrr', 'grr', 'rule_of_40', 'fcf_margin']);
const MAX_SERIES_CALLS = 12;

interface Draft {
  lines: string[];
  citations: Citation[];
  metrics: AnswerMetric[];
}

export async function runLocalTurn(turn: EngineTurn): Promise<EngineResult> {
  const { ctx } = turn;
  const tools = new ToolClient(ctx);
  const draft: Draft = { lines: [], citations: [], metrics: [] };

  const listed = await tools.listMetrics();
  const listing: Listing = listed.ok ? listed.value : { metrics: [], documents: [] };
  const labels = listing.metrics.map((m) => ({ id: m.id, label: m.name }));
  let parsed = parseQuestion(turn.message, labels);
  parsed = withHistory(parsed, turn, labels);
  const latest = listing.latestMonth;

  ctx.emit({ type: 'plan', text: planText(parsed, latest) });

  if (parsed.operation === 'list') listAnswer(draft, listing);
  else if (parsed.operation === 'document' || parsed.metrics.length === 0)
    await documentAnswer(draft, tools, parsed, listing);
  else if (!latest) await noDataAnswer(draft, tools, parsed, listing);
  else await metricAnswer(draft, tools, parsed, latest, listing);

  const answer = draft.lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  streamAnswer(answer, (text) => ctx.emit({ type: 'delta', text }));
  return { answer, citations: dedupe(draft.citations), metrics: draft.metrics, tokens: { input: 0, output: 0 } };
}

/** A follow-up ("and in Q1?", "what about last quarter?") keeps the previous question's metric. */
function withHistory(
  parsed: ParsedQuestion,
  turn: EngineTurn,
  labels: Array<{ id: string; label: string }>,
): ParsedQuestion {
  const previous = turn.history.at(-1);
  if (!previous) return parsed;
  const followUp = /^\s*(and|what about|how about|same|also|then|ok|okay)\b/i.test(turn.message);
  const short = turn.message.trim().split(/\s+/).length <= 8;
  const before = parseQuestion(previous.question, labels);
  // "What about GRR?" after "What was NRR in Q2 2026?": the new metric, the previous period.
  if (parsed.metrics.length > 0) {
    if (followUp && parsed.periods.length === 0 && before.periods.length > 0)
      return { ...parsed, periods: before.periods };
    return parsed;
  }
  // "And in Q1?" after a metric question: the previous metric, the new period.
  if (!(followUp || (short && parsed.periods.length > 0)) || before.metrics.length === 0) return parsed;
  return {
    ...parsed,
    metrics: before.metrics,
    periods: parsed.periods.length ? parsed.periods : before.periods,
    operation: parsed.operation === 'document' || parsed.operation === 'list' ? before.operation : parsed.operation,
    benchmark: parsed.benchmark || before.benchmark,
  };
}

function planText(parsed: ParsedQuestion, latest: string | undefined): string {
  if (parsed.operation === 'document' || parsed.metrics.length === 0)
    return 'No metric named: searching the documents for the passage that answers.';
  const names = parsed.metrics.map((m) => m.name).join(', ');
  const what = {
    value: 'value',
    trend: 'trend',
    max: 'highest period',
    min: 'lowest period',
    change: 'change between periods',
    explain: 'value with its drivers',
    list: 'list',
    document: 'documents',
  }[parsed.operation];
  return `Metric: ${names} · operation: ${what}${parsed.benchmark ? ' + benchmark comparison' : ''}${latest ? ` · latest data: ${formatPeriod(latest)}` : ''}.`;
}

function mainMetric(parsed: ParsedQuestion): MetricMention {
  return parsed.metrics.find((m) => !m.weak) ?? parsed.metrics[0]!;
}

function defaultPeriod(metric: string, latest: string): ResolvedPeriod {
  if (ANNUAL.has(metric)) return resolvePeriod({ kind: 'trailing', months: 12 }, latest);
  if (QUARTERLY.has(metric)) return canonicalPeriod(lastCompleteQuarter(latest));
  return canonicalPeriod(latest);
}

function periodFor(
  parsed: ParsedQuestion,
  metric: string,
  latest: string,
  index = 0,
): { period: ResolvedPeriod; named: boolean; current: boolean } {
  const spec = parsed.periods[index];
  if (!spec) return { period: defaultPeriod(metric, latest), named: false, current: true };
  if (spec.kind === 'relative' && spec.which === 'current')
    return { period: defaultPeriod(metric, latest), named: false, current: true };
  let period = resolvePeriod(spec, latest);
  // Quarterly metrics asked for a month are read for the quarter that month closes.
  if (QUARTERLY.has(metric) && period.kind === 'month' && metric === 'magic_number')
    period = canonicalPeriod(quarterOfMonth(period.period));
  return { period, named: true, current: spec.kind === 'relative' };
}

function isDerived(id: string): boolean {
  return METRICS_BY_ID.get(id)?.kind === 'derived';
}

/** A metric's value in a period: compute_metric for derived metrics, get_metric for reported ones, query_table as a last resort. */
async function metricValue(tools: ToolClient, m: MetricMention, period: ResolvedPeriod): Promise<Outcome<Figure>> {
  if (isDerived(m.id)) {
    const computed = await tools.computeMetric(m.id, period.period);
    if (computed.ok) return computed;
    // A document may report the metric itself (an "NRR" column).
    const reported = await tools.getMetric(m.id, period.period);
    return reported.ok && reported.value.value !== null ? reported : computed;
  }
  const first = await tools.getMetric(m.id, period.period);
  if (first.ok && first.value.value !== null) return first;
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
  const items = [...new Set([m.source === 'tenant' ? m.name : m.phrase, m.name])];
  for (const item of items) {
    const t = await tools.queryTable(item, period.period, op);
    if (!t.ok || t.value.value === null) continue;
    // A sum over fewer months than the period has is a partial figure: say so.
    const covered = new Set(t.value.points.flatMap((p) => monthsOf(p.period)));
    const partial =
      op === 'sum' && covered.size < period.months.length
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

function keep(draft: Draft, figure: { sources: Citation[]; chart?: AnswerMetric }) {
  draft.citations.push(...figure.sources);
}

async function metricAnswer(draft: Draft, tools: ToolClient, parsed: ParsedQuestion, latest: string, listing: Listing) {
  const m = mainMetric(parsed);
  switch (parsed.operation) {
    case 'trend':
      return trendAnswer(draft, tools, parsed, m, latest, listing);
    case 'max':
    case 'min':
      return extremeAnswer(draft, tools, parsed, m, latest, listing);
    case 'change':
      return changeAnswer(draft, tools, parsed, m, latest, listing);
    default:
      return valueAnswer(draft, tools, parsed, m, latest, listing);
  }
}

async function valueAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  latest: string,
  listing: Listing,
) {
  let { period, current } = periodFor(parsed, m.id, latest);
  const def0 = METRICS_BY_ID.get(m.id);
  const averaged =
    /\b(average|avg|mean|typical)\b|\bper month\b/i.test(parsed.text) &&
    period.months.length > 1 &&
    (def0?.aggregation === 'sum' || m.source === 'tenant');
  if (averaged && (await averageAnswer(draft, tools, m, period))) return;
  let coarser: ResolvedPeriod | undefined;
  if (period.kind === 'month' && onlyCoarser(listing, m.id)) {
    // Reported by quarter only (a P&L): answer for the quarter that month falls in, and say so.
    coarser = canonicalPeriod(quarterOfMonth(period.period));
    period = coarser;
  }
  const got = await metricValue(tools, m, period);
  if (!got.ok || got.value.value === null) return missingAnswer(draft, tools, parsed, m, period, got, listing);
  const f = got.value;
  const figureText = formatValue(f.value!, f.unit);
  const verb = current && period.end === latest ? 'is' : 'was';
  const trailingRange = period.trailing ? ` (${rangeLabel(period)})` : '';
  const note = [
    f.partial ? `partial: ${f.partial}` : '',
    coarser && period === coarser ? 'reported by quarter, no monthly figure' : '',
  ]
    .filter(Boolean)
    .join('; ');
  draft.lines.push(
    `**${displayName(f, m)} ${periodPhrase(period, m.id)} ${agree(verb, displayName(f, m))} ${figureText}.**${trailingRange}${note ? ` (${note})` : ''}`,
  );
  keep(draft, f);
  const chart = f.chart ?? chartOf(f);
  const extra: AnswerMetric[] = [];

  // "Why did NRR drop in Q2?": the period before, for the direction of the change.
  if (parsed.operation === 'explain' && period.kind !== 'range') {
    const before = previousOf(period);
    const prev = await metricValue(tools, m, before);
    if (prev.ok && prev.value.value !== null) {
      const pv = prev.value.value;
      const dir = f.value! > pv ? 'up' : f.value! < pv ? 'down' : 'unchanged';
      draft.lines.push(
        '',
        `That is ${dir}${dir === 'unchanged' ? '' : ` ${formatDelta(f.value! - pv, f.unit).replace(/^[+-]/, '')}`} from ${formatValue(pv, prev.value.unit)} ${periodPhrase(before, m.id)}.`,
      );
      keep(draft, prev.value);
    }
  }

  draft.lines.push(...howComputed(f));

  // Other metrics named in the same question ("NRR and GRR in Q2").
  for (const other of parsed.metrics.filter((x) => x !== m && !x.weak).slice(0, 2)) {
    const o = await metricValue(tools, other, period);
    if (o.ok && o.value.value !== null) {
      draft.lines.push(
        '',
        `**${displayName(o.value, other)} ${periodPhrase(period, other.id)} ${verb} ${formatValue(o.value.value, o.value.unit)}.**`,
      );
      draft.lines.push(...howComputed(o.value));
      keep(draft, o.value);
      extra.push(o.value.chart ?? chartOf(o.value));
    }
  }

  const def = METRICS_BY_ID.get(m.id);
  if (parsed.benchmark || def?.benchmarkNames?.length) {
    const cmp = await tools.compare(m.id, f.period || period.period, f.value!);
    if (cmp.ok) {
      const telling = TELLING_POSITIONS.has(cmp.value.position);
      if (parsed.benchmark || telling) {
        draft.lines.push(...benchmarkLines(figureText, displayName(f, m), cmp.value, def?.higherIsBetter));
        draft.citations.push(...cmp.value.sources);
        if (cmp.value.chart?.benchmark) chart.benchmark = cmp.value.chart.benchmark;
      }
    } else if (parsed.benchmark) {
      draft.lines.push(
        '',
        `**Against benchmarks**`,
        `- No published benchmark matches ${displayName(f, m)} for a company like yours (${cmp.error.message}).`,
      );
    }
  }
  if (parsed.operation === 'explain') await supportingPassage(draft, tools, parsed);
  draft.metrics.push(await withSeries(tools, chart, m, latest), ...extra);
  draft.lines.push(...sourcesSection(dedupe(draft.citations)));
}

/** "Average monthly burn over the last 6 months": the mean of the monthly values in the period. */
async function averageAnswer(
  draft: Draft,
  tools: ToolClient,
  m: MetricMention,
  period: ResolvedPeriod,
): Promise<boolean> {
  const s = await tools.series(m.id, period.start, period.end);
  if (!s.ok) return false;
  const months = new Set(period.months);
  const points = s.value.points.filter((p) => months.has(p.period));
  if (points.length < 2) return false;
  const total = points.reduce((a, p) => a + p.value, 0);
  const avg = total / points.length;
  const name = METRICS_BY_ID.get(m.id)?.name ?? s.value.name;
  const where = period.trailing ? `over the last ${period.trailing} months` : `in ${period.label}`;
  draft.lines.push(`**Average monthly ${lowerName(name)} ${where} was ${formatValue(avg, s.value.unit)}.**`);
  draft.lines.push(
    '',
    '**How it was computed**',
    `- Average of ${points.length} monthly values (${labelOf(points[0]!.period)} – ${labelOf(points.at(-1)!.period)}), total ${formatValue(total, s.value.unit)}`,
    ...points.map((p) => `- ${labelOf(p.period)}: ${formatValue(p.value, s.value.unit)}`),
  );
  draft.citations.push(...s.value.sources.slice(-points.length));
  draft.metrics.push({ metric: m.id, name, unit: s.value.unit, value: avg, period: period.period, series: points });
  draft.lines.push(...sourcesSection(dedupe(draft.citations)));
  return true;
}

function lowerName(name: string): string {
  return /^[A-Z]{2}/.test(name) ? name : name[0]!.toLowerCase() + name.slice(1);
}

/** The chart of a value: its series over the last year when the tool gave none. */
async function withSeries(
  tools: ToolClient,
  chart: AnswerMetric,
  m: MetricMention,
  latest: string,
): Promise<AnswerMetric> {
  if (chart.series.length > 1 || isDerived(m.id)) return chart;
  const s = await tools.series(m.id, addMonths(latest, -11), latest);
  if (s.ok && s.value.points.length > 1) return { ...chart, series: s.value.points };
  return chart;
}

/** True when the metric has data but never by month (a quarterly P&L line). */
function onlyCoarser(listing: Listing, id: string): boolean {
  const periods = listing.metrics.find((x) => x.id === id)?.periods ?? [];
  return periods.length > 0 && periods.every((p) => !/^\d{4}-\d{2}$/.test(p));
}

/** "Customers … were 516", "MRR … was $1,095,472". */
function agree(verb: 'is' | 'was', name: string): string {
  const plural = /[a-z]s$/.test(name) && !/ss$/.test(name);
  return plural ? (verb === 'is' ? 'are' : 'were') : verb;
}

function chartOf(f: Figure): AnswerMetric {
  return { metric: f.metric, name: f.name, unit: f.unit, value: f.value, period: f.period, series: [] };
}

function displayName(f: Figure, m: MetricMention): string {
  const def = METRICS_BY_ID.get(m.id);
  const name = def?.name ?? (f.name || m.name);
  return name ? name[0]!.toUpperCase() + name.slice(1) : name;
}

async function missingAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  period: ResolvedPeriod,
  got: Outcome<Figure>,
  listing: Listing,
) {
  const name = METRICS_BY_ID.get(m.id)?.name ?? m.name;
  // The documents' text may still state it ("We closed the quarter at $1.1M of MRR"): quote that first.
  const found = await searchSentences(tools, parsed);
  const stated = statedIn(found, m, listing, { parsed, period });
  if (stated) {
    draft.lines.push(`“${stated.sentence}”`, '', `— ${sourceText(stated.passage)}`, '');
    draft.citations.push(citationOf(stated.passage, stated.sentence));
    draft.lines.push(
      `No table in your documents gives **${name}** for ${labelOf(period.period)}, so this is quoted from the text, not computed.`,
    );
  }
  const missing = got.ok ? got.value.missing : [];
  if (got.ok && missing.length > 0) {
    draft.lines.push(
      `${stated ? '' : `I can't compute **${name}** for ${labelOf(period.period)} from your documents: `}Some inputs are missing.`.replace(
        ': Some',
        ': some',
      ),
    );
    draft.lines.push('', ...missingLines(missing));
    if (got.value.formula) draft.lines.push('', `${name} = ${got.value.formula}.`);
  } else {
    const reason = got.ok ? '' : ` (${got.error.message.replace(/\.$/, '')})`;
    if (!stated)
      draft.lines.push(`I couldn't find **${name}** for ${labelOf(period.period)} in your documents${reason}.`);
    const def = METRICS_BY_ID.get(m.id);
    const needs = def?.components?.length ? def.components : [m.id];
    draft.lines.push(
      '',
      `To ${stated ? 'compute it' : 'answer'}, upload ${documentFor(needs[0] ?? m.id)}${def?.formula ? ` — ${name} = ${def.formula}` : ''}.`,
    );
  }
  draft.lines.push('', coverage(listing));
  const others = found.filter((e) => e !== stated).slice(0, stated ? 1 : 2);
  if (others.length > 0) {
    draft.lines.push('', 'Your documents mention:');
    for (const e of others) {
      draft.lines.push(`> ${e.sentence}`, `— ${sourceText(e.passage)}`);
      draft.citations.push(citationOf(e.passage, e.sentence));
    }
  }
}

/**
 * A sentence that names the metric and gives a number: the text states the figure. When the question
 * names a period, the sentence must name an overlapping one ("MRR in March" is not answered by a
 * sentence about some other month).
 */
function statedIn(
  found: Extract[],
  m: MetricMention,
  listing: Listing,
  asked?: { parsed: ParsedQuestion; period: ResolvedPeriod },
): Extract | undefined {
  const labels = listing.metrics.map((x) => ({ id: x.id, label: x.name }));
  return found.find((e) => {
    if (!/\d/.test(e.sentence)) return false;
    const read = parseQuestion(e.sentence, labels);
    if (!read.metrics.some((x) => x.id === m.id)) return false;
    if (!asked || asked.parsed.periods.length === 0) return true;
    const months = new Set(asked.period.months);
    return read.periods.some(
      (p) =>
        p.kind !== 'relative' &&
        p.kind !== 'trailing' &&
        resolvePeriod(p, asked.period.end).months.some((x) => months.has(x)),
    );
  });
}

function coverage(listing: Listing): string {
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

/** Months of a period, one value each: for trends and highest/lowest questions. */
async function monthlyValues(
  tools: ToolClient,
  m: MetricMention,
  period: ResolvedPeriod,
): Promise<{
  points: Array<{ period: string; value: number }>;
  unit: Figure['unit'];
  sources: Citation[];
  name: string;
}> {
  const s: Outcome<Series> = await tools.series(m.id, period.start, period.end);
  if (s.ok && s.value.points.length > 0) {
    const months = new Set(period.months);
    const inRange = s.value.points.filter((p) => monthsOf(p.period).every((x) => months.has(x)));
    const points = inRange.length > 0 ? inRange : s.value.points;
    return { points, unit: s.value.unit, sources: s.value.sources, name: s.value.name };
  }
  // No series from the tools: compute period by period (quarters over long ranges), within the call budget.
  const budget = Math.min(MAX_SERIES_CALLS, tools.remaining - 1);
  const buckets = period.months.length > budget ? quartersOf(period.months) : period.months;
  const points: Array<{ period: string; value: number }> = [];
  const sources: Citation[] = [];
  let unit: Figure['unit'] = METRICS_BY_ID.get(m.id)?.unit ?? 'number';
  let name = m.name;
  for (const p of buckets.slice(-Math.max(0, budget))) {
    if (tools.remaining <= 1) break;
    const v = await metricValue(tools, m, canonicalPeriod(p));
    if (v.ok && v.value.value !== null) {
      points.push({ period: p, value: v.value.value });
      sources.push(...v.value.sources.slice(0, 2));
      unit = v.value.unit;
      name = v.value.name || name;
    }
  }
  return { points, unit, sources, name };
}

function quartersOf(months: string[]): string[] {
  const qs: string[] = [];
  for (const m of months) {
    const q = quarterOfMonth(m);
    if (!qs.includes(q) && monthsOf(q).every((x) => months.includes(x))) qs.push(q);
  }
  return qs;
}

function rangeFor(parsed: ParsedQuestion, latest: string, listing: Listing, m: MetricMention): ResolvedPeriod {
  const spec = parsed.periods[0];
  if (!spec || (spec.kind === 'relative' && spec.which === 'current')) {
    // "Which quarter / year …" without a period: all the data there is.
    const first = firstMonthOf(listing, m.id);
    if (parsed.granularity !== 'month' && first && first < latest) {
      return spanOf(first, latest);
    }
    return resolvePeriod({ kind: 'trailing', months: 12 }, latest);
  }
  const p = resolvePeriod(spec, latest);
  return p.months.length > 1 ? p : resolvePeriod({ kind: 'trailing', months: 12 }, p.end);
}

function spanOf(start: string, end: string): ResolvedPeriod {
  const months: string[] = [];
  for (let x = start; x <= end; x = addMonths(x, 1)) months.push(x);
  const label = `${formatPeriod(start)} – ${formatPeriod(end)}`;
  return { period: `${start}..${end}`, kind: 'range', start, end, months, label };
}

function firstMonthOf(listing: Listing, id: string): string | undefined {
  const periods = listing.metrics.find((x) => x.id === id)?.periods ?? [];
  const starts = periods.map((p) => monthsOf(p.split('..')[0] ?? p)[0]).filter((x): x is string => Boolean(x));
  return starts.sort()[0];
}

/** Values per month, or per quarter / year when the question asks "which quarter" — each bucket read through the tools. */
async function bucketValues(tools: ToolClient, m: MetricMention, range: ResolvedPeriod, granularity: ParsedQuestion['granularity']) {
  if (granularity === 'month') return monthlyValues(tools, m, range);
  const months = new Set(range.months);
  const buckets: string[] = [];
  for (const month of range.months) {
    const b = granularity === 'quarter' ? quarterOfMonth(month) : month.slice(0, 4);
    if (buckets.includes(b)) continue;
    // Quarters must be complete; years may be partial (marked in the label).
    if (granularity === 'quarter' && !monthsOf(b).every((x) => months.has(x))) continue;
    buckets.push(b);
  }
  const points: Array<{ period: string; value: number }> = [];
  const sources: Citation[] = [];
  let unit: Figure['unit'] = METRICS_BY_ID.get(m.id)?.unit ?? 'number';
  let name = m.name;
  for (const b of buckets.slice(-Math.max(1, tools.remaining - 2))) {
    // A year only partly inside the range is read for the months it has ("2026-01..2026-06").
    const inside = monthsOf(b).filter((x) => months.has(x));
    const period = inside.length === monthsOf(b).length ? canonicalPeriod(b) : spanOf(inside[0]!, inside.at(-1)!);
    const v = await metricValue(tools, m, period);
    if (v.ok && v.value.value !== null) {
      points.push({ period: period.period, value: v.value.value });
      sources.push(...v.value.sources.slice(0, 2));
      unit = v.value.unit;
      name = v.value.name || name;
    }
  }
  return { points, unit, sources, name };
}

async function extremeAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  latest: string,
  listing: Listing,
) {
  const range = rangeFor(parsed, latest, listing, m);
  const { points, unit, sources, name } = await bucketValues(tools, m, range, parsed.granularity);
  if (points.length === 0)
    return missingAnswer(
      draft,
      tools,
      parsed,
      m,
      range,
      { ok: false, error: { code: 'no_data', message: 'no values in that range' } },
      listing,
    );
  const pick = points.reduce((best, p) =>
    parsed.operation === 'max' ? (p.value > best.value ? p : best) : p.value < best.value ? p : best,
  );
  const word = parsed.operation === 'max' ? 'highest' : 'lowest';
  const within = range.trailing ? `in the last ${range.trailing} months` : `in ${rangeLabel(range)}`;
  const displayed = METRICS_BY_ID.get(m.id)?.name ?? name;
  draft.lines.push(
    `**${labelOf(pick.period)} had the ${word} ${lowerName(displayed)} ${within}: ${formatValue(pick.value, unit)}.**`,
  );
  const sorted = [...points].sort((a, b) => (parsed.operation === 'max' ? b.value - a.value : a.value - b.value));
  draft.lines.push('', `Ranked (${rangeLabel(range)}):`);
  for (const p of sorted.slice(0, 3)) draft.lines.push(`- ${labelOf(p.period)}: ${formatValue(p.value, unit)}`);
  draft.citations.push(...sources.slice(-12));
  draft.metrics.push({ metric: m.id, name: displayed, unit, value: pick.value, period: pick.period, series: points });
  draft.lines.push(...sourcesSection(dedupe(draft.citations)));
}

async function trendAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  latest: string,
  listing: Listing,
) {
  const range = rangeFor(parsed, latest, listing, m);
  const { points, unit, sources, name } = await bucketValues(tools, m, range, parsed.granularity);
  if (points.length === 0)
    return missingAnswer(
      draft,
      tools,
      parsed,
      m,
      range,
      { ok: false, error: { code: 'no_data', message: 'no values in that range' } },
      listing,
    );
  const first = points[0]!;
  const last = points.at(-1)!;
  const displayed = METRICS_BY_ID.get(m.id)?.name ?? name;
  const change = formatChange(first.value, last.value);
  const dir = last.value > first.value ? 'up' : last.value < first.value ? 'down' : 'flat';
  draft.lines.push(
    `**${displayed} was ${formatValue(last.value, unit)} in ${labelOf(last.period)}**, ${dir}${dir === 'flat' ? '' : ` ${formatDelta(last.value - first.value, unit)}${change && unit !== 'percent' ? ` (${change})` : ''}`} from ${formatValue(first.value, unit)} in ${labelOf(first.period)}.`,
  );
  const hi = points.reduce((a, b) => (b.value > a.value ? b : a));
  const lo = points.reduce((a, b) => (b.value < a.value ? b : a));
  draft.lines.push(
    '',
    `Highest: ${labelOf(hi.period)} (${formatValue(hi.value, unit)}) · lowest: ${labelOf(lo.period)} (${formatValue(lo.value, unit)}).`,
  );
  draft.lines.push(
    '',
    '| Period | Value |',
    '|---|---|',
    ...points.map((p) => `| ${labelOf(p.period)} | ${formatValue(p.value, unit)} |`),
  );
  draft.citations.push(...sources.slice(-12));
  draft.metrics.push({ metric: m.id, name: displayed, unit, value: last.value, period: last.period, series: points });
  if (parsed.benchmark) {
    const cmp = await tools.compare(m.id, last.period, last.value);
    if (cmp.ok) {
      draft.lines.push(
        ...benchmarkLines(formatValue(last.value, unit), displayed, cmp.value, METRICS_BY_ID.get(m.id)?.higherIsBetter),
      );
      draft.citations.push(...cmp.value.sources);
    }
  }
  draft.lines.push(...sourcesSection(dedupe(draft.citations)));
}

/** The period before `p` of the same length: June → May, Q2 → Q1, 2025 → 2024. */
function previousOf(p: ResolvedPeriod): ResolvedPeriod {
  if (p.kind === 'month') return canonicalPeriod(addMonths(p.period, -1));
  if (p.kind === 'quarter') return canonicalPeriod(quarterOfMonth(addMonths(p.start, -3)));
  if (p.kind === 'year') return canonicalPeriod(String(Number(p.period) - 1));
  if (p.kind === 'fiscal_year') return canonicalPeriod(`FY${Number(p.period.slice(2)) - 1}`);
  const n = p.months.length;
  const start = addMonths(p.start, -n);
  const end = addMonths(p.start, -1);
  return {
    ...p,
    period: `${start}..${end}`,
    start,
    end,
    months: p.months.map((m) => addMonths(m, -n)),
    label: `${formatPeriod(start)} – ${formatPeriod(end)}`,
  };
}

async function changeAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  latest: string,
  listing: Listing,
) {
  let to: ResolvedPeriod;
  let from: ResolvedPeriod;
  if (parsed.periods.length >= 2) {
    const a = resolvePeriod(parsed.periods[0]!, latest);
    const b = resolvePeriod(parsed.periods[1]!, latest);
    [from, to] = a.end <= b.end ? [a, b] : [b, a];
    // "last quarter vs the quarter before" reads the same quarter twice: the earlier one is the one before.
    if (from.period === to.period) from = previousOf(to);
  } else {
    to = periodFor(parsed, m.id, latest).period;
    if (parsed.yoy) {
      // "Revenue growth year over year in Q2 2026": the same period a year earlier.
      const yearBefore = (p: ResolvedPeriod): ResolvedPeriod =>
        p.kind === 'range'
          ? resolvePeriod({ kind: 'trailing', months: p.months.length }, addMonths(p.end, -12))
          : canonicalPeriod(
              p.kind === 'month'
                ? addMonths(p.period, -12)
                : p.kind === 'quarter'
                  ? quarterOfMonth(addMonths(p.start, -12))
                  : p.kind === 'fiscal_year'
                    ? `FY${Number(p.period.slice(2)) - 1}`
                    : String(Number(p.period) - 1),
            );
      return changeBetween(draft, tools, parsed, m, yearBefore(to), to, latest, listing);
    }
    if (!parsed.periods[0] && !ANNUAL.has(m.id) && !QUARTERLY.has(m.id)) to = canonicalPeriod(latest);
    const def = METRICS_BY_ID.get(m.id);
    const balance = def?.kind === 'component' && def.aggregation === 'last';
    // "How much did MRR grow in Q2": a balance grows from the end of the period before to the end of this one.
    from = previousOf(to);
    if (balance && to.kind !== 'month') {
      from = canonicalPeriod(addMonths(to.start, -1));
      to = canonicalPeriod(to.end);
    }
  }
  return changeBetween(draft, tools, parsed, m, from, to, latest, listing);
}

async function changeBetween(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  from: ResolvedPeriod,
  to: ResolvedPeriod,
  latest: string,
  listing: Listing,
) {
  const [a, b] = [await metricValue(tools, m, from), await metricValue(tools, m, to)];
  if (!b.ok || b.value.value === null) return missingAnswer(draft, tools, parsed, m, to, b, listing);
  if (!a.ok || a.value.value === null)
    return valueAnswer(draft, tools, { ...parsed, operation: 'value' }, m, latest, listing);
  const unit = b.value.unit;
  const [va, vb] = [a.value.value, b.value.value];
  const name = displayName(b.value, m);
  const verb = vb > va ? 'grew' : vb < va ? 'fell' : 'was unchanged';
  const change = formatChange(va, vb);
  const delta = formatDelta(vb - va, unit);
  draft.lines.push(
    `**${name} ${verb}${verb === 'was unchanged' ? '' : ` by ${delta.replace(/^[+-]/, '')}${change && unit !== 'percent' ? ` (${change})` : ''}`}**, from ${formatValue(va, unit)} ${labelFor(from, m.id)} to ${formatValue(vb, unit)} ${labelFor(to, m.id)}.`,
  );
  draft.lines.push(...howComputed(b.value));
  keep(draft, a.value);
  keep(draft, b.value);
  draft.metrics.push({
    metric: m.id,
    name,
    unit,
    value: vb,
    period: to.period,
    series: [
      { period: from.period, value: va },
      { period: to.period, value: vb },
    ],
  });
  draft.lines.push(...sourcesSection(dedupe(draft.citations)));
}

function labelFor(p: ResolvedPeriod, metric: string): string {
  return periodPhrase(p, metric).replace(/^over the last (\d+) months$/, `over ${rangeLabel(p)}`);
}

async function noDataAnswer(draft: Draft, tools: ToolClient, parsed: ParsedQuestion, listing: Listing) {
  const m = mainMetric(parsed);
  const found = await searchSentences(tools, parsed);
  const stated = statedIn(found, m, listing);
  if (stated) {
    draft.lines.push(`“${stated.sentence}”`, '', `— ${sourceText(stated.passage)}`, '');
    draft.citations.push(citationOf(stated.passage, stated.sentence));
    draft.lines.push(
      `This is quoted from the text: no metric table has been extracted yet, so I can't compute **${m.name}**.`,
    );
  } else {
    draft.lines.push(`I don't have any metric data yet, so I can't give **${m.name}**.`);
  }
  draft.lines.push('', `Upload ${documentFor(METRICS_BY_ID.get(m.id)?.components?.[0] ?? m.id)} — CSV, XLSX or PDF.`);
  if (listing.documents.length > 0) {
    draft.lines.push('', `Documents uploaded: ${listing.documents.map((d) => `${d.name} (${d.status})`).join(', ')}.`);
  }
  for (const e of found.filter((x) => x !== stated).slice(0, 1)) {
    draft.lines.push('', 'Your documents mention:', `> ${e.sentence}`, `— ${sourceText(e.passage)}`);
    draft.citations.push(citationOf(e.passage, e.sentence));
  }
}

function listAnswer(draft: Draft, listing: Listing) {
  if (listing.metrics.length === 0) {
    draft.lines.push(
      'No metrics have been extracted yet: upload a metrics export (CSV/XLSX), a P&L or a board update.',
    );
    return;
  }
  draft.lines.push(`**Your documents report ${listing.metrics.length} metrics and line items.**`, '');
  for (const m of listing.metrics.slice(0, 40)) {
    const span = m.periods.length ? `${labelOf(m.periods[0]!)} – ${labelOf(m.periods.at(-1)!)}` : 'no periods';
    draft.lines.push(`- ${m.name} (${span})`);
  }
}

async function searchSentences(tools: ToolClient, parsed: ParsedQuestion) {
  const res = await tools.search(searchQuery(parsed.text), 8);
  if (!res.ok) return [];
  return bestSentences(parsed.text, res.value, 3);
}

async function supportingPassage(draft: Draft, tools: ToolClient, parsed: ParsedQuestion) {
  const found = await searchSentences(tools, parsed);
  const e = found[0];
  if (!e) return;
  draft.lines.push('', 'From your documents:', `> ${e.sentence}`, `— ${sourceText(e.passage)}`);
  draft.citations.push(citationOf(e.passage, e.sentence));
}

function citationOf(p: { document_id: string; document_name: string; locator: string }, snippet: string): Citation {
  return { document_id: p.document_id, document_name: p.document_name, locator: p.locator, snippet };
}

async function documentAnswer(draft: Draft, tools: ToolClient, parsed: ParsedQuestion, listing: Listing) {
  const found = await searchSentences(tools, parsed);
  const best = found[0];
  if (!best) {
    draft.lines.push(`I couldn't find an answer to that in your documents.`);
    if (listing.documents.length === 0)
      draft.lines.push(
        '',
        'No documents are uploaded yet: upload board updates, metrics exports or financial statements.',
      );
    else
      draft.lines.push(
        '',
        `I searched: ${listing.documents
          .slice(0, 8)
          .map((d) => d.name)
          .join(', ')}. A document that discusses it (a board update, a plan, a customer list) would let me answer.`,
      );
    return;
  }
  draft.lines.push(`“${best.sentence}”`, '', `— ${sourceText(best.passage)}`);
  draft.citations.push(citationOf(best.passage, best.sentence));
  const others = found.slice(1).filter((e) => e.score >= best.score * 0.8);
  if (others.length > 0) {
    draft.lines.push('', 'Related:');
    for (const e of others) {
      draft.lines.push(`- “${e.sentence}” — ${sourceText(e.passage)}`);
      draft.citations.push(citationOf(e.passage, e.sentence));
    }
  }
  draft.lines.push(...sourcesSection(dedupe(draft.citations)));
}

function dedupe(citations: Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => {
    const key = 'benchmark' in c ? `b|${c.publisher}|${c.report}|${c.year}` : `d|${c.document_id}|${c.locator}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Stream the answer in a few chunks, split at paragraph or line boundaries. */
function streamAnswer(answer: string, emit: (text: string) => void) {
  const parts = answer.split(/(?<=\n)/);
  const size = Math.max(1, Math.ceil(parts.length / 4));
  for (let i = 0; i < parts.length; i += size) emit(parts.slice(i, i + size).join(''));
}
