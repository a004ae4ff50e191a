import damerauLevenshtein from 'damerau-levenshtein';
import { METRICS_BY_ID, normalizeLabel } from '../../graph/catalog.ts';
import type { Unit } from '../../graph/types.ts';
import { isMonthName, MONTH_NAMES, monthIndex } from '../../lib/periods.ts';
import { knownWord, type Token, tokens } from './nlp.ts';
import { PARTY_NOUNS, PERSON_NOUNS } from './nouns.ts';
import { findPeriods, hasFreePeriodNoun, yearBeforeCues } from './parse-periods.ts';
import type { MetricMention, Operation, ParsedQuestion } from './parse-question.ts';

/**
 * A question read as scored interpretations (issue 11). Each candidate — a metric's value, its series,
 * its highest/lowest period, a change, its drivers, a fact stated in the documents, a definition, an
 * overview, out of scope — is scored from evidence in the question and carries the answer type it
 * expects. The evidence is data: the word lists below, matched on lemmas (nlp.ts), and the metrics
 * and periods the catalog-driven reader found (parse-question.ts). A reading that leaves the
 * question's key nouns unexplained scores low ("when did the head of sales join" mentions sales, but
 * a revenue figure explains neither "head" nor "join").
 */
export type AnswerType =
  | 'amount'
  | 'percent'
  | 'ratio'
  | 'months'
  | 'count'
  | 'period'
  | 'date'
  | 'person'
  | 'organisation'
  | 'reason'
  | 'list'
  | 'text';

export type ReadingKind =
  | 'value'
  | 'series'
  | 'extreme'
  | 'change'
  | 'explain'
  | 'stated'
  | 'definition'
  | 'overview'
  | 'list'
  | 'help'
  | 'remember'
  | 'out_of_scope';

export interface Reading {
  kind: ReadingKind;
  score: number;
  answerType: AnswerType;
  /** Why it scored: the words that support it. */
  evidence: string[];
}

export type Wh = 'who' | 'when' | 'where' | 'which' | 'what' | 'how_many' | 'how_much' | 'why' | 'how' | 'none';

export interface QuestionReading {
  readings: Reading[];
  best: Reading;
  wh: Wh;
  /** The noun after "which"/"what" ("which month" → month, "which account" → account). */
  target?: string;
  /** Content words (lemmas) no metric, period or operation word explains: what a document must say. */
  unexplained: string[];
  /** Content words of the question (lemmas), for retrieval. */
  content: string[];
  /** The unexplained nouns: a sentence that answers must name one of them (or a synonym). */
  keyNouns: string[];
  /** Names in the question (another company, a person): a sentence that answers must name each. */
  names: string[];
  /** Highest or lowest, with the metric's direction applied (worst churn is the highest). */
  direction?: 'max' | 'min';
  /** A document the question names ("according to the investor memo", "in weekly update 75"). */
  document?: { id: string; name: string };
  /** The question with obvious typos of known words mended ("custmers" → "customers"). */
  text: string;
  /** "Excluding …", "without …": the question takes a part out of the figure ("GM excluding hosting"). */
  excluding?: string;
  /** Why the question is outside the analyst's job, when it is (a poem, an email to send, advice, a what-if). */
  outOfScope?: OutOfScope;
  /** A rate asked of a metric that is not one ("EBITDA margin"): the metric's figure does not answer it. */
  mismatch?: { metric: string; asked: string };
  /** The company's own nouns for its customers: a sentence saying "agency" speaks of a customer. */
  customerNouns?: string[];
}

// ---------------------------------------------------------------------------------------------
// Evidence, as data.

/** Words that carry no content of their own in a question. */
const FUNCTION_WORDS = new Set(
  (
    'a an the is are was were be been being am do does did done have has had our we us my me i you your it its ' +
    'this that these those there here what which who whom whose when where why how much many of in on at to for ' +
    'from by with about as and or but if then than so not no yes can could would should will shall may might must ' +
    'please any some all each per vs versus into over under up down out just also only they them their he she his ' +
    'her one get got give show tell know see look make let like want need find currently now today right so far ' +
    'ever again still yet already just really actually exactly roughly approximately around about hey ok okay thanks ' +
    'according accord based say said state stated mention mentioned'
  ).split(' '),
);

/** Words any figure question may use without naming what the figure is. */
const GENERIC_WORDS = new Set(
  (
    'number figure value amount total level current latest recent end start beginning close closing opening ' +
    'metric data stat statistic kpi company business firm report reported reporting month quarter year period ' +
    'time date monthly quarterly annual annually yearly term stand sit come go reach hit land finish sum overall ' +
    'net gross spend spending spent cost costs expense rate ratio percentage percent share score doing run ' +
    'tracking track trending how much many what'
  ).split(' '),
);

/** Highest / lowest as words say them; `best`/`worst` depend on the metric's direction. */
const HIGH = new Set([
  'highest',
  'largest',
  'biggest',
  'most',
  'peak',
  'peaked',
  'maximum',
  'max',
  'top',
  'record',
  'greatest',
  'high',
  'large',
  'big',
]);
const LOW = new Set(['lowest', 'smallest', 'least', 'minimum', 'min', 'bottom', 'fewest', 'low', 'small']);
const GOOD = new Set(['best', 'strongest', 'good', 'strong']);
const BAD = new Set(['worst', 'weakest', 'bad', 'weak', 'poorest']);

