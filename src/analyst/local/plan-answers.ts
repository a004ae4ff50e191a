import { METRICS_BY_ID, normalizeLabel } from '../../graph/catalog.ts';
import { formatPeriod, lastMonthOf } from '../../lib/periods.ts';
import { sourcesSection } from './answer.ts';
import type { Figure, Listing, ToolClient } from './calls.ts';
import { formatChange, formatDelta, formatValue, lowerName } from './format.ts';
import type { ParsedQuestion } from './parse-question.ts';
import { agree, type Draft, isDerived, keep, mainMetric, metricValue, periodFor } from './shared.ts';
import { readingLine } from './value-answers.ts';

/**
 * A figure set ahead of time: "budgeted MRR for January", "MRR budget for April", "the forecast for
 * March", "MRR vs plan". The word `plan` alone also names a subscription plan ("customers on the Growth
 * plan"), so it counts only where it stands as the plan a figure is held against ("vs plan", "the plan",
 * "on plan").
 */
const PLAN_ASKED =
  /\b(?:budget(?:ed|s)?|forecast(?:ed|s)?|targets?|targeted|projections?|projected|planned)\b|\b(?:vs\.?|versus|against|to|off|from|the|our|on|above|below|behind|ahead of|beat|missed|hit)\s+plan\b/i;

/** "How far off budget", "MRR vs budget", "did we beat the plan": the actual against the plan. */
const AGAINST_PLAN =
  /\b(?:off|vs\.?|versus|against|compared?|comparison|variance|beat|beaten|miss(?:ed)?|ahead|behind|above|below|short|gap|difference|differ(?:ed)?|track)\b/i;

/** "How much over budget", "under plan", "what % of budget did we hit": the actual against the plan too. */
const OVER_PLAN = /\b(?:over|under)\s+(?:the\s+)?(?:budget|plan|forecast|target)\b/i;
/** "What % of budget did we hit", "percentage of plan": the actual as a share of the plan. */
const SHARE_OF_PLAN = /(?:%|\bpercent(?:age)?|\bshare)\s+of\s+(?:the\s+|our\s+)?(?:budget|plan|forecast|target)\b/i;

/** Whether a question asks for a plan's figure rather than what happened. */
export const asksPlan = (text: string) => PLAN_ASKED.test(text);

/** A follow-up's own words ("and december?", "what about new customers"): it keeps what was asked before. */
const FOLLOWS_ON = /^\s*(?:and|what about|how about|same|also|then)\b/i;

/**
 * The words that ask for a plan in this turn: the question's own, or — for a follow-up that does not ask
 * for the actual ("and December?" after "budgeted MRR for November") — those of the turn it follows on
 * from, so the follow-up is answered from the plan too, never with the actual figure.
 */
export function planWords(
  message: string,
  history: ReadonlyArray<{ question: string }>,
  followsOn: boolean,
): string | undefined {
  if (asksPlan(message)) return message;
  if (!(followsOn || FOLLOWS_ON.test(message)) || /\bactuals?\b/i.test(message)) return undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const q = history[i]!.question;
    if (asksPlan(q)) return q;
    if (!FOLLOWS_ON.test(q)) return undefined;
  }
  return undefined;
}

/**
 * A question for a plan's figure, answered from the plans the documents hold (a budget, forecast or
 * target sheet: never an actual), or for the actual against it ("how far off budget was MRR in
 * January" = actual − plan). Returns false when it is not such a question, or the documents' plans do
 * not give the metric at all — then the question goes on to the text, which may state a target. A plan
 * that gives the metric but not the period asked says so: never the actual instead.
 */
