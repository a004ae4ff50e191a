import type { PeriodSpec } from '../../graph/engine/periods.ts';
import { formatPeriod } from '../../lib/periods.ts';
import type { EngineResult, EngineTurn } from '../types.ts';
import { type Listing, ToolClient } from './calls.ts';
import { inCurrency } from './format.ts';
import { overviewAnswer } from './overview.ts';
import { withYearOf, yearBeforeCues } from './parse-periods.ts';
import { customerNouns, type ParsedQuestion, parseQuestion } from './parse-question.ts';
import { planAnswer, planWords } from './plan-answers.ts';
import {
  isMetricReading,
  mendTypos,
  metricAnswerType,
  operationOf,
  PLANNED,
  type QuestionReading,
  readQuestion,
} from './reading.ts';
import { withReason } from './reason-answers.ts';
import { recordAnswer } from './record-answers.ts';
import { changeAnswer, extremeAnswer, trendAnswer } from './series-answers.ts';
import { type Draft, dedupe, latestFor, mainMetric, periodFor, tenantLabels } from './shared.ts';
import { abstain, outOfScopeAnswer, statedAnswer, statedFigure } from './stated-answers.ts';
import {
  documentAnswer,
  helpAnswer,
  listAnswer,
  noDataAnswer,
  rememberAnswer,
  statedAlongside,
} from './text-answers.ts';
import { valueAnswer } from './value-answers.ts';

/**
 * The local engine's planner: read the question, call the tools through `ctx.callTool`, write the
 * answer. Deterministic — the same question over the same data gives the same answer.
 */

export async function runLocalTurn(turn: EngineTurn): Promise<EngineResult> {
  const tools = new ToolClient(turn.ctx);
  const listed = await tools.listMetrics();
  const listing: Listing = listed.ok
    ? listed.value
    : { metrics: [], documents: [], fiscalStartMonth: 1, currency: 'USD', plans: [] };
  // Every amount of this turn is written in the company's currency (format.ts).
  return inCurrency(listing.currency, () => answerTurn(turn, tools, listing));
}

