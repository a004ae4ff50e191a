import type { RecordKind, TextRole, ValueRole } from '../../documents/records/types.ts';
import { formatPeriod } from '../../lib/periods.ts';
import { PeriodInput } from '../tools/define.ts';
import type { ToolInputs, ToolOutputs } from '../tools/index.ts';
import type { Listing, ToolClient } from './calls.ts';
import { formatCurrency } from './format.ts';
import { tokens } from './nlp.ts';
import { isCurrent } from './parse-periods.ts';
import type { ParsedQuestion } from './parse-question.ts';
import { isMetricReading, type QuestionReading } from './reading.ts';
import { type Draft, resolveSpec } from './shared.ts';
import { abstain, statedAnswer } from './stated-answers.ts';

/**
 * Questions about the entities of a customer list or a deals export (documents/records), answered
 * with `query_records`: the largest customer, the top N, the biggest deal in a period, how many
 * customers are on a plan or in a region, which churned in a month, who signed the most deals, the
 * average deal size. A question about entities is never answered with a metric figure: with no list
 * it gets the sentence a document states, or a plain "I couldn't find".
 */

type RecordsOutput = ToolOutputs['query_records'];
type RecordsInput = ToolInputs['query_records'];

export interface RecordQuestion {
  kind: RecordKind;
  intent: 'top' | 'count' | 'sum' | 'avg' | 'group' | 'list';
  order: 'desc' | 'asc';
  limit: number;
  by?: ValueRole;
  status?: RecordsInput['status'];
  date?: RecordsInput['date'];
  groupBy?: TextRole;
  groupRank?: 'count' | 'value';
  /** Words of the question that name a field to filter on ("plan", "region"), to say so when none matches. */
  fieldWords: TextRole[];
  /**
   * A list question only if a value of the list is named ("how many customers in Germany"); otherwise
   * it is the metric ("how many customers do we have").
   */
  needsFilter?: boolean;
}

// Evidence, as lemmas (nlp.ts): the nouns that name the entities, and the words of each operation.
// Not "logo": logo churn and new logos are metrics.
const CUSTOMER = new Set(['customer', 'account', 'client', 'subscriber']);
const DEAL = new Set(['deal', 'opportunity', 'opp', 'booking']);
// Superlatives as written ("how big is the discount" asks for no ranking; "biggest" does).
const MAX = new Set(['top', 'most', 'largest', 'biggest', 'highest', 'greatest', 'best']);
const MIN = new Set(['least', 'smallest', 'lowest', 'cheapest']);
const CHURN = new Set(['churn', 'cancel', 'lose', 'lost', 'leave', 'left', 'drop', 'quit']);
const JOIN = new Set([
  'join',
  'sign',
  'start',
  'onboard',
  'acquire',
  'land',
  'new',
  'add',
  'win',
  'won',
  'close',
  'book',
]);
const OWNER = new Set(['rep', 'owner', 'salesperson', 'seller', 'ae', 'who', 'person', 'closer', 'manager', 'csm']);
const AVG = new Set(['average', 'avg', 'mean', 'typical']);
const SUM = new Set(['total', 'sum', 'combined', 'altogether', 'pipeline']);
const VALUE_WORDS = new Set(['revenue', 'value', 'amount', 'money', 'dollar', 'mrr', 'arr', 'bookings', 'size']);
/** Units a list does not rank by (seats, users): not this module's question. */
const OTHER_MEASURES = new Set(['seat', 'user', 'license', 'licence', 'employee', 'headcount', 'ticket']);
const FIELD_WORDS: Array<[TextRole, string[]]> = [
  ['plan', ['plan', 'tier', 'package', 'edition', 'product']],
  ['region', ['region', 'country', 'geo', 'territory', 'market', 'city']],
  ['segment', ['segment', 'vertical', 'industry']],
  ['stage', ['stage']],
  ['type', ['type']],
];
const NUMBER_WORDS: Record<string, number> = { three: 3, five: 5, ten: 10, twenty: 20, four: 4, six: 6, two: 2 };

