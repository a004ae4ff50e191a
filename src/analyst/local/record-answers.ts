import type { DateRole, RecordKind, TextRole, ValueRole } from '../../documents/records/types.ts';
import { formatPeriod } from '../../lib/periods.ts';
import { PeriodInput } from '../tools/define.ts';
import type { ToolInputs, ToolOutputs } from '../tools/index.ts';
import type { Listing, ToolClient } from './calls.ts';
import { formatCurrency, inCurrency } from './format.ts';
import { tokens } from './nlp.ts';
import { hasFreePeriodNoun, isCurrent } from './parse-periods.ts';
import type { ParsedQuestion } from './parse-question.ts';
import { isMetricReading, type QuestionReading } from './reading.ts';
import { type AskedField, askedField } from './record-fields.ts';
import { customerNounsOf, type Draft, resolveSpec, singular } from './shared.ts';
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
  /** `rate`: the share of closed deals that were won (won / (won + lost)). */
  intent: 'top' | 'count' | 'sum' | 'avg' | 'group' | 'list' | 'rate';
  order: 'desc' | 'asc';
  limit: number;
  by?: ValueRole;
  status?: RecordsInput['status'];
  date?: RecordsInput['date'];
  groupBy?: TextRole;
  groupRank?: 'count' | 'value';
  /** Ranked by a date rather than a value ("with us the longest", "our newest customer"). */
  sortDate?: NonNullable<RecordsInput['sort_by_date']>;
  /** "How much revenue comes from our top 10 customers": a total asked of the ranked rows. */
  totalAsked?: boolean;
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
const DEAL = new Set(['deal', 'opportunity', 'opp', 'booking', 'pipeline']);
// Superlatives as written ("how big is the discount" asks for no ranking; "biggest" does).
const MAX = new Set(['top', 'most', 'largest', 'biggest', 'highest', 'greatest', 'best']);
const MIN = new Set(['least', 'smallest', 'lowest', 'cheapest']);
const CHURN = new Set(['churn', 'cancel', 'cancellation', 'lose', 'lost', 'leave', 'left', 'drop', 'quit']);
/** Nouns for customers who left: "last quarter's cancellations" are customers, churned. */
const LEAVERS = new Set(['cancellation', 'churner', 'leaver']);
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
const SUM = new Set(['total', 'sum', 'combined', 'altogether', 'pipeline', 'worth']);
/** Superlatives of time: rank by a date (the customer with us the longest is the earliest to start). */
const EARLIEST = new Set(['longest', 'oldest', 'earliest']);
const LATEST = new Set(['newest', 'latest', 'recent', 'recently']);
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

/** Lemmas, the words as written, and plain plurals singular (compromise leaves some nouns as written). */
function wordsOf(toks: ReturnType<typeof tokens>): Set<string> {
  return new Set([
    ...toks.map((t) => t.lemma),
    ...toks.flatMap((t) => [t.word, t.word.replace(/(?<=[a-z]{3})s$/, '')]),
  ]);
}

/**
 * The kind of list a question's nouns name (a deal, an opportunity; a customer, an account, a
 * cancellation — or the company's own word for a customer, `customerNouns`), if any.
 */
export function recordKindNamed(question: string, customerNouns: readonly string[] = []): RecordKind | undefined {
  const words = wordsOf(tokens(question));
  const any = (set: Set<string>) => [...words].some((w) => set.has(w));
  const own = [...words].some((w) => customerNouns.includes(w) || customerNouns.includes(singular(w)));
  return any(DEAL) ? 'deals' : any(CUSTOMER) || any(LEAVERS) || own ? 'customers' : undefined;
}