async function answerTurn(turn: EngineTurn, tools: ToolClient, listing: Listing): Promise<EngineResult> {
  const { ctx } = turn;
  const draft: Draft = { lines: [], citations: [], metrics: [] };
  const labels = tenantLabels(listing);
  const ownNames = [ctx.tenant.name, ...listing.documents.map((d) => d.name)];
  const message = mendTypos(
    turn.message,
    labels.flatMap((l) => l.label.toLowerCase().split(/[^a-z]+/)),
  );
  const own = parseQuestion(message, labels, ownNames);
  let parsed = withHistory(own, { ...turn, message }, labels);
  const reading = readQuestion(message, {
    parsed,
    phraseOperation: own.operation,
    documents: listing.documents,
    ownNames: [ctx.tenant.name],
    followUp: parsed.metrics !== own.metrics,
    customerNouns: customerNouns(labels),
  });
  const kind = reading.best.kind;
  if (isMetricReading(kind)) parsed = { ...parsed, operation: operationOf(reading, parsed) };
  const latest = listing.latestMonth;

  ctx.emit({ type: 'plan', text: planText(parsed, reading, latest, listing.fiscalStartMonth) });

  if (turn.history.length === 0 && needsEarlierTurn(message, own)) unfollowedAnswer(draft, message, parsed, latest);
  // Before the record lists: "email the customer list to my CFO" is a request, not a question about customers.
  else if (kind === 'out_of_scope') outOfScopeAnswer(draft, listing, reading.outOfScope);
  else if (await recordAnswer(draft, tools, message, parsed, reading, listing, [ctx.tenant.name], turn.history)) {
    // A question about customers or deals, answered from a customer list or a deals export (or not at all).
  } else if (kind === 'remember') await rememberAnswer(draft, tools, turn.message);
  else if (kind === 'help') helpAnswer(draft, listing);
  else if (kind === 'list') listAnswer(draft, listing);
  else if (kind === 'overview' && latest) await overviewAnswer(draft, tools, latest, listing);
  else if (kind === 'overview') helpAnswer(draft, listing);
  else if (
    await planAnswer(
      draft,
      tools,
      parsed,
      listing,
      latest,
      planWords(message, turn.history, parsed.metrics !== own.metrics),
    )
  ) {
    // "Budgeted MRR for January", "how far off budget was MRR": the plan's figure, from a budget or
    // forecast in the documents (plan-answers.ts) — never the actual in its place.
  } else if (kind === 'stated') {
    const found = await statedAnswer(draft, tools, reading, listing, [ctx.tenant.name]);
    const metricReading = reading.readings.find((r) => isMetricReading(r.kind));
    // A figure may still answer a "how much / how many" question the text does not: only when the
    // reading of it as a metric question holds on its own (its metric explains the question).
    // A noun the metric leaves unexplained ("employee churn rate", "churn rate of our competitors") or a
    // rate asked of an amount ("EBITDA margin") means its figure answers another question.
    const figureFits =
      metricReading !== undefined &&
      metricReading.score >= 0.5 &&
      ['amount', 'count', 'percent', 'ratio', 'months', 'text'].includes(reading.best.answerType) &&
      qualifiers(reading).length === 0 &&
      // "What is our churn rate target": a target no sentence states is not the actual figure.
      !reading.keyNouns.some((n) => PLANNED.has(n)) &&
      !reading.excluding &&
      !reading.mismatch;
    if (!found && figureFits && latest && parsed.metrics.length > 0 && reading.names.length === 0) {
      parsed = { ...parsed, operation: operationOf({ ...reading, best: metricReading }, parsed) };
      await metricAnswer(draft, tools, parsed, latest, listing);
    } else if (!found && reading.mismatch) {
      abstain(draft, reading, listing);
      const { metric, asked } = reading.mismatch;
      draft.lines.push(
        '',
        `Your documents give **${metric}** as ${metricAnswerType(mainMetric(parsed).id) === 'count' ? 'a count' : 'an amount'}, not as a ${asked}: ask for ${metric} itself to see that figure.`,
      );
    } else if (
      !found &&
      qualifiers(reading).length > 0 &&
      parsed.metrics.some((x) => !x.weak) &&
      reading.names.length === 0
    ) {
      qualifiedAnswer(draft, parsed, reading);
    } else if (!found) {
      abstain(draft, reading, listing);
      // "Initech's MRR": the company-wide figure is another figure — named, not given.
      const m = parsed.metrics.find((x) => !x.weak);
      if (m && reading.names.length > 0)
        draft.lines.push(
          '',
          `Your documents give ${m.name} for the company as a whole, not for ${reading.names.join(', ')}: ask for it without the name to see it.`,
        );
    }
  } else if (
    isMetricReading(kind) &&
    parsed.metrics.length > 0 &&
    asksForecast(message, parsed, turn.history.length > 0) &&
    !reading.document
  )
    forecastAnswer(draft, parsed, latest);
  else if (isMetricReading(kind) && parsed.metrics.length > 0 && qualifiers(reading).length > 0 && !reading.document)
    qualifiedAnswer(draft, parsed, reading);
  else if (parsed.metrics.length === 0) await documentAnswer(draft, tools, parsed, listing);
  else if (reading.document) {
    // "According to the investor memo": the figure that document states comes first, the computed one after.
    const stated = await statedFigure(draft, tools, reading, parsed, listing);
    const before = draft.lines.length;
    if (latest) await metricAnswer(draft, tools, parsed, latest, listing);
    else if (!stated) await noDataAnswer(draft, tools, parsed, listing);
    if (stated && draft.lines.length > before) draft.lines.splice(before, 0, '', '**Computed from your tables**', '');
  } else if (!latest) await noDataAnswer(draft, tools, parsed, listing);
  else if (reading.wh === 'why' && parsed.operation === 'explain') {
    await metricAnswer(draft, tools, parsed, latest, listing);
    await withReason(draft, tools, reading, listing, [ctx.tenant.name]);
  } else {
    await metricAnswer(draft, tools, parsed, latest, listing);
    // A figure the text states for the same metric is shown after the computed one, named as such.
    if (parsed.operation === 'value' && draft.lines[0]?.startsWith('**'))
      await statedAlongside(draft, tools, parsed, listing);
  }

  const answer = draft.lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  streamAnswer(answer, (text) => ctx.emit({ type: 'delta', text }));
  return { answer, citations: dedupe(draft.citations), metrics: draft.metrics, tokens: { input: 0, output: 0 } };
}

