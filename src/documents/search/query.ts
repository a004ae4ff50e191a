/** Words too common to rank by (and to spend time scoring every passage for). */
export const STOP_WORDS = new Set(
  'a an and are as at be by did do does for from had has have how i in is it its of on or our that the this to was we were what when where which who why will with you your'.split(
    ' ',
  ),
);

const MAX_TERMS = 32;

/** The query's words, lower-cased, without stop words or repeats (at most 32). */
export function queryTerms(query: string): string[] {
  const words =
    query
      .slice(0, 500)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => !STOP_WORDS.has(w)))].slice(0, MAX_TERMS);
}

/**
 * An FTS5 MATCH expression: any of the words (OR), each quoted (so no word is read as an operator),
 * words of 4+ characters also as a prefix (`"hosting"*`). Empty when no word is left.
 */
export function ftsQuery(terms: string[]): string {
  return terms.map((t) => (t.length >= 4 ? `"${t}"*` : `"${t}"`)).join(' OR ');
}

const SNIPPET = 220;

/** About 220 characters of the passage around the first matched term. */
export function snippet(text: string, terms: string[]): string {
  if (text.length <= SNIPPET) return text;
  const lower = text.toLowerCase();
  const at = terms
    .map((t) => {
      const i = lower.indexOf(t);
      // A stemmed match ("engineers" for "engineering"): look for the word's first letters.
      return i >= 0 || t.length < 5 ? i : lower.indexOf(t.slice(0, Math.max(4, t.length - 3)));
    })
    .filter((i) => i >= 0);
  const first = at.length ? Math.min(...at) : 0;
  const start = Math.max(0, Math.min(first - 60, text.length - SNIPPET));
  const end = Math.min(text.length, start + SNIPPET);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}
