import type { Passage } from './calls.ts';

/**
 * Extractive answers: among the passages search returned, the sentence that best answers the
 * question — most of the question's key terms (rarer terms weigh more), boosted when it carries what
 * the question word asks for (a date for "when", a name for "who", a number for "how many").
 */
export interface Extract {
  sentence: string;
  passage: Passage;
  score: number;
}

const STOP = new Set(
  (
    'a an the is are was were be been being am do does did done have has had our we us my me i you your it its ' +
    'this that these those there here what which who whom whose when where why how much many of in on at to for ' +
    'from by with about as and or but if then than so not no yes can could would should will shall may might must ' +
    'tell please give show find list any some all each per vs versus into over under up down out just also only ' +
    'company business us ours they them their he she his her one whats hows whos wheres whens r u ur'
  ).split(' '),
);

/** Lower-case word stems, for matching question terms against sentences. */
export function stemWord(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('es') && /(ses|xes|ches|shes)$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w;
}

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .match(/[a-z0-9]+(?:[&'][a-z0-9]+)*/g) ?? [];

/** Related words a question and a document often use for the same thing. */
const RELATED: Record<string, string[]> = {
  largest: ['biggest', 'top', 'largest'],
  biggest: ['largest', 'top'],
  top: ['largest', 'biggest', 'main', 'primary', 'leading'],
  main: ['top', 'primary'],
  reason: ['reason', 'because', 'due', 'driver', 'cause'],
  meet: ['meeting'],
  meeting: ['meet'],
  next: ['upcoming', 'next'],
  hire: ['hiring', 'hire', 'recruit'],
  price: ['pricing', 'price', 'cost'],
  customer: ['client', 'account', 'customer'],
  // The verb a question uses and the noun a document writes ("why did customers cancel" — "the cancellations").
  cancel: ['cancellation', 'cancelled', 'canceled'],
  client: ['customer'],
  risk: ['risk', 'concern', 'threat'],
  plan: ['plan', 'intend', 'will'],
};

/** The question's key terms (stems), without question words and fillers. */
export function keyTerms(question: string): string[] {
  const out: string[] = [];
  for (const w of words(question)) {
    if (STOP.has(w) || w.length < 2) continue;
    const s = stemWord(w);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** Sentences (and list items) of a passage; table-like lines of mostly numbers are dropped. */
export function sentencesOf(text: string): string[] {
  // A snippet cut out of a longer passage keeps its "…" so a quoted fragment reads as one.
  const parts = text
    .split(/\n+|(?<=[.!?])\s+(?=[A-Z0-9"“(])/)
    .map((s) => s.replace(/^[\s\-*•#>]+/, '').trim())
    .flatMap(splitHeading)
    .filter((s) => s.length >= 8);
  return parts.filter((s) => {
    // A table row flattened to text ("month: 2026-04; mrr: 942678; …") is not a sentence to quote.
    if ((s.match(/:\s*-?[$\d]/g) ?? []).length >= 2) return false;
    const letters = (s.match(/[a-z]/gi) ?? []).length;
    return letters >= 0.4 * s.replace(/\s/g, '').length;
  });
}

/**
 * A PDF's heading runs into the sentence after it ("Funding and runway In February 2026 we closed
 * …"): split where a short heading without a verb or stop (ending in a lower-case word or a year) is
 * followed by a word that starts sentences, so the heading's words are not read as the sentence's.
 */
const STARTERS =
  'In|On|Our|We|The|From|At|After|This|These|Since|During|By|Last|Next|Most|Dear|All|Including|Over|With';
const HEADING_RE = new RegExp(`^([A-Z][^.!?;:]{2,80}?(?:[a-z]|\\d{4}|\\)))\\s+((?:${STARTERS})\\b.*)$`);
function splitHeading(s: string): string[] {
  const m = HEADING_RE.exec(s);
  if (!m) return [s];
  const head = m[1] ?? '';
  // A heading is short and has no verb of a sentence ("was", "is", "we …").
  if (head.split(/\s+/).length > 10 || /\b(is|are|was|were|has|have|had|will|we|our)\b/i.test(head)) return [s];
  return [head, m[2] ?? ''];
}

/** Key terms that only name a period. */
const PERIOD_TERM =
  /^(q[1-4]|h[12]|fy\d{2,4}|\d{4}|\d{1,2}|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|month|quarter|year|last|next|current|ytd|ttm)$/;

const DATE_RE =
  /\b\d{4}-\d{2}-\d{2}\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?\b|\b\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(q[1-4]|h[12])\s*\d{2,4}\b|\b(january|february|march|april|june|july|august|september|october|november|december)\s+\d{4}\b/i;
const NAME_RE =
  /(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+(?:\s+(?:[A-Z][a-z]+|&|of|and))*\s+[A-Z][a-z]+\b|(?<!^)\b[A-Z]{2,}[a-z]*\b/;
const NUMBER_RE = /\d/;
const REASON_RE = /\b(because|due to|reason|driven by|caused by|followed by|cuts?)\b/i;

/**
 * The best answering sentences, best first. `synonyms` adds related words of the question's own terms
 * (a metric's other names: "headcount" is also said "people", "employees").
 */
export function bestSentences(
  question: string,
  passages: Passage[],
  max = 3,
  synonyms: Record<string, string[]> = {},
): Extract[] {
  const terms = keyTerms(question);
  if (terms.length === 0 || passages.length === 0) return [];
  const q = question.toLowerCase();
  const candidates: Array<{ sentence: string; passage: Passage; stems: Set<string>; rank: number }> = [];
  passages.forEach((passage, rank) => {
    for (const sentence of sentencesOf(passage.text ?? passage.snippet)) {
      candidates.push({ sentence, passage, stems: new Set(words(sentence).map(stemWord)), rank });
    }
  });
  // Rarer terms carry more weight (a crude idf over the candidate sentences).
  const df = new Map<string, number>();
  const hasTerm = (stems: Set<string>, term: string) =>
    stems.has(term) || [...(RELATED[term] ?? []), ...(synonyms[term] ?? [])].some((r) => stems.has(stemWord(r)));
  for (const t of terms) df.set(t, candidates.filter((c) => hasTerm(c.stems, t)).length);
  const n = Math.max(1, candidates.length);
  // A sentence must share the question's subject, not just its period ("Q3", "2025").
  const subject = terms.filter((t) => !PERIOD_TERM.test(t));
  const needed = subject.length >= 3 ? 2 : Math.min(1, subject.length);
  const scored = candidates.map((c) => {
    let score = 0;
    let hits = 0;
    let subjectHits = 0;
    for (const t of terms) {
      if (!hasTerm(c.stems, t)) continue;
      hits++;
      if (!PERIOD_TERM.test(t)) subjectHits++;
      score += 1 + Math.log((n + 1) / ((df.get(t) ?? 0) + 1));
    }
    if (hits === 0 || subjectHits < needed) return { ...c, score: 0 };
    if (/\bwhen\b|\bwhat date\b|\bwhat day\b/.test(q) && DATE_RE.test(c.sentence)) score += 2.5;
    if (/\bwho\b|\bwhich (customer|client|company|partner|vendor|competitor)\b/.test(q) && NAME_RE.test(c.sentence))
      score += 1.5;
    if (/\bhow (many|much)\b/.test(q) && NUMBER_RE.test(c.sentence)) score += 1;
    if (/\b(why|reason|cause|driver)\b/.test(q) && REASON_RE.test(c.sentence)) score += 1;
    // Search's own ranking breaks ties.
    score += 0.3 / (1 + c.rank);
    return { ...c, score };
  });
  const seen = new Set<string>();
  return scored
    .filter((c) => c.score > 0.5)
    .sort((a, b) => b.score - a.score)
    .filter((c) => {
      if (seen.has(c.sentence)) return false;
      seen.add(c.sentence);
      return true;
    })
    .slice(0, max)
    .map((c) => ({ sentence: c.sentence, passage: c.passage, score: c.score }));
}

/** What to send to search: the key terms, plus related words so a "largest customer" also finds "biggest client". */
export function searchQuery(question: string): string {
  const terms = words(question).filter((w) => !STOP.has(w) && w.length >= 2);
  const extra = terms.flatMap((t) => RELATED[stemWord(t)] ?? []).slice(0, 6);
  return [...new Set([...terms, ...extra])].join(' ') || question;
}