/**
 * "And Q3?", "same for q4", "what about new MRR that month" in a conversation with no earlier turn:
 * the figure it follows on from is unknown, so any figure given would answer a guess.
 */
const FOLLOW_ON = /^\s*(?:and|same|what about|how about)\b/i;
const REFERS_BACK = /\b(?:that|the same) (?:month|quarter|qtr|year|period)\b/i;
function needsEarlierTurn(message: string, own: ParsedQuestion): boolean {
  // "Compared to the same month last year" names its own comparison (a year earlier), no earlier turn.
  const ownWords = yearBeforeCues(message).reduce((t, cue) => t.replace(cue, ' '), message.toLowerCase());
  if (REFERS_BACK.test(ownWords)) return true;
  return FOLLOW_ON.test(message) && (own.metrics.length === 0 || own.periods.length === 0);
}

function unfollowedAnswer(draft: Draft, message: string, parsed: ParsedQuestion, latest: string | undefined) {
  const q = message.trim().replace(/\s+/g, ' ');
  const metric = parsed.metrics[0]?.name ?? 'MRR';
  const period = latest ? formatPeriod(latest) : 'last quarter';
  draft.lines.push(
    `I couldn't find what “${q}” follows on from: there is no earlier question in this conversation.`,
    '',
    `Ask it in full, naming the metric and the period — for example “What was ${metric} in ${period}?”`,
  );
}

/**
 * "Churn rate in Germany", "CAC in Europe", "MRR in euros", "salesforce's ARR": the metric is read, but a
 * noun of the question is not — a segment, a currency, another company. The company-wide figure would
 * answer another question, so it is named, not given.
 */
function qualifiedAnswer(draft: Draft, parsed: ParsedQuestion, reading: QuestionReading) {
  const m = mainMetric(parsed);
  if (reading.excluding) {
    draft.lines.push(
      `I couldn't find **${m.name}** ${reading.excluding} in your documents: they give ${m.name} for the company as a whole, and I don't take parts out of a figure.`,
      '',
      `Ask for ${m.name} to see the company-wide figure, or upload a breakdown that has it.`,
    );
    return;
  }
  // "What's 15% of our ARR", "ARR at 3x": arithmetic on the figure, which is not a figure the documents give.
  if (qualifiers(reading).every((n) => /^\d/.test(n))) {
    draft.lines.push(
      `I couldn't compute what “${qualifiers(reading).join(', ')}” asks of **${m.name}** from your documents: I give ${m.name} as your documents report it or the catalog computes it, not arithmetic on it.`,
      '',
      `Ask for ${m.name} itself to see that figure.`,
    );
    return;
  }
  const what = qualifiers(reading)
    .map((n) => `“${n}”`)
    .join(', ');
  draft.lines.push(
    `I couldn't find **${m.name}** for ${what} in your documents: they give ${m.name} for the company as a whole, not broken down that way.`,
    '',
    `Ask for ${m.name} without ${what} to see the company-wide figure, or upload a breakdown that has it.`,
  );
}

/**
 * "How much cash will we have in 6 months?", "what's our burn going to be next quarter?": a figure for
 * a period after the data is a forecast, and the latest figure would answer another question. Runway
 * is itself a look ahead ("how long will the cash last"), so it is not one.
 */
const FUTURE =
  /\b(?:will|going to|gonna|forecast(?:ed)?|project(?:ed|ion)?|next (?:month|quarter|qtr|year|fiscal year|fy)|in (?:\d+|a|one|two|three|six|nine|twelve) (?:more )?(?:months?|quarters?|years?)\b(?! ago))/i;
const LOOKS_AHEAD = new Set(['runway']);
function asksForecast(message: string, parsed: ParsedQuestion, followsOn: boolean): boolean {
  // In a conversation, "and the next quarter?" is the quarter after the one just asked about.
  const text = followsOn ? message.replace(/\bthe (?:next|following) (?:month|quarter|qtr|year)\b/gi, ' ') : message;
  // A named period after the data ("in December 2026") is said as such by the figure's answer.
  return parsed.periods.length === 0 && FUTURE.test(text) && !LOOKS_AHEAD.has(mainMetric(parsed).id);
}

