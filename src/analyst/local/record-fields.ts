import type { DateRole, RecordKind, TextRole, ValueRole } from '../../documents/records/types.ts';
import { tokens } from './nlp.ts';
import type { AnswerType } from './reading.ts';

/**
 * Which field of a named record a question asks for, from the answer type it expects and the words
 * around the name: an amount (how much, pay, worth → the MRR/ARR/amount column), a date (when, since →
 * a start, end or close date; renew → a renewal date no list role holds), a person (who, owner, rep →
 * the owner column), a place (where, country → the region column), or another field the question
 * names (plan, stage, segment, seats). Nothing asked: the record's summary. Pure, so the routing is
 * tested on its own (test/analyst/local/record-fields.test.ts).
 */
export type AskedField =
  | { kind: 'value'; role?: ValueRole | 'seats' }
  | { kind: 'date'; role: DateRole | 'renewal' }
  | { kind: 'text'; role: TextRole }
  /** Something no column of a list holds ("what discount does X get"): said, never the record's other figures. */
  | { kind: 'other'; what: string }
  /** A yes/no on whether the customer has left ("is X still a customer", "has X churned"). */
  | { kind: 'churned' }
  | { kind: 'summary' };

const AUXILIARY = new Set([
  'is',
  'are',
  'was',
  'were',
  'does',
  'do',
  'did',
  'has',
  'have',
  'will',
  'would',
  'can',
  "'s",
  's',
  // Determiners and superlatives: how the record is picked, not a field of it.
  'our',
  'we',
  'us',
  'my',
  'your',
  'their',
  'its',
  'the',
  'a',
  'an',
  'this',
  'that',
  'top',
  'largest',
  'biggest',
  'smallest',
  'most',
  'least',
  'best',
  'highest',
  'lowest',
]);

/** Nouns that ask for the record itself, not one of its fields. */
const ABOUT = new Set([
  'customer',
  'client',
  'account',
  'deal',
  'opportunity',
  'opp',
  'info',
  'information',
  'detail',
  'details',
  'summary',
  'overview',
  'record',
  'row',
  'thing',
  'lot',
  'us',
]);

// Evidence, as lemmas and words as written (compromise leaves some forms as written).
const SEATS = new Set(['seat', 'user', 'license', 'licence', 'licenses', 'licences', 'seats', 'users']);
const PLAN = new Set(['plan', 'tier', 'package', 'edition', 'subscription']);
const PLACE = new Set([
  'region',
  'country',
  'geo',
  'territory',
  'city',
  'located',
  'locate',
  'base',
  'based',
  'headquarter',
  'headquartered',
  'location',
]);
const SEGMENT = new Set(['segment', 'industry', 'vertical', 'sector']);
const STAGE = new Set(['stage', 'phase']);
const STATUS = new Set(['status']);
const PERSON = new Set([
  'own',
  'owns',
  'owner',
  'rep',
  'manager',
  'salesperson',
  'seller',
  'ae',
  'csm',
  'handle',
  'manage',
  'responsible',
  'exec',
  'executive',
]);
const RENEW = new Set(['renew', 'renews', 'renewal', 'expire', 'expiry', 'expiration', 'lapse']);
const ENDED = new Set(['churn', 'churned', 'cancel', 'cancelled', 'canceled', 'leave', 'left', 'quit', 'lose', 'lost']);
const CLOSED = new Set(['close', 'closed', 'win', 'won', 'book', 'booked']);
const STARTED = new Set([
  'since',
  'become',
  'became',
  'join',
  'joined',
  'sign',
  'signed',
  'start',
  'started',
  'onboard',
  'onboarded',
  'acquire',
  'acquired',
  'begin',
  'began',
  'long',
]);
const DATE_NOUNS = new Set(['date', 'since', 'when']);
const VALUE = new Set([
  'pay',
  'pays',
  'paid',
  'worth',
  'value',
  'amount',
  'mrr',
  'arr',
  'acv',
  'fee',
  'spend',
  'bring',
  'revenue',
  'size',
  'big',
  'much',
  'price',
  'bill',
  'billed',
]);

/**
 * The field asked of a named record. `text` is the question with the name taken out (its words say
 * nothing about the field: "Talbot Removals" asks for no removal date).
 */