/** The question as one about record lists, or undefined when it is not one (a metric, a fact, a greeting). */
export function readRecordQuestion(question: string): RecordQuestion | undefined {
  const toks = tokens(question);
  const lemmas = toks.map((t) => t.lemma);
  // Lemmas, the words as written, and plain plurals singular (compromise leaves some nouns as written).
  const words = new Set([...lemmas, ...toks.flatMap((t) => [t.word, t.word.replace(/(?<=[a-z]{3})s$/, '')])]);
  const any = (set: Set<string>) => [...words].some((w) => set.has(w));
  const kind: RecordKind | undefined = any(DEAL) ? 'deals' : any(CUSTOMER) ? 'customers' : undefined;
  if (!kind || any(OTHER_MEASURES)) return undefined;
  const text = question.toLowerCase();
  const by: ValueRole | undefined = /\b(mrr|monthly|per month|a month)\b/.test(text)
    ? 'mrr'
    : /\b(arr|annual|annually|acv|per year|a year)\b/.test(text)
      ? 'arr'
      : undefined;
  const fieldWords = FIELD_WORDS.filter(([, ws]) => ws.some((w) => words.has(w))).map(([role]) => role);
  const base = { kind, order: 'desc' as const, limit: 1, fieldWords, ...(by ? { by } : {}) };
  const most = words.has('most') || words.has('more');

  // "Who signed the most deals", "which rep closed the most revenue", "which plan has the most customers".
  const groupField = fieldWords[0];
  const ownerAsked = [...words].some((w) => OWNER.has(w) && w !== 'who') || (lemmas[0] === 'who' && kind === 'deals');
  if (most && (ownerAsked || groupField) && ![...toks].some((t) => MIN.has(t.word))) {
    const groupBy: TextRole = ownerAsked ? 'owner' : groupField!;
    const valueAsked = [...words].some((w) => VALUE_WORDS.has(w));
    return { ...base, intent: 'group', limit: 5, groupBy, groupRank: valueAsked ? 'value' : 'count' };
  }

  const top =
    /\btop\s+(\d{1,3}|two|three|four|five|six|ten|twenty)\b/.exec(text) ??
    /\b(\d{1,3}|three|five|ten)\s+(?:largest|biggest|top|highest|smallest)\b/.exec(text);
  const n = top ? (NUMBER_WORDS[top[1]!] ?? Number(top[1])) : undefined;
  const written = new Set(toks.map((t) => t.word));
  const paysMost = (words.has('pay') || words.has('spend') || words.has('bring')) && most;
  const maxWord = [...written].some((w) => MAX.has(w));
  const minWord = [...written].some((w) => MIN.has(w));
  const superlative = n !== undefined || paysMost || maxWord || minWord;

  const churn = any(CHURN);
  const howMany = /\bhow many\b/.test(text) || words.has('count') || words.has('number');
  const status: RecordsInput['status'] | undefined =
    kind === 'customers'
      ? churn
        ? 'churned'
        : /\b(active|current|paying)\b/.test(text)
          ? 'active'
          : undefined
      : words.has('lose') || words.has('lost')
        ? 'lost'
        : /\b(open|pipeline|in flight)\b/.test(text)
          ? 'open'
          : /\b(won|closed|close|signed|booked)\b/.test(text)
            ? 'won'
            : undefined;
  const withStatus = status ? { status } : {};

  if (any(AVG) && kind === 'deals') return { ...base, intent: 'avg', ...withStatus };
  if (superlative && !howMany) {
    const asc = minWord && !maxWord && !paysMost;
    return { ...base, intent: 'top', order: asc ? 'asc' : 'desc', limit: n ?? 1, ...withStatus };
  }
  if (any(SUM) || (/\bhow much\b/.test(text) && !howMany)) {
    // "Total pipeline", "how much did enterprise customers bring in".
    // "How much MRR do our customers pay" with no filter is the MRR metric, not a list question.
    return {
      ...base,
      intent: 'sum',
      ...withStatus,
      ...(kind === 'customers' && fieldWords.length === 0 ? { needsFilter: true } : {}),
    };
  }
  // "Which customers churned", "list the deals we closed", "what accounts signed in Q2" — not "what was
  // customer churn" (a metric): the entities are asked for by name, in the plural.
  const plural = toks.some((t) => t.word !== t.lemma && (CUSTOMER.has(t.lemma) || DEAL.has(t.lemma)));
  const listAsked =
    plural &&
    (/^(which|who|list|name|show)\b/.test(text.trim()) ||
      /^what (customers|accounts|clients|deals|opportunities)\b/.test(text.trim()) ||
      /\b(list|names?)\b/.test(text));
  if (listAsked && (churn || any(JOIN) || fieldWords.length > 0)) {
    return {
      ...base,
      intent: 'list',
      limit: 25,
      ...withStatus,
      ...(churn && kind === 'customers' ? { date: 'end' as const } : {}),
      ...(!churn && kind === 'customers' && any(JOIN) ? { date: 'start' as const } : {}),
    };
  }
  if (howMany) {
    const needsFilter = kind === 'customers' && fieldWords.length === 0;
    return { ...base, intent: 'count', limit: 25, ...withStatus, ...(needsFilter ? { needsFilter } : {}) };
  }
  return undefined;
}