function forecastAnswer(draft: Draft, parsed: ParsedQuestion, latest: string | undefined) {
  const m = mainMetric(parsed);
  draft.lines.push(
    `I couldn't find **${m.name}** for a future period in your documents: I report what they show rather than forecast.`,
    '',
    latest
      ? `Ask for ${m.name} in ${formatPeriod(latest)} (the latest month of your data) to see the latest figure.`
      : 'Upload a metrics export or a P&L to see the latest figure.',
  );
}

/**
 * Nouns that say how a figure is wanted, not which part of the business: they qualify nothing. A
 * target or plan is a figure the documents state (the stated reading finds it), not a breakdown.
 */
const NOT_A_QUALIFIER = new Set([
  'target',
  'plan',
  'goal',
  'budget',
  'forecast',
  'projection',
  'whole',
  'total',
  'overall',
  'point',
  'basis',
  'number',
  'figure',
  'amount',
  'value',
  'term',
  'percentage',
  'percent',
  'time',
  'moment',
  'today',
  'company',
  'business',
  'metric',
  'kpi',
  'data',
  'document',
  'table',
  'sheet',
]);
const qualifiers = (reading: QuestionReading) => reading.keyNouns.filter((n) => !NOT_A_QUALIFIER.has(n));

/** A follow-up ("and in Q1?", "what about last quarter?") keeps the previous question's metric. */
function withHistory(
  parsed: ParsedQuestion,
  turn: EngineTurn,
  labels: Array<{ id: string; label: string }>,
  depth = 0,
): ParsedQuestion {
  const previous = turn.history.at(-1);
  if (!previous) return parsed;
  const followUp = /^\s*(and|what about|how about|same|also|then|ok|okay)\b/i.test(turn.message);
  const short = turn.message.trim().split(/\s+/).length <= 8;
  // The previous turn as it was read, itself with the turns before it ("what about march" after "and
  // the next quarter?" after "revenue for Q1 FY26" keeps revenue).
  let before =
    turn.history.length > 1 && depth < 4
      ? withHistory(
          parseQuestion(previous.question, labels),
          { ...turn, message: previous.question, history: turn.history.slice(0, -1) },
          labels,
          depth + 1,
        )
      : parseQuestion(previous.question, labels);
  // "And the quarter before?", "what about the next month?": the previous question's period, moved.
  const moved = movedPeriod(turn.message, before.periods[0]);
  if (moved) {
    parsed = { ...parsed, periods: [moved] };
    before = { ...before, periods: [moved] };
  }
  // "What about GRR?" after "What was NRR in Q2 2026?": the new metric, the previous period.
  if (parsed.metrics.length > 0) {
    if (followUp && parsed.periods.length === 0 && before.periods.length > 0)
      return { ...parsed, periods: before.periods };
    return parsed;
  }
  if (before.metrics.length === 0) return parsed;
  // "Why?", "How come?" after a figure: explain that figure.
  const why = short && /^\s*(why|how come|what drove|what caused|explain)\b/i.test(turn.message);
  // "Is that good?", "How does it compare?": the benchmark for that figure.
  const judge =
    short &&
    /\b(good|healthy|bad|strong|weak|benchmarks?|compare|stack up|peers|median|typical|normal)\b/i.test(turn.message) &&
    (followUp || /\b(that|this|it|we)\b/i.test(turn.message));
  // "And in Q1?" after a metric question: the previous metric, the new period.
  if (!(followUp || why || judge || (short && parsed.periods.length > 0))) return parsed;
  const operation = why
    ? 'explain'
    : judge
      ? 'value'
      : parsed.operation === 'document' || parsed.operation === 'list' || parsed.operation === 'overview'
        ? before.operation
        : parsed.operation;
  return {
    ...parsed,
    metrics: before.metrics,
    // "and q3?" after "revenue in Q2 FY26": Q3 of the same (fiscal) year.
    periods: parsed.periods.length ? parsed.periods.map((p) => withYearOf(p, before.periods[0])) : before.periods,
    operation,
    benchmark: judge || parsed.benchmark || before.benchmark,
  };
}

