import { isMonthName } from '../../lib/periods.ts';
import type { Passage, ToolClient } from './calls.ts';
import { entities, knownWord, tokens, verbForms } from './nlp.ts';
import { ACRONYM_ROLES, PARTY_NOUNS } from './nouns.ts';
import { findPeriods } from './parse-periods.ts';
import type { AnswerType, QuestionReading } from './reading.ts';
import { sentencesOf, stemWord } from './retrieval.ts';

/**
 * Answers stated in the documents: passages retrieved with the question's content words (and their
 * synonyms), then the sentence that carries what the question asks for — a date for "when", a person
 * for "who", an organisation for "which partner / customer / account", an amount for "how much", a
 * reason for "why". A sentence without that is never quoted as the answer.
 *
 * What a sentence must hold to answer (the "attribute" rules):
 * - the thing asked about: the noun after "which / what / who is our" ("largest customer" → a
 *   customer, with a superlative), a role ("head of sales" ≈ VP of Sales ≈ sales lead ≈ CRO), or the
 *   verb of "who audits / who do we bank with";
 * - every name in the question ("Corvid's discount" → a sentence naming Corvid);
 * - the answer type: a date, a person, an organisation other than the ones named, a figure that is
 *   not a year, a reason (because, due to, after …).
 */
export interface Stated {
  sentence: string;
  passage: Passage;
  score: number;
  /** The sentence holds what the answer type asks for. */
  typed: boolean;
  /** The figures it states (for "according to the memo" figure questions). */
  numbers: number[];
  /** The fact itself, when it can be picked out of the sentence (a name, a date, a figure). */
  fact?: string;
}

/** What the answer must be, refined from the reading: a place, an age, a figure for "how big". */
export type StatedType = AnswerType | 'place' | 'money';

/** Words documents use for what a question calls by another name (lemmas / stems). */
const SYNONYMS: Record<string, string[]> = {
  partner: ['partnership', 'reseller', 'alliance', 'resell', 'cosell'],
  partnership: ['partner'],
  reseller: ['resell', 'partner', 'distributor', 'channel'],
  resell: ['reseller', 'partner', 'distributor'],
  customer: ['client', 'account', 'logo'],
  client: ['customer', 'account'],
  account: ['customer', 'client'],
  logo: ['customer', 'account'],
  largest: ['biggest', 'top', 'largest', 'most', 'big', 'large'],
  biggest: ['largest', 'top', 'most', 'big', 'large'],
  big: ['largest', 'biggest', 'top', 'large', 'most'],
  large: ['largest', 'biggest', 'big', 'top'],
  most: ['biggest', 'largest', 'top', 'highest'],
  top: ['largest', 'biggest', 'main', 'leading', 'primary', 'most'],
  smallest: ['small', 'smallest', 'least', 'lowest'],
  small: ['smallest', 'least', 'lowest'],
  lowest: ['low', 'smallest', 'least'],
  least: ['smallest', 'lowest', 'fewest'],
  fewest: ['least', 'smallest'],
  cheapest: ['cheap', 'lowest', 'least'],
  worst: ['bad', 'weakest', 'lowest'],
  best: ['good', 'strongest', 'top', 'highest'],
  oldest: ['old', 'longest', 'first', 'earliest'],
  newest: ['new', 'latest', 'recent'],
  // "The competitor we meet most often" is the main one.
  main: ['top', 'primary', 'leading', 'biggest', 'largest', 'key', 'most'],
  primary: ['main', 'top'],
  pay: ['paying', 'payment', 'paid', 'spend', 'contract', 'worth'],
  join: ['hire', 'start', 'onboard', 'appoint', 'become', 'came', 'arrive', 'promote'],
  hire: ['join', 'recruit', 'appoint', 'onboard', 'add'],
  start: ['join', 'began', 'begin', 'launch'],
  head: ['lead', 'vp', 'chief', 'director'],
  lead: ['head', 'vp'],
  run: ['lead', 'head', 'manage'],
  deal: ['contract', 'agreement'],
  contract: ['deal', 'agreement'],
  reason: ['because', 'due', 'driver', 'cause', 'cited', 'citing'],
  cause: ['because', 'due', 'driver', 'reason'],
  churn: ['churned', 'left', 'leave', 'lost', 'cancel', 'cancellation', 'cancelled'],
  leave: ['left', 'churn', 'churned', 'lost', 'cancel'],
  lose: ['lost', 'churn', 'left'],
  meeting: ['meet'],
  meet: ['meeting'],
  next: ['upcoming', 'scheduled', 'planned', 'priority'],
  financial: ['fiscal'],
  fiscal: ['financial'],
  country: ['market', 'region'],
  price: ['pricing', 'priced', 'cost', 'rise', 'increase'],
  pricing: ['price', 'priced'],
  cost: ['price', 'priced'],
  competitor: ['rival', 'competition', 'compete', 'competing'],
  rival: ['competitor', 'competition', 'compete', 'competing'],
  // A firm asked for is whatever the documents call the party: a partner, an agency, a vendor.
  firm: ['company', 'agency', 'partner', 'provider', 'vendor', 'consultancy'],
  agency: ['firm', 'partner', 'provider', 'vendor'],
  // "Which company did we integrate with": any party the documents name — a provider, a partner.
  company: ['firm', 'provider', 'vendor', 'partner', 'supplier', 'agency', 'business', 'organisation'],
  integrate: ['integration', 'partner', 'partnership', 'connect'],
  vendor: ['supplier', 'provider', 'firm', 'partner'],
  provider: ['vendor', 'supplier', 'firm', 'partner'],
  supplier: ['vendor', 'provider'],
  expect: ['plan', 'planned', 'target', 'forecast', 'projected', 'budget', 'will'],
  compete: ['competitor', 'rival'],
  risk: ['concern', 'threat', 'exposure'],
  plan: ['intend', 'will', 'planned', 'expect', 'budget'],
  target: ['plan', 'planned', 'goal', 'aim', 'budget', 'expect'],
  goal: ['target', 'plan', 'aim'],
  // "Who is our lead investor": the one who "led the round".
  investor: ['vc', 'fund', 'backer', 'round'],
  raise: ['round', 'funding', 'rise', 'increase', 'hike', 'up'],
  put: ['raise', 'rise', 'increase'],
  lawyer: ['counsel', 'legal', 'attorney', 'solicitor', 'law'],
  counsel: ['lawyer', 'legal', 'attorney'],
  accountant: ['accounts', 'accounting', 'bookkeeper'],
  funding: ['round', 'raise', 'raised'],
  launch: ['release', 'ship', 'live', 'rollout'],
  release: ['launch', 'ship'],
  office: ['headquarters', 'hq'],
  headquarter: ['headquarters', 'hq', 'based'],
  hq: ['headquarters', 'headquarter', 'based'],
  // Not "start": a fiscal year or a pilot starts, a company is founded.
  found: ['founded', 'founding', 'established', 'incorporated'],
  audit: ['auditor', 'audited'],
  bank: ['banking', 'banker'],
  employee: ['staff', 'people', 'headcount', 'team'],
  headcount: ['employee', 'staff', 'people', 'team'],
  spike: ['rise', 'jump', 'increase', 'surge', 'up'],
  discount: ['discounted', 'off'],
  outage: ['unavailable', 'downtime', 'down', 'incident', 'disruption'],
  new: ['signed', 'added', 'won', 'joined', 'latest', 'recent', 'recently', 'announced', 'newest', 'launched', 'hired'],
};

/** Roles as documents write them: a function and whether the title is a chief's. */
const FUNCTIONS: Array<[family: string, re: RegExp]> = [
  ['sales', /\b(sales|revenue|commercial|business development)\b/],
  ['finance', /\b(finance|financial|accounting)\b/],
  ['engineering', /\b(engineering|technology|technical|tech|eng)\b/],
  ['marketing', /\b(marketing|growth)\b/],
  ['product', /\bproduct\b/],
  ['success', /\bcustomer success\b/],
  ['support', /\b(customer support|support)\b/],
  ['operations', /\b(operations|ops|operating)\b/],
  ['people', /\b(people|hr|human resources|talent)\b/],
  ['design', /\bdesign\b/],
];
const TITLE = '(?:head|vp|vice president|svp|evp|director|lead|leader|manager|chief|gm)';
const FUNCTION_WORDS_RE =
  '(sales|revenue|commercial|business development|finance|financial|accounting|engineering|technology|technical|tech|eng|marketing|growth|product|customer success|customer support|support|operations|ops|operating|people|hr|human resources|talent|design)';