/**
 * The hook of the local engine: answers a question about customers or deals and returns true, or
 * returns false (nothing written) when the question is not one. With no list, a question the reader
 * took for a metric gets the sentence a document states or a plain "I couldn't find", never a figure.
 */
export async function recordAnswer(
  draft: Draft,
  tools: ToolClient,
  message: string,
  parsed: ParsedQuestion,
  reading: QuestionReading,
  listing: Listing,
  ownNames: string[],
): Promise<boolean> {
  const q = readRecordQuestion(message);
  if (!q) return false;
  const first = await tools.queryRecords({ kind: q.kind, limit: 1 });
  if (!first.ok) {
    if (first.error.code !== 'no_records' || q.needsFilter || !isMetricReading(reading.best.kind)) return false;
    if (!(await statedAnswer(draft, tools, reading, listing, ownNames))) abstain(draft, reading, listing);
    return true;
  }
  const list = first.value;
  const input: RecordsInput = {
    kind: q.kind,
    document_id: list.document_id,
    op: q.intent === 'top' || q.intent === 'list' ? 'list' : q.intent,
    order: q.order,
    limit: q.intent === 'top' ? Math.max(q.limit, 5) : q.limit,
    ...(q.by ? { by: q.by } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.date ? { date: q.date } : {}),
    ...(q.groupBy ? { group_by: q.groupBy, group_rank: q.groupRank ?? 'count' } : {}),
  };
  // Filters: a value of the list's own fields named in the question ("Enterprise", "EMEA", "Dana").
  const filters = filtersIn(message, list);
  // A name the question gives that is no field value is the entity asked about ("deals Meridian closed").
  const named = reading.names.find(
    (n) => !Object.values(filters).some((v) => v.toLowerCase().includes(n.toLowerCase())),
  );
  if (q.needsFilter && Object.keys(filters).length === 0 && !named) return false;
  Object.assign(input, filters, named ? { name: named } : {});
  // "Biggest deal", "average deal size": deals won, when the export says which are (said in the answer).
  if (q.kind === 'deals' && !q.status && list.columns.some((c) => c.role === 'stage' || c.role === 'status'))
    input.status = 'won';
  const missing = q.fieldWords.filter((role) => !(role in filters) && role !== q.groupBy);
  if (missing.length > 0 && q.intent !== 'group') {
    const role = missing[0]!;
    const known = list.values[role];
    const what = q.kind === 'deals' ? 'deal' : 'customer';
    draft.lines.push(
      known && known.length > 0
        ? `I couldn't find the ${role} you asked about in the ${what} list (${list.document_name}): its ${role} values are ${known.slice(0, 12).join(', ')}.`
        : `I couldn't find a ${role} column in the ${what} list (${list.document_name}), so I can't filter it by ${role}.`,
    );
    draft.citations.push(...list.sources.slice(0, 1));
    return true;
  }
  // A period ("in March", "this quarter", "in Q2"): the tool resolves it against the list's own dates.
  const spec = parsed.periods[0];
  if (spec !== undefined && !isCurrent(spec)) {
    const asTool = PeriodInput.safeParse(spec);
    if (asTool.success) input.period = asTool.data;
    else {
      // A nested range the tool's input does not take: resolved here, from the same anchor the tool uses.
      const role = input.date ?? (q.kind === 'deals' ? 'close' : q.status === 'churned' ? 'end' : 'start');
      const last = (list.spans[role] ?? Object.values(list.spans)[0])?.last.slice(0, 7);
      input.period = resolveSpec(spec, last ?? listing.latestMonth ?? '2000-01', listing.fiscalStartMonth).id;
    }
  }
  let res = await tools.queryRecords(input);
  // A pipeline export with no deal won yet: every deal, then.
  if (res.ok && res.value.count === 0 && input.status === 'won' && !q.status) {
    const { status: _won, ...all } = input;
    res = await tools.queryRecords(all);
  }
  if (!res.ok) return false;
  writeRecordAnswer(draft, { ...q, ...(input.status ? { status: input.status } : {}) }, res.value);
  return true;
}

