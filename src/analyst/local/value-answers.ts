import { METRICS_BY_ID } from '../../graph/catalog.ts';
import { splitPeriod } from '../../graph/engine/periods.ts';
import type { Unit } from '../../graph/types.ts';
import { addMonths, formatPeriod } from '../../lib/periods.ts';
import { benchmarkCitation } from '../tools/define.ts';
import type { AnswerMetric } from '../types.ts';
import {
  benchmarkLines,
  howComputed,
  labelOf,
  periodPhrase,
  rangeLabel,
  sourcesSection,
  TELLING_POSITIONS,
} from './answer.ts';
import type { BenchmarkFigure, Listing, ToolClient } from './calls.ts';
import { formatDelta, formatValue, lowerName } from './format.ts';
import type { MetricMention, ParsedQuestion } from './parse-question.ts';
import { supportingPassage } from './reason-answers.ts';
import {
  agree,
  chartOf,
  type Draft,
  dedupe,
  displayName,
  keep,
  metricValue,
  onlyCoarser,
  periodFor,
  previousOf,
  type ResolvedPeriod,
} from './shared.ts';
import { missingAnswer } from './text-answers.ts';

/** A reading as a line of the answer: `Read as: …` as stated, any other as `Reading used: …`. */
export function readingLine(reading: string): string {
  const text = /^read as:/i.test(reading) ? reading : `Reading used: ${reading}`;
  return `_${text.replace(/\.?$/, '.')}_`;
}

/** A metric's value in one period: the figure first, how it was computed, the benchmark, the sources. */

