import { METRICS_BY_ID } from '../../graph/catalog.ts';
import { outsideData } from '../../graph/engine/coverage.ts';
import { formatPeriod, monthsOf } from '../../lib/periods.ts';

const firstMonthOfPeriod = (p: string): string | undefined => monthsOf(p.split('..')[0] ?? p)[0];

import { documentFor, labelOf, missingLines, sourcesSection, sourceText } from './answer.ts';
import type { Figure, Listing, Outcome, ToolClient } from './calls.ts';
import { formatValue } from './format.ts';
import { isRelative } from './parse-periods.ts';
import { type MetricMention, type ParsedQuestion, parseQuestion, phrasesNaming } from './parse-question.ts';
import { supportingPassage, WHY_RE } from './reason-answers.ts';
import { bestSentences, type Extract, keyTerms, searchQuery, stemWord } from './retrieval.ts';
import {
  citationOf,
  coverage,
  type Draft,
  dedupe,
  mainMetric,
  type ResolvedPeriod,
  resolveSpec,
  tenantLabels,
} from './shared.ts';
import { countIn } from './stated.ts';

/**
 * Answers from the documents' text: extractive answers to document questions, and what to say when a
 * metric is missing (quoting the text when it states the figure, naming the document that would supply it).
 */

/** The first month any metric of the company has data for. */
function earliestMonth(listing: Listing): string | undefined {
  let first: string | undefined;
  for (const m of listing.metrics) {
    for (const p of m.periods) {
      const start = firstMonthOfPeriod(p);
      if (start && (!first || start < first)) first = start;
    }
  }
  return first;
}

