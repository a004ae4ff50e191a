import { monthIndex } from '../../lib/periods.ts';
import type { Passage, ToolClient } from './calls.ts';
import { entities, knownWord } from './nlp.ts';
import type { AnswerType, QuestionReading } from './reading.ts';
import { sentencesOf, stemWord } from './retrieval.ts';

/**
 * Answers stated in the documents: passages retrieved with the question's content words (and their
 * synonyms), then the sentence that carries what the question asks for — a date for "when", a person
 * for "who", an organisation for "which partner / customer / account", an amount for "how much", a
 * reason for "why". A sentence without that is never quoted as the answer.
 */
export interface Stated {
  sentence: string;
  passage: Passage;
  score: number;
  /** The sentence holds what the answer type asks for. */
  typed: boolean;
  /** The figures it states (for "according to the memo" figure questions). */
  numbers: number[];
}

/** Words documents use for what a question calls by another name (lemmas / stems). */
const SYNONYMS: Record<string, string[]> = {
  partner: ['partnership', 'partnered', 'reseller', 'alliance'],
  partnership: ['partner'],
  reseller: ['resell', 'partner', 'distributor', 'channel'],
  customer: ['client', 'account', 'logo'],
  client: ['customer', 'account'],
  account: ['customer', 'client'],
  largest: ['biggest', 'top', 'largest', 'most'],
  biggest: ['largest', 'top', 'most'],
  big: ['largest', 'biggest', 'top'],
  most: ['biggest', 'largest', 'top', 'highest'],
  top: ['largest', 'biggest', 'main', 'leading', 'primary'],
  main: ['top', 'primary', 'leading'],
  pay: ['paying', 'payment', 'paid', 'spend', 'contract', 'worth'],
  join: ['joined', 'hire', 'hired', 'start', 'started', 'onboard', 'appoint', 'appointed', 'came'],
  hire: ['hired', 'join', 'joined', 'recruit', 'appoint'],
  head: ['lead', 'vp', 'chief', 'director'],
  lead: ['head', 'vp'],
  deal: ['contract', 'agreement'],
  contract: ['deal', 'agreement'],
  reason: ['because', 'due', 'driver', 'cause', 'cited', 'citing'],
  cause: ['because', 'due', 'driver', 'reason'],
  meeting: ['meet'],
  meet: ['meeting'],
  next: ['upcoming', 'scheduled'],
  price: ['pricing', 'priced', 'cost'],
  pricing: ['price'],
  competitor: ['rival', 'competition', 'compete'],
  risk: ['concern', 'threat'],
  plan: ['intend', 'will', 'plan'],
  investor: ['vc', 'fund', 'backer'],
  raise: ['round', 'funding', 'raised'],
  funding: ['round', 'raise', 'raised'],
  launch: ['launched', 'release', 'released', 'ship', 'shipped'],
  office: ['headquarters', 'hq'],
  runway: ['months', 'cash'],
};