const plural = (w: string) =>
  /(?<![aeiou])y$/.test(w) ? `${w.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(w) ? `${w}es` : `${w}s`;

/** The question as one about record lists, or undefined when it is not one (a metric, a fact, a greeting). */
export function readRecordQuestion(
  question: string,
  customerNouns: readonly string[] = [],
): RecordQuestion | undefined {
  const toks = tokens(question);
  const lemmas = toks.map((t) => t.lemma);
  const words = wordsOf(toks);
  const any = (set: Set<string>) => [...words].some((w) => set.has(w));
  const text = question.toLowerCase();
  // "What's our win rate", "close rate on deals in FY26": won over closed, a deals question by itself.
  if (/\b(win|won|close|closing|conversion)[\s-]+(rate|ratio|percentage)\b/.test(text))
    return { kind: 'deals', intent: 'rate', order: 'desc', limit: 1, fieldWords: [] };
  // "Biggest new logo this year": one logo, picked by a superlative, is a customer (logos counted are a metric).
  const kind =
    recordKindNamed(question, customerNouns) ??
    (/\b(?:biggest|largest|smallest|top)\s+(?:new\s+)?logo\b(?!s)/.test(text) ? 'customers' : undefined);
  if (!kind || any(OTHER_MEASURES)) return undefined;
  // "Which month did we win the most new customers", "the month with the most new customers this
  // year": a period is asked for — the metric's extreme, not a customer.
  if (/\b(which|what)\s+(month|quarter|qtr|year|week|period)\b/.test(text)) return undefined;
  if (toks.some((t) => MAX.has(t.word) || MIN.has(t.word) || t.word === 'fewest') && hasFreePeriodNoun(text))
    return undefined;
  // "Revenue per customer", "NRR excluding our largest customer": a ratio, or a figure with a part
  // taken out — not a question about the rows.
  if (/\bper\s+(?:customer|account|client|deal|logo)s?\b/.test(text)) return undefined;
  if (/\b(?:excluding|exclude|excl|except|without|minus|other than|apart from|not counting)\b/.test(text))
    return undefined;
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
  // "Which owner has the biggest pipeline": a superlative of a total (not of one deal) ranks the groups.
  const totalSuperlative =
    /\b(biggest|largest|highest|greatest|top)\s+(pipeline|revenue|bookings|book|value|mrr|arr|total|sales)\b/.test(
      question.toLowerCase(),
    );
  if ((most || totalSuperlative) && (ownerAsked || groupField) && ![...toks].some((t) => MIN.has(t.word))) {
    const groupBy: TextRole = ownerAsked ? 'owner' : groupField!;
    const valueAsked = totalSuperlative || [...words].some((w) => VALUE_WORDS.has(w));
    const pipeline = kind === 'deals' && words.has('pipeline') ? { status: 'open' as const } : {};
    return { ...base, intent: 'group', limit: 5, groupBy, groupRank: valueAsked ? 'value' : 'count', ...pipeline };
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

  // "Average deal size"; "average MRR of our Enterprise customers" (with no filter: the ARPA metric).
  if (any(AVG))
    return { ...base, intent: 'avg', ...withStatus, ...(kind === 'customers' ? { needsFilter: true } : {}) };
  // "Which customer has been with us the longest", "our newest deal": the earliest or latest date.
  const earliest = [...written].some((w) => EARLIEST.has(w));
  const latest = [...written].some((w) => LATEST.has(w));
  if ((earliest || latest) && !howMany && !(earliest && latest)) {
    const sortDate = kind === 'deals' ? 'close' : churn ? 'end' : 'start';
    return {
      ...base,
      intent: 'top',
      order: earliest ? 'asc' : 'desc',
      limit: n ?? 1,
      sortDate,
      ...withStatus,
      ...(kind === 'customers' && !churn ? { status: 'active' as const } : {}),
    };
  }
  if (superlative && !howMany) {
    const asc = minWord && !maxWord && !paysMost;
    const totalAsked = n !== undefined && n > 1 && /\bhow much\b|\b(?:total|sum|combined|altogether)\b/.test(text);
    return {
      ...base,
      intent: 'top',
      order: asc ? 'asc' : 'desc',
      limit: n ?? 1,
      ...withStatus,
      ...(totalAsked ? { totalAsked } : {}),
    };
  }
  if ((any(SUM) && !howMany) || (/\bhow much\b/.test(text) && !howMany)) {
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
  // "Who are our customers in Germany": a list, if a value of the list is named.
  if (listAsked) return { ...base, intent: 'list', limit: 25, ...withStatus, needsFilter: true };
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
  /** The session's earlier turns: "how many branches did they have" asks of the record answered before. */
  history: ReadonlyArray<{ question: string; answer: string }> = [],
): Promise<boolean> {
  const customerNouns = customerNounsOf(listing);
  const q = readRecordQuestion(message, customerNouns);
  // A record the question names ("how much does Pemberton Dairies pay us", "who owns the Orchard Lane
  // deal"): its field, or a plain "not in your list" — never another record's figure, never a metric.
  let mentions: string[] = [];
  let seen: RecordsOutput | undefined;
  if (mayNameRecord(message, q, reading)) {
    const named = await namedRecordAnswer(draft, tools, message, q, parsed, reading, listing, ownNames);
    if (named.status === 'answered') return true;
    if (named.status === 'filter') mentions = named.mentions;
    seen = named.list;
  }
  // "How many branches did they have", "why did they leave": a pronoun and no name of its own — the
  // record an earlier answer was about, whose field answers it (or says it cannot), never a sentence
  // about something else.
  if (mentions.length === 0 && reading.names.length === 0 && REFERS_BACK.test(message) && history.length > 0) {
    const subject = await referredRecord(tools, history);
    if (subject) {
      const named = await namedRecordAnswer(draft, tools, message, q, parsed, reading, listing, ownNames, subject);
      if (named.status === 'answered') return true;
      if (named.status === 'filter') {
        mentions = named.mentions;
        seen = named.list;
      }
    }
  }
  const mentioned = mentions.length > 0;
  if (!q) return false;
  // The list the name was looked for in is the one to query (one read of the lists fewer).
  const first: Awaited<ReturnType<ToolClient['queryRecords']>> =
    // (Customers who left are asked of a list of lost customers when there is one, unless a name picked the list.)
    seen && seen.kind === q.kind && (mentioned || q.status !== 'churned' || seen.lost)
      ? { ok: true, value: seen }
      : await tools.queryRecords({ kind: q.kind, limit: 1, ...(q.status ? { status: q.status } : {}) });
  if (!first.ok) {
    if (first.error.code !== 'no_records' || q.needsFilter || !isMetricReading(reading.best.kind)) return false;
    if (!(await statedAnswer(draft, tools, reading, listing, ownNames))) abstain(draft, reading, listing);
    return true;
  }
  const list = first.value;
  // A list of customers who left (a cancellations export) says nothing of the current ones: "our
  // largest customer" is not ranked from it — a document may state it, or it is not known.
  if (list.lost && q.kind === 'customers' && q.status !== 'churned' && !mentioned) {
    if (q.needsFilter || !isMetricReading(reading.best.kind)) return false;
    // A superlative asks for one customer (a name), whatever figure the metric reading expected.
    const type = q.intent === 'top' ? 'organisation' : reading.best.answerType;
    if (!(await statedAnswer(draft, tools, reading, listing, ownNames, type))) abstain(draft, reading, listing);
    return true;
  }
  const input: RecordsInput = {
    kind: q.kind,
    document_id: list.document_id,
    op: q.intent === 'top' || q.intent === 'list' ? 'list' : q.intent === 'rate' ? 'count' : q.intent,
    order: q.order,
    limit: q.intent === 'top' ? Math.max(q.limit, 5) : q.limit,
    ...(q.by ? { by: q.by } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.date ? { date: q.date } : {}),
    ...(q.groupBy ? { group_by: q.groupBy, group_rank: q.groupRank ?? 'count' } : {}),
  };
  // Filters: a value of the list's own fields named in the question ("Enterprise", "EMEA", "Dana").
  const filters = filtersIn(message, list);
  // A record the question names ("how many deals has Orchard Lane closed"): only its rows.
  if (q.needsFilter && Object.keys(filters).length === 0 && !mentioned) return false;
  Object.assign(input, filters, mentioned ? { mentioned_in: message } : {});
  if (q.sortDate) Object.assign(input, { sort_by_date: q.sortDate, date: q.sortDate });
  // A qualifier the list cannot apply ("biggest customer in Brazil" with no Brazil in it): the unfiltered
  // answer would be another question's, so it is said instead.
  const filterValues = Object.values(filters) as string[];
  const explained = [...filterValues, ...filterValues.flatMap((v) => placeForms(v, message)), ...mentions];
  const unknown = unmatchedQualifiers(message, explained, [...ownNames, ...listing.documents.map((d) => d.name)]);
  if (unknown.length > 0 && !q.groupBy) {
    const what = q.kind === 'deals' ? 'deal' : 'customer';
    const known = (Object.entries(list.values) as Array<[TextRole, string[]]>)
      .filter(([, v]) => v.length > 0)
      .map(([role, v]) => `${list.columns.find((c) => c.role === role)?.header ?? role}: ${v.slice(0, 8).join(', ')}`);
    draft.lines.push(
      `I couldn't find “${unknown.join(' ')}” in the ${what} list (${list.document_name}): no ${what} name or field has it${known.length > 0 ? ` (${known.join('; ')})` : ''}.`,
    );
    draft.citations.push(...list.sources.slice(0, 1));
    return true;
  }
  // "Biggest deal", "average deal size": deals won, when the export says which are (said in the answer).
  if (
    q.kind === 'deals' &&
    !q.status &&
    q.intent !== 'rate' &&
    list.columns.some((c) => c.role === 'stage' || c.role === 'status')
  )
    input.status = 'won';
  // "Average deal size in Europe", "deals lost to competitors": a noun that is no word of the list, no
  // value of its fields and no name is a filter the list cannot apply — its figure would answer
  // another question.
  const unlisted = mentioned ? [] : unlistedNouns(reading, list, filters, customerNouns);
  if (unlisted.length > 0) {
    const what = q.kind === 'deals' ? 'deal' : 'customer';
    draft.lines.push(
      `I couldn't find ${unlisted.map((n) => `“${n}”`).join(', ')} in the ${what} list (${list.document_name}): its columns are ${list.columns.map((c) => c.header).join(', ')}, so I can't answer for ${unlisted.length === 1 ? 'it' : 'them'}.`,
    );
    draft.citations.push(...list.sources.slice(0, 1));
    return true;
  }
  // "Which region is our biggest customer in": the field asked of the record picked, not a filter.
  const fieldAsked = (role: TextRole) =>
    q.intent === 'top' &&
    q.limit === 1 &&
    FIELD_WORDS.find(([r]) => r === role)?.[1].some((w) => new RegExp(`\\b(which|what)\\s+${w}\\b`, 'i').test(message));
  const missing = q.fieldWords.filter((role) => !(role in filters) && role !== q.groupBy && !fieldAsked(role));
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
      input.period = resolveSpec(spec, listing.latestMonth ?? last ?? '2000-01', listing.fiscalStartMonth).id;
    }
  }
  if (q.intent === 'rate') return winRateAnswer(draft, tools, input, list);
  let res = await tools.queryRecords(input);
  // A pipeline export with no deal won yet: every deal, then.
  if (res.ok && res.value.count === 0 && input.status === 'won' && !q.status) {
    const { status: _won, ...all } = input;
    res = await tools.queryRecords(all);
  }
  if (!res.ok) return false;
  writeRecordAnswer(draft, { ...q, ...(input.status ? { status: input.status } : {}) }, res.value);
  // "Who is the account manager of our largest customer", "when did our biggest client sign": the field
  // of the record the superlative picks, said with it.
  if (q.intent === 'top' && q.limit === 1 && !q.sortDate && res.value.records[0]) {
    const field = askedField(message, reading.best.answerType, q.kind, true);
    const best = res.value.records[0];
    const header = (role: string) => res.value.columns.find((c) => c.role === role)?.header;
    const who = `${best.name.replace(/\.$/, '')} (your ${q.order === 'asc' ? 'smallest' : 'largest'} ${q.kind === 'deals' ? 'deal' : 'customer'})`;
    const line =
      field.kind === 'text'
        ? header(field.role)
          ? best.fields[field.role]
            ? `**The ${header(field.role)!.toLowerCase()} of ${who} is ${best.fields[field.role]}.**`
            : `I couldn't find the ${header(field.role)!.toLowerCase()} of ${who}: its row leaves it empty.`
          : `I couldn't find the ${FIELD_NAME[field.role]} of ${who}: ${res.value.document_name} has no ${FIELD_NAME[field.role]} column.`
        : field.kind === 'date' && field.role !== 'renewal'
          ? header(field.role) && best.dates[field.role]
            ? `**${who}: ${header(field.role)} ${dayText(best.dates[field.role]!)}${best.dates[field.role]!.length > 7 ? ` (${best.dates[field.role]})` : ''}.**`
            : `I couldn't find the ${FIELD_NAME[field.role]} of ${who}: ${res.value.document_name} has no such date for it.`
          : field.kind === 'date' || field.kind === 'other'
            ? `I couldn't find the ${field.kind === 'other' ? field.what : 'renewal date'} of ${who}: ${res.value.document_name} has no such column.`
            : undefined;
    // Said first: it is what was asked; the ranking that picked the record follows.
    if (line) draft.lines.unshift(line, '');
  }
  return true;
}