export async function missingAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  period: ResolvedPeriod,
  got: Outcome<Figure>,
  listing: Listing,
) {
  const name = METRICS_BY_ID.get(m.id)?.name ?? m.name;
  const latest = listing.latestMonth;
  if (got.ok && got.value.problem) {
    // A figure the metric cannot be: say what was read and why it is wrong, never state it.
    const p = got.value.problem;
    draft.lines.push(
      p.read === undefined
        ? `I can't compute a valid **${name}** for ${labelOf(period.id)} from your documents: ${p.message.replace(/^cannot state [^:]+: /, '')}.`
        : `I can't compute a valid **${name}** for ${labelOf(period.id)} from your documents: the reading gives ${formatValue(p.read, got.value.unit)}, which cannot be right (${p.message}).`,
      '',
      'This usually means a movement is signed the other way in a table (churn or contraction written as negative numbers) or a total row was read as a month. Check those columns, or tell me how they are signed.',
    );
    if (got.value.formula) draft.lines.push('', `${name} = ${got.value.formula}.`);
    const inputs = got.value.inputs.slice(0, 6);
    for (const i of inputs)
      draft.lines.push(
        `- ${i.name ?? i.metric} (${labelOf(i.period)}): ${formatValue(i.value, METRICS_BY_ID.get(i.metric)?.unit ?? 'number')}`,
      );
    draft.citations.push(...got.value.sources);
    return;
  }
  // Before or after all the data: the graph says so on the value (coverage.ts); a series question that
  // found no values asks the same rule of the months list_metrics gave, so both say it in the same words.
  const outside =
    (got.ok ? got.value.outside_data : undefined) ??
    outsideData(period.months, { first: earliestMonth(listing), last: latest });
  if (outside?.position === 'before') {
    // Before any data: say what the data covers instead of "missing" (a memo may still state it).
    const { stated } = await statedFor(tools, parsed, m, listing, { parsed, period });
    if (stated) {
      draft.lines.push(`“${stated.sentence}”`, '', `— ${sourceText(stated.passage)}`, '');
      draft.citations.push(citationOf(stated.passage, stated.sentence));
      draft.lines.push(`This is quoted from the text: no table of yours goes back to ${period.label}.`);
      return;
    }
    draft.lines.push(
      `I couldn't find **${name}** for ${period.label} in your documents: ${outside.note}.`,
      '',
      `Ask for ${name} within that range, or upload older documents.`,
    );
    return;
  }
  if (outside?.position === 'after') {
    // A plan or target the text states for that period ("grow headcount to 120 by the end of FY2027")
    // answers it, named as a plan; otherwise say the data ends before it instead of "missing".
    const { stated: plan } = await statedFor(tools, parsed, m, listing, { parsed, period });
    if (plan) {
      draft.lines.push(`“${plan.sentence}”`, '', `— ${sourceText(plan.passage)}`, '');
      draft.citations.push(citationOf(plan.passage, plan.sentence));
      draft.lines.push(
        `This is a plan stated in the text, not a figure from your tables: ${outside.note}, so no table gives **${name}** for ${labelOf(period.id)}.`,
      );
      return;
    }
    draft.lines.push(
      `I couldn't find **${name}** for ${labelOf(period.id)} in your documents: ${outside.note}, and I report what the documents show rather than forecast.`,
      '',
      `Ask for ${name} in ${formatPeriod(outside.last)}, or upload newer documents.`,
    );
    return;
  }
  // The documents' text may still state it ("We closed the quarter at $1.1M of MRR"): quote that first.
  const { found, stated: said } = await statedFor(tools, parsed, m, listing, { parsed, period });
  // A figure the text states on a plan ("on the budgeted burn … about 25 months of runway") is the plan's,
  // not the company's: it is shown after the "can't compute", never as the answer.
  const onPlan = said && statedOnPlan(said.sentence) ? said : undefined;
  const stated = onPlan ? undefined : said;
  if (stated) {
    draft.lines.push(`“${stated.sentence}”`, '', `— ${sourceText(stated.passage)}`, '');
    draft.citations.push(citationOf(stated.passage, stated.sentence));
    draft.lines.push(
      `No table in your documents gives **${name}** for ${labelOf(period.id)}, so this is quoted from the text, not computed.`,
    );
  }
  const missing = got.ok ? got.value.missing : [];
  if (got.ok && missing.length > 0) {
    draft.lines.push(
      `${stated ? '' : `I can't compute **${name}** for ${labelOf(period.id)} from your documents: `}Some inputs are missing.`.replace(
        ': Some',
        ': some',
      ),
    );
    draft.lines.push('', ...missingLines(missing));
    if (got.value.formula) draft.lines.push('', `${name} = ${got.value.formula}.`);
  } else {
    const reason = got.ok ? '' : ` (${got.error.message.replace(/\.$/, '')})`;
    if (!stated) draft.lines.push(`I couldn't find **${name}** for ${labelOf(period.id)} in your documents${reason}.`);
    const def = METRICS_BY_ID.get(m.id);
    const needs = def?.components?.length ? def.components : [m.id];
    draft.lines.push(
      '',
      `To ${stated ? 'compute it' : 'answer'}, upload ${documentFor(needs[0] ?? m.id)}${def?.formula ? ` — ${name} = ${def.formula}` : ''}.`,
    );
  }
  if (onPlan) {
    draft.lines.push(
      '',
      `The text states one on a plan, not on what happened: “${onPlan.sentence}” — ${sourceText(onPlan.passage)}`,
    );
    draft.citations.push(citationOf(onPlan.passage, onPlan.sentence));
  }
  draft.lines.push('', coverage(listing));
  // "Why did churn go up?" with no table to compute it: the reason a document gives still answers.
  if (parsed.operation === 'explain' || WHY_RE.test(parsed.text)) await supportingPassage(draft, tools, parsed, m);
  // Only sentences about this metric are worth showing next to a "not found".
  const words = `${m.phrase} ${name}`
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 3);
  const others = found
    .filter((e) => e !== said && words.some((w) => e.sentence.toLowerCase().includes(w)))
    .slice(0, stated ? 1 : 2);
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
const ONE_CUSTOMER_RE =
  /\b(largest|biggest|top|key|new|one)\s+(customer|client|account|logo)\b|\b(customer|client|account)\s+(is|was|remains|signed|pays)\b/i;

function statedIn(
  found: Extract[],
  m: MetricMention,
  listing: Listing,
  asked?: { parsed: ParsedQuestion; period: ResolvedPeriod },
): Extract | undefined {
  const labels = tenantLabels(listing);
  return found.find((e) => {
    if (!/\d/.test(e.sentence)) return false;
    // A figure about one customer ("our largest customer is at $18,400 MRR") is not the company's.
    if (ONE_CUSTOMER_RE.test(e.sentence)) return false;
    const read = parseQuestion(e.sentence, labels);
    const named = read.metrics.find((x) => x.id === m.id);
    if (!named) return false;
    // A count is stated only as a number of what is counted ("96 employees"), never by a number that
    // happens to share the sentence ("businesses with fewer than ten employees churned in Q3").
    // (A plan for a period after the data states where the count is to go: "grow headcount to 120".)
    const plan = asked !== undefined && listing.latestMonth !== undefined && asked.period.start > listing.latestMonth;
    if (METRICS_BY_ID.get(m.id)?.unit === 'count' && !plan) {
      const noun = named.phrase.split(' ').at(-1) ?? '';
      if (!countIn(e.sentence, [noun], asked?.parsed.text ?? '')) return false;
    }
    if (!asked || asked.parsed.periods.length === 0) return true;
    const explicit = read.periods.filter((p) => !isRelative(p));
    // Undated text describes the present: it answers a question about the latest period.
    if (explicit.length === 0) return asked.period.end === listing.latestMonth;
    const months = new Set(asked.period.months);
    return explicit.some((p) =>
      resolveSpec(p, asked.period.end, listing.fiscalStartMonth).months.some((x) => months.has(x)),
    );
  });
}