export function askedField(
  text: string,
  answerType: AnswerType,
  kind: RecordKind,
  /** The record is picked by a superlative ("our largest customer"): "who" asks for it, not its owner. */
  picked = false,
): AskedField {
  const toks = tokens(text);
  const words = new Set(toks.flatMap((t) => [t.word, t.lemma]));
  const any = (set: Set<string>) => [...words].some((w) => set.has(w));
  const lower = ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ')} `;
  const wh = toks.find((t) => t.pos === 'question')?.word;
  const howMuch = / how much /.test(lower);
  const howMany = / how many /.test(lower);
  const howLong = / how long /.test(lower);

  // "Is X still a customer?", "has X churned?": yes or no, from its status or churn date.
  const yesNo = /^\s*(is|are|has|have|did|does|do)\b/i.test(text);
  if (yesNo && (any(ENDED) || words.has('still') || words.has('active'))) return { kind: 'churned' };
  // A field the question names outright wins over its question word ("when did X move to the Pro plan").
  if (any(SEATS)) return { kind: 'value', role: 'seats' };
  if (any(RENEW)) return { kind: 'date', role: 'renewal' };
  if (any(PLAN) && !howMuch) return { kind: 'text', role: 'plan' };
  if (any(STAGE)) return { kind: 'text', role: 'stage' };
  if (any(STATUS)) return { kind: 'text', role: 'status' };
  if (any(SEGMENT)) return { kind: 'text', role: 'segment' };
  if (any(PLACE) || wh === 'where') return { kind: 'text', role: 'region' };
  // "Why did X leave", "what was the reason": the list's reason column (why it churned, why a deal was lost).
  if (wh === 'why' || /^\s*why\b/i.test(text) || words.has('reason') || answerType === 'reason')
    return { kind: 'text', role: 'reason' };
  if (any(PERSON) || (!picked && (wh === 'who' || answerType === 'person'))) return { kind: 'text', role: 'owner' };
  const dated = wh === 'when' || howLong || answerType === 'date' || any(DATE_NOUNS);
  if (dated) {
    if (any(ENDED)) return { kind: 'date', role: 'end' };
    if (kind === 'deals') return { kind: 'date', role: 'close' };
    if (any(CLOSED) && !any(STARTED)) return { kind: 'date', role: 'close' };
    return { kind: 'date', role: 'start' };
  }
  // "How many employees does X have": a count the list does not keep per record (seats are above).
  if (howMany) {
    const noun = toks.slice(toks.findIndex((t) => t.word === 'many') + 1).find((t) => !AUXILIARY.has(t.word));
    return { kind: 'other', what: noun?.word ?? 'count' };
  }
  // "How much has X paid us in total / so far": what a record has paid over time, which a list of
  // current figures does not give.
  if (/ (in total|so far|to date|altogether|all time|lifetime|overall|ever) /.test(lower) && (howMuch || any(VALUE)))
    return { kind: 'other', what: 'total paid to date' };
  if (howMuch || any(VALUE) || answerType === 'amount') {
    const role: ValueRole | undefined = /\b(mrr|monthly|per month|a month|each month|every month)\b/.test(lower)
      ? 'mrr'
      : /\b(arr|acv|annual|annually|per year|a year|each year|every year|yearly)\b/.test(lower)
        ? 'arr'
        : undefined;
    return role ? { kind: 'value', role } : { kind: 'value' };
  }
  // The noun asked for: the word after "what"/"which" (the tagger reads "what discount" as a verb), else
  // the first noun; with the nouns that follow it ("contract length").
  const asks = (i: number) => {
    const t = toks[i];
    return (
      t !== undefined && !AUXILIARY.has(t.word) && t.pos !== 'pronoun' && !ABOUT.has(t.lemma) && !ABOUT.has(t.word)
    );
  };
  const whAt = toks.findIndex((t) => t.word === 'what' || t.word === 'which');
  let at = whAt >= 0 && asks(whAt + 1) && toks[whAt + 1]!.pos !== 'other' ? whAt + 1 : -1;
  if (at < 0) at = toks.findIndex((t, i) => t.pos === 'noun' && t.word.length > 2 && asks(i));
  if (at < 0) return { kind: 'summary' };
  const run = [toks[at]!.word];
  for (let i = at + 1; toks[i]?.pos === 'noun' && asks(i); i++) run.push(toks[i]!.word);
  return { kind: 'other', what: run.join(' ') };
}