/** Words a question about a list may use without naming a filter. */
const LIST_WORDS = new Set([
  ...CUSTOMER,
  ...DEAL,
  ...MAX,
  ...MIN,
  ...CHURN,
  ...JOIN,
  ...OWNER,
  ...AVG,
  ...SUM,
  ...VALUE_WORDS,
  ...FIELD_WORDS.flatMap(([, ws]) => ws),
  ...'list name names size count number pipeline logo contract stage status period month quarter year date week day time today record row column file export crm spreadsheet sheet table recent recently latest ever history worth because reason cause why'.split(
    ' ',
  ),
]);

/** The question's unexplained nouns that no word, column or value of the list accounts for. */
function unlistedNouns(
  reading: QuestionReading,
  list: RecordsOutput,
  filters: Partial<Record<TextRole, string>>,
  customerNouns: readonly string[],
): string[] {
  const known = new Set(
    [
      ...list.columns.map((c) => c.header),
      ...Object.values(filters),
      ...Object.values(list.values).flat(),
      ...customerNouns,
      ...[...LEAVERS],
    ].flatMap((v) =>
      v
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean),
    ),
  );
  return reading.keyNouns.filter((n) => {
    const w = n.toLowerCase();
    const single = w.replace(/(?<=[a-z]{3})s$/, '');
    return (
      !/^\d/.test(w) &&
      !LIST_WORDS.has(w) &&
      !LIST_WORDS.has(single) &&
      !known.has(w) &&
      !known.has(single) &&
      !known.has(singular(w)) &&
      !reading.names.some((x) => x.toLowerCase() === w)
    );
  });
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
    const aliased = c.role === 'region' && placeForms(c.v, message).some((f) => text.includes(` ${f} `));
    if (text.includes(` ${c.n} `) || byFirst || aliased) out[c.role] = c.v;
  }
  // "Cancelled because of price": the cause asked, matched by query_records on the reason's words or
  // its cause ("price" is "Too expensive"); only after a word that asks for a reason.
  const reasons = list.values.reason ?? [];
  if (!out.reason && reasons.length > 0) {
    const cue =
      /\b(?:because of|because|due to|citing|cited|reasons? (?:was|were|being|of|given))\s+(?:the\s+|a\s+|its\s+|their\s+)?([a-z]+(?:\s+[a-z]+)?)/.exec(
        text,
      );
    // The cause is a word or two ("price", "missing features"), never the period after it ("cost last quarter").
    const [first, second] = cue ? cue[1]!.split(/\s+/) : [];
    if (first && !CAUSE_STOP.has(first))
      out.reason = second && !CAUSE_STOP.has(second) && !MONTH_WORDS.has(second) ? `${first} ${second}` : first;
  }
  return out;
}

