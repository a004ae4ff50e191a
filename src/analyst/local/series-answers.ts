import { METRICS_BY_ID } from '../../graph/catalog.ts';
import { shiftPeriod, splitPeriod } from '../../graph/engine/periods.ts';
import { addMonths, formatPeriod } from '../../lib/periods.ts';
import type { Citation } from '../types.ts';
import { benchmarkLines, howComputed, labelOf, rangeLabel, sourcesSection } from './answer.ts';
import type { Figure, Listing, Outcome, Series, ToolClient } from './calls.ts';
import { formatChange, formatDelta, formatValue, lowerName } from './format.ts';
import { findPeriods, isCurrent } from './parse-periods.ts';
import type { MetricMention, ParsedQuestion } from './parse-question.ts';
import {
  ANNUAL,
  canonicalPeriod,
  type Draft,
  dedupe,
  displayName,
  firstMonthOf,
  keep,
  labelFor,
  MAX_SERIES_CALLS,
  metricValue,
  periodFor,
  previousOf,
  QUARTERLY,
  quartersOf,
  type ResolvedPeriod,
  resolveSpec,
  spanOf,
} from './shared.ts';
import { missingAnswer } from './text-answers.ts';
import { readingLine, valueAnswer } from './value-answers.ts';

/** Questions over several periods: highest / lowest period, trend, change between periods. */

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
  // Months of the range only: a quarter a document states (a memo's "Q3 NRR") is no month to rank
  // against the others, and a point outside the range answers another question.
  const months = new Set(period.months);
  const inRange = s.ok ? s.value.series.filter((p) => months.has(p.period)) : [];
  if (s.ok && inRange.length > 0)
    return { points: inRange, unit: s.value.unit, sources: s.value.sources, name: s.value.name };
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

function rangeFor(parsed: ParsedQuestion, latest: string, listing: Listing, m: MetricMention): ResolvedPeriod {
  const spec = parsed.periods[0];
  const fiscal = listing.fiscalStartMonth;
  if (!spec || isCurrent(spec)) {
    // "Which quarter / year …" without a period: all the data there is.
    const first = firstMonthOf(listing, m.id);
    if (parsed.granularity !== 'month' && first && first < latest) {
      return spanOf(first, latest, fiscal);
    }
    const year = resolveSpec({ trailing: 12 }, latest, fiscal);
    // Less than a year of data: the range is what there is.
    return first && first > year.start && first < latest ? spanOf(first, latest, fiscal) : year;
  }
  const p = resolveSpec(spec, latest, fiscal);
  return p.months.length > 1 ? p : resolveSpec({ trailing: 12 }, p.end, fiscal);
}

/** Values per month, or per quarter / year when the question asks "which quarter" — each bucket read through the tools. */
async function bucketValues(
  tools: ToolClient,
  m: MetricMention,
  range: ResolvedPeriod,
  granularity: ParsedQuestion['granularity'],
  fiscalStartMonth: number,
) {
  if (granularity === 'month') return monthlyValues(tools, m, range);
  const months = new Set(range.months);
  // The graph splits the range into (fiscal) quarters or years. Quarters must be complete; years may
  // be partial, read for the months the range has ("2026-01..2026-06").
  const ctx = { latestMonth: range.end, fiscalStartMonth };
  const buckets = splitPeriod(ctx, range, granularity === 'quarter' ? 'quarter' : 'year')
    .filter((b) => granularity !== 'quarter' || b.months.every((x) => months.has(x)))
    .map((b) => {
      const inside = b.months.filter((x) => months.has(x));
      return inside.length === b.months.length ? b : spanOf(inside[0]!, inside.at(-1)!, fiscalStartMonth);
    });
  const points: Array<{ period: string; value: number }> = [];
  const sources: Citation[] = [];
  let unit: Figure['unit'] = METRICS_BY_ID.get(m.id)?.unit ?? 'number';
  let name = m.name;
  for (const period of buckets.slice(-Math.max(1, tools.remaining - 2))) {
    const v = await metricValue(tools, m, period);
    if (v.ok && v.value.value !== null) {
      points.push({ period: period.id, value: v.value.value });
      sources.push(...v.value.sources.slice(0, 2));
      unit = v.value.unit;
      name = v.value.name || name;
    }
  }
  return { points, unit, sources, name };
}

/**
 * The range a series question covers and its values, named for display. When there are none, the
 * missing-data answer is written instead and `undefined` comes back.
 */
async function seriesInRange(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  latest: string,
  listing: Listing,
) {
  const range = rangeFor(parsed, latest, listing, m);
  const values = await bucketValues(tools, m, range, parsed.granularity, listing.fiscalStartMonth);
  if (values.points.length === 0) {
    const none = { ok: false as const, error: { code: 'no_data', message: 'no values in that range' } };
    await missingAnswer(draft, tools, parsed, m, range, none, listing);
    return undefined;
  }
  return { range, ...values, displayed: METRICS_BY_ID.get(m.id)?.name ?? values.name };
}