/** "The quarter before", "the next month", "a year earlier" in a follow-up: the earlier period shifted by its own length. */
function movedPeriod(message: string, previous: PeriodSpec | undefined): PeriodSpec | undefined {
  if (!previous) return undefined;
  const lower = message.toLowerCase();
  const m =
    /\b(month|quarter|qtr|year|period|one)\s+(before|prior|earlier|after|later)\b/.exec(lower) ??
    /\b(previous|prior|preceding|next|following)\s+(month|quarter|qtr|year|period|one)\b/.exec(lower);
  if (!m) return undefined;
  const [dir, noun] = /^(month|quarter|qtr|year|period|one)$/.test(m[1]!) ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
  const back = ['before', 'prior', 'earlier', 'previous', 'preceding'].includes(dir);
  const unit =
    noun === 'qtr' ? 'quarter' : noun === 'month' || noun === 'quarter' || noun === 'year' ? noun : undefined;
  return { shift: back ? -1 : 1, of: previous, ...(unit ? { unit } : {}) };
}

function planText(
  parsed: ParsedQuestion,
  reading: QuestionReading,
  latest: string | undefined,
  fiscalStart: number,
): string {
  const readings = reading.readings
    .slice(0, 3)
    .map((r) => `${r.kind} (${r.answerType}) ${r.score}`)
    .join(' · ');
  return `Reading: ${readings}. ${operationText(parsed, reading, latest, fiscalStart)}`;
}

function operationText(
  parsed: ParsedQuestion,
  reading: QuestionReading,
  latest: string | undefined,
  fiscalStart: number,
): string {
  if (reading.best.kind === 'out_of_scope') return 'Outside what I do: saying what I answer instead.';
  if (reading.best.kind === 'stated')
    return `Looking for a ${reading.best.answerType} stated in ${reading.document ? reading.document.name : 'the documents'}.`;
  if (parsed.operation === 'remember') return 'A statement to keep: saving it as a fact of this conversation.';
  if (parsed.operation === 'help') return 'A greeting or a question about what I can do: examples from your data.';
  if (parsed.operation === 'list') return 'Listing the metrics and line items found in your documents.';
  if (parsed.operation === 'overview')
    return 'Key metrics at a glance: ARR, growth, NRR, logo churn, burn multiple, runway.';
  if (parsed.operation === 'document' || parsed.metrics.length === 0)
    return 'No metric named: searching the documents for the passage that answers.';
  const names = parsed.metrics.map((m) => m.name).join(', ');
  const what = {
    value: 'value',
    overview: 'overview',
    help: 'help',
    remember: 'remember',
    trend: 'trend',
    max: 'highest period',
    min: 'lowest period',
    change: 'change between periods',
    explain: 'value with its drivers',
    list: 'list',
    document: 'documents',
  }[parsed.operation];
  const period =
    latest && parsed.metrics[0] && (parsed.operation === 'value' || parsed.operation === 'explain')
      ? ` · period: ${periodFor(parsed, mainMetric(parsed).id, latest, fiscalStart).period.label}`
      : '';
  return `Metric: ${names} · operation: ${what}${parsed.benchmark ? ' + benchmark comparison' : ''}${period}${latest ? ` · latest data: ${formatPeriod(latest)}` : ''}.`;
}

async function metricAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  dataEnd: string,
  listing: Listing,
) {
  const m = mainMetric(parsed);
  // Relative periods are anchored to this metric's own latest data (never past the data's end).
  const own = latestFor(listing, m.id);
  const latest = own && own < dataEnd ? own : dataEnd;
  // "What's our MRR?" when that metric's data stops long before the rest (a list that happens to have a
  // date column, an old deck): its last figure is not the current one, so it is not given as such.
  if (parsed.periods.length === 0 && own && monthsBetween(own, dataEnd) > STALE_MONTHS) {
    draft.lines.push(
      `I couldn't find a current **${m.name}** in your documents: the latest figure they give is for ${formatPeriod(own)}, while your other data runs to ${formatPeriod(dataEnd)}.`,
      '',
      `Ask for ${m.name} in ${formatPeriod(own)} to see that figure, or upload a recent export that has it.`,
    );
    return;
  }
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

/** A metric's own data may lag the rest by a quarter (a P&L closed later than billing); more is stale. */
const STALE_MONTHS = 3;
const monthsBetween = (a: string, b: string) =>
  (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));

/** Stream the answer in a few chunks, split at paragraph or line boundaries. */
function streamAnswer(answer: string, emit: (text: string) => void) {
  const parts = answer.split(/(?<=\n)/);
  const size = Math.max(1, Math.ceil(parts.length / 4));
  for (let i = 0; i < parts.length; i += size) emit(parts.slice(i, i + size).join(''));
}