/** Words that end a cause asked for: a period, or a word joining the rest of the question. */
const CAUSE_STOP = new Set(
  'last this next past previous prior in on during over for since from to and or the a an quarter quarters month months year years week qtr fy ytd we they it were was'.split(
    ' ',
  ),
);

/** An amount of a list, in its column's currency when the list states one (`ARR (EUR)`: €48,000). */
function money(v: number, role: ValueRole | 'seats' | undefined, currency?: string): string {
  const per = role === 'mrr' ? ' per month' : role === 'arr' ? ' a year' : '';
  return `${amount(v, currency)}${per}`;
}
function amount(v: number, currency?: string): string {
  return currency ? inCurrency(currency, () => formatCurrency(v)) : formatCurrency(v);
}

const VALUE_NAME: Record<ValueRole, string> = { mrr: 'MRR', arr: 'ARR', amount: 'amount' };

function writeRecordAnswer(draft: Draft, q: RecordQuestion, out: RecordsOutput) {
  const currency = out.value?.currency;
  const noun = q.kind === 'deals' ? 'deal' : 'customer';
  const nouns = `${noun}s`;
  // A status the reader added itself (only active customers have been "with us the longest") goes unsaid.
  const saidStatus = out.filters.some((f) => f.startsWith('status')) && !(q.sortDate && q.status === 'active');
  // "The largest customer you lost" says the status itself; a list of lost customers needs no "churned" either.
  const lostSaid = q.status === 'churned' && q.kind === 'customers' && (q.intent === 'top' || out.lost !== undefined);
  const scope = [
    ...out.filters.filter((f) => !f.startsWith('status')),
    ...(saidStatus && !lostSaid ? [`${q.status}`] : []),
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
      const worth = best.sum !== null ? `, worth ${amount(best.sum, currency)}` : '';
      draft.lines.push(
        q.groupRank === 'value' && best.sum !== null
          ? `**${best.key} has the largest total of ${nouns}${within}: ${amount(best.sum, currency)}, over ${best.count} of ${out.count}.**`
          : `**${best.key} has the most ${nouns}${within}: ${best.count} of ${out.count}${worth}.**`,
        '',
        ...groups.map(
          (g, i) =>
            `${i + 1}. ${g.key} — ${g.count} ${g.count === 1 ? noun : nouns}${g.sum !== null ? `, ${amount(g.sum, currency)}` : ''}`,
        ),
      );
      const tie = groups[1] && groups[1].count === best.count && q.groupRank !== 'value';
      if (tie) draft.lines.push('', `${best.key} and ${groups[1]!.key} are tied on count.`);
    }
  } else if (q.intent === 'count') {
    draft.lines.push(`**${out.count} ${out.count === 1 ? noun : nouns}${lostSaid ? ' left' : ''}${within}.**`);
    if (out.count <= 25) draft.lines.push('', out.records.map((r) => r.name).join(', '));
  } else if ((q.intent === 'avg' || q.intent === 'sum') && (!out.value || out.sum === null)) {
    draft.lines.push(
      `I couldn't find an amount for the ${nouns} in ${out.document_name}: the list has no value column, so I can't ${q.intent === 'avg' ? 'average' : 'add up'} them.`,
    );
  } else if (q.intent === 'avg') {
    draft.lines.push(
      `**The average ${noun}${within} is ${amount(out.avg!, currency)}** (${out.count} ${nouns}, ${amount(out.sum!, currency)} in all, ${VALUE_NAME[valueRole!]} from "${out.value!.header}").`,
    );
  } else if (q.intent === 'sum') {
    draft.lines.push(
      `**The ${nouns}${within} add up to ${money(out.sum!, valueRole, currency)}** (${out.count} ${nouns}, "${out.value!.header}").`,
    );
  } else if (q.intent === 'top' && q.sortDate) {
    // Ranked by a date: the customer with us the longest started first.
    const role = q.sortDate;
    const dated = out.records.filter((r) => r.dates[role]);
    const best = dated[0];
    const when = (d: string) => (d.length === 7 ? dayText(d) : `${dayText(d)} (${d})`);
    const on = (d: string) => `${d.length === 7 ? 'in' : 'on'} ${when(d)}`;
    if (!best || !out.date) {
      draft.lines.push(
        `I couldn't find a ${role === 'start' ? 'start' : role === 'end' ? 'churn' : 'close'} date for the ${nouns} in ${out.document_name}, so I can't tell which came ${q.order === 'asc' ? 'first' : 'last'}.`,
      );
    } else {
      const first = q.order === 'asc';
      const lead =
        role === 'start'
          ? `**Your ${first ? 'longest-standing' : 'newest'} ${noun}${within} is ${best.name}, a ${noun} since ${when(best.dates.start!)}.**`
          : role === 'end'
            ? `**${best.name} is the ${noun}${within} that left ${first ? 'first' : 'most recently'}, ${on(best.dates.end!)}.**`
            : `**Your ${first ? 'earliest' : 'latest'} ${noun}${within} is ${best.name}, closed ${on(best.dates.close!)}.**`;
      draft.lines.push(lead);
      const next = dated.slice(1, 4);
      if (next.length > 0)
        draft.lines.push('', `Next: ${next.map((r) => `${r.name} (${dayText(r.dates[role]!)})`).join(', ')}.`);
      if (dated[1] && dated[1].dates[role] === best.dates[role])
        draft.lines.push('', `${best.name} and ${dated[1].name} share that date.`);
      draft.lines.push('', `From “${out.date.header}”.`);
    }
  } else if (q.intent === 'top' && !out.value) {
    draft.lines.push(
      `I couldn't find an MRR, ARR or amount column in the ${noun} list (${out.document_name}), so I can't tell which ${noun} is ${q.order === 'asc' ? 'smallest' : 'largest'}; it lists ${out.count} ${nouns}.`,
    );
  } else if (q.intent === 'top') {
    const best = out.records[0]!;
    const word = q.order === 'asc' ? 'smallest' : 'largest';
    const byWhat = valueRole ? ` by ${VALUE_NAME[valueRole]}` : '';
    if (q.limit === 1) {
      const value = best.value !== null ? `, at ${money(best.value, valueRole, currency)}` : '';
      // A customer who left is no longer "yours": the largest one lost, said so.
      draft.lines.push(
        q.status === 'churned' && q.kind === 'customers'
          ? `**The ${word} ${noun} you lost${within}${byWhat} is ${best.name}${value}.**`
          : `**Your ${word} ${noun}${within}${byWhat} is ${best.name}${value}.**`,
      );
      const next = out.records.slice(1, 4).filter((r) => r.value !== null);
      if (next.length > 0)
        draft.lines.push(
          '',
          `Next: ${next.map((r) => `${r.name} (${money(r.value!, valueRole, currency)})`).join(', ')}.`,
        );
      if (out.records[1] && out.records[1].value === best.value && best.value !== null)
        draft.lines.push('', `${best.name} and ${out.records[1].name} are tied.`);
    } else {
      // A total of the top N is not a figure the list gives: said first, so the rows are not taken for it.
      if (q.totalAsked)
        draft.lines.push(
          `I couldn't find a total for your ${Math.min(q.limit, out.count)} ${word} ${nouns} as one figure in your documents; the list gives each one's value:`,
          '',
        );
      draft.lines.push(`**Your ${Math.min(q.limit, out.count)} ${word} ${nouns}${within}${byWhat}:**`, '');
      out.records.slice(0, q.limit).forEach((r, i) => {
        draft.lines.push(`${i + 1}. ${r.name}${r.value !== null ? ` — ${money(r.value, valueRole, currency)}` : ''}`);
      });
    }
  } else {
    draft.lines.push(`**${out.count} ${out.count === 1 ? noun : nouns}${within}:**`, '');
    for (const r of out.records) {
      const date = out.date ? r.dates[out.date.role] : undefined;
      const extra = [date ? dayText(date) : '', r.value !== null ? money(r.value, valueRole, currency) : ''].filter(
        Boolean,
      );
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

// ---------------------------------------------------------------------------------------------
// One named record: "how much does Pemberton Dairies pay us", "when did Talbot Removals become a
// customer", "who owns the Orchard Lane Pharmacy deal".

/** A question that points back at what an earlier answer was about. */
const REFERS_BACK =
  /\b(they|them|their|it|its|this (?:one|customer|client|account|deal)|that (?:one|customer|client|account|deal))\b/i;

/**
 * The record the conversation is about: named in the lead (the first bold words) of the latest answer,
 * or of the one before it when the latest question itself pointed back ("why did they leave" keeps the
 * agency the answer before named). One record or none: a lead naming several is no subject.
 */
async function referredRecord(
  tools: ToolClient,
  history: ReadonlyArray<{ question: string; answer: string }>,
): Promise<string | undefined> {
  for (let i = history.length - 1; i >= Math.max(0, history.length - 4); i--) {
    const lead = /\*\*(.+?)\*\*/s.exec(history[i]!.answer)?.[1]?.slice(0, 500);
    if (lead) {
      const res = await tools.queryRecords({ mentioned_in: lead, limit: 1 });
      const names = new Set(res.ok ? (res.value.named?.found ?? []).map((f) => f.name) : []);
      if (names.size === 1) return lead;
      if (names.size > 1) return undefined;
    }
    if (!REFERS_BACK.test(history[i]!.question)) return undefined;
  }
  return undefined;
}

/** Words that tie a question to a record's fields even when the name is written in lower case. */
const RECORD_CUES = new Set([
  'pay',
  'own',
  'owner',
  'rep',
  'manager',
  'since',
  'become',
  'worth',
  'renew',
  'renewal',
  'seat',
  'plan',
  'tier',
  'country',
  'region',
  'base',
  'locate',
  'stage',
]);

/** Whether the question may name a record: a list question, a name in it, or a field's words. */
function mayNameRecord(message: string, q: RecordQuestion | undefined, reading: QuestionReading): boolean {
  if (q || reading.names.length > 0) return true;
  return tokens(message).some((t) => RECORD_CUES.has(t.lemma) || RECORD_CUES.has(t.word));
}

const LEGAL_SUFFIX =
  /^(ltd|limited|inc|llc|llp|plc|gmbh|ag|sa|sas|srl|bv|b\.v|nv|pty|co|corp|corporation|oy|ab|kg|as)\.?$/i;

/** Names as the question writes them: runs of capitalised words holding one of the reader's names. */
export function namePhrases(message: string, names: string[]): string[] {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out: string[] = [];
  // A question In Title Case names nothing by its capitals (its other words are capitalised too).
  const others = (message.match(/[A-Za-z][\w'’&.-]*/g) ?? [])
    .slice(1)
    .filter((w) => !wanted.has(w.replace(/['’]s$/, '').toLowerCase()));
  if (others.length >= 2 && others.filter((w) => /^[A-Z]/.test(w)).length > others.length / 2) return [];
  const run = /(?:^|(?<=[\s(“"']))([A-Z][\w'’.-]*(?:\s+(?:&|and|of|de|the)?\s*[A-Z][\w'’.-]*)*)/g;
  for (const m of message.matchAll(run)) {
    const written = m[1]!.split(/\s+/).map((w) => w.replace(/[.,;:!?]+$/, ''));
    const bare = written.map((w) => w.replace(/['’]s$/, ''));
    const hits = bare.flatMap((w, i) => (wanted.has(w.toLowerCase()) ? [i] : []));
    if (hits.length === 0) continue;
    // From the first name word to the last, with a legal suffix after it ("Acme GmbH", "Zephyr Corp."):
    // "Does Acme …" and "Gusto's ARR" keep only the name.
    let end = hits.at(-1)! + 1;
    while (end < bare.length && LEGAL_SUFFIX.test(bare[end]!)) end++;
    out.push(bare.slice(hits[0], end).join(' '));
  }
  return [...new Set(out)];
}

/**
 * 'answered': the draft holds the answer (the record's field, or why it cannot be given); 'filter': a
 * record is named and the question is an aggregate over its rows (the caller filters by it); 'none':
 * the question names no record.
 */
async function namedRecordAnswer(
  draft: Draft,
  tools: ToolClient,
  message: string,
  q: RecordQuestion | undefined,
  parsed: ParsedQuestion,
  reading: QuestionReading,
  listing: Listing,
  ownNames: string[],
  /** Where the name is: the question, or for a follow-up the earlier answer it refers to. */
  subject = message,
): Promise<{ status: 'answered' | 'filter' | 'none'; mentions: string[]; list?: RecordsOutput }> {
  let none: { status: 'none'; mentions: string[]; list?: RecordsOutput } = { status: 'none', mentions: [] };
  const answered = { status: 'answered' as const, mentions: [] };
  // Which list: the kind the question names, or a customer's when it pays us ("how much does X pay us"
  // of a name that is both a customer and a deal's account is the customer's MRR, not the deal).
  const lemmas = new Set(tokens(message).flatMap((t) => [t.lemma, t.word]));
  const paysUs = ['pay', 'spend', 'bring'].some((w) => lemmas.has(w)) && lemmas.has('us') && !lemmas.has('we');
  const kind = q?.kind ?? recordKindNamed(message) ?? (paysUs ? 'customers' : undefined);
  let res = await tools.queryRecords({ mentioned_in: subject, limit: 10, ...(kind ? { kind } : {}) });
  // No customer list, but a deals export may name the account.
  if (!res.ok && !q && kind && !recordKindNamed(message))
    res = await tools.queryRecords({ mentioned_in: subject, limit: 10 });
  if (!res.ok) return none;
  const out = res.value;
  none = { ...none, list: out };
  const found = out.named?.found ?? [];
  if (found.length > 0) {
    const oneName = new Set(found.map((f) => f.name)).size === 1;
    const aggregate = q && !(oneName && (q.intent === 'sum' || q.intent === 'top') && !q.sortDate);
    if (aggregate) return { status: 'filter', mentions: found.map((f) => f.mention), list: out };
    const rest = found.reduce((text, f) => text.split(f.mention).join(' '), message);
    const field = askedField(rest, reading.best.answerType, out.kind);
    // "How much did X pay us in Q3": a list gives each record's figure as it stands, not by period.
    const spec = parsed.periods[0];
    if (
      field.kind === 'value' &&
      field.role !== 'seats' &&
      spec !== undefined &&
      !isCurrent(spec) &&
      listing.latestMonth
    ) {
      const period = resolveSpec(spec, listing.latestMonth, listing.fiscalStartMonth).label;
      const name = [...new Set(found.map((f) => f.name))].join(', ');
      const valueHeader = out.columns.find((c) => c.role === 'mrr' || c.role === 'arr' || c.role === 'amount')?.header;
      draft.lines.push(
        `I couldn't find what ${name} paid in ${period}: ${out.document_name} gives ${valueHeader ? `its “${valueHeader}” as the list stands` : 'no amount for it'}, not an amount for each period.`,
        '',
        `Ask “how much does ${name} pay us?” for the figure the list gives.`,
      );
      draft.citations.push(...out.sources.slice(0, 1));
      return answered;
    }
    await writeNamedAnswer(draft, tools, out, field, reading, listing, ownNames);
    return answered;
  }
  // A name that is no record's: said plainly, unless a document states the fact for that very name.
  if (q?.fieldWords.length) return none;
  // Not a name: a value of the list's fields or part of one ("Hannah" of the owner "Hannah Osei"), the
  // company's own name, or words the question reader understands ("What Is Our Largest Customer").
  const fieldWords = new Set(
    Object.values(out.values)
      .flat()
      .flatMap((v) => v.toLowerCase().split(/[^a-z0-9]+/)),
  );
  const understood = (w: string) =>
    fieldWords.has(w) || MAX.has(w) || MIN.has(w) || CUSTOMER.has(w.replace(/s$/, '')) || DEAL.has(w.replace(/s$/, ''));
  const phrases = namePhrases(message, reading.names).filter(
    (p) =>
      !p
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean)
        .every(understood) && !ownNames.some((o) => o.toLowerCase() === p.toLowerCase()),
  );
  const phrase = phrases[0];
  if (!phrase) return none;
  // The question must say the name is a customer's or a deal's ("pay us", "customer", "account manager").
  const recordWords = ['own', 'owner', 'manager', 'rep'];
  if (!q && !paysUs && !recordKindNamed(message) && !recordWords.some((w) => lemmas.has(w))) return none;
  const stated: Draft = { lines: [], citations: [], metrics: [] };
  if (await statedAnswer(stated, tools, reading, listing, ownNames)) {
    const text = stated.lines.join('\n').toLowerCase();
    if (text.includes(phrase.toLowerCase())) {
      draft.lines.push(...stated.lines);
      draft.citations.push(...stated.citations);
      return answered;
    }
  }
  const where = (out.searched ?? []).map(listText);
  draft.lines.push(
    `I couldn't find ${phrase} in ${where.length > 0 ? where.join(' or ') : listText(out)}.`,
    '',
    'Check the spelling, or upload the list that has it.',
  );
  draft.citations.push(...out.sources.slice(0, 1));
  return answered;
}

const CHURNED_STATUS = /\b(churn(ed)?|cancel+ed|cancel+ation|lost|inactive|terminated|ended|former|closed)\b/i;
const LIST_NOUN: Record<RecordKind, string> = { customers: 'customer list', deals: 'deals export' };
function listText(l: { kind: RecordKind; document_name: string; total: number }): string {
  return `your ${LIST_NOUN[l.kind]} (${l.document_name}, ${l.total} ${l.kind === 'deals' ? 'deals' : 'customers'})`;
}

const FIELD_NAME: Record<string, string> = {
  owner: 'owner',
  region: 'location',
  plan: 'plan',
  stage: 'stage',
  status: 'status',
  segment: 'segment',
  reason: 'reason',
  seats: 'seat count',
  start: 'start date',
  end: 'end date',
  close: 'close date',
  renewal: 'renewal date',
  mrr: 'MRR',
  arr: 'ARR',
  amount: 'amount',
};

async function writeNamedAnswer(
  draft: Draft,
  tools: ToolClient,
  out: RecordsOutput,
  askedFor: AskedField,
  reading: QuestionReading,
  listing: Listing,
  ownNames: string[],
) {
  // The list's amounts in the currency its value column states (one list, one currency in practice).
  const currency = out.columns.find((c) => ['mrr', 'arr', 'amount'].includes(c.role) && c.currency)?.currency;
  const found = out.named?.found ?? [];
  const names = [...new Set(found.map((f) => f.name))];
  const rows = out.records;
  const source = `${out.document_name}, ${rows.flatMap((r) => r.locators).join(', ')}`;
  const header = (role: string) => out.columns.find((c) => c.role === role)?.header;
  const subject = (name: string) => (out.kind === 'deals' ? `the ${name} deal` : name);
  const subjectFirst = (name: string) => (out.kind === 'deals' ? `The ${name} deal` : name);
  const typo = found.find((f) => f.how === 'typo' || f.how === 'partial');
  const reading_ = typo ? `Reading “${typo.mention}” as ${typo.name.replace(/\.$/, '')}. ` : '';
  draft.citations.push(...out.sources);

  if (names.length > 1) {
    draft.lines.push(
      `I couldn't tell which record you mean: “${found[0]!.mention}” matches ${names.join(', ')} in ${out.document_name}. Ask with the full name.`,
    );
    return;
  }
  const name = names[0]!;
  const rowsText = rows.length > 1 ? ` (${rows.length} rows)` : '';
  const columnsText = out.columns.map((c) => c.header).join(', ');
  const missingColumn = async (what: string) => {
    // A fact the list has no column for may still be written in a document, for this very name.
    const stated: Draft = { lines: [], citations: [], metrics: [] };
    if (await statedAnswer(stated, tools, reading, listing, ownNames)) {
      if (stated.lines.join('\n').toLowerCase().includes(name.toLowerCase().split(/\s+/)[0]!)) {
        draft.lines.push(...stated.lines);
        draft.citations.push(...stated.citations);
        return;
      }
    }
    draft.lines.push(
      `I couldn't find the ${what} of ${subject(name)}: ${out.document_name} has no ${what} column (its columns: ${columnsText}).`,
    );
  };

  // "How many branches did they have": a quantity column counts them when it is billed per branch.
  const unit = out.columns.find((c) => c.role === 'seats')?.unit;
  const field: AskedField =
    askedFor.kind === 'other' && unit && singular(askedFor.what.toLowerCase()) === unit
      ? { kind: 'value', role: 'seats' }
      : askedFor;
  if (field.kind === 'other') return missingColumn(field.what);
  if (field.kind === 'churned') {
    const r = rows[0]!;
    const end = r.dates.end;
    const status = r.fields.status;
    const left = end !== undefined || (status !== undefined && CHURNED_STATUS.test(status));
    if (left) {
      draft.lines.push(
        `${reading_}**${name} has left${end ? ` — “${header('end')}” ${dayText(end)}${end.length > 7 ? ` (${end})` : ''}` : ''}${status ? ` (status: ${status})` : ''}.**`,
        '',
        `From ${source}.`,
      );
    } else if (status !== undefined || header('end')) {
      draft.lines.push(
        `${reading_}**${name} is still a customer${status ? ` (status: ${status})` : ''}${header('end') ? `, with no “${header('end')}” date` : ''}.**`,
        '',
        `From ${source}.`,
      );
    } else {
      draft.lines.push(
        `I couldn't find whether ${name} is still a customer: ${out.document_name} lists it but has no status or churn date column (its columns: ${columnsText}).`,
      );
    }
    return;
  }
  if (field.kind === 'summary') {
    const r = rows[0]!;
    const parts = [
      ...(Object.entries(r.values) as Array<[ValueRole | 'seats', number]>).map(([role, v]) =>
        role === 'seats' ? `${v} ${plural(unit ?? 'seat')}` : `${FIELD_NAME[role]} ${money(v, role, currency)}`,
      ),
      ...(Object.entries(r.dates) as Array<[string, string]>).map(([role, d]) => `${header(role)}: ${dayText(d)}`),
      ...(Object.entries(r.fields) as Array<[string, string]>).map(([role, v]) => `${header(role)}: ${v}`),
    ];
    draft.lines.push(`${reading_}**${subjectFirst(name)}**${rowsText}: ${parts.join('; ')}.`, '', `Source: ${source}.`);
    return;
  }
  if (field.kind === 'date') {
    if (field.role === 'renewal') return missingColumn('renewal date');
    const role: DateRole = field.role;
    if (!header(role)) return missingColumn(FIELD_NAME[role]!);
    const dated = rows.filter((r) => r.dates[role]);
    if (dated.length === 0) {
      draft.lines.push(`I couldn't find a ${header(role)} for ${subject(name)}: its row in ${source} leaves it empty.`);
      return;
    }
    const when = (d: string) => (d.length === 7 ? dayText(d) : `${dayText(d)} (${d})`);
    const on = (d: string) => `${d.length === 7 ? 'in' : 'on'} ${when(d)}`;
    const lead =
      role === 'start' && out.kind === 'customers'
        ? `**${name} has been a customer since ${when(dated[0]!.dates.start!)}.**`
        : role === 'end'
          ? `**${name} left ${on(dated[0]!.dates.end!)}.**`
          : `**${subjectFirst(name)} ${rows[0]!.fields.stage && !/closed|won|lost/i.test(rows[0]!.fields.stage) ? 'is expected to close' : 'closed'} ${on(dated[0]!.dates[role]!)}.**`;
    draft.lines.push(`${reading_}${dated.length === 1 ? lead : `${subjectFirst(name)}${rowsText}:`}`);
    if (dated.length > 1)
      for (const r of dated) draft.lines.push(`- ${when(r.dates[role]!)} (${r.locators.join(', ')})`);
    draft.lines.push('', `From “${header(role)}” in ${source}.`);
    return;
  }
  if (field.kind === 'text') {
    const role = field.role;
    if (!header(role)) return missingColumn(FIELD_NAME[role]!);
    const values = [...new Set(rows.map((r) => r.fields[role]).filter((v): v is string => !!v))];
    if (values.length === 0) {
      draft.lines.push(
        `I couldn't find the ${header(role)} of ${subject(name)}: its row in ${source} leaves it empty.`,
      );
      return;
    }
    const what = header(role)!.toLowerCase();
    const given = values.length === 1 ? values[0] : values.join(', ');
    draft.lines.push(
      role === 'reason'
        ? `${reading_}**${subjectFirst(name)}${out.kind === 'customers' ? ' left' : ' was lost'} for this reason: ${given}.**`
        : `${reading_}**The ${what} of ${subject(name)} ${values.length === 1 ? `is ${values[0]}` : `is given as ${values.join(', ')}`}.**`,
      '',
      `From “${header(role)}” in ${source}.`,
    );
    return;
  }
  // An amount: the value asked (MRR, ARR), else the list's own value column, said which.
  const role: ValueRole | 'seats' | undefined =
    field.role === 'seats'
      ? 'seats'
      : field.role && header(field.role)
        ? field.role
        : (['mrr', 'arr', 'amount'] as const).find((r) => header(r));
  if (!role || !header(role)) return missingColumn(field.role ? FIELD_NAME[field.role]! : 'amount');
  const total = rows.reduce<number | null>((s, r) => {
    const v = r.values[role];
    return v === undefined ? s : (s ?? 0) + v;
  }, null);
  if (total === null) {
    draft.lines.push(`I couldn't find the ${header(role)} of ${subject(name)}: its row in ${source} leaves it empty.`);
    return;
  }
  const asked =
    field.kind === 'value' && field.role && field.role !== role && field.role !== 'seats' ? field.role : undefined;
  const converted =
    asked === 'arr' && role === 'mrr'
      ? ` (${amount(total * 12, currency)} a year)`
      : asked === 'mrr' && role === 'arr'
        ? ` (${amount(Math.round(total / 12), currency)} a month)`
        : '';
  const verb = out.kind === 'customers' ? `${name} pays` : `${subjectFirst(name)} is worth`;
  const lead =
    role === 'seats'
      ? `**${name} ${out.lost ? 'had' : 'has'} ${total} ${total === 1 ? (unit ?? 'seat') : plural(unit ?? 'seat')}.**`
      : out.kind === 'customers' && role === 'amount'
        ? `**${name}: ${amount(total, currency)}** (${header(role)}).`
        : `**${verb} ${money(total, role, currency)}${converted}.**`;
  const stage = out.kind === 'deals' && rows[0]?.fields.stage ? ` Stage: ${rows[0].fields.stage}.` : '';
  draft.lines.push(
    `${reading_}${lead}${stage}`,
    '',
    `From “${header(role)}” in ${source}${rows.length > 1 ? `, ${rows.length} rows added up` : ''}.`,
  );
}

/** Capitalised words a figure question may carry without naming a part of the list. */
const NOT_QUALIFIERS = new Set(
  'i mrr arr acv tcv ltv cac nrr grr usd eur gbp ytd qtd ttm ltm fy crm ae csm ok q h'.split(' '),
);
const MONTH_WORDS = new Set(
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec'.split(
    ' ',
  ),
);

/**
 * Capitalised words of a list question that neither a filter value, a record's name, the kind of list
 * nor a period explains ("the biggest customer in Brazil", "deals in EMEA" when the list has no such
 * region): the question asks for a part of the list the list does not have.
 */
export function unmatchedQualifiers(message: string, explained: string[], ownNames: string[]): string[] {
  const known = new Set(
    [...explained, ...ownNames].flatMap((v) =>
      v
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean),
    ),
  );
  const out: string[] = [];
  const words = [...message.matchAll(/[A-Za-z][A-Za-z0-9&'’.-]*/g)];
  // A question In Title Case says nothing by its capitals.
  const rest = words.slice(1);
  if (rest.length >= 2 && rest.filter((m) => /^[A-Z]/.test(m[0])).length > rest.length / 2) return [];
  words.forEach((m, i) => {
    const raw = m[0].replace(/['’]s$/, '').replace(/[.]+$/, '');
    if (i === 0 || !/^[A-Z]/.test(raw) || /\d/.test(raw)) return;
    const w = raw.toLowerCase();
    const singular = w.replace(/s$/, '');
    if (known.has(w) || NOT_QUALIFIERS.has(w) || MONTH_WORDS.has(w)) return;
    if (CUSTOMER.has(singular) || DEAL.has(singular) || CUSTOMER.has(w) || DEAL.has(w)) return;
    out.push(raw);
  });
  return out;
}

/** Other ways a place is written: the initials of a name of several words ("UK", "US"), and common names. */
const PLACE_ALIASES: Record<string, string[]> = {
  'united kingdom': ['britain', 'great britain', 'gb'],
  'united states': ['america', 'usa', 'united states of america'],
  netherlands: ['holland', 'the netherlands'],
};
function placeForms(value: string, message: string): string[] {
  const n = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const forms = [...(PLACE_ALIASES[n] ?? [])];
  const parts = n.split(' ');
  // Initials count only written in capitals: "US" is the United States, "us" is a pronoun.
  const initials = parts.length >= 2 ? parts.map((p) => p[0]).join('') : '';
  if (initials.length >= 2 && new RegExp(`\\b${initials.toUpperCase()}\\b`).test(message)) forms.push(initials);
  return forms;
}

/** The win rate: deals won over deals closed (won or lost) in the period asked; open deals are not closed (query_records). */
async function winRateAnswer(
  draft: Draft,
  tools: ToolClient,
  input: RecordsInput,
  list: RecordsOutput,
): Promise<boolean> {
  const res = await tools.queryRecords({ ...input, op: 'win_rate' });
  if (!res.ok || !res.value.win_rate) return false;
  const rate = res.value.win_rate;
  const scope = res.value.filters.filter((f) => !f.startsWith('status'));
  const within = scope.length > 0 ? ` (${scope.join('; ')})` : '';
  if (!rate.outcome_known || (rate.closed === 0 && !input.period)) {
    draft.lines.push(
      `I couldn't find which deals were won or lost in ${list.document_name}: it has no stage or status that says so, so I can't give a win rate.`,
    );
  } else if (rate.percent === null) {
    draft.lines.push(
      `I couldn't find any deal won or lost${within} in ${list.document_name}, so there is no win rate to give.`,
    );
  } else {
    draft.lines.push(
      `**Your win rate${within} is ${rate.percent.toFixed(1)}%:** ${rate.won} deals won of ${rate.closed} closed (${rate.lost} lost). Open deals are not counted.`,
      '',
      `Source: ${list.document_name}, ${res.value.list} (${res.value.total} deals; won and lost by “${rate.by ?? 'stage'}”).`,
    );
  }
  draft.citations.push(...res.value.sources);
  return true;
}