export async function extremeAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  latest: string,
  listing: Listing,
) {
  const values = await seriesInRange(draft, tools, parsed, m, latest, listing);
  if (!values) return;
  const { range, points, unit, sources, displayed } = values;
  const pick = points.reduce((best, p) =>
    parsed.operation === 'max' ? (p.value > best.value ? p : best) : p.value < best.value ? p : best,
  );
  const word = parsed.operation === 'max' ? 'highest' : 'lowest';
  const within = range.trailing
    ? `in the last ${range.trailing} months`
    : range.label.includes('–')
      ? `between ${formatPeriod(range.start)} and ${formatPeriod(range.end)}`
      : `in ${range.label}`;
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

export async function trendAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  latest: string,
  listing: Listing,
) {
  const values = await seriesInRange(draft, tools, parsed, m, latest, listing);
  if (!values) return;
  const { points, unit, sources, displayed } = values;
  const first = points[0]!;
  const last = points.at(-1)!;
  const change = formatChange(first.value, last.value);
  const dir = last.value > first.value ? 'up' : last.value < first.value ? 'down' : 'flat';
  draft.lines.push(
    `**${displayed} was ${formatValue(last.value, unit)} in ${labelOf(last.period)}**, ${dir}${dir === 'flat' ? '' : ` ${formatDelta(last.value - first.value, unit).replace(/^[+-]/, '')}${change && unit !== 'percent' ? ` (${change})` : ''}`} from ${formatValue(first.value, unit)} in ${labelOf(first.period)}.`,
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

/** A single month named as the base of a comparison ("growth vs December 2024", "compared with March"). */
function againstMonth(parsed: ParsedQuestion): boolean {
  const spec = parsed.periods[0];
  if (parsed.periods.length !== 1 || typeof spec !== 'object' || !('month' in spec) || spec.year === undefined)
    return false;
  const found = findPeriods(parsed.text);
  if (found.length !== 1) return false;
  const before = parsed.text.toLowerCase().slice(0, found[0]!.index);
  return /\b(?:vs\.?|versus|compared (?:to|with)|against|relative to)\s+(?:the\s+end\s+of\s+)?$/.test(before);
}

export async function changeAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  latest: string,
  listing: Listing,
) {
  let to: ResolvedPeriod;
  let from: ResolvedPeriod;
  const fiscal = listing.fiscalStartMonth;
  if (parsed.periods.length >= 2) {
    const a = resolveSpec(parsed.periods[0]!, latest, fiscal);
    const b = resolveSpec(parsed.periods[1]!, latest, fiscal);
    [from, to] = a.end <= b.end ? [a, b] : [b, a];
    // "last quarter vs the quarter before" reads the same quarter twice: the earlier one is the one before.
    if (from.id === to.id) from = previousOf(to, fiscal);
  } else if (againstMonth(parsed)) {
    // "MRR growth vs December 2024": that month is the base, the latest month what is compared with it.
    from = resolveSpec(parsed.periods[0]!, latest, fiscal);
    to = canonicalPeriod(latest);
  } else {
    to = periodFor(parsed, m.id, latest, fiscal).period;
    if (parsed.yoy) {
      // "Revenue growth year over year in Q2 2026": the same period a year earlier.
      const yearBefore = shiftPeriod({ latestMonth: latest, fiscalStartMonth: fiscal }, to, -12);
      return changeBetween(draft, tools, parsed, m, yearBefore, to, latest, listing);
    }
    if (!parsed.periods[0] && !ANNUAL.has(m.id) && !QUARTERLY.has(m.id)) to = canonicalPeriod(latest);
    const def = METRICS_BY_ID.get(m.id);
    const balance = def?.kind === 'component' && def.aggregation === 'last';
    // "How much did MRR grow in Q2": a balance grows from the end of the period before to the end of this one.
    from = previousOf(to, fiscal);
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
  // How a document's convention was read (or a value derived) for either end of the change.
  for (const reading of new Set([...(a.value.readings ?? []), ...(b.value.readings ?? [])]))
    draft.lines.push('', readingLine(reading));
  draft.lines.push(...howComputed(b.value));
  keep(draft, a.value);
  keep(draft, b.value);
  draft.metrics.push({
    metric: m.id,
    name,
    unit,
    value: vb,
    period: to.id,
    series: [
      { period: from.id, value: va },
      { period: to.id, value: vb },
    ],
  });
  draft.lines.push(...sourcesSection(dedupe(draft.citations)));
}