const TREND = new Set([
  'trend',
  'trended',
  'trending',
  'history',
  'historical',
  'evolve',
  'evolution',
  'trajectory',
  'series',
  'chart',
  'plot',
  'graph',
  'progression',
  'breakdown',
]);
const CHANGE = new Set([
  'change',
  'grow',
  'growth',
  'increase',
  'decrease',
  'decline',
  'drop',
  'rise',
  'fall',
  'improve',
  'worsen',
  'compare',
  'comparison',
  'versus',
  'between',
  'delta',
  'difference',
  'yoy',
  'mom',
  'qoq',
]);
const EXPLAIN = new Set([
  'why',
  'explain',
  'drive',
  'driver',
  'cause',
  'behind',
  'calculate',
  'compute',
  'derive',
  'breakdown',
]);
const BENCHMARK = new Set([
  'benchmark',
  'peer',
  'industry',
  'healthy',
  'good',
  'bad',
  'typical',
  'normal',
  'median',
  'quartile',
  'percentile',
  'stage',
  'compare',
  'stack',
  'rank',
  'concern',
  'worry',
  'track',
]);
const DEFINE = new Set(['mean', 'meaning', 'define', 'definition', 'stand', 'formula']);
const REASON = new Set(['reason', 'cause', 'driver', 'because', 'why', 'explanation']);
/** Verbs of money changing hands: "what do we pay the CFO" asks for an amount, not for who the CFO is. */
const PAYING = new Set(['pay', 'paid', 'cost', 'charge', 'earn', 'owe', 'salary', 'compensation', 'fee']);
/** Period nouns: "which month" asks for a period. */
const SHIFTED_PERIOD =
  /\b(?:month|quarter|qtr|year|period|one)\s+(?:before|prior|earlier|after|later)\b|\b(?:previous|prior|preceding|next|following|that|same)\s+(?:month|quarter|qtr|year|period|one)\b/g;
const PERIOD_NOUNS = new Set(['month', 'quarter', 'year', 'period', 'week', 'half']);
/** Figures set ahead of time: stated in a document or not at all, never the actual figure instead. */
export const PLANNED = new Set([
  'target',
  'plan',
  'goal',
  'budget',
  'forecast',
  'projection',
  'quota',
  'guidance',
  'estimate',
  // "What headcount do we expect", "what do we anticipate": a figure looked for ahead of time.
  'expect',
  'anticipate',
]);

/** Words that take a part out of a figure ("excluding hosting", "ex one-offs", "without Acme"). */
const EXCLUDING =
  /\b(?:excluding|exclude|excl\.?|except(?: for)?|without|ex|minus|net of|other than|apart from|aside from|leaving out|not counting)\s+/;

/** Parties other than the company: compared with, a benchmark; otherwise someone else's figure. */
const RIVALS = new Set(['competitor', 'competition', 'rival']);
const COMPARED = new Set([
  'compare',
  'comparison',
  'versus',
  'vs',
  'against',
  'than',
  'relative',
  'stack',
  'benchmark',
]);
/** Nouns that ask for a percentage or a ratio of what they follow ("EBITDA margin", "hiring rate"). */
const RATE_NOUNS = new Set(['margin', 'rate', 'ratio', 'percentage', 'percent', '%', 'proportion']);

/**
 * A weak one-word mention of another metric written right before a mention of the metric asked: it
 * names whose figure ("employee churn rate", "sales headcount"), not a second figure to give.
 */
function modifies(m: MetricMention, main: MetricMention | undefined, all: MetricMention[]): boolean {
  if (!main || m === main || !m.weak || m.id === main.id) return false;
  const end = m.index + m.phrase.split(' ').length;
  return all.some((o) => o !== m && o.index === end);
}

/** Why a request is outside the analyst's job. */
export type OutOfScope = 'creative' | 'action' | 'advice' | 'scenario';

/** Verbs of doing something (sending, scheduling, changing data), not of asking what the documents say. */
const ACTION_VERBS = new Set(
  'email mail send forward share post tweet message text call phone ring schedule book invite remind notify cancel delete remove buy order pay transfer approve sign submit print download export upload publish'.split(
    ' ',
  ),
);
/** What follows an imperative verb of doing: its object ("email this", "send the deck", "remind me"). */
const OBJECT_WORDS = new Set(
  'this that it these those the a an my our me him her them us everyone everybody all'.split(' '),
);
/** Politeness before an imperative ("please", "can you", "could you quickly"). */
const POLITE = new Set(
  'please pls plz can could would will you kindly hey hi ok okay now just quickly also then'.split(' '),
);
/** Words that turn advice words into a question about what a document says ("what did the board recommend"). */
const REPORTED =
  /\b(did|does|do|has|have|had)\s+(?:the|our|my)\s+\w+(?:\s+\w+)?\s+(recommend|suggest|advise|say|propose)|\b(according to|says?|said|stated|mentions?|mentioned|written)\b/;