/**
 * The sentence stating the metric (`statedIn`), searched with the question's words and, when those find
 * none, with the metric's other names as well: text states a figure in its own words ("we were 58 people
 * at the end of January" for "headcount at the end of jan"). The names are a second search, not part of
 * the first, so a table whose rows carry them ("Closing balance") does not crowd out the sentence the
 * question's own words find. `found` is what the question's words found.
 */
async function statedFor(
  tools: ToolClient,
  parsed: ParsedQuestion,
  m: MetricMention,
  listing: Listing,
  asked?: { parsed: ParsedQuestion; period: ResolvedPeriod },
): Promise<{ found: Extract[]; stated: Extract | undefined }> {
  const found = await searchSentences(tools, parsed);
  const stated = statedIn(found, m, listing, asked);
  if (stated) return { found, stated };
  return { found, stated: statedIn(await searchSentences(tools, parsed, m), m, listing, asked) };
}

export async function noDataAnswer(draft: Draft, tools: ToolClient, parsed: ParsedQuestion, listing: Listing) {
  const m = mainMetric(parsed);
  const { found, stated } = await statedFor(tools, parsed, m, listing);
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

export function listAnswer(draft: Draft, listing: Listing) {
  if (listing.metrics.length === 0) {
    draft.lines.push(
      'No metrics have been extracted yet: upload a metrics export (CSV/XLSX), a P&L or a board update.',
    );
    return;
  }
  draft.lines.push(`**Your documents report ${listing.metrics.length} metrics and line items.**`, '');
  for (const m of listing.metrics.slice(0, 40)) {
    const span = m.periods.length ? `${labelOf(m.periods[0]!)} – ${labelOf(m.periods.at(-1)!)}` : 'no periods';
    const latest = m.latest ? ` — latest ${formatValue(m.latest.value, m.unit)} in ${labelOf(m.latest.period)}` : '';
    draft.lines.push(`- ${capitalize(m.name)} (${span})${latest}`);
  }
  draft.lines.push(
    '',
    'From these I can also compute ARR, net new MRR, NRR, GRR, logo churn, CAC payback, burn multiple, magic number, quick ratio, Rule of 40 and runway where the inputs are present.',
  );
}

/** "Hi", "what can you do?": what the analyst answers, with questions this tenant's data supports. */
export function helpAnswer(draft: Draft, listing: Listing) {
  const has = new Set(listing.metrics.map((m) => m.metric));
  const examples = [
    has.has('mrr') ? 'What is our current ARR?' : undefined,
    has.has('starting_mrr') || has.has('mrr')
      ? 'What was our net revenue retention last quarter, and is it good for our stage?'
      : undefined,
    has.has('churned_mrr') ? 'Which month in the last 12 months had the highest churned MRR?' : undefined,
    has.has('net_burn') ? 'What is our burn multiple for the last quarter?' : undefined,
    listing.documents.length > 0 ? 'Who is our largest customer?' : undefined,
    'How are we doing?',
  ].filter((q): q is string => Boolean(q));
  draft.lines.push(
    "**I'm your operations analyst: I answer from your documents, with the figures, how they were computed, benchmarks and sources.**",
    '',
    'Try:',
    ...examples.map((q) => `- ${q}`),
  );
  if (listing.documents.length === 0)
    draft.lines.push('', 'First upload your documents: a monthly metrics export (CSV/XLSX), a P&L, board updates.');
}

const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** Sentences of the documents that answer the question; with `metric`, its other names are searched and matched too. */
async function searchSentences(tools: ToolClient, parsed: ParsedQuestion, metric?: MetricMention) {
  const names = metric ? phrasesNaming(metric.id) : [];
  const nameWords = [...new Set(names.flatMap((n) => n.split(' ')))].filter((w) => w.length >= 3);
  const query = [searchQuery(parsed.text), ...nameWords.slice(0, 12)].join(' ');
  const res = await tools.search(query, 8);
  if (!res.ok) return [];
  // The question's words for the metric stand for each of its one-word names.
  const oneWord = names.filter((n) => !n.includes(' '));
  const synonyms = Object.fromEntries(
    keyTerms(metric?.phrase ?? '').map((t) => [t, oneWord.filter((n) => stemWord(n) !== t)]),
  );
  return bestSentences(parsed.text, res.value, 3, synonyms);
}

/** Answers from the text; returns false when no sentence answers (the caller may try the figures instead). */
export async function documentAnswer(
  draft: Draft,
  tools: ToolClient,
  parsed: ParsedQuestion,
  listing: Listing,
  quietWhenNotFound = false,
): Promise<boolean> {
  const found = await searchSentences(tools, parsed);
  const best = found[0];
  if (!best && quietWhenNotFound) return false;
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
    return false;
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
  return true;
}

/** "Remember that our fiscal year starts in July": kept as a fact of this conversation, sourced to it. */
export async function rememberAnswer(draft: Draft, tools: ToolClient, text: string) {
  const statement = text
    .trim()
    .replace(/^(please\s+)?(remember|note|noted|fyi|for the record|keep in mind)\b[\s:,]*(that\s+)?/i, '')
    .replace(/[.!\s]+$/, '');
  const saved = await tools.remember({ subject: 'company', predicate: 'stated', object: statement.slice(0, 1000) });
  if (saved.ok) {
    draft.lines.push(`**Noted:** “${statement}” — saved to your company's graph, sourced to this conversation.`);
  } else {
    draft.lines.push(`I couldn't save that (${saved.error.message}).`);
  }
}

/** What a plan is called, as a basis a stated figure rests on. */
const PLAN_NOUN = '(?:budget|budgeted|forecast|forecasted|plan|planned|projected|projection|target)';
const PLAN_BASIS = new RegExp(
  `\\b(?:on|at|per|under|in|with|using|assuming)\\s+(?:the|our|its|a|this|that)\\s+(?:[\\w-]+\\s+)?${PLAN_NOUN}\\b`,
  'i',
);
const PLAN_ADJECTIVE =
  /(?<!\b(?:than|vs\.?|versus|against|to|of|from|on)\s+)\b(?:budgeted|forecasted|planned|projected)\s+[a-z]/i;
/**
 * Whether a sentence states its figure on a plan's basis: "on the budgeted burn of £125,000 a month …
 * about 25 months of runway", "at our planned spend", "in the FY27 forecast", "the projected burn gives …".
 * A plan the actual is measured against ("better than plan", "against a budget of", "vs forecast", "on
 * plan") is no basis: that sentence states what happened.
 */
export const statedOnPlan = (sentence: string) => PLAN_BASIS.test(sentence) || PLAN_ADJECTIVE.test(sentence);

/**
 * A figure the documents' text states for the metric just computed ("management estimates a runway
 * of 28 months"): shown after the computed figure, saying which is which. Only for a question about
 * the current figure (no period named), since undated text describes the present.
 */
export async function statedAlongside(draft: Draft, tools: ToolClient, parsed: ParsedQuestion, listing: Listing) {
  if (parsed.periods.length > 0 || parsed.metrics.length !== 1) return;
  const m = mainMetric(parsed);
  // Beside a computed figure, only what the question's own words find (one search of the turn's budget).
  const stated = statedIn(await searchSentences(tools, parsed), m, listing);
  if (!stated) return;
  const name = METRICS_BY_ID.get(m.id)?.name ?? m.name;
  const lines = [
    '',
    `**Stated in ${stated.passage.document_name}:** “${stated.sentence}” — ${sourceText(stated.passage)}`,
    '',
    statedOnPlan(stated.sentence)
      ? `The figure above is computed from your tables; this one is the ${name} the document states on a plan (a budget or forecast), not on what happened.`
      : `The figure above is computed from your tables; this one is the ${name} the document states, on its own assumptions.`,
  ];
  const sources = draft.lines.indexOf('**Sources**');
  // Before the sources list, which stays last.
  if (sources > 0) draft.lines.splice(sources - 1, 0, ...lines);
  else draft.lines.push(...lines);
  draft.citations.push(citationOf(stated.passage, stated.sentence));
}