export async function planAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  listing: Listing,
  latest: string | undefined,
  asked: string | undefined = asksPlan(parsed.text) ? parsed.text : undefined,
): Promise<boolean> {
  if (listing.plans.length === 0 || parsed.metrics.length === 0 || asked === undefined) return false;
  const m = mainMetric(parsed);
  // The plan's own line by the words asked, when it is not the metric the actuals read them as (a
  // budget's `New agencies` line beside actuals that call their customers agencies).
  const words = (x: string) =>
    normalizeLabel(x)
      .split(' ')
      .map((w) => w.replace(/ies$/, 'y').replace(/s$/, ''))
      .join(' ');
  const listed =
    listing.plans.find((p) => p.metric === m.id) ??
    listing.plans.find((p) => p.metric.startsWith('item:') && words(p.name) === words(m.phrase));
  const name = METRICS_BY_ID.get(m.id)?.name ?? m.name;
  // A follow-up of a plan question ("what about new customers") that the plans cannot answer is still a
  // question about the plan: said so, never answered with the actual.
  const inherited = !asksPlan(parsed.text);
  const noPlan = () => {
    if (!inherited) return false;
    draft.lines.push(
      `I couldn't find a planned **${name}** in your documents: ${listing.plans
        .flatMap((p) => p.plans)
        .filter((x, i, all) => all.indexOf(x) === i)
        .join(', ')} does not give it, and I don't give an actual figure as the plan.`,
    );
    return true;
  };
  if (!listed && !isDerived(m.id)) return noPlan();
  // A month named without a year is the latest one the plan covers ("the forecast for February" after
  // December's actuals is next February); set against the actual, the latest one the actuals cover.
  const against = SHARE_OF_PLAN.test(asked) || OVER_PLAN.test(asked) || AGAINST_PLAN.test(asked);
  const planEnd = (listed?.periods ?? [])
    .map((p) => lastMonthOf(p))
    .filter((x): x is string => x !== undefined)
    .sort()
    .at(-1);
  const anchor = against ? (latest ?? planEnd) : (planEnd ?? latest);
  if (!anchor) return false;
  const { period } = periodFor(parsed, m.id, anchor, listing.fiscalStartMonth);
  // "The forecast" of a workbook with a budget and a forecast is the forecast's figure.
  const word = /\b(budget|forecast|target|projection|plan)/i.exec(asked)?.[1]?.toLowerCase();
  const plan = await tools.getPlan(listed?.metric ?? m.id, period.id, word);
  if (!plan.ok || plan.value.value === null) {
    if (!listed) return noPlan();
    const names = listed.plans.join(', ') || 'your plan';
    const first = listed.periods[0];
    const last = listed.periods.at(-1);
    draft.lines.push(
      `I couldn't find a planned **${name}** for ${period.label} in your documents: ${names} gives ${name}${
        first && last ? ` from ${formatPeriod(first)} to ${formatPeriod(last)}` : ''
      }, and I don't give an actual figure as the plan.`,
    );
    return true;
  }
  // The plan's own line read for the metric asked: the metric's unit (a count is no amount of money).
  const unit = listed && listed.metric !== m.id ? (METRICS_BY_ID.get(m.id)?.unit ?? plan.value.unit) : plan.value.unit;
  const p = { ...plan.value, unit };
  const planName = p.plan ?? listed?.plans.join(', ') ?? 'your plan';
  const planned = formatValue(p.value!, p.unit);
  keep(draft, p);
  const share = SHARE_OF_PLAN.test(asked);
  if (against) {
    const actual = await metricValue(tools, m, period);
    if (actual.ok && actual.value.value !== null) {
      againstPlan(draft, name, period.label, actual.value, p, planName, share);
      return true;
    }
    draft.lines.push(
      `I couldn't find the actual **${name}** for ${period.label} in your documents, so I can't set it against the plan: “${planName}” plans ${planned}.`,
    );
  } else {
    draft.lines.push(`**Planned ${lowerName(name)} for ${period.label}: ${planned}** (from “${planName}”).`);
  }
  draft.lines.push('', `This is the plan's figure, not an actual one.`);
  for (const r of p.readings ?? []) draft.lines.push(readingLine(r));
  draft.lines.push(...sourcesSection(p.sources));
  return true;
}

/** The actual, how far it is from the plan (actual − plan) and the plan, each with its source. */
function againstPlan(
  draft: Draft,
  name: string,
  label: string,
  actual: Figure,
  plan: Figure,
  planName: string,
  asShare = false,
) {
  keep(draft, actual);
  const gap = actual.value! - plan.value!;
  // "What % of budget did we hit": the actual as a percentage of the plan leads.
  if (asShare && plan.value !== 0 && plan.unit !== 'percent') {
    const pct = (actual.value! / plan.value!) * 100;
    draft.lines.push(
      `**${name} in ${label} was ${formatValue(pct, 'percent')} of ${planName}: ${formatValue(actual.value!, actual.unit)} against ${formatValue(plan.value!, plan.unit)}.**`,
      '',
    );
  }
  const side = gap > 0 ? 'above' : gap < 0 ? 'below' : 'exactly on';
  // A percent metric's gap is in points already; an amount's is also said as a share of the plan.
  const change = plan.unit === 'percent' ? undefined : formatChange(plan.value!, actual.value!);
  const share = change ? `, ${change}` : '';
  draft.lines.push(
    gap === 0
      ? `**${name} in ${label} ${agree('was', name)} ${formatValue(actual.value!, actual.unit)}, exactly on the plan (“${planName}”).**`
      : `**${name} in ${label} ${agree('was', name)} ${formatValue(actual.value!, actual.unit)}: ${formatValue(Math.abs(gap), actual.unit)} ${side} the plan (“${planName}”: ${formatValue(plan.value!, plan.unit)}${share}).**`,
    '',
    `- Actual: ${formatValue(actual.value!, actual.unit)}${actual.sources[0] ? ` — ${citeOf(actual)}` : ''}`,
    `- Plan: ${formatValue(plan.value!, plan.unit)}${plan.sources[0] ? ` — ${citeOf(plan)}` : ''}`,
    `- Difference (actual − plan): ${formatDelta(gap, actual.unit)}`,
  );
  for (const r of [...(actual.readings ?? []), ...(plan.readings ?? [])]) draft.lines.push(readingLine(r));
  draft.lines.push(...sourcesSection([...actual.sources, ...plan.sources]));
}

const citeOf = (f: Figure) => {
  const c = f.sources[0]!;
  return 'benchmark' in c ? c.publisher : `${c.document_name}${c.locator ? `, ${c.locator}` : ''}`;
};