/** A request to act, to advise, or to imagine: what it is and the word that says so. */
function requestOf(lower: string, toks: Token[]): { kind: OutOfScope; word: string } | undefined {
  const words = toks.map((t) => t.word);
  const first = words.findIndex((w) => !POLITE.has(w));
  const verb = toks[first];
  if (verb && ACTION_VERBS.has(verb.lemma) && OBJECT_WORDS.has(words[first + 1] ?? ''))
    return { kind: 'action', word: verb.word };
  if (REPORTED.test(lower)) return undefined;
  const advice =
    /\bshould\s+(?:we|i|our|us|my)\b|\b(?:we|i)\s+should\b|\bwhat\s+should\b/.exec(lower) ??
    /\b(?:do|would|can|could|will)\s+you\s+(?:recommend|suggest|advise|propose)\b|^\s*(?:please\s+)?(?:recommend|suggest|advise)\b/.exec(
      lower,
    ) ??
    /\b(?:any|some|your|give me)\s+(?:advice|tips|suggestions|ideas|recommendations?|opinion|thoughts|take)\b|\bin your (?:opinion|view)\b|\bdo you think\b/.exec(
      lower,
    ) ??
    /\bhow\s+(?:can|could|do|should|might)\s+(?:we|i)\s+(?:improve|reduce|increase|grow|fix|lower|cut|boost|raise|decrease|speed|hit|reach|get|stop|avoid|prevent)\b/.exec(
      lower,
    );
  if (advice) return { kind: 'advice', word: advice[0].trim() };
  const scenario =
    /\bwhat if\b|\bwhat happens\b|\b(?:suppose|supposing|assuming|assume|imagine|hypothetically|hypothetical|scenario)\b/.exec(
      lower,
    ) ??
    // "If we cut burn by 20% …", "if churn halved": a change the question imagines.
    /\bif\s+(?:we|i|our|they)\b/.exec(lower) ??
    /\bif\b[^?]*\b(?:halved|halves|doubled|doubles|tripled|drops?|dropped|fell|falls|rose|rises|grew|grows|cut|cuts)\b/.exec(
      lower,
    ) ??
    (/\bif\b/.test(lower) ? /\b(?:would|could|might)\b|'d\b/.exec(lower) : null);
  if (scenario) return { kind: 'scenario', word: scenario[0].trim() };
  return undefined;
}

/** Requests outside the analyst's job: creative writing, code, translation. */
const CREATIVE_NOUNS = new Set(
  'poem haiku limerick song lyric lyrics story joke essay novel rap sonnet verse riddle recipe code script function program regex sql python javascript translation'.split(
    ' ',
  ),
);
const CREATIVE_VERBS = new Set([
  'write',
  'compose',
  'draft',
  'sing',
  'tell',
  'make',
  'create',
  'generate',
  'translate',
  'code',
  'program',
  'draw',
  'paint',
  'rhyme',
]);
/** Words that name a kind of document ("according to the memo", "in the board deck"). */
const DOCUMENT_NOUNS = new Set(
  'memo memorandum update deck letter report minutes notes plan contract agreement email summary review statement model forecast budget proposal presentation doc document file spreadsheet sheet export newsletter pack packet slides briefing'.split(
    ' ',
  ),
);
const ACCORDING = /\b(according to|as per|per the|based on|in|from|says?|said|stated in|mentioned in)\b/;

// ---------------------------------------------------------------------------------------------

const UNIT_ANSWER: Record<Unit, AnswerType> = {
  currency: 'amount',
  count: 'count',
  percent: 'percent',
  ratio: 'ratio',
  months: 'months',
  number: 'amount',
};

/** The answer types a figure of a metric can be. */
export function metricAnswerType(metricId: string, unit?: Unit): AnswerType {
  return UNIT_ANSWER[METRICS_BY_ID.get(metricId)?.unit ?? unit ?? 'currency'];
}

let vocabulary: string[] | undefined;
/** Words of the catalog's metric names and synonyms, and question words: what a typo is mended to. */
function domainVocabulary(): string[] {
  if (vocabulary) return vocabulary;
  const words = new Set<string>([
    'how',
    'what',
    'which',
    'when',
    'many',
    'much',
    'customers',
    'quarter',
    'month',
    'revenue',
    // Month names: "agust", "febuary" are periods once mended.
    ...MONTH_NAMES.map((m) => m.toLowerCase()),
  ]);
  for (const def of METRICS_BY_ID.values()) {
    for (const name of [def.name, ...def.synonyms]) {
      for (const w of normalizeLabel(name).split(' ')) if (w.length >= 4) words.add(w);
    }
  }
  vocabulary = [...words];
  return vocabulary;
}

/**
 * Edit distance with transpositions counted as one edit ("chrun" → "churn", "expnasion" →
 * "expansion"): `damerau-levenshtein` (MIT, no dependencies, the implementation eslint-plugin-jsx-a11y
 * uses) — plain Levenshtein counts a swap of two letters as two edits, which is the most common typo.
 */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  return damerauLevenshtein(a, b).steps;
}

/**
 * Mend typos of domain words: a word compromise does not know, one edit (two for long words) from a
 * word of the metric catalog, becomes that word ("custmers" → "customers", "runwy" → "runway").
 */
/** Chat shorthand founders type: mended before reading. */
const SHORTHAND: Record<string, string> = {
  teh: 'the',
  hte: 'the',
  // compromise's lexicon knows "wat", so the question-word mending (which mends unknown words only)
  // leaves it; "hwo" is one swap from both "how" and "who", and chat means "how".
  wat: 'what',
  hwo: 'how',
  whos: 'who is',
  u: 'you',
  ur: 'your',
  pls: 'please',
  plz: 'please',
  qtr: 'quarter',
  qtrs: 'quarters',
  yr: 'year',
  yrs: 'years',
  mo: 'month',
  mos: 'months',
  mth: 'month',
  mths: 'months',
  rev: 'revenue',
  custs: 'customers',
  // Letters doubled or swapped in the abbreviations themselves.
  mmr: 'mrr',
  mrrr: 'mrr',
  rar: 'arr',
  nnr: 'nrr',
  '#': 'number of',
};

const MONTH_WORDS = MONTH_NAMES.map((m) => m.toLowerCase());

/** A month as written (`feb`, `sept`, `february`); a misspelt one ("febuary") is mended like other words. */
const isMonthWord = isMonthName;