export async function valueAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  latest: string,
  listing: Listing,
) {
  const fiscal = listing.fiscalStartMonth;
  let { period, current } = periodFor(parsed, m.id, latest, fiscal);
  const def0 = METRICS_BY_ID.get(m.id);
  const averaged =
    /\b(average|avg|mean|typical)\b|\bper month\b/i.test(parsed.text) &&
    period.months.length > 1 &&
    (def0?.aggregation === 'sum' || m.source === 'tenant');
  if (averaged && (await averageAnswer(draft, tools, m, period))) return;
  let coarser: ResolvedPeriod | undefined;
  if (period.kind === 'month' && onlyCoarser(listing, m.id)) {
    // Reported by quarter only (a P&L, an investor update's quarter columns). The company's quarter the
    // month falls in (a fiscal one: August – October for a February year) is what is known.
    coarser = splitPeriod({ latestMonth: latest, fiscalStartMonth: fiscal }, period, 'quarter')[0]!;
    const balance = def0?.kind === 'component' && def0.aggregation === 'last';
    // A balance at the end of the quarter's last month is the quarter-end figure: that is the answer. A
    // balance inside the quarter, or a month's share of a quarter's revenue or margin, is not known: say so,
    // and give the quarter's figure as the quarter's, never as the month's.
    if (!balance || coarser.end !== period.end) {
      const at = await metricValue(tools, m, coarser);
      const name = def0?.name ?? m.name;
      const known = at.ok && at.value.value !== null ? formatValue(at.value.value, at.value.unit) : undefined;
      draft.lines.push(
        `I couldn't find ${lowerName(name)} for ${period.label} in your documents: they give it only ${balance ? 'at the end of each quarter' : 'by quarter'}.` +
          (known
            ? balance
              ? ` At the end of ${coarser.label} (${formatPeriod(coarser.end)}) it was ${known}.`
              : ` For ${coarser.label} (${formatPeriod(coarser.start)} – ${formatPeriod(coarser.end)}) as a whole it was ${known}.`
            : ''),
      );
      if (at.ok && at.value.value !== null) keep(draft, at.value);
      return;
    }
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
  // How a document's own convention was read where it decided the figure (a scale, a sign, a fiscal label).
  for (const reading of f.readings ?? []) draft.lines.push('', readingLine(reading));
  keep(draft, f);
  // When the question asks for the comparison, it comes right after the figure, before the workings.
  const afterHeadline = draft.lines.length;
  const placeComparison = (lines: string[]) =>
    parsed.benchmark ? draft.lines.splice(afterHeadline, 0, ...lines) : draft.lines.push(...lines);
  const chart = f.chart ?? chartOf(f);
  const extra: AnswerMetric[] = [];
  const def = METRICS_BY_ID.get(m.id);
  if (parsed.define && def) {
    draft.lines.push('', `*${def.name}:* ${def.definition}${def.formula ? ` Formula: ${def.formula}.` : ''}`);
  }

  // "Why did NRR drop in Q2?": the period before, for the direction of the change.
  if (parsed.operation === 'explain' && period.kind !== 'range') {
    const before = previousOf(period, fiscal);
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

  if (parsed.benchmark || def?.benchmarkNames?.length) {
    const cmp = await tools.compare(m.id, f.period || period.id, f.value!);
    if (parsed.benchmark && (!cmp.ok || cmp.value.position === 'unknown')) {
      // Nothing matched the company's segment: show the published medians, clearly as unmatched.
      const figures = await tools.benchmarks(m.id);
      const lines = figures.ok
        ? unmatchedLines(figureText, f.value!, displayName(f, m), f.unit, figures.value, def?.higherIsBetter)
        : [];
      if (lines.length > 0 && figures.ok) {
        placeComparison(lines);
        draft.citations.push(...figures.value.slice(0, 3).map((x) => benchmarkCitation(x.source)));
      } else {
        placeComparison([
          '',
          `**Against benchmarks**`,
          `- No published benchmark matches ${displayName(f, m)} for a company like yours${cmp.ok ? '' : ` (${cmp.error.message})`}.`,
        ]);
      }
    } else if (cmp.ok) {
      const telling = TELLING_POSITIONS.has(cmp.value.position);
      if (parsed.benchmark || telling) {
        placeComparison(benchmarkLines(figureText, displayName(f, m), cmp.value, def?.higherIsBetter));
        draft.citations.push(...cmp.value.sources);
      }
      // The chart shows the benchmark band whenever there is one.
      if (cmp.value.chart?.benchmark && cmp.value.position !== 'unknown') chart.benchmark = cmp.value.chart.benchmark;
    }
  }
  if (parsed.operation === 'explain') await supportingPassage(draft, tools, parsed, m);
  draft.metrics.push(await withSeries(tools, chart, m, latest), ...extra);
  draft.lines.push(...sourcesSection(dedupe(draft.citations)));
}

/** Published figures that were not matched to the company's segment: medians first, labelled as such. */
function unmatchedLines(
  figureText: string,
  value: number,
  name: string,
  unit: Unit,
  figures: BenchmarkFigure[],
  higherIsBetter: boolean | undefined,
): string[] {
  const usable = figures.filter((x) => x.verified);
  const median = usable.find((x) => x.stat === 'median') ?? usable[0];
  if (!median) return [];
  const above = value > median.value;
  const same = Math.abs(value - median.value) <= Math.abs(median.value) * 0.02;
  const word = same ? 'in line with' : above ? 'above' : 'below';
  const judgement =
    same || higherIsBetter === undefined ? '' : above === higherIsBetter ? ', which is better' : ', which is worse';
  const stat = median.stat.replace(/_/g, ' ');
  return [
    '',
    '**Against benchmarks**',
    `- Our ${lowerName(name)} of ${figureText} is ${word} the ${stat} of ${formatValue(median.value, unit)}${judgement} (${median.segment}; ${median.source.publisher}, ${median.source.year}).`,
    '- No published figure matched your segment exactly, so this is a general reference.',
  ];
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
  const points = s.value.series.filter((p) => months.has(p.period));
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
  draft.metrics.push({ metric: m.id, name, unit: s.value.unit, value: avg, period: period.id, series: points });
  draft.lines.push(...sourcesSection(dedupe(draft.citations)));
  return true;
}

/** The chart of a value: its series over the last year when the tool gave none. */
async function withSeries(
  tools: ToolClient,
  chart: AnswerMetric,
  m: MetricMention,
  latest: string,
): Promise<AnswerMetric> {
  if (chart.series.length > 1 || tools.remaining < 1) return chart;
  const s = await tools.series(m.id, addMonths(latest, -11), latest);
  if (s.ok && s.value.series.length > 1)
    return { ...chart, series: s.value.series.map((p) => ({ period: p.period, value: p.value })) };
  return chart;
}