const NUMBER_RE = /(-|−|\()?\$?\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(k|m|mm|million|bn|billion)\b)?/gi;
const DATE_RE =
  /\b\d{4}-\d{2}-\d{2}\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?\b|\b\d{1,2}(st|nd|rd|th)?\s+(of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+(\d{4}|\d{1,2})\b|\b(q[1-4]|h[12])\s*'?\d{2,4}\b|\b(in|since|on|by)\s+(20\d{2}|19\d{2})\b/i;
const REASON_RE =
  /\b(because|due to|reasons?|driven by|caused by|cited|citing|attributed to|as a result of|owing to|led by)\b/i;

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .match(/[a-z0-9]+(?:[&'][a-z0-9]+)*/g) ?? [];

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

/** Whether a sentence carries what the answer type asks for. */
export function carries(sentence: string, type: AnswerType, ownNames: string[] = []): boolean {
  switch (type) {
    case 'date':
      return DATE_RE.test(sentence);
    case 'period':
      return DATE_RE.test(sentence) || /\b(q[1-4]|h[12]|20\d{2})\b/i.test(sentence);
    case 'person': {
      const e = entities(sentence);
      return e.people.length > 0 || properNames(sentence, ownNames).length > 0;
    }
    case 'organisation': {
      const e = entities(sentence);
      return e.organisations.some((o) => !isOwn(o, ownNames)) || properNames(sentence, ownNames).length > 0;
    }
    case 'amount':
    case 'count':
    case 'percent':
    case 'ratio':
    case 'months':
      return numbersIn(sentence.replace(DATE_RE, ' ').replace(/\b(19|20)\d{2}\b/g, ' ')).length > 0;
    case 'reason':
      return REASON_RE.test(sentence);
    default:
      return true;
  }
}

const isOwn = (name: string, ownNames: string[]) => {
  const n = name.toLowerCase();
  return ownNames.some((o) => o && (n.includes(o.toLowerCase()) || o.toLowerCase().includes(n)));
};

/** Capitalised names inside a sentence (not its first word, not a month or weekday, not the company). */
function properNames(sentence: string, ownNames: string[]): string[] {
  const out: string[] = [];
  const re = /(?:^|(?<=[\s(“"']))((?:[A-Z][a-zA-Z0-9&.-]+)(?:\s+(?:[A-Z][a-zA-Z0-9&.-]+|&|of))*)/g;
  for (const m of sentence.matchAll(re)) {
    const name = (m[1] ?? '').replace(/[.,]+$/, '');
    const first = name.split(/\s+/)[0]!.toLowerCase();
    // The first word of a sentence is capitalised anyway: a name only when it is no English word.
    if (m.index === 0 && !name.includes(' ') && knownWord(first)) continue;
    if (m.index === 0 && name.includes(' ') && knownWord(first) && !/^[A-Z][a-z]+\s+[A-Z]/.test(name)) continue;
    if (monthIndex(first) || /^(mon|tues|wednes|thurs|fri|satur|sun)day$/.test(first)) continue;
    if (
      /^(I|Q[1-4]|H[12]|FY\d*|ARR|MRR|NRR|GRR|CAC|LTV|SaaS|CEO|CFO|CTO|COO|VP|AI|US|USD|EUR|GBP|EBITDA|P&L|KPI|OKR)$/.test(
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
  const s = stemWord(lemma);
  return [...new Set([s, ...(SYNONYMS[lemma] ?? SYNONYMS[s] ?? []).map(stemWord)])];
}

/** What to send to search: the question's content words and their synonyms. */
export function statedQuery(reading: QuestionReading): string {
  const terms = reading.content.filter((w) => w.length > 1);
  const extra = terms.flatMap((t) => SYNONYMS[t] ?? []).slice(0, 8);
  return [...new Set([...terms, ...extra])].join(' ') || reading.text;
}

/**
 * The sentences that state the answer, best first: each scored by the question's content words it
 * holds (rarer ones weigh more, synonyms count), and marked `typed` when it carries the answer type.
 */
export function selectSentences(
  reading: QuestionReading,
  passages: Passage[],
  opts: { type: AnswerType; ownNames?: string[]; max?: number; mustHave?: string[] },
): Stated[] {
  const terms = reading.content.filter((t) => t.length > 1).map((t) => ({ t, forms: expand(t) }));
  if (terms.length === 0 || passages.length === 0) return [];
  const candidates: Array<{ sentence: string; passage: Passage; stems: Set<string>; rank: number }> = [];
  passages.forEach((passage, rank) => {
    const text = passage.text ?? passage.snippet;
    for (const sentence of sentencesOf(text)) {
      candidates.push({ sentence, passage, stems: new Set(words(sentence).map(stemWord)), rank });
    }
  });
  const n = Math.max(1, candidates.length);
  const df = new Map(
    terms.map(({ t, forms }) => [t, candidates.filter((c) => forms.some((f) => c.stems.has(f))).length]),
  );
  const key = new Set(reading.unexplained);
  const must = (opts.mustHave ?? []).map(stemWord);
  const keyForms = opts.mustHave ? [] : reading.keyNouns.map(expand);
  const names = reading.names.map((n) => n.toLowerCase());
  const needed = Math.min(terms.length >= 3 ? 2 : 1, terms.length);
  const scored: Stated[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.sentence)) continue;
    seen.add(c.sentence);
    if (must.length > 0 && !must.some((m) => c.stems.has(m))) continue;
    if (keyForms.length > 0 && !keyForms.some((forms) => forms.some((f) => c.stems.has(f)))) continue;
    if (names.length > 0 && !names.every((nm) => c.sentence.toLowerCase().includes(nm))) continue;
    let score = 0;
    let hits = 0;
    for (const { t, forms } of terms) {
      if (!forms.some((f) => c.stems.has(f))) continue;
      hits++;
      score += (key.has(t) ? 1.5 : 1) * (1 + Math.log((n + 1) / ((df.get(t) ?? 0) + 1)));
    }
    if (hits < needed) continue;
    score += 0.3 / (1 + c.rank);
    scored.push({
      sentence: c.sentence,
      passage: c.passage,
      score,
      typed: false,
      numbers: numbersIn(c.sentence),
    });
  }
  scored.sort((a, b) => b.score - a.score);
  // The answer type is checked on the best few only (entity tagging is the costly step).
  const top = scored.slice(0, 12);
  for (const s of top) s.typed = carries(s.sentence, opts.type, opts.ownNames ?? []);
  return top.sort((a, b) => Number(b.typed) - Number(a.typed) || b.score - a.score).slice(0, opts.max ?? 3);
}

/** Retrieve and select: restricted to the named document when the question names one. */
export async function findStated(
  tools: ToolClient,
  reading: QuestionReading,
  opts: { type: AnswerType; ownNames?: string[]; max?: number; mustHave?: string[]; query?: string },
): Promise<Stated[]> {
  const query = opts.query ?? statedQuery(reading);
  const res = await tools.search(query, 10, reading.document?.id);
  if (!res.ok) return [];
  return selectSentences(reading, res.value, opts);
}
