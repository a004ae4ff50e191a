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

/** The tokens of a text, sentence by sentence flattened, with lemmas and parts of speech. */
export function tokens(text: string): Token[] {
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
export function entities(text: string): { people: string[]; organisations: string[]; proper: string[] } {
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