const ROLE_PATTERNS = [
  new RegExp(`\\b${TITLE}\\s+(?:of\\s+|for\\s+)?(?:the\\s+)?${FUNCTION_WORDS_RE}\\b`, 'g'),
  new RegExp(`\\b${FUNCTION_WORDS_RE}\\s+${TITLE}\\b`, 'g'),
  new RegExp(`\\bchief\\s+${FUNCTION_WORDS_RE}(?:\\s+officer)?\\b`, 'g'),
  new RegExp(
    `\\b${FUNCTION_WORDS_RE}\\s+(?:team\\s+)?(?:is|are|was)?\\s*(?:led|run|headed|managed|owned)\\s+by\\b`,
    'g',
  ),
  new RegExp(
    `\\b(?:runs|run|running|leads|lead|leading|heads|head|manages|manage|in charge of|responsible for|owns|handles|handle)\\s+(?:up\\s+)?(?:our\\s+|the\\s+)?${FUNCTION_WORDS_RE}\\b`,
    'g',
  ),
];

/** The role families a text names ("VP of Sales" → sales, "Chief Financial Officer" → finance). */
export function rolesIn(text: string): string[] {
  const lower = text.toLowerCase().replace(/[‘’]/g, "'");
  const out = new Set<string>();
  for (const [acr, family] of Object.entries(ACRONYM_ROLES))
    if (new RegExp(`\\b${acr}s?\\b`).test(lower)) out.add(family);
  if (/\bchief executive\b|\bfounder\b|\bco-?founder\b/.test(lower)) out.add('executive');
  for (const re of ROLE_PATTERNS) {
    for (const m of lower.matchAll(re)) {
      const phrase = m[1] ?? '';
      const family = FUNCTIONS.find(([, f]) => f.test(phrase))?.[0];
      if (family) out.add(family);
    }
  }
  return [...out];
}

/** Chat abbreviations of roles and things, expanded before matching. */
const ABBREVIATIONS: Record<string, string> = {
  ae: 'account executive',
  aes: 'account executives',
  csm: 'customer success manager',
  sdr: 'sales development representative',
  bdr: 'business development representative',
  eng: 'engineering',
  mktg: 'marketing',
  hq: 'headquarters',
  hc: 'headcount',
  mtg: 'meeting',
  bd: 'board',
  ppl: 'people',
  emps: 'employees',
  co: 'company',
  cs: 'customer success',
  r: 'are',
  u: 'you',
};