export function mendTypos(question: string, extraWords: string[] = []): string {
  const vocab = [...domainVocabulary(), ...extraWords];
  const mended = question
    .replace(/(?<![\w'])([a-z]{1,4}s?)(?![\w'])/gi, (raw) => SHORTHAND[raw.toLowerCase()] ?? raw)
    .replace(/[A-Za-z]{4,}/g, (raw) => {
      const w = raw.toLowerCase();
      if (vocab.includes(w) || isMonthWord(w) || (knownWord(w) && !monthIndex(w))) return raw;
      const stem = w.replace(/(ies|es|s)$/, '');
      if (stem.length >= 4 && (knownWord(stem) || vocab.includes(stem))) return raw;
      const max = w.length >= 8 ? 2 : w.length >= 5 ? 1 : 0;
      if (max === 0) return raw;
      let best: string | undefined;
      let bestD = max + 1;
      // A dictionary word that starts like a month ("marching", "decimal") may only become a month.
      const candidates = knownWord(w) ? MONTH_WORDS : vocab;
      for (const v of candidates) {
        if (v[0] !== w[0]) continue;
        const d = distance(w, v, max);
        if (d < bestD) {
          best = v;
          bestD = d;
        }
      }
      return best && bestD <= max ? best : raw;
    });
  return mendPeriodWords(mendQuestionWords(mended));
}

/**
 * The question words the reader reads (`whOf`), with the contracted forms it reads as them ("whats",
 * "hows"). A mistyped one ("wats our mrr", "hw much", "wen did …") would be read as an unknown word the
 * figure does not explain.
 */
const QUESTION_WORDS = ['what', 'which', 'when', 'where', 'who', 'whom', 'whose', 'why', 'how'];
const QUESTION_WORD_FORMS = [...QUESTION_WORDS, ...QUESTION_WORDS.map((w) => `${w}s`)];
/** What "how" asks with ("hw mcuh", "how mnay"). */
const HOW_WORDS = ['much', 'many'];
/** Words a question may open with before its question word ("and hw about q3", "ok wats …"). */
const OPENERS = new Set(['and', 'so', 'but', 'then', 'ok', 'okay', 'also', 'hey', 'hi']);

/**
 * Mend a mistyped question word where a question word is written: the first word of the question (after
 * an opener such as "and"), and "how much" / "how many" anywhere ("tell me hw much we burn"). Only a
 * word compromise does not know is mended, to the one question word a single edit away with the same
 * first letter (a dropped letter first: "wher" is "where", not "when"); a tie is left alone, and so is
 * a word compromise knows ("were", "now", "hot") and one elsewhere in the question ("who is Wen Li").
 */
function mendQuestionWords(question: string): string {
  const found = [...question.matchAll(/[A-Za-z]+/g)];
  const lower = found.map((m) => m[0].toLowerCase());
  const unknown = (w: string) => !knownWord(w) && !domainVocabulary().includes(w);
  const nearest = (w: string | undefined, vocab: string[]): string | undefined => {
    if (w === undefined || vocab.includes(w)) return w;
    if (!unknown(w)) return undefined;
    const near = vocab.filter((v) => v[0] === w[0] && distance(w, v, 1) === 1);
    // A dropped letter is the commonest slip in a quick question: "wht" is "what" before "who" or "why".
    const dropped = near.filter((v) => v.length === w.length + 1);
    return dropped.length === 1 ? dropped[0] : near.length === 1 ? near[0] : undefined;
  };
  const mended = lower.slice();
  let first = 0;
  while (first < lower.length - 1 && OPENERS.has(lower[first]!)) first++;
  mended[first] = nearest(lower[first], QUESTION_WORD_FORMS) ?? lower[first]!;
  for (let i = 0; i + 1 < lower.length; i++) {
    const how = nearest(lower[i + 1], HOW_WORDS);
    if (how && nearest(lower[i], ['how']) === 'how') [mended[i], mended[i + 1]] = ['how', how];
  }
  let out = '';
  let at = 0;
  found.forEach((m, i) => {
    const start = m.index ?? 0;
    out += question.slice(at, start) + (mended[i] === lower[i] ? m[0] : mended[i]);
    at = start + m[0].length;
  });
  return out + question.slice(at);
}

/**
 * The words relative periods are written with. A typo of one ("nrr lst quarter", "mrr this mnth")
 * would be read as an unknown qualifier of the metric; the word beside the other half of the period is
 * mended to the nearest of them, one edit away with the same first letter — three-letter words
 * included, which the catalog mending leaves alone, since beside a period word there is little else
 * they could be.
 */
const PERIOD_QUALIFIERS = ['last', 'this', 'next', 'past', 'previous', 'prior', 'current', 'trailing'];
const PERIOD_UNITS = ['quarter', 'month', 'year', 'week', 'quarters', 'months', 'years', 'weeks'];

function mendPeriodWords(question: string): string {
  const found = [...question.matchAll(/[A-Za-z]+/g)].map((m) => ({ raw: m[0], at: m.index ?? 0 }));
  const lower = found.map((w) => w.raw.toLowerCase());
  const unknown = (w: string) => w.length >= 3 && !knownWord(w) && !isMonthWord(w);
  const nearest = (w: string, vocab: string[]) => {
    let best: string | undefined;
    let bestD = 2;
    for (const v of vocab) {
      if (v[0] !== w[0]) continue;
      const d = distance(w, v, 1);
      if (d < bestD) [best, bestD] = [v, d];
    }
    return best;
  };
  // A qualifier and a unit side by side, either or both mistyped ("lst quarter", "pst yaer").
  const as = (w: string, vocab: string[]) => (vocab.includes(w) ? w : unknown(w) ? nearest(w, vocab) : undefined);
  for (let i = 0; i + 1 < lower.length; i++) {
    const qualifier = as(lower[i]!, PERIOD_QUALIFIERS);
    const unit = qualifier ? as(lower[i + 1]!, PERIOD_UNITS) : undefined;
    if (!qualifier || !unit || !/^\s+$/.test(question.slice(found[i]!.at + found[i]!.raw.length, found[i + 1]!.at)))
      continue;
    lower[i] = qualifier;
    lower[i + 1] = unit;
  }
  let out = '';
  let at = 0;
  found.forEach((w, i) => {
    out += question.slice(at, w.at) + (lower[i] === w.raw.toLowerCase() ? w.raw : lower[i]);
    at = w.at + w.raw.length;
  });
  return out + question.slice(at);
}