/** Values of the list's text fields that the question names, longest first; owners also by first name. */
function filtersIn(message: string, list: RecordsOutput): Partial<Record<TextRole, string>> {
  const text = ` ${message.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
  const out: Partial<Record<TextRole, string>> = {};
  const candidates = (Object.entries(list.values) as Array<[TextRole, string[]]>)
    .filter(([role]) => role !== 'status')
    .flatMap(([role, values]) =>
      values.map((v) => ({
        role,
        v,
        n: v
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, ' ')
          .trim(),
      })),
    )
    .filter((c) => c.n.length >= 2)
    .sort((a, b) => b.n.length - a.n.length);
  for (const c of candidates) {
    if (out[c.role]) continue;
    const first = c.n.split(' ')[0]!;
    const byFirst = c.role === 'owner' && first.length >= 3 && text.includes(` ${first} `);
    if (text.includes(` ${c.n} `) || byFirst) out[c.role] = c.v;
  }
  return out;
}

function money(v: number, role: ValueRole | undefined): string {
  const per = role === 'mrr' ? ' per month' : role === 'arr' ? ' a year' : '';
  return `${formatCurrency(v)}${per}`;
}

const VALUE_NAME: Record<ValueRole, string> = { mrr: 'MRR', arr: 'ARR', amount: 'amount' };

function writeRecordAnswer(draft: Draft, q: RecordQuestion, out: RecordsOutput) {
  const noun = q.kind === 'deals' ? 'deal' : 'customer';
  const nouns = `${noun}s`;
  const scope = [
    ...out.filters.filter((f) => !f.startsWith('status')),
    ...(out.filters.some((f) => f.startsWith('status')) ? [`${q.status}`] : []),
  ];
  const within = scope.length > 0 ? ` (${scope.join('; ')})` : '';
  const valueRole = out.value?.role;
  const rowOf = (locators: string[]) => locators.join(', ');

  if (out.fiscal_start_unknown && out.period_label) {
    // The figure depends on a convention the documents do not give: said before it, not after.
    draft.lines.push(
      `I couldn't find when your fiscal year starts in your documents, so ${out.period_label} is read as the calendar year (January to December); tell me the first month of your fiscal year to read it that way.`,
      '',
    );
  }
  if (out.count === 0) {
    draft.lines.push(
      `I couldn't find any ${nouns}${within} in ${out.document_name}: none of its ${out.total} ${nouns} match.`,
    );
  } else if (q.intent === 'group') {
    const groups = out.groups ?? [];
    const best = groups[0];
    if (!best) {
      draft.lines.push(`I couldn't find a ${q.groupBy} column in the ${noun} list (${out.document_name}).`);
    } else {
      const worth = best.sum !== null ? `, worth ${formatCurrency(best.sum)}` : '';
      const rankedBy = q.groupRank === 'value' && best.sum !== null ? `the most by value` : 'the most';
      draft.lines.push(
        `**${best.key} has ${rankedBy} ${nouns}${within}: ${best.count} of ${out.count}${worth}.**`,
        '',
        ...groups.map(
          (g, i) =>
            `${i + 1}. ${g.key} — ${g.count} ${g.count === 1 ? noun : nouns}${g.sum !== null ? `, ${formatCurrency(g.sum)}` : ''}`,
        ),
      );
      const tie = groups[1] && groups[1].count === best.count && q.groupRank !== 'value';
      if (tie) draft.lines.push('', `${best.key} and ${groups[1]!.key} are tied on count.`);
    }
  } else if (q.intent === 'count') {
    draft.lines.push(`**${out.count} ${out.count === 1 ? noun : nouns}${within}.**`);
    if (out.count <= 25) draft.lines.push('', out.records.map((r) => r.name).join(', '));
  } else if ((q.intent === 'avg' || q.intent === 'sum') && (!out.value || out.sum === null)) {
    draft.lines.push(
      `I couldn't find an amount for the ${nouns} in ${out.document_name}: the list has no value column, so I can't ${q.intent === 'avg' ? 'average' : 'add up'} them.`,
    );
  } else if (q.intent === 'avg') {
    draft.lines.push(
      `**The average ${noun}${within} is ${formatCurrency(out.avg!)}** (${out.count} ${nouns}, ${formatCurrency(out.sum!)} in all, ${VALUE_NAME[valueRole!]} from "${out.value!.header}").`,
    );
  } else if (q.intent === 'sum') {
    draft.lines.push(
      `**The ${nouns}${within} add up to ${money(out.sum!, valueRole)}** (${out.count} ${nouns}, "${out.value!.header}").`,
    );
  } else if (q.intent === 'top' && !out.value) {
    draft.lines.push(
      `I couldn't find an MRR, ARR or amount column in the ${noun} list (${out.document_name}), so I can't tell which ${noun} is ${q.order === 'asc' ? 'smallest' : 'largest'}; it lists ${out.count} ${nouns}.`,
    );
  } else if (q.intent === 'top') {
    const best = out.records[0]!;
    const word = q.order === 'asc' ? 'smallest' : 'largest';
    const byWhat = valueRole ? ` by ${VALUE_NAME[valueRole]}` : '';
    if (q.limit === 1) {
      const value = best.value !== null ? `, at ${money(best.value, valueRole)}` : '';
      draft.lines.push(`**Your ${word} ${noun}${within}${byWhat} is ${best.name}${value}.**`);
      const next = out.records.slice(1, 4).filter((r) => r.value !== null);
      if (next.length > 0)
        draft.lines.push('', `Next: ${next.map((r) => `${r.name} (${money(r.value!, valueRole)})`).join(', ')}.`);
      if (out.records[1] && out.records[1].value === best.value && best.value !== null)
        draft.lines.push('', `${best.name} and ${out.records[1].name} are tied.`);
    } else {
      draft.lines.push(`**Your ${Math.min(q.limit, out.count)} ${word} ${nouns}${within}${byWhat}:**`, '');
      out.records.slice(0, q.limit).forEach((r, i) => {
        draft.lines.push(`${i + 1}. ${r.name}${r.value !== null ? ` — ${money(r.value, valueRole)}` : ''}`);
      });
    }
  } else {
    draft.lines.push(`**${out.count} ${out.count === 1 ? noun : nouns}${within}:**`, '');
    for (const r of out.records) {
      const date = out.date ? r.dates[out.date.role] : undefined;
      const extra = [date ? dayText(date) : '', r.value !== null ? money(r.value, valueRole) : ''].filter(Boolean);
      draft.lines.push(`- ${r.name}${extra.length ? ` (${extra.join(', ')})` : ''}`);
    }
    if (out.count > out.records.length) draft.lines.push(`- … and ${out.count - out.records.length} more`);
  }

  const totals = out.skipped.filter((s) => s.reason === 'total');
  const notes = [
    ...out.notes,
    ...(totals.length > 0
      ? [`The totals row (${totals.map((s) => s.locator).join(', ')}) is not a ${noun} and is left out.`]
      : []),
    ...(out.other_lists.length > 0 ? [`Other ${noun} lists not used: ${out.other_lists.join('; ')}.`] : []),
  ];
  if (notes.length > 0) draft.lines.push('', ...notes);
  const cited = out.records
    .slice(0, 3)
    .map((r) => rowOf(r.locators))
    .join('; ');
  draft.lines.push(
    '',
    `Source: ${out.document_name}, ${out.list} (${out.total} ${nouns}${cited && q.intent === 'top' ? `; ${cited}` : ''}).`,
  );
  draft.citations.push(...out.sources);
}

function dayText(d: string): string {
  if (/^\d{4}-\d{2}$/.test(d)) return formatPeriod(d);
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  return `${formatPeriod(`${y}-${String(m).padStart(2, '0')}`).split(' ')[0]} ${day}, ${y}`;
}
