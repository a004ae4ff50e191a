import nlp from 'compromise';

/**
 * Tokens, lemmas and parts of speech from compromise (src/analyst/local/README.md says why this library). The
 * rest of the local engine reads words through this module only, so the library can be swapped.
 */
export interface Token {
  /** As written, lower-cased, punctuation stripped (`pays`, `worst`). */
  word: string;
  /** The lemma (`pay`, `bad`); the word itself when compromise has none. */
  lemma: string;
  pos: 'noun' | 'verb' | 'adjective' | 'adverb' | 'number' | 'question' | 'pronoun' | 'other';
  /** compromise's tags (`Person`, `Organization`, `Date`, `Money`, `ProperNoun` …). */
  tags: Set<string>;
  /** Capitalised in the text (and not the first word of a sentence). */
  proper: boolean;
}

interface TermJson {
  text: string;
  normal?: string;
  root?: string;
  tags?: string[];
  pre?: string;
}

function posOf(tags: Set<string>): Token['pos'] {
  if (tags.has('QuestionWord')) return 'question';
  if (tags.has('Pronoun')) return 'pronoun';
  if (tags.has('Value') || tags.has('NumericValue') || tags.has('Cardinal')) return 'number';
  if (tags.has('Verb') || tags.has('Auxiliary') || tags.has('Copula')) return 'verb';
  if (tags.has('Adjective')) return 'adjective';
  if (tags.has('Adverb')) return 'adverb';
  if (tags.has('Noun')) return 'noun';
  return 'other';
}

/**
 * A question is read by several readers (the interpretations, the record and stated-answer readers),
 * each asking for the tokens of the same text, and tagging is most of a local answer's time: the last
 * texts read are kept. compromise is deterministic for a text (no words are added to its lexicon), a
 * caller gets its own array, and no caller changes a token.
 */
const MEMO_SIZE = 256;
const memos: Array<Map<string, unknown>> = [];
function memo<T>(read: (text: string) => T, copy: (value: T) => T): (text: string) => T {
  const kept = new Map<string, T>();
  memos.push(kept);
  return (text) => {
    let value = kept.get(text);
    if (value === undefined) {
      value = read(text);
      kept.set(text, value);
      if (kept.size > MEMO_SIZE) kept.delete(kept.keys().next().value as string);
    } else {
      kept.delete(text);
      kept.set(text, value);
    }
    return copy(value);
  };
}

/** Forgets the texts read (the bench asks the same questions again and must measure them as new ones). */
export function forgetReadTexts(): void {
  for (const kept of memos) kept.clear();
}

/** The tokens of a text, sentence by sentence flattened, with lemmas and parts of speech. */
export const tokens = memo(tokensOf, (list) => list.slice());

function tokensOf(text: string): Token[] {
  const doc = nlp(text);
  doc.compute('root');
  const out: Token[] = [];
  for (const sentence of doc.json() as Array<{ terms: TermJson[] }>) {
    sentence.terms.forEach((t, i) => {
      const word = (t.normal ?? t.text)
        .toLowerCase()
        .replace(/[^a-z0-9&$%.'-]/g, '')
        .replace(/^'+|'+$/g, '');
      if (!word) return;
      const tags = new Set(t.tags ?? []);
      out.push({
        word,
        lemma: (t.root ?? word).toLowerCase(),
        pos: posOf(tags),
        tags,
        proper: i > 0 && /^[A-Z]/.test(t.text),
      });
    });
  }
  return out;
}

/** Names of people, organisations and dates compromise finds in a sentence. */
export const entities = memo(entitiesOf, (e) => ({
  people: e.people.slice(),
  organisations: e.organisations.slice(),
  proper: e.proper.slice(),
}));

function entitiesOf(text: string): { people: string[]; organisations: string[]; proper: string[] } {
  const doc = nlp(text);
  const clean = (a: string[]) => a.map((s) => s.replace(/[,.;:!?]+$/, '').trim()).filter((s) => s.length > 1);
  return {
    people: clean(doc.people().out('array') as string[]),
    organisations: clean(doc.organizations().out('array') as string[]),
    proper: clean(doc.match('#ProperNoun+').out('array') as string[]),
  };
}

let lexicon: Set<string> | undefined;
/** Whether compromise knows the word (its lexicon, or a form it lemmatises to a known word). */
export function knownWord(word: string): boolean {
  lexicon ??= new Set(Object.keys((nlp.world() as { model: { one: { lexicon: object } } }).model.one.lexicon));
  return lexicon.has(word);
}

const verbFormsOf = new Map<string, string[]>();
/**
 * The past tense and participle of a verb as compromise conjugates it ("lead" → led, "begin" → began,
 * begun): a question asks "who led", the lemma is "lead", and a document writes "led the round". The
 * regular forms ("integrated") already stem back to the lemma; the irregular ones do not. A word that is
 * no verb gives none.
 */
export function verbForms(lemma: string): string[] {
  let forms = verbFormsOf.get(lemma);
  if (!forms) {
    const conjugated = (nlp(`we ${lemma}`).verbs().conjugate() as Array<Record<string, string>>)[0] ?? {};
    forms = [conjugated.PastTense, conjugated.Participle].filter(
      (f): f is string => typeof f === 'string' && /^[a-z]+$/.test(f) && f !== lemma,
    );
    verbFormsOf.set(lemma, forms);
  }
  return forms.slice();
}