/** What the question asks for by its question word. */
function whOf(lower: string): Wh {
  if (/\bhow many\b/.test(lower)) return 'how_many';
  if (/\bhow much\b/.test(lower)) return 'how_much';
  const m = /\b(who|whom|whose|when|where|why|which|what|how)(?:'s|s)?\b/.exec(lower);
  if (!m) return 'none';
  const w = m[1]!;
  return w === 'whom' || w === 'whose' ? 'who' : (w as Wh);
}

/** The noun a "which"/"what" asks about: the first noun after it. */
function targetOf(toks: Token[]): string | undefined {
  const at = toks.findIndex((t) => t.word === 'which' || t.word === 'what' || t.word === 'whats');
  if (at < 0) return undefined;
  // "What about new logos that month": a follow-up naming the next thing to show, not "which logo".
  if (toks[at + 1]?.word === 'about') return undefined;
  for (const t of toks.slice(at + 1, at + 4)) {
    if (t.pos === 'noun' || PARTY_NOUNS.has(t.lemma) || PERIOD_NOUNS.has(t.lemma) || PERSON_NOUNS.has(t.lemma))
      return t.lemma.replace(/s$/, '');
    if (t.pos === 'verb') return undefined;
  }
  return undefined;
}

const nameTokens = (name: string) =>
  name
    .toLowerCase()
    .replace(/\.[a-z0-9]{2,5}$/, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !['final', 'v1', 'v2', 'v3', 'copy', 'draft', 'the', 'of', 'and'].includes(w));

/**
 * The document a question names: most of the words of a document's name ("investor memo",
 * "weekly update 75"), a kind of document among them, and its numbers equal to the question's.
 */
export function namedDocument(
  lower: string,
  documents: Array<{ id: string; name: string }>,
): { id: string; name: string; words: string[] } | undefined {
  const qWords = lower.split(/[^a-z0-9]+/).filter(Boolean);
  const qSet = new Set(qWords.flatMap((w) => [w, w.replace(/s$/, '')]));
  const qNumbers = new Set(qWords.filter((w) => /^\d+$/.test(w)).map(Number));
  let best: { id: string; name: string; words: string[]; score: number } | undefined;
  for (const d of documents) {
    const words = nameTokens(d.name);
    // Words with digits ("q4", "fy2026", "dec2025") date the document; they do not name it.
    const letters = words.filter((w) => !/\d/.test(w));
    const numbers = words.filter((w) => /^\d+$/.test(w)).map(Number);
    const hit = letters.filter((w) => qSet.has(w) || qSet.has(w.replace(/s$/, '')));
    if (hit.length === 0 || !hit.some((w) => DOCUMENT_NOUNS.has(w.replace(/s$/, '')))) continue;
    // A number in the question next to the name's words must be the name's number ("update 75" ≠ update 74).
    const numberHits = numbers.filter((n) => qNumbers.has(n));
    const yearOnly = numbers.every((n) => n >= 1990 && n <= 2100);
    if (numbers.length > 0 && numberHits.length === 0 && !yearOnly) continue;
    if (numbers.length > 0 && !yearOnly && [...qNumbers].some((n) => n < 1990 && !numbers.includes(n))) continue;
    // "According to the memo": the only document of that kind is the one meant.
    const onlyOfKind = hit.some(
      (w) =>
        DOCUMENT_NOUNS.has(w.replace(/s$/, '')) &&
        new RegExp(`\\b(according to|as per|per|in|from|says?|does|do)\\s+(the|our)\\s+([a-z]+\\s+)?${w}s?\\b`).test(
          lower,
        ) &&
        documents.filter((o) => nameTokens(o.name).includes(w)).length === 1,
    );
    const score = Math.max(hit.length / Math.max(1, letters.length), onlyOfKind ? 0.5 : 0) + numberHits.length;
    if (hit.length < Math.min(2, letters.length) && !ACCORDING.test(lower)) continue;
    if (!best || score > best.score)
      best = { id: d.id, name: d.name, words: [...hit, ...numberHits.map(String)], score };
  }
  return best && best.score >= 0.5 ? { id: best.id, name: best.name, words: best.words } : undefined;
}

export interface ReadContext {
  /** The engine's catalog-driven reading (metrics, periods, benchmark, define, yoy …). */
  parsed: ParsedQuestion;
  /** Operation words of the earlier reading (help, list, overview, remember are phrase-level cues). */
  phraseOperation: Operation;
  documents: Array<{ id: string; name: string }>;
  /** The tenant's own names (company, documents): never content a document must explain. */
  ownNames: string[];
  /** The metrics came from the previous turn (a follow-up): the question's own words need not name them. */
  followUp: boolean;
  /** The company's own nouns for its customers ("agency"), from its table labels (`customerNouns`). */
  customerNouns?: string[];
}

/** Score every reading of the question; best first. */
export function readQuestion(question: string, ctx: ReadContext): QuestionReading {
  const { parsed } = ctx;
  const lower = question.toLowerCase().replace(/[‘’]/g, "'");
  const toks = tokens(question);
  const wh = whOf(lower);
  const target = targetOf(toks);
  const document = namedDocument(lower, ctx.documents);

  // Words explained by what the catalog reader found: metric phrases, periods, the named document.
  const main = parsed.metrics.find((m) => !m.weak) ?? parsed.metrics[0];
  const explained = new Set<string>();
  for (const m of parsed.metrics) {
    // "Employee churn rate", "sales headcount": a one-word metric written right before the metric asked
    // qualifies it — the answer (churn of customers, company-wide headcount) does not explain it.
    if (!ctx.followUp && modifies(m, main, parsed.metrics)) continue;
    for (const phrase of [m.phrase, ...(m.also ?? [])]) for (const w of phrase.split(' ')) explained.add(w);
    for (const w of normalizeLabel(m.name).split(' ')) explained.add(w);
  }
  for (const f of findPeriods(lower)) for (const w of f.text.split(/[^a-z0-9]+/)) explained.add(w);
  // "Vs last year", "the same quarter a year ago": the comparison a year-over-year change makes.
  for (const cue of yearBeforeCues(lower)) for (const w of cue.split(/[^a-z0-9]+/)) explained.add(w);
  // "The quarter before", "the next month": a period named from the previous one (engine.ts `movedPeriod`).
  for (const m of lower.matchAll(SHIFTED_PERIOD)) for (const w of m[0].split(/\s+/)) explained.add(w);
  for (const w of document?.words ?? []) explained.add(w);
  for (const n of ctx.ownNames) for (const w of nameTokens(n)) explained.add(w);
  const isExplained = (t: Token): boolean =>
    (t.word.includes('&') &&
      normalizeLabel(t.word)
        .split(' ')
        .every((w) => explained.has(w) || w.length < 2)) ||
    explained.has(t.word) ||
    explained.has(t.lemma) ||
    explained.has(t.word.replace(/s$/, '')) ||
    explained.has(`${t.lemma}s`);

  const content = toks.filter(
    (t) =>
      (t.pos === 'noun' || t.pos === 'verb' || t.pos === 'adjective' || t.pos === 'other') &&
      !FUNCTION_WORDS.has(t.word) &&
      !FUNCTION_WORDS.has(t.lemma) &&
      t.word.length > 1 &&
      !/^\d/.test(t.word) &&
      // "margin", "marketing", "decline" start like months; only a month is a period word.
      !isMonthName(t.word),
  );
  // "Compared with competitors" is a benchmark; "our competitors' churn" is their figure, not ours.
  const comparedWith = toks.some((t) => COMPARED.has(t.lemma) || COMPARED.has(t.word));
  const cueWords = (t: Token) =>
    HIGH.has(t.word) ||
    LOW.has(t.word) ||
    GOOD.has(t.word) ||
    BAD.has(t.word) ||
    TREND.has(t.lemma) ||
    CHANGE.has(t.lemma) ||
    EXPLAIN.has(t.lemma) ||
    BENCHMARK.has(t.lemma) ||
    (RIVALS.has(t.lemma) && comparedWith) ||
    DEFINE.has(t.lemma) ||
    GENERIC_WORDS.has(t.lemma) ||
    GENERIC_WORDS.has(t.word);
  const mainWords = new Set(
    main ? [main.phrase, ...(main.also ?? []), normalizeLabel(main.name)].join(' ').split(' ') : [],
  );
  const periodTexts = findPeriods(lower).map((f) => f.text);
  // Compared without punctuation: "03/2025" is one token to compromise ("032025").
  const bare = (x: string) => x.replace(/[^a-z0-9]/g, '');
  const inPeriod = (w: string) => periodTexts.some((p) => bare(p).includes(bare(w)));
  // "Series A" is a funding round, not a series of figures.
  const isRound = (i: number) => toks[i]?.lemma === 'series' && /^[a-f]$/.test(toks[i + 1]?.word ?? '');
  const unexplainedToks = content.filter((t) => !isExplained(t) && (!cueWords(t) || isRound(toks.indexOf(t))));
  // "Revenue per employee", "cost per lead": what a figure is divided by is asked, whatever metric its
  // word also names — unless the metric asked is that ratio ("average revenue per account").
  toks.forEach((t, i) => {
    if (toks[i - 1]?.word !== 'per' || PERIOD_NOUNS.has(t.lemma) || mainWords.has(t.word) || mainWords.has(t.lemma))
      return;
    if (!unexplainedToks.includes(t) && (t.pos === 'noun' || t.pos === 'other')) unexplainedToks.push(t);
  });
  // "Gross margin excluding hosting", "NRR without our largest customer": a figure with a part taken out
  // is not the figure; the part's words stay unexplained, whatever metric they also name.
  const excluded = EXCLUDING.exec(lower);
  if (excluded) {
    const after = excluded.index + excluded[0].length;
    for (const t of toks) {
      const at = lower.indexOf(t.word, after);
      if (at < 0 || at > after + 40 || FUNCTION_WORDS.has(t.word) || unexplainedToks.includes(t)) continue;
      if (t.pos === 'noun' || t.pos === 'other' || t.pos === 'adjective') unexplainedToks.push(t);
    }
  }
  // "What's 15% of our ARR", "our top 10 customers": a number that is not the period nor part of the
  // metric's name is part of the question that a figure of the metric does not answer.
  for (const t of toks)
    if (t.pos === 'number' && !inPeriod(t.word) && !mainWords.has(t.word) && !explained.has(t.word))
      unexplainedToks.push(t);
  const unexplained = [...new Set(unexplainedToks.map((t) => t.lemma))];
  // A noun left over weighs more than a verb: "head" and "ticket" are what the question is about.
  const unexplainedWeight = unexplainedToks.reduce(
    (s, t) =>
      s +
      (t.pos === 'noun' || t.pos === 'other' || t.pos === 'number'
        ? PARTY_NOUNS.has(t.lemma) || PERSON_NOUNS.has(t.lemma)
          ? 0.6
          : 0.45
        : 0.3),
    0,
  );
  const lemmas = new Set(toks.flatMap((t) => [t.lemma, t.word]));
  const has = (set: Set<string>) => [...lemmas].some((w) => set.has(w));

  const readings: Reading[] = [];
  const add = (kind: ReadingKind, score: number, answerType: AnswerType, evidence: string[]) =>
    readings.push({ kind, score: Math.round(score * 100) / 100, answerType, evidence });

  // Out of scope: a creative or coding request ("write a haiku about churn").
  const creativeNoun = toks.find((t) => CREATIVE_NOUNS.has(t.lemma) || CREATIVE_NOUNS.has(t.word));
  const creativeVerb = toks.find((t) => CREATIVE_VERBS.has(t.lemma));
  let outOfScope: OutOfScope | undefined;
  if (creativeNoun && (creativeVerb || toks.length <= 4)) {
    outOfScope = 'creative';
    add('out_of_scope', 3, 'text', [creativeVerb?.word ?? '', creativeNoun.word]);
  }
  // Something to do rather than to know ("email this to my CFO"), advice ("what should our pricing
  // be"), or a what-if ("what would MRR be if churn halved"): no document or figure answers it, and a
  // sentence quoted for it answers another question.
  const request = !outOfScope && !document ? requestOf(lower, toks) : undefined;
  if (request) {
    outOfScope = request.kind;
    add('out_of_scope', 3, 'text', [request.kind, request.word]);
  }

  // Phrase-level operations the catalog reader recognises.
  if (ctx.phraseOperation === 'remember') add('remember', 2.5, 'text', ['statement']);
  if (ctx.phraseOperation === 'help') add('help', 2, 'text', ['greeting']);
  if (ctx.phraseOperation === 'list') add('list', 2, 'list', ['list of metrics']);
  if (ctx.phraseOperation === 'overview') add('overview', 1.8, 'list', ['overview']);

  // "EBITDA margin", "revenue per employee ratio": a rate asked of a metric that is an amount or a count —
  // its figure answers another question.
  const rateAsked = toks.find((t) => RATE_NOUNS.has(t.lemma) && !mainWords.has(t.word) && !mainWords.has(t.lemma));
  const mismatch =
    main && rateAsked && !ctx.followUp && !['percent', 'ratio'].includes(metricAnswerType(main.id))
      ? { metric: main.name, asked: rateAsked.word }
      : undefined;

  const planned = !ctx.followUp && unexplainedToks.some((t) => PLANNED.has(t.lemma));
  // Metric readings.
  if (main) {
    const strength = parsed.metrics.some((m) => !m.weak) ? 1.2 : 0.55;
    const asks = metricAnswerType(main.id);
    let base = strength - unexplainedWeight + (ctx.followUp ? 0.3 : 0);
    const high = toks.some((t) => HIGH.has(t.word));
    const low = toks.some((t) => LOW.has(t.word));
    const good = toks.some((t) => GOOD.has(t.word));
    const bad = toks.some((t) => BAD.has(t.word));
    const extremeCue = high || low || good || bad;
    // A period noun that is not part of a named period ("biggest new MRR month", "best NRR month",
    // "worst month for churn" — but not "last month") asks which period.
    const freePeriodNoun = hasFreePeriodNoun(
      lower,
      parsed.metrics.flatMap((m) => [m.phrase, ...(m.also ?? [])]),
    );
    // What the question word asks for must be a figure (or, for highest/lowest, a period).
    const periodAsked =
      wh === 'when' || (target !== undefined && PERIOD_NOUNS.has(target)) || (extremeCue && freePeriodNoun);
    const partyAsked =
      wh === 'who' || (target !== undefined && (PARTY_NOUNS.has(target) || PERSON_NOUNS.has(target))) || wh === 'where';
    if (partyAsked) base -= 1.5;
    // "Initech's MRR": a figure of someone else, which the company's own figure does not answer.
    if (parsed.entities.length > 0) base -= 0.8;
    if (mismatch) base -= 1.5;
    // "Churn rate target", "ARR vs plan": a figure set ahead of time, which the actual one is not.
    if (planned) base -= 0.8;
    // "How many support tickets" asks for a count: a cost line does not answer it.
    if (wh === 'how_many' && (asks === 'amount' || asks === 'percent' || asks === 'ratio')) base -= 0.8;
    // "When did we see the most downgrades": with every word explained, a superlative asked "when" is
    // the period where the metric peaked, not a date stated in a document.
    const whenPeak = wh === 'when' && (high || low) && unexplained.length === 0 ? 0.5 : 0;
    if (extremeCue && periodAsked) add('extreme', base + 0.4 + whenPeak, 'period', ['highest/lowest', 'which period']);
    else if (periodAsked && parsed.operation !== 'max' && parsed.operation !== 'min') base -= 1.2;
    const op = parsed.operation;
    if (op === 'max' || op === 'min') add('extreme', base + 0.3, 'period', ['highest/lowest']);
    // "Is churn getting better or worse", "is NRR improving": the direction over time, not one figure.
    const direction =
      /\b(?:getting|gotten|becoming|trending)\s+(?:better|worse)\b|\bbetter or worse\b|\b(?:improving|worsening|deteriorating)\b/.test(
        lower,
      );
    if (op === 'trend' || direction) add('series', base + (direction ? 0.5 : 0.3), 'list', ['trend words']);
    if (op === 'change') add('change', base + 0.3, asks, ['change words']);
    if (op === 'explain') add('explain', base + 0.3, 'reason', ['why / drivers']);
    if (parsed.define && !(op === 'max' || op === 'min')) add('definition', base + 0.35, 'text', ['define']);
    // A superlative about a party or a deal is not about a period ("our biggest deal", "largest customer").
    const extremeOfThing = extremeCue && !periodAsked && (partyAsked || unexplained.length > 0);
    add('value', base - (extremeOfThing ? 0.8 : 0), asks, [main.phrase || main.name]);
  }

  // A fact stated in the documents.
  {
    let s = 0.35;
    const ev: string[] = [];
    let type: AnswerType = 'text';
    if (wh === 'who') {
      type =
        target && PARTY_NOUNS.has(target)
          ? 'organisation'
          : has(PARTY_NOUNS) && !has(PERSON_NOUNS)
            ? 'organisation'
            : 'person';
      s += 0.9;
      ev.push('who');
    } else if (wh === 'when') {
      type = 'date';
      s += 0.8;
      ev.push('when');
    } else if (wh === 'where') {
      s += 0.8;
      ev.push('where');
    } else if (wh === 'what' && has(PAYING)) {
      type = 'amount';
      s += 0.5;
      ev.push('an amount paid');
    } else if ((wh === 'which' || wh === 'what') && target && PARTY_NOUNS.has(target)) {
      type = 'organisation';
      s += 0.8;
      ev.push(`which ${target}`);
    } else if ((wh === 'which' || wh === 'what') && target && PERIOD_NOUNS.has(target)) {
      // "In which month did the most agencies cancel": a period, which a sentence must name.
      type = 'period';
      s += 0.3;
      ev.push(`which ${target}`);
    } else if ((wh === 'which' || wh === 'what') && target && PERSON_NOUNS.has(target)) {
      type = 'person';
      s += 0.8;
      ev.push(`which ${target}`);
    } else if (wh === 'why' || has(REASON)) {
      type = 'reason';
      s += 0.5;
      ev.push('reason');
    } else if (wh === 'how_many') type = 'count';
    else if (wh === 'how_much') type = 'amount';
    else if (rateAsked) type = 'percent';
    if (unexplained.length > 0) {
      s += Math.min(0.9, 0.35 * unexplained.length);
      ev.push(...unexplained);
    }
    if (document && !parsed.metrics.some((m) => !m.weak)) {
      s += 0.6;
      ev.push(`named document ${document.name}`);
    }
    if (parsed.entities.length > 0) {
      s += 0.5;
      ev.push(...parsed.entities);
    }
    if (content.length > 0 || document) add('stated', s, type, ev);
  }

  readings.sort((a, b) => b.score - a.score);
  const best = readings[0] ?? { kind: 'stated', score: 0, answerType: 'text', evidence: [] };

  let direction: 'max' | 'min' | undefined;
  if (main && (best.kind === 'extreme' || parsed.operation === 'max' || parsed.operation === 'min')) {
    const higherIsBetter = METRICS_BY_ID.get(main.id)?.higherIsBetter;
    const high = toks.some((t) => HIGH.has(t.word));
    const low = toks.some((t) => LOW.has(t.word));
    const good = toks.some((t) => GOOD.has(t.word));
    const bad = toks.some((t) => BAD.has(t.word));
    if (high && !low) direction = 'max';
    else if (low && !high) direction = 'min';
    else if (good || bad) {
      // Best / worst follow the metric: worst churn is the highest churn, worst NRR the lowest.
      const wantHigh = good ? higherIsBetter !== false : higherIsBetter === false;
      direction = wantHigh ? 'max' : 'min';
    } else direction = parsed.operation === 'min' ? 'min' : 'max';
  }

  const keyNouns = [
    ...new Set(
      unexplainedToks
        .filter((t) => t.pos === 'noun' || t.pos === 'other' || t.pos === 'number')
        .map((t) => t.lemma.replace(/'s$/, '')),
    ),
  ];
  // A title written in capitals ("when did the CRO join") is a role, not a name a sentence must repeat.
  const names = parsed.entities.length
    ? parsed.entities
    : toks
        .filter(
          (t) => t.proper && t.tags.has('ProperNoun') && !isExplained(t) && !cueWords(t) && !PERSON_NOUNS.has(t.lemma),
        )
        .map((t) => t.word.replace(/'s$/, ''));
  return {
    readings,
    best,
    wh,
    ...(mismatch ? { mismatch } : {}),
    ...(outOfScope ? { outOfScope } : {}),
    ...(excluded
      ? {
          excluding: lower
            .slice(excluded.index)
            .replace(/[?.!]+$/, '')
            .trim(),
        }
      : {}),
    keyNouns,
    names,
    ...(target ? { target } : {}),
    unexplained,
    // The named document's own words are where to look, not what a sentence there must say.
    content: [...new Set(content.filter((t) => !document?.words.includes(t.word)).map((t) => t.lemma))],
    ...(direction ? { direction } : {}),
    ...(document ? { document: { id: document.id, name: document.name } } : {}),
    ...(ctx.customerNouns?.length ? { customerNouns: ctx.customerNouns } : {}),
    text: question,
  };
}

/** The engine's operation for a metric reading. */
export function operationOf(reading: QuestionReading, parsed: ParsedQuestion): Operation {
  switch (reading.best.kind) {
    case 'extreme':
      return reading.direction ?? (parsed.operation === 'min' ? 'min' : 'max');
    case 'series':
      return 'trend';
    case 'change':
      return 'change';
    case 'explain':
      return 'explain';
    case 'value':
    case 'definition':
      return parsed.operation === 'max' || parsed.operation === 'min' || parsed.operation === 'document'
        ? 'value'
        : parsed.operation;
    default:
      return parsed.operation;
  }
}

export function isMetricReading(kind: ReadingKind): boolean {
  return (
    kind === 'value' ||
    kind === 'series' ||
    kind === 'extreme' ||
    kind === 'change' ||
    kind === 'explain' ||
    kind === 'definition'
  );
}