const NUMBER_RE = /(-|−|\()?\$?\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(k|m|mm|million|bn|billion)\b)?/gi;
const MONTHS = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*';
const DATE_RE = new RegExp(
  [
    '\\b\\d{4}-\\d{2}-\\d{2}\\b',
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTHS}\\.?(?:,?\\s+\\d{4})?`,
    `\\b${MONTHS}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?\\b`,
    `\\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\\s+\\d{4}\\b`,
    "\\b(?:q[1-4]|h[12])\\s*(?:fy)?'?\\d{2,4}\\b",
    '\\b(?:in|since|on|by|from|until|of)\\s+(?:19|20)\\d{2}\\b(?!-\\d)',
    '\\b(?:next|this|last)\\s+(?:week|month|quarter|monday|tuesday|wednesday|thursday|friday)\\b',
  ].join('|'),
  'i',
);
const REASON_RE =
  /\b(because|due to|reasons?|driven by|caused by|cited|citing|attributed to|as a result of|owing to|after|following|told us|blamed|the main driver|driver|drivers|since they|so that|as they|moving to|switched to|came (?:mostly |largely |mainly )?from|comes (?:mostly |largely |mainly )?from|(?:mostly|largely|mainly) from)\b/i;

/** "Downsell rose in the autumn as clinic groups merged …": a movement and the clause that explains it. */
const MOVED_AS_RE =
  /\b(rose|fell|grew|dropped|increased|decreased|spiked|peaked|surged|soared|dipped|jumped|declined|climbed|went up|went down|doubled|halved)\b[^.;]*\b(as|when|while)\s+[a-z]+/i;

const words = (text: string): string[] => {
  // "customer success" / "customer support" name a team, not customers.
  // Accents folded as the question's tokens fold them ("Bäckerei" ≈ "backerei").
  const lower = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/\bcustomer (success|support|service|experience|care)\b/g, 'customer$1');
  const out: string[] = [...(lower.match(/[a-z0-9]+(?:[&'][a-z0-9]+)*/g) ?? [])];
  // "co-selling" is also one word, as a question may write it ("coselling").
  for (const m of lower.matchAll(/\b([a-z]+)-([a-z]+)\b/g)) out.push(`${m[1]}${m[2]}`);
  return out;
};

/** Stems of a word, with the derivations documents use for a question's word (auditor ≈ audit). */
function formsOf(word: string): string[] {
  // "accounting" is a trade, not accounts.
  if (/^accounting$/i.test(word)) return ['accounting'];
  const s = stemWord(word);
  const out = [s];
  // "hired" / "spiked" / "closing": the crude stem drops the lemma's final e; keep that form too.
  const w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ed')) out.push(w.slice(0, -1));
  if (w.length > 5 && w.endsWith('ing')) out.push(`${w.slice(0, -3)}e`);
  const d = s.replace(/(ship|ment|ation|ion|or)$/, '');
  if (d !== s && d.length >= 4) out.push(d);
  // "integrate" ≈ "integration", "automate" ≈ "automation": the verb is the noun's stem too.
  const verb = s.replace(/ate$/, '');
  if (verb !== s && verb.length >= 4) out.push(verb);
  return out;
}

export function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(NUMBER_RE)) {
    let n = Number((m[2] ?? '').replace(/,/g, ''));
    const s = (m[3] ?? '').toLowerCase();
    if (s === 'k') n *= 1e3;
    else if (s === 'm' || s === 'mm' || s === 'million') n *= 1e6;
    else if (s === 'bn' || s === 'billion') n *= 1e9;
    if (Number.isFinite(n)) out.push(m[1] ? -n : n);
  }
  return out;
}

/** What a figure is a figure of, read from how it is written ("$9,400", "8%", "28 months", "3.1x", "42"). */
type FigureKind = 'money' | 'percent' | 'duration' | 'multiple' | 'number';

const FIGURE_RE =
  /(?:\$|€|£)\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|mm|million|bn|billion)\b)?|\b\d[\d,]*(?:\.\d+)?\s?(?:%|percent\b|k\b|m\b|million\b|months?\b|years?\b|weeks?\b|days?\b|people\b|employees\b|hires?\b|x\b)|\b\d[\d,]*(?:\.\d+)?\b/gi;

function kindOf(figure: string): FigureKind {
  if (/^(?:\$|€|£)/.test(figure)) return 'money';
  if (/(?:%|percent)$/i.test(figure)) return 'percent';
  if (/(?:years?|months?|weeks?|days?)$/i.test(figure)) return 'duration';
  if (/\dx$/i.test(figure)) return 'multiple';
  return 'number';
}

/** The figures of a sentence that are not dates or years, where each is written and what kind it is. */
function figuresIn(sentence: string): Array<{ text: string; kind: FigureKind; at: number }> {
  // Dates are blanked rather than cut, so each figure keeps its place in the sentence.
  const blank = (m: string) => ' '.repeat(m.length);
  const rest = sentence
    .replace(new RegExp(DATE_RE.source, 'gi'), blank)
    .replace(/\b(?:fy|q[1-4]\s*)?(19|20)\d{2}\b/gi, blank)
    .replace(/\b(?:q[1-4]|h[12])\b/gi, blank);
  const out = [...rest.matchAll(FIGURE_RE)].map((m) => {
    const text = m[0].trim();
    return { text, kind: kindOf(text), at: m.index ?? 0 };
  });
  if (out.length > 0) return out;
  // "a three-year renewal", "two engineers".
  const spelled = new RegExp(
    `\\b(${NUMBER_WORDS})[- ](years?|months?|weeks?|days?|percent|people|hires?|employees|engineers|customers|deals)\\b`,
    'i',
  ).exec(rest);
  return spelled ? [{ text: spelled[0], kind: kindOf(spelled[0]), at: spelled.index }] : [];
}

/**
 * The kinds of figure that answer a type: months of runway are a duration and a margin a percent, so
 * the "$5.84M of cash" of a sentence that also gives "21 months of runway" does not answer "how much
 * runway". A count is a plain number; an amount ("how big is the discount") any figure, money first.
 */
const FIGURE_KINDS: Partial<Record<StatedType, FigureKind[]>> = {
  months: ['duration'],
  percent: ['percent'],
  count: ['number'],
  ratio: ['multiple', 'number'],
};

/** The figures of the type a sentence gives. */
function typedFigures(sentence: string, type: StatedType) {
  const kinds = FIGURE_KINDS[type];
  const all = figuresIn(sentence);
  const typed = kinds ? all.filter((f) => kinds.includes(f.kind)) : all;
  // An amount is money first; a plain number answers it only in a sentence that gives no sum.
  if (type === 'amount' && typed.some((f) => f.kind === 'money')) return typed.filter((f) => f.kind === 'money');
  return typed;
}

/** Of the figures of the type, the one written nearest the words of what was asked ("21 months of runway"). */
function figureOf(sentence: string, type: StatedType, near?: string[]): string | undefined {
  const figures = typedFigures(sentence, type);
  if (figures.length <= 1 || !near?.length) return figures[0]?.text;
  const lower = sentence.toLowerCase();
  const anchors = near.flatMap((w) =>
    [...lower.matchAll(new RegExp(`\\b${escapeRe(w)}`, 'g'))].map((m) => m.index ?? 0),
  );
  if (anchors.length === 0) return figures[0]?.text;
  const gap = (f: { text: string; at: number }) =>
    Math.min(...anchors.map((a) => (a >= f.at ? a - (f.at + f.text.length) : f.at - a)));
  return [...figures].sort((a, b) => gap(a) - gap(b))[0]?.text;
}

const MONEY_RE =
  /(?:\$|€|£)\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|mm|million|bn|billion)\b)?|\b\d[\d,]*(?:\.\d+)?\s?(?:k|m|million)?\s?(?:dollars|usd|eur|euros|gbp|pounds)\b/i;
/** Words that make "how much" a sum of money: a percent does not answer "how much does it cost". */
const MONEY_WORDS =
  /\b(cost|costs|pay|pays|paid|paying|price|priced|spend|spent|rent|fee|fees|salary|salaries|valuation|worth|charge|charges|bill|billed|owe|raise|raised|raising|funding|invest|invested)\b/;
/** Nouns whose value is a sum of money ("what's the CEO's salary", "cost per lead"): a percent does not answer. */
const MONEY_NOUNS = new Set('cost price fee salary rent valuation budget commission spend'.split(' '));

const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|forty|fifty|sixty|hundred|a dozen|dozen';

/**
 * People and organisations a sentence names, without the company's own names or the question's — nor a
 * name written with the question's own words ("Series A" of "who led our series A" is what was asked
 * about, not who).
 */
function namesIn(sentence: string, ownNames: string[], asked: string[], question = '') {
  const e = entities(sentence);
  const questionWords = new Set(words(question));
  const ofQuestion = (n: string) => question !== '' && words(n).every((w) => questionWords.has(w));
  const skip = (n: string) => isOwn(n, ownNames) || isOwn(n, asked) || ofQuestion(n) || rolesIn(n).length > 0;
  const proper = properNames(sentence, ownNames);
  // compromise may take the last word of a firm for a person ("Bäckerei Hofmann" → "Hofmann"): a longer
  // capitalised name around it, whose other words are no English words, is the name.
  const within = (p: string) =>
    proper.some((n) => {
      if (n === p || !n.includes(p)) return false;
      const extra = n.replace(p, ' ').split(/\s+/).filter(Boolean);
      return extra.length > 0 && extra.every((w) => !knownWord(w.toLowerCase()));
    });
  const people = e.people.filter((p) => !skip(p) && !within(p));
  const orgs = [...e.organisations, ...proper].filter(
    (o) => !skip(o) && !people.some((p) => p.includes(o) || o.includes(p)),
  );
  return { people, orgs: [...new Set(orgs)] };
}

/** Whether a sentence carries what the answer type asks for. */
export function carries(sentence: string, type: StatedType, ownNames: string[] = [], asked: string[] = []): boolean {
  return factOf(sentence, type, ownNames, asked) !== undefined;
}

/** The fact a sentence gives for the answer type, or undefined when it gives none. */
export function factOf(
  sentence: string,
  type: StatedType,
  ownNames: string[] = [],
  asked: string[] = [],
  near?: string[],
  question?: string,
): string | undefined {
  switch (type) {
    case 'date':
      return DATE_RE.exec(sentence)?.[0].replace(/^(in|since|on|by|from|until|of)\s+/i, '');
    case 'period':
      return DATE_RE.exec(sentence)?.[0] ?? /\b(q[1-4]|h[12]|20\d{2})\b/i.exec(sentence)?.[0];
    case 'person': {
      // compromise tags some people's names as neither ("Aiko Marsh (CTO)"): with a role to look
      // near, every name the sentence gives is a candidate, and the one written at the role wins.
      const { people, orgs } = namesIn(sentence, ownNames, asked, question);
      if (near?.length && people.length > 0 && orgs.length > 0) return nearest(sentence, [...people, ...orgs], near);
      return nearest(sentence, people.length ? people : orgs, near);
    }
    case 'organisation': {
      // compromise takes some firms for people ("Halvorsen Maritime"): the sentence already names
      // the role asked (the rules above), so any name there answers, firms first.
      const { people, orgs } = namesIn(sentence, ownNames, asked, question);
      return nearest(sentence, orgs.length ? orgs : people, near);
    }
    case 'place': {
      const { orgs } = namesIn(sentence, ownNames, asked, question);
      return nearest(sentence, orgs, near);
    }
    case 'amount':
    case 'count':
    case 'percent':
    case 'ratio':
    case 'months':
      return figureOf(sentence, type, near);
    case 'money':
      return MONEY_RE.exec(sentence)?.[0];
    case 'reason':
      return REASON_RE.test(sentence) || MOVED_AS_RE.test(sentence) ? '' : undefined;
    default:
      return '';
  }
}

/** Whether the sentence gives one fact of the type (one figure, one date), so it can be put first. */
function single(sentence: string, type: StatedType): boolean {
  if (type === 'date' || type === 'period')
    return [...sentence.matchAll(new RegExp(DATE_RE.source, 'gi'))].length === 1;
  if (type === 'money') return [...sentence.matchAll(new RegExp(MONEY_RE.source, 'gi'))].length === 1;
  if (type === 'amount' || type === 'count' || type === 'percent' || type === 'ratio' || type === 'months')
    return typedFigures(sentence, type).length === 1;
  return true;
}

/** Of the names a sentence gives, the one closest to where it names what was asked. */
function nearest(sentence: string, names: string[], near?: string[]): string | undefined {
  if (names.length <= 1 || !near?.length) return names[0];
  const lower = sentence.toLowerCase();
  const anchors = near.flatMap((w) =>
    [...lower.matchAll(new RegExp(`\\b${escapeRe(w)}`, 'g'))].map((m) => ({
      at: m.index ?? 0,
      end: (m.index ?? 0) + w.length,
    })),
  );
  if (anchors.length === 0) return names[0];
  // The text between a name and the role: "Tomas Ekberg (CEO) and Aiko Marsh (CTO)" puts each title
  // right after its holder, so the gap is measured from the name's end as well as from its start.
  const gap = (n: string) => {
    const start = lower.indexOf(n.toLowerCase());
    const end = start + n.length;
    return Math.min(...anchors.map((a) => (a.at >= end ? a.at - end : a.end <= start ? start - a.end : 0)));
  };
  return [...names].sort((a, b) => gap(a) - gap(b))[0];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const isOwn = (name: string, ownNames: string[]) => {
  const n = name.toLowerCase();
  return ownNames.some((o) => o && (n.includes(o.toLowerCase()) || o.toLowerCase().includes(n)));
};

/** Capitalised names inside a sentence (not its first word, not a month or weekday, not the company). */
function properNames(sentence: string, ownNames: string[]): string[] {
  const out: string[] = [];
  // Letters of any alphabet: "Bäckerei Hofmann", "Société Générale", "Łódź Logistics" are names too.
  const re = /(?:^|(?<=[\s(“"']))((?:\p{Lu}[\p{L}\p{N}&.-]+)(?:\s+(?:\p{Lu}[\p{L}\p{N}&.-]+|&|of))*)/gu;
  for (const m of sentence.matchAll(re)) {
    // "In August …", "The Kinetiq pilot": a capitalised function word opens the run, it names nothing.
    const name = (m[1] ?? '')
      .replace(/[.,]+$/, '')
      .replace(/\s+(of|&)$/, '')
      .replace(/^(?:In|On|At|By|From|For|With|After|Since|Until|During|The|A|An|Our|We)\s+(?=[A-Z])/, '');
    const first = name.split(/\s+/)[0]!.toLowerCase();
    // The first word of a sentence is capitalised anyway: a name only when it is no English word.
    if (m.index === 0 && !name.includes(' ') && knownWord(first)) continue;
    if (m.index === 0 && name.includes(' ') && knownWord(first) && !/^[A-Z][a-z]+\s+[A-Z]/.test(name)) continue;
    // "Marigold Foods", "Octave Labs" start like months; only a month itself is not a name.
    if (isMonthName(first) || /^(mon|tues|wednes|thurs|fri|satur|sun)day$/.test(first)) continue;
    if (
      /^(I|We|Our|The|A|An|In|On|At|Q[1-4]|H[12]|FY\d*|ARR|MRR|NRR|GRR|CAC|LTV|SaaS|CEO|CFO|CTO|COO|CRO|CMO|VP|AI|US|USD|EUR|GBP|EBITDA|P&L|KPI|OKR|Fleet|Team|Starter|Pro|Enterprise)$/.test(
        name,
      )
    )
      continue;
    if (isOwn(name, ownNames)) continue;
    out.push(name);
  }
  return out;
}

function expand(lemma: string): string[] {
  return [
    ...new Set([
      ...formsOf(lemma),
      // "Who led our series A": the lemma is "lead", the document writes "led the round".
      ...verbForms(lemma).flatMap(formsOf),
      ...(SYNONYMS[lemma] ?? SYNONYMS[stemWord(lemma)] ?? []).flatMap(formsOf),
    ]),
  ];
}

/** The words a question calls a customer by; the company's own noun for one answers them too. */
const CUSTOMER_WORDS = new Set(['customer', 'client', 'account', 'logo']);

/** Superlatives and other qualifiers a sentence must share ("largest customer" is not any customer). */
const QUALIFIERS = new Set([
  'new',
  'largest',
  'biggest',
  'big',
  'large',
  'top',
  'main',
  'primary',
  'most',
  'first',
  'next',
  'last',
  'reseller',
  'lead',
  'smallest',
  'small',
  'lowest',
  'least',
  'fewest',
  'cheapest',
  'worst',
  'best',
  'oldest',
  'newest',
]);
/** Nouns a question asks for the value of: a sentence must name them and give a figure. */
const AMOUNT_NOUNS = new Set(
  'discount price cost fee salary valuation rent budget amount percentage margin commission rate spend raise round target quota'.split(
    ' ',
  ),
);
/** Words for a movement of a figure ("churn spiked", "downgrades jumped"). */
const MOVEMENT = new Set(
  'jump spike rise drop fall increase decrease surge grow growth decline climb dip go up down high higher low lower'.split(
    ' ',
  ),
);
const PLACE_NOUNS = new Set(['country', 'city', 'region', 'location', 'town', 'market', 'place']);
/** Superlatives: "our largest customer" must say largest of a customer, not of a partner. */
const SUPERLATIVES = new Set([
  'largest',
  'biggest',
  'big',
  'large',
  'top',
  'main',
  'primary',
  'most',
  'smallest',
  'small',
  'lowest',
  'least',
  'fewest',
  'cheapest',
  'oldest',
  'newest',
]);
const DATE_NOUNS = new Set(['date', 'day', 'year', 'time', 'month', 'quarter']);
const PLACE_WORDS = /\b(where|which (city|country|office|location)|what (city|country|location))\b/;
const STOP_AFTER = new Set(
  'is are was were be the our your a an do does did we s will would should can could has have had may might'.split(' '),
);

/**
 * What the question asks for, read from its words: the answer type (refined: "how old" and "how
 * big" ask for a figure, "where" for a place), the roles it names, and what an answer must hold.
 */
export interface Ask {
  type: StatedType;
  roles: string[];
  /** Groups of forms; a sentence must hold one form of every group. */
  must: string[][];
  /** Scored terms. */
  terms: Array<{ t: string; forms: string[]; weight: number }>;
  /** Words next to which the fact is written (for picking the right name out of a sentence). */
  near: string[];
  /** A superlative and the noun it must qualify in the sentence ("largest" … "customer"). */
  pairs?: Array<[string[], string[]]>;
  /**
   * "How many engineers …": the forms of the noun counted. Only a sentence giving a number of that
   * noun answers ("three engineers", "headcount is 42"), and only with the question's own kind of count:
   * "we hired three engineers" or "two engineers per week" does not say how many there are.
   */
  counted?: { forms: string[]; flows: string[] };
}

const AUX = new Set(
  'do does did is are was were be been have has had will would can could should may might'.split(' '),
);

/**
 * Parties named by what they do to the company: "who do we lose deals to", "who are we losing
 * customers to", "who beats us on price" ask for a competitor, whatever words the documents use for it.
 */
const PARTY_BY_RELATION: Array<[RegExp, string]> = [
  [
    /\b(?:lose|loses|losing|lost)\s+(?:(?:the\s+|our\s+|most\s+|more\s+)?(?:deals?|customers?|clients?|accounts?|business|bids?|logos?|opportunities|pitches|renewals?)\s+)?(?:most\s+(?:often\s+)?)?to\b/,
    'competitor',
  ],
  [/\b(?:beats?|beating|outsells?|undercuts?)\s+us\b/, 'competitor'],
];

/** Verbs that only say something starts ("kicks in", "takes effect", "goes live"): no content of their own. */
const TAKES_EFFECT =
  /\b(?:kicks?|kicked|kicking)\s+in\b|\b(?:takes?|took|taking)\s+effect\b|\b(?:comes?|came|coming|goes?|went|going)\s+into\s+(?:effect|force)\b|\b(?:goes?|went|going)\s+live\b/g;
const GENERIC_VERBS = new Set('get have make do be go give take use need want'.split(' '));

/** The verb of a "which customers churned / which partner did we sign" question, after its noun. */
export function askedVerb(text: string, noun: string): string | undefined {
  const at = text.indexOf(noun);
  if (at < 0) return undefined;
  for (const t of tokens(text.slice(at + noun.length))) {
    if (AUX.has(t.word) || t.pos === 'pronoun' || t.word === 'us' || t.word === 'we') continue;
    if (t.pos !== 'verb') return undefined;
    return GENERIC_VERBS.has(t.lemma) ? undefined : t.lemma;
  }
  return undefined;
}

export function askOf(reading: QuestionReading, type: StatedType = reading.best.answerType): Ask {
  // "Biggest new logo": a company that calls its customers agencies writes "the biggest new agency".
  const own = reading.customerNouns ?? [];
  const expandAsked = (w: string): string[] => {
    const forms = expand(w);
    return own.length > 0 && CUSTOMER_WORDS.has(stemWord(w))
      ? [...new Set([...forms, ...own.flatMap(formsOf)])]
      : forms;
  };
  const raw = reading.text.toLowerCase().replace(/[‘’]/g, "'");
  // Not inside a hyphenated word ("co-selling" is not "company-selling").
  const text = raw.replace(/(?<![\w-])[a-z]+(?![\w-])/g, (w) => ABBREVIATIONS[w] ?? w);
  const roles = rolesIn(text);
  const roleWords = new Set<string>();
  if (roles.length > 0)
    for (const w of 'head vp vice president svp evp director lead leader manager chief officer gm run runs lead leads sale sales revenue finance financial engineering technology tech marketing product customer success support operations ops people hr design ceo cfo cto cro cmo coo cpo cco'.split(
      ' ',
    ))
      roleWords.add(w);
  // "Who do we lose deals to": the party is named by what it does to us — a competitor — and the words
  // that say so are not what a sentence about it must repeat ("we compete most often with …").
  const relation = PARTY_BY_RELATION.find(([re]) => re.test(text));
  // "When does the price increase kick in": the verb only says "starts"; the date is what is asked.
  const idle = new Set(
    [
      ...[...text.matchAll(TAKES_EFFECT)].flatMap((m) => m[0].split(/\s+/)),
      ...(relation ? [...text.matchAll(new RegExp(relation[0].source, 'g'))].flatMap((m) => words(m[0])) : []),
    ].filter((w) => !QUALIFIERS.has(w)),
  );
  const isIdle = (w: string) => idle.has(w) || [...idle].some((i) => stemWord(i) === stemWord(w));
  // The noun asked about: "which account …", "what discount …", "who is our largest customer",
  // "how big is the discount …".
  // "What's the CEO's name", "the name of our CTO": the name is the answer, the role is what is asked about.
  // A period ends the noun phrase asked: "which month this fiscal year did …" asks about a month.
  const unperiod = findPeriods(text).reduce((x, f) => x.replace(f.text, ' in '), text);
  const phrase = relation ? [relation[1]] : askedPhrase(unperiod, reading.names);
  const namedAsk = phrase.at(-1) === 'name';
  const asked = namedAsk ? (phrase.at(-2) ?? /\bname of (?:the |our )?([a-z]+)/.exec(text)?.[1]) : phrase.at(-1);
  let t: StatedType = namedAsk && (type === 'text' || type === 'person') ? 'person' : type;
  // "What headcount do we expect": the noun asked is a metric counted, so the answer is a count of it.
  const metricAsked = reading.readings.find((r) => r.kind === 'value');
  if (
    t === 'text' &&
    asked &&
    metricAsked?.answerType === 'count' &&
    metricAsked.evidence.some((e) => e.split(' ').at(-1) === asked)
  )
    t = 'count';
  // "Main competitor?", "which recruiting firm do we use": a party asked for is an organisation.
  if (asked && PARTY_NOUNS.has(stemWord(asked)) && (t === 'text' || (relation && t === 'person'))) t = 'organisation';
  if (/\bwhat(?:'s| is| was)? (caused|causes|drove|drives|led to|is behind|was behind|explains)\b/.test(text))
    t = 'reason';
  else if (/\bhow much\b/.test(text) && MONEY_WORDS.test(text)) t = 'money';
  // "What do we pay a senior engineer", "what does the Team plan cost": a sum of money, never a count.
  else if (/\bwhat (?:do|does|did|will|would) [^?]*?\b(?:pay|cost|charge|earn|owe|bill)s?\b/.test(text)) t = 'money';
  else if (/\bhow old\b/.test(text)) t = 'amount';
  // "How long is the renewal": a duration ("a three-year renewal"), not any figure.
  else if (/\bhow long\b/.test(text) && (t === 'text' || t === 'amount')) t = 'months';
  else if (/\bhow (big|large|steep|high)\b/.test(text) && t === 'text') t = 'amount';
  else if (PLACE_WORDS.test(text) && (t === 'text' || t === 'person')) t = 'place';
  else if (asked && MONEY_NOUNS.has(stemWord(asked)) && (t === 'text' || t === 'amount' || t === 'person')) t = 'money';
  else if (asked && AMOUNT_NOUNS.has(stemWord(asked)) && (t === 'text' || t === 'person' || t === 'organisation'))
    t = 'amount';
  else if (asked && DATE_NOUNS.has(stemWord(asked)) && t === 'text') t = 'date';
  else if (asked && PLACE_NOUNS.has(stemWord(asked)) && (t === 'text' || t === 'organisation')) t = 'place';
  // "who runs customer success", "who prepares our accounts": a person, or the firm that does it.
  if (
    t === 'organisation' &&
    !relation &&
    (roles.length > 0 || !asked || !PARTY_NOUNS.has(stemWord(asked))) &&
    /\bwho\b/.test(text)
  )
    t = 'person';

  const content = [
    ...new Set([
      ...reading.content.flatMap((c) => ABBREVIATIONS[c]?.split(' ') ?? c.split('-')),
      ...(asked ? [asked] : []),
      // "co-selling" is also searched as "selling", as an index splits it.
      ...[...raw.matchAll(/\b[a-z]+-([a-z]{4,})\b/g)].map((m) => m[1]!),
    ]),
  ].filter((c) => c.length > 1 && !roleWords.has(c) && !roleWords.has(stemWord(c)) && (c === asked || !isIdle(c)));
  const must: string[][] = [];
  const names = reading.names.map((n) => n.toLowerCase());
  // "how big is …": the adjective is the question, not a qualifier a sentence must share.
  const howWord = /\bhow (\w+)/.exec(text)?.[1];
  const pairs: Array<[string[], string[]]> = [];
  // "How much does the Team plan cost": the verb asks for a sum of money, which the type checks.
  const costVerb = t === 'money' && /\b(?:does|do|did|will|would)\b[^?]*\bcosts?\b/.test(text);
  // "How many people …", "what headcount …": the noun counted, and the kind of count asked.
  const countedNoun = t === 'count' ? (countedNounOf(text) ?? (asked ? [asked] : undefined)) : undefined;
  const counted = countedNoun
    ? {
        // A count of hires, or of where hiring takes the count, may be written as roles or openings.
        forms: countedForms(
          questionFlows(reading.text).some((f) => f === 'added' || f === 'planned')
            ? [...countedNoun, 'hire']
            : countedNoun,
        ),
        flows: questionFlows(reading.text),
      }
    : undefined;
  const terms = content
    .filter(
      (c) =>
        !names.includes(c) &&
        !(costVerb && stemWord(c) === 'cost') &&
        !(stemWord(c) === 'name' && (t === 'person' || t === 'organisation')),
    )
    .map((c) => {
      const forms = expandAsked(c);
      const isQualifier = QUALIFIERS.has(c) && c !== howWord;
      // A date or place noun ("what year …", "which country …") says what to answer, not what the
      // sentence must say.
      const isAsked =
        asked !== undefined &&
        stemWord(c) === stemWord(asked) &&
        !DATE_NOUNS.has(stemWord(c)) &&
        !PLACE_NOUNS.has(stemWord(c));
      // A count of the noun asked may be written as a count of what it is made of ("14 hires" of people).
      if (isQualifier || isAsked) must.push(isAsked && counted ? [...new Set([...forms, ...counted.forms])] : forms);
      if (isQualifier && SUPERLATIVES.has(c) && asked && PARTY_NOUNS.has(stemWord(asked)))
        pairs.push([forms, expandAsked(asked)]);
      return { t: c, forms, weight: isAsked ? 2 : isQualifier ? 1.5 : reading.unexplained.includes(c) ? 1.3 : 1 };
    });
  // The nouns no metric or period explains ("office rent", "support tickets") are what the question
  // is about: a sentence must name them (all of two, all but one of more).
  const keyNouns = reading.keyNouns
    .flatMap((k) => ABBREVIATIONS[k]?.split(' ').slice(-1) ?? [k])
    .filter(
      (k) =>
        !DATE_NOUNS.has(k) &&
        !isIdle(k) &&
        !PLACE_NOUNS.has(k) &&
        !PREPOSITIONS.has(k) &&
        // "the Team plan", "the Growth plan": a noun a name qualifies is part of the name.
        !new RegExp(`\\b[A-Z][a-z]+\\s+${escapeRe(k)}`).test(reading.text) &&
        !names.includes(k) &&
        !roleWords.has(k) &&
        // "What's the CEO's name": a name is what a person answer is.
        !(k === 'name' && (t === 'person' || t === 'organisation')) &&
        !must.some((g) => g.includes(stemWord(k))) &&
        k.length > 1,
    );
  const required = keyNouns.length >= 3 ? keyNouns.length - 1 : keyNouns.length;
  if (required > 0) must.push(...keyNouns.slice(0, required).map(expandAsked));
  // "What's the market size", "the sales cycle length": the words before the head of the noun asked
  // say which one ("fleet size" is not the market's).
  for (const w of phrase.slice(0, namedAsk ? -2 : -1)) {
    const stem = stemWord(w);
    if (PLAIN_MODIFIERS.has(w) || QUALIFIERS.has(w) || roleWords.has(w) || names.includes(w) || w.length < 3) continue;
    if (DATE_NOUNS.has(stem) || must.some((g) => g.includes(stem))) continue;
    must.push(expandAsked(w));
  }
  // "Our top 10 customers", "a 3-year contract": a number the question gives (not its period) is part
  // of what it asks, so a sentence must give it too.
  for (const n of questionNumbers(reading.text)) must.push(n);
  // "Cost per lead", "revenue per employee": what a figure is divided by is said as it is written.
  for (const m of text.matchAll(/\bper\s+([a-z]{3,})\b/g))
    if (!DATE_NOUNS.has(stemWord(m[1]!)) && !['cent', 'annum'].includes(m[1]!)) must.push(formsOf(m[1]!));
  // "Win rate", "conversion rate", "EBITDA margin": the rate of what must be named, not any rate.
  const rateOf = /\b([a-z]{3,})\s+(?:rate|ratio|margin|percentage)\b/.exec(text)?.[1];
  if (rateOf && !STOP_AFTER.has(rateOf) && !['our', 'the', 'what', 'whats', 'growth'].includes(rateOf))
    must.push(expandAsked(rateOf));
  // "Are we raising prices?": a yes/no question is answered by a sentence that says all of it.
  if (/^\s*(are|is|do|does|did|will|have|has|can|r)\b/.test(text) && roles.length === 0)
    for (const term of terms)
      if (!DATE_NOUNS.has(term.t) && !must.some((g) => g.includes(term.forms[0]!))) must.push(term.forms);
  // "Why did downgrades jump?": the movement is what the figures show; the sentence gives its cause.
  if (t === 'reason') {
    for (let i = must.length - 1; i >= 0; i--) if (must[i]!.some((f) => MOVEMENT.has(f))) must.splice(i, 1);
  }
  // "which customers churned", "which partner did we sign": what the party did must be said too.
  const verb = /^\s*(which|what)\b/.test(text) && asked && !relation ? askedVerb(text, asked) : undefined;
  if (verb && !must.some((g) => g.includes(stemWord(verb)))) must.push(expandAsked(verb));
  // "In which month did the most agencies cancel", "when did Imogen start": a date or a period asked is
  // the date of what happened, so the sentence must say that it happened — not only name the noun and a
  // month ("we signed Northgate in January, the biggest new agency" does not say when agencies cancelled).
  if (t === 'date' || t === 'period') {
    for (const tok of tokens(reading.text)) {
      if (tok.pos !== 'verb' || AUX.has(tok.word) || GENERIC_VERBS.has(tok.lemma) || isIdle(tok.word)) continue;
      if (!reading.unexplained.includes(tok.lemma) || roleWords.has(tok.lemma)) continue;
      const forms = expandAsked(tok.lemma);
      if (!must.some((g) => g.some((f) => forms.includes(f)))) must.push(forms);
    }
  }
  // "who audits …", "who do we bank with": with no noun asked and no role, the verb is the thing.
  if (!asked && roles.length === 0 && must.length === 0) {
    const key = reading.unexplained.find(
      (u) => !roleWords.has(u) && !isIdle(u) && !(t === 'reason' && MOVEMENT.has(u)),
    );
    if (key) must.push(expandAsked(key));
  }
  const near = [...(asked ? [stemWord(asked)] : []), ...roles.flatMap((r) => roleAnchors(r))];
  return { type: t, roles, must, terms, near, pairs, ...(counted ? { counted } : {}) };
}

/**
 * Kinds of movement a count can be of: added (hired, signed, won), lost (churned, left, cut) and planned
 * (expected, targeted). A sentence counting one answers only a question asking for that kind.
 */
const FLOWS: Record<string, string[]> = {
  added: ['hire', 'add', 'recruit', 'join', 'onboard', 'grow', 'win', 'won', 'sign', 'expand', 'bring'],
  lost: ['lose', 'lost', 'leave', 'left', 'churn', 'cut', 'lay', 'cancel', 'depart'],
  planned: ['plan', 'expect', 'target', 'forecast', 'budget', 'aim', 'intend'],
};

/** The kinds of movement a sentence names; one written in the future ("we will add …") is planned. */
function sentenceFlows(text: string): string[] {
  const flows = flowsIn(text);
  return /\bwill\b|\bgoing to\b/i.test(text) && !flows.includes('planned') ? [...flows, 'planned'] : flows;
}

/** The kinds of movement a text names, read on lemmas ("planning" → plan, "hired" → hire). */
function flowsIn(text: string): string[] {
  const lemmas = new Set([...tokens(text).map((t) => t.lemma), ...words(text).flatMap(formsOf)]);
  return Object.entries(FLOWS)
    .filter(([, verbs]) => verbs.some((v) => lemmas.has(v)))
    .map(([kind]) => kind);
}

/**
 * The movements a question asks about: "how many people are we hiring", "will we add" ask about a plan
 * as well ("are we hiring" is the future in the progressive), so a planned count answers them.
 */
function questionFlows(text: string): string[] {
  const flows = flowsIn(text);
  const future = /\b(are|is|am)\s+(we|you|they|i)\s+\w+ing\b|\bwill\b|\bgoing to\b|\bgonna\b/i.test(text);
  return future && flows.includes('added') && !flows.includes('planned') ? [...flows, 'planned'] : flows;
}

/** What a count of hires is a count of: people. */
const COUNTED_AS: Record<string, string[]> = {
  hire: ['people', 'person', 'employee', 'engineer', 'role', 'position', 'opening', 'hire'],
  // Hires are people too: which count a sentence gives (hired, planned, standing) is the flows' check.
  people: ['people', 'person', 'employee', 'staff', 'headcount', 'hire'],
  person: ['people', 'person', 'employee', 'staff', 'hire'],
  headcount: ['people', 'person', 'employee', 'staff', 'hire'],
  employee: ['people', 'person', 'employee', 'staff', 'headcount', 'hire'],
  staff: ['people', 'person', 'employee', 'staff', 'headcount', 'hire'],
};

/** The forms a count of the noun is written with ("how many hires" is answered by "4 people"). */
const countedForms = (noun: string[]) => [
  ...new Set(noun.flatMap((n) => [...expand(n), ...(COUNTED_AS[n] ?? []).flatMap(formsOf)])),
];

/** The noun after "how many" ("how many full-time engineers do we have" → engineer). */
function countedNounOf(text: string): string[] | undefined {
  const toks = tokens(text);
  const at = toks.findIndex((t, i) => t.word === 'many' && toks[i - 1]?.word === 'how');
  if (at < 0) return undefined;
  let noun: string[] | undefined;
  // The noun phrase runs to the auxiliary, pronoun or preposition after it, whatever compromise tags
  // its words ("engineers" alone reads as a verb).
  for (const t of toks.slice(at + 1)) {
    if (AUX.has(t.word) || t.pos === 'pronoun' || PREPOSITIONS.has(t.word) || t.pos === 'question') break;
    noun = [t.lemma.replace(/s$/, ''), t.word];
  }
  return noun;
}

/** Number words as a sentence writes a count. */
const COUNT_WORD = new RegExp(
  `^(?:\\d[\\d,]*|${NUMBER_WORDS.split('|')
    .filter((w) => !w.includes(' '))
    .join('|')})$`,
  'i',
);

/**
 * The count of a noun a sentence states for a question ("how many employees do we have" → "96
 * employees"), read as `askOf` reads a "how many": the same noun, and no movement the question does not ask.
 */
export function countIn(sentence: string, noun: string[], question: string): string | undefined {
  return countOf(sentence, { forms: countedForms(noun), flows: questionFlows(question) });
}

/** The count of the noun a sentence states ("three engineers", "a headcount of 42"), or undefined. */
function countOf(sentence: string, counted: NonNullable<Ask['counted']>): string | undefined {
  const ws = sentence.split(/[\s,;:()]+/).filter(Boolean);
  const isNoun = (w: string | undefined) =>
    w !== undefined && formsOf(w.replace(/[^a-z-]/gi, '')).some((f) => counted.forms.includes(f));
  const flows = sentenceFlows(sentence);
  const movementAsked = counted.flows.some((f) => f !== 'planned');
  // A count that moves (hired, added, planned) answers only a question about that movement.
  if (flows.some((f) => !counted.flows.includes(f))) {
    // "What headcount do we expect": a planned count that stands is the level a planned movement of
    // the noun reaches ("adds 14 hires …, which brings us to 72"), never the movement itself.
    const plannedAlike = counted.flows.includes('planned') === flows.includes('planned');
    if (!movementAsked && plannedAlike && ws.some(isNoun)) return levelIn(sentence);
    return undefined;
  }
  // "How many are we hiring" is not answered by a count that stands ("we ended October with 58 people").
  if (movementAsked && !counted.flows.some((f) => f !== 'planned' && flows.includes(f))) return undefined;
  for (let i = 0; i < ws.length; i++) {
    if (!COUNT_WORD.test(ws[i]!.replace(/[.]$/, ''))) continue;
    // "businesses with fewer than ten employees", "up to 40 seats": a bound describing a kind, not a count.
    if (/^(than|to|least|most|under|over)$/i.test(ws[i - 1] ?? '')) continue;
    // "three engineers", "42 full-time employees" — but not "two engineers per week".
    for (let j = i + 1; j <= i + 3 && j < ws.length; j++) {
      if (isNoun(ws[j])) {
        if (
          /^(per|a|each|every)$/i.test(ws[j + 1] ?? '') &&
          /^(day|week|month|quarter|year|shift)/i.test(ws[j + 2] ?? '')
        )
          break;
        return ws
          .slice(i, j + 1)
          .join(' ')
          .replace(/[.,;:!?]+$/, '');
      }
      if (COUNT_WORD.test(ws[j]!)) break;
    }
    // "headcount is 42", "a team of 12", "engineers: 14".
    const before = ws.slice(Math.max(0, i - 3), i);
    if (
      before.some((w) => isNoun(w)) &&
      /^(is|was|of|at|to|reached|totals?|stands|now|are|were)$/i.test(ws[i - 1] ?? '')
    )
      return ws[i]!.replace(/[.]$/, '');
  }
  return undefined;
}

/** The level a movement reaches: "which brings us to 72", "taking the team to 40", "to reach 120". */
function levelIn(sentence: string): string | undefined {
  const m =
    /\b(?:brings?|bringing|brought|takes?|taking|took|gets?|getting|grows?|growing|grew|lifts?|lifting|increases?|increasing|rises?|rising)\b(?:\s+[a-z]+){0,3}?\s+to\s+(\d[\d,]*)\b(?!\s*%)/i.exec(
      sentence,
    ) ?? /\b(?:reach(?:es|ing)?|total of|ending at|end (?:the year )?at)\s+(\d[\d,]*)\b(?!\s*%)/i.exec(sentence);
  return m?.[1];
}

/**
 * The numbers a question gives that are not its period ("top 10", "3-year", "15%"), each with the
 * forms a sentence may write it in ("10", "ten").
 */
export function questionNumbers(question: string): string[][] {
  let rest = question.toLowerCase();
  for (const f of findPeriods(rest)) rest = rest.replace(f.text, ' ');
  const out: string[][] = [];
  for (const m of rest.matchAll(/(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])/g)) {
    const n = Number(m[1]);
    const word = Object.entries(SPELLED).find(([, v]) => v === n)?.[0];
    out.push(word ? [m[1]!, word] : [m[1]!]);
  }
  return out;
}
const SPELLED: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  twenty: 20,
};

const PREPOSITIONS = new Set(
  'of in for with at on to from by that who which whom per according about than after before during since until'.split(
    ' ',
  ),
);

/**
 * The noun a question asks about: the head of the noun phrase after "which / what", "who is", "how
 * big is the" ("who is our largest customer" → customer, "what discount does …" → discount).
 */
export function askedNoun(text: string, names: string[] = []): string | undefined {
  return askedPhrase(text, names).at(-1);
}

/** The noun phrase a question asks about ("what's the market size" → market, size), head last. */
export function askedPhrase(text: string, names: string[] = []): string[] {
  const m =
    /\b(?:(?:which|what)(?:'s|\s+(?:is|are|was|were))?|whats|who(?:'s|\s+(?:is|are|was|were))|whos|how (?:big|large|much|high|steep|old|long)(?:\s+(?:is|are|was|were|does|do|did))?)\s+(.*)$/.exec(
      text,
    );
  if (!m) return barePhrase(text);
  const toks = tokens(m[1] ?? '');
  // "which account pays …": the word right after a bare which/what is the noun, whatever its tag.
  const direct =
    /^(which|what)$/.test(m[0].split(/\s+/)[0] ?? '') &&
    !STOP_AFTER.has(toks[0]?.word ?? '') &&
    toks[0]?.word !== 'about';
  const lowerNames = names.map((n) => n.toLowerCase());
  const np: string[] = [];
  for (const t of toks) {
    if (np.length === 0 && (STOP_AFTER.has(t.word) || t.pos === 'pronoun' || t.word === 'about')) continue;
    if (STOP_AFTER.has(t.word) || PREPOSITIONS.has(t.word) || lowerNames.includes(t.word)) break;
    if (
      direct &&
      np.length === 0 &&
      !(t.tags.has('PastTense') || /^(caused|drove|happened|changed|led)$/.test(t.word))
    ) {
      np.push(t.word);
      continue;
    }
    // compromise tags some nouns of a question as verbs ("sales lead", "the next raise").
    if (t.pos === 'verb' && !/^(lead|head|deal|plan|raise|hire|launch|spend|cost|price|partner|round)$/.test(t.lemma))
      break;
    if (
      t.pos === 'number' ||
      t.pos === 'pronoun' ||
      /^(pays|gets|has|does|makes|brings|spends|uses|buys|owns|sells)$/.test(t.word)
    )
      break;
    np.push(t.word.replace(/['’]s$/, ''));
    if (np.length >= 3) break;
  }
  return np;
}

/**
 * A question written as a bare noun phrase ("main competitor?", "next board meeting date?"): the phrase
 * before any preposition, head last. A question with a verb or a question word is not one.
 */
function barePhrase(text: string): string[] {
  const toks = tokens(text);
  const np: string[] = [];
  for (const t of toks) {
    if (PREPOSITIONS.has(t.word) || STOP_AFTER.has(t.word)) break;
    if (t.pos === 'question' || t.pos === 'pronoun' || t.pos === 'number') return [];
    if (t.pos === 'verb' && !t.word.endsWith('ing')) return [];
    np.push(t.word.replace(/['’]s$/, ''));
  }
  return np.slice(-3);
}

/** Words before the head of an asked noun phrase that only say which or how ("the current plan"). */
const PLAIN_MODIFIERS = new Set(
  'current total overall latest average monthly annual this that same other our'.split(' '),
);

/** Words near which a role's holder is named in a sentence. */
function roleAnchors(family: string): string[] {
  const f = FUNCTIONS.find(([name]) => name === family);
  const acr = Object.entries(ACRONYM_ROLES)
    .filter(([, fam]) => fam === family)
    .map(([a]) => a);
  const src = f?.[1].source.replace(/\\b|\(|\)/g, '').split('|') ?? [];
  return [...acr, ...src, ...(family === 'executive' ? ['chief executive', 'founder'] : [])];
}

/** Surface forms of a role to send to search ("cfo" also finds "Chief Financial Officer"). */
function roleQuery(family: string): string[] {
  const f = FUNCTIONS.find(([name]) => name === family);
  const words = f?.[1].source.replace(/\\b|\(|\)/g, '').split('|') ?? [];
  const acr = Object.entries(ACRONYM_ROLES)
    .filter(([, fam]) => fam === family)
    .map(([a]) => a);
  return [...acr, ...words.slice(0, 2), 'head', 'vp', 'chief', 'lead'];
}

/** What to send to search: the question's content words, their synonyms, the roles' surface forms. */
export function statedQuery(reading: QuestionReading, ask: Ask = askOf(reading)): string {
  const terms = ask.terms.map((t) => t.t);
  const extra = ask.terms.flatMap((t) => SYNONYMS[t.t] ?? []).slice(0, 10);
  const roles = ask.roles.flatMap(roleQuery);
  return [...new Set([...terms, ...roles, ...extra, ...reading.names])].join(' ') || reading.text;
}

/**
 * The sentences that state the answer, best first: each must hold what the question is about (the
 * noun asked, the role, every name), is scored by the question's content words it holds (rarer ones
 * weigh more, synonyms count), and is marked `typed` when it carries the answer type.
 */
export function selectSentences(
  reading: QuestionReading,
  passages: Passage[],
  opts: { type: StatedType; ownNames?: string[]; max?: number; mustHave?: string[]; ask?: Ask },
): Stated[] {
  const ask = opts.ask ?? askOf(reading, opts.type);
  const terms = ask.terms;
  if ((terms.length === 0 && ask.roles.length === 0) || passages.length === 0) return [];
  // "And the next quarter?": only qualifiers and period words, no subject a document could state.
  const subject = terms.filter((t) => !QUALIFIERS.has(t.t) && !DATE_NOUNS.has(t.t) && !PREPOSITIONS.has(t.t));
  if (!opts.mustHave && subject.length === 0 && ask.roles.length === 0 && reading.names.length === 0) return [];
  const candidates: Array<{ sentence: string; passage: Passage; stems: Set<string>; rank: number; roles: string[] }> =
    [];
  const cells: Stated[] = [];
  passages.forEach((passage, rank) => {
    const text = passage.text ?? passage.snippet;
    const sheet = /\.(csv|tsv|xlsx|xlsm|xls|ods)$/i.test(passage.document_name);
    // A row of a document's table ("Data Analyst; Team: Operations; Openings: 1; …") answers through
    // one cell: the row the question names and the column it asks for, never any figure of the row.
    const row = sheet || opts.mustHave ? undefined : rowOf(passage);
    if (row) {
      const cell = cellAnswer(row, reading, ask);
      if (cell) cells.push({ ...cell, passage, score: cell.score + 0.3 / (1 + rank) });
      return;
    }
    for (const sentence of sentencesOf(text)) {
      // A spreadsheet row read as text ("Sep 2024; Cash at bank: 2927551") is a table cell, which the
      // metric tools answer with its period; only a spreadsheet's notes are prose.
      if (sheet && (/:\s*[-−(]?[$€£]?\d/.test(sentence) || /;/.test(sentence))) continue;
      candidates.push({
        sentence,
        passage,
        stems: new Set(words(sentence).flatMap(formsOf)),
        rank,
        roles: ask.roles.length ? rolesIn(sentence) : [],
      });
    }
  });
  const n = Math.max(1, candidates.length);
  const df = new Map(
    terms.map(({ t, forms }) => [t, candidates.filter((c) => forms.some((f) => c.stems.has(f))).length]),
  );
  const must = opts.mustHave ? [opts.mustHave.flatMap(formsOf)] : ask.must;
  const names = reading.names.map((nm) => nm.toLowerCase());
  const needed = Math.min(terms.length >= 3 ? 2 : 1, terms.length);
  const scored: Stated[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.sentence)) continue;
    seen.add(c.sentence);
    if (!must.every((forms) => forms.some((f) => c.stems.has(f)))) continue;
    if (!opts.mustHave && !(ask.pairs ?? []).every(([q, n]) => qualifies(c.sentence, q, n))) continue;
    if (ask.roles.length > 0 && !opts.mustHave && !ask.roles.every((r) => c.roles.includes(r))) continue;
    if (names.length > 0 && !names.every((nm) => c.sentence.toLowerCase().includes(nm))) continue;
    let score = ask.roles.length > 0 ? 3 : 0;
    let hits = ask.roles.length > 0 ? 1 : 0;
    for (const { t, forms, weight } of terms) {
      if (!forms.some((f) => c.stems.has(f))) continue;
      hits++;
      score += weight * (1 + Math.log((n + 1) / ((df.get(t) ?? 0) + 1)));
    }
    if (hits < needed) continue;
    score += 0.3 / (1 + c.rank);
    scored.push({ sentence: c.sentence, passage: c.passage, score, typed: false, numbers: numbersIn(c.sentence) });
  }
  scored.push(...cells);
  scored.sort((a, b) => b.score - a.score);
  // The answer type is checked on the best few only (entity tagging is the costly step).
  const top = scored.slice(0, 12);
  for (const s of top) {
    if (cells.includes(s)) continue;
    const fact = ask.counted
      ? countOf(s.sentence, ask.counted)
      : factOf(s.sentence, ask.type, opts.ownNames ?? [], reading.names, ask.near, reading.text);
    s.typed = fact !== undefined;
    // The fact is put first only when the sentence gives one of its kind ("from $1,200 to $1,450" is
    // left to the quote).
    // A count read for the noun asked is that one count, however many other figures the sentence has.
    if (fact && (ask.counted || single(s.sentence, ask.type))) s.fact = fact;
  }
  return top.sort((a, b) => Number(b.typed) - Number(a.typed) || b.score - a.score).slice(0, opts.max ?? 3);
}

/** A row of a document's table as its passage writes it: the row's label, then `Header: value` cells. */
interface TableRow {
  label: string;
  cells: Array<{ header: string; value: string }>;
  text: string;
}

/** The row a passage holds, when it is one row of a table (its locator ends in "row N"). */
function rowOf(passage: Passage): TableRow | undefined {
  if (!/\brow \d+$/.test(passage.locator)) return undefined;
  const text = passage.text ?? passage.snippet;
  const parts = text.split(/;\s+/);
  const label = parts[0] ?? '';
  if (!label || /^[^:]{1,60}:\s/.test(label)) return undefined;
  const cells = parts.slice(1).flatMap((p) => {
    const m = /^([^:]{1,60}):\s+(.+)$/.exec(p);
    return m ? [{ header: m[1]!.trim(), value: m[2]!.trim() }] : [];
  });
  return cells.length > 0 ? { label, cells, text } : undefined;
}

/** Content words of a label or header ("Hiring manager" → hiring, manager). */
const labelWords = (label: string) =>
  words(label).filter((w) => w.length > 1 && !PREPOSITIONS.has(w) && !STOP_AFTER.has(w) && w !== 'and');

/**
 * The cell of a table row that answers: the question names the row (every word of its label before a
 * comma: "Head of Customer Success", "Account Executive" of "Account Executive, Mid-Market") and asks
 * for one of its columns (the column's last word, or all its words: "hiring manager", "openings",
 * "start" of "Target start"). A row named with no column asked ("what do we pay a senior backend
 * engineer" of a table with no pay column) answers nothing — its other figures are other facts.
 */
function cellAnswer(row: TableRow, reading: QuestionReading, ask: Ask): Omit<Stated, 'passage'> | undefined {
  const { type } = ask;
  const question = reading.text.toLowerCase().replace(/(?<![\w-])[a-z]+(?![\w-])/g, (w) => ABBREVIATIONS[w] ?? w);
  const asked = new Set(words(question).flatMap(formsOf));
  const named = (w: string) => formsOf(w).some((f) => asked.has(f));
  const core = labelWords(row.label.split(',')[0] ?? row.label);
  if (core.length === 0 || !core.every(named)) return undefined;
  const names = reading.names.map((n) => n.toLowerCase());
  if (!names.every((n) => row.text.toLowerCase().includes(n))) return undefined;
  const labelForms = new Set(core.flatMap(formsOf));
  // The column asked: the most of its words named, its last word first ("Start quarter" for "when
  // does … start"); only a cell of the answer type answers.
  let best: { value: string; hits: number } | undefined;
  for (const cell of row.cells) {
    // A word of the row's own label ("Customer Success" team of the "Head of Customer Success" row)
    // does not ask for a column.
    const ws = labelWords(cell.header).filter((w) => !formsOf(w).some((f) => labelForms.has(f)));
    if (ws.length === 0 || !cellFits(cell.value, type)) continue;
    const hits = ws.filter(named).length + (named(ws.at(-1)!) ? 0.5 : 0);
    if (hits > 0 && (!best || hits > best.hits)) best = { value: cell.value, hits };
  }
  // "How many field technicians": a count of the row's own thing is its one count cell, whatever the
  // column is called (openings, headcount, hires).
  const head = core.at(-1)!;
  if (!best && type === 'count' && formsOf(head).some((f) => ask.counted?.forms.includes(f))) {
    const counts = row.cells.filter((c) => /^\d[\d,]*$/.test(c.value));
    if (counts.length === 1) best = { value: counts[0]!.value, hits: 1 };
  }
  const sentence = row.text;
  const base = { sentence, numbers: numbersIn(sentence), score: 3 + core.length + 2 * (best?.hits ?? 0) };
  if (!best) return { ...base, typed: false };
  return { ...base, typed: true, fact: best.value };
}

/** Whether a cell's value is of the answer type: a name for who, a date for when, a figure for how many. */
function cellFits(value: string, type: StatedType): boolean {
  switch (type) {
    case 'person':
    case 'organisation':
    case 'place':
      return /\p{L}/u.test(value) && DATE_RE.exec(value)?.[0] !== value;
    case 'date':
    case 'period':
      return factOf(value, type) !== undefined;
    case 'money':
      return MONEY_RE.test(value);
    case 'reason':
      return false;
    case 'text':
      return true;
    default:
      return typedFigures(value, type).length > 0;
  }
}

/**
 * A form of the qualifier is followed, within three words, by a form of the noun ("largest customer"),
 * or the noun by a clause of its own that gives the qualifier ("the competitor we meet most often",
 * "the account that pays us the most"), within one clause.
 */
function qualifies(sentence: string, qualifier: string[], noun: string[]): boolean {
  const has = (ws: string[][], at: number, forms: string[]) => ws[at]!.some((f) => forms.includes(f));
  const ws = words(sentence).map((w) => formsOf(w));
  for (let i = 0; i < ws.length; i++) {
    if (!has(ws, i, qualifier)) continue;
    for (let j = i + 1; j <= i + 3 && j < ws.length; j++) if (has(ws, j, noun)) return true;
  }
  for (const clause of sentence.split(/[,;:()—–]|\s-\s/)) {
    const cs = words(clause).map((w) => formsOf(w));
    for (let i = 0; i < cs.length; i++) {
      if (!has(cs, i, qualifier)) continue;
      for (let j = i - 1; j >= i - 5 && j >= 0; j--) if (has(cs, j, noun)) return true;
    }
  }
  return false;
}

/** Retrieve and select: restricted to the named document when the question names one. */
export async function findStated(
  tools: ToolClient,
  reading: QuestionReading,
  opts: {
    type: StatedType;
    ownNames?: string[];
    max?: number;
    mustHave?: string[];
    query?: string;
    /** The tenant's prose documents (PDF, DOCX, Markdown, text), searched one by one when tables drown them. */
    prose?: Array<{ id: string; name: string }>;
  },
): Promise<Stated[]> {
  const ask = askOf(reading, opts.type);
  const query = opts.query ?? statedQuery(reading, ask);
  const res = await tools.search(query, 10, reading.document?.id);
  if (!res.ok) return [];
  const found = selectSentences(reading, res.value, { ...opts, ask });
  if (found.some((f) => f.typed) || reading.document) return found;
  // A spreadsheet whose every row names the word ("Downsell: 804") fills the ranking: look in each
  // prose document that did not come back (a few at most, within the turn's tool budget).
  // A prose document that did come back may have come back with its table's rows, not the sentence:
  // each is searched on its own, and passages already held are not added twice.
  const more = (opts.prose ?? []).slice(0, 3);
  if (more.length === 0) return found;
  const extra = await Promise.all(more.map((d) => tools.search(query, 5, d.id)));
  const key = (p: Passage) => `${p.document_id}\u0000${p.locator}\u0000${p.text ?? p.snippet}`;
  const held = new Set(res.value.map(key));
  const added = extra.flatMap((r) => (r.ok ? r.value : [])).filter((p) => !held.has(key(p)));
  if (added.length === 0) return found;
  return selectSentences(reading, [...res.value, ...added], { ...opts, ask });
}

/** The documents whose text is prose, not a table. */
export function proseDocuments(documents: Array<{ id: string; name: string; status?: string }>) {
  return documents.filter(
    (d) => /\.(pdf|docx|md|markdown|txt|html?)$/i.test(d.name) && (!d.status || d.status === 'ready'),
  );
}
