import damerauLevenshtein from 'damerau-levenshtein';

/**
 * Which record a name refers to, as people write names: any case, with or without punctuation
 * ("Lachlan and Byrne" for "Lachlan & Byrne Solicitors"), with or without a legal suffix ("Contoso"
 * for "Contoso Ltd", "Pelican Frame Co." for "Pelican Frame"), with a typo ("Pemberton Dairys"), or
 * by part of it ("Orchard Lane" for "Orchard Lane Pharmacy"). Two uses:
 *
 * - `matchName(asked, names)`: a caller gives a name (the Claude engine's `name`, a filter).
 * - `namesMentioned(text, names)`: which names a text (a question) mentions — the whole name, or the
 *   first word of a longer one when that word is written capitalised and names no other record.
 *
 * Typos are one edit (Damerau–Levenshtein, the `damerau-levenshtein` package the question reader also
 * uses) in a word of five letters or more, two in one of nine or more; short words and numbers must
 * be exact, so "Q3" never matches "Q4" and "Kite" never matches "Kits".
 */
export type NameMatchHow = 'exact' | 'typo' | 'partial' | 'contains';

export interface NameMatch {
  /** The record's name as the list writes it. */
  name: string;
  how: NameMatchHow;
  /** The words of the asked text that matched, as written (for a mention: what to read around). */
  mention: string;
}

/** Words that end a company name without naming it. */
const LEGAL_SUFFIXES = new Set([
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'srl',
  'bv',
  'nv',
  'pty',
  'co',
  'corp',
  'corporation',
  'oy',
  'ab',
  'kg',
]);

interface Word {
  norm: string;
  /** Where the word is in the text, to give back what was written. */
  start: number;
  end: number;
  capitalised: boolean;
}

/** The words of a text: lower-cased, `&` read as "and", a possessive 's dropped. */
function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9\u00C0-\u024F]+(?:['’][A-Za-z]+)?|&/g)) {
    const raw = m[0];
    const norm =
      raw === '&'
        ? 'and'
        : raw
            .toLowerCase()
            .normalize('NFD')
            .replace(/[\u0300-\u036f]/g, '')
            .replace(/['’]s$/, '')
            .replace(/['’]/g, '');
    if (!norm) continue;
    out.push({ norm, start: m.index, end: m.index + raw.length, capitalised: /^[A-Z\u00C0-\u00DE]/.test(raw) });
  }
  return out;
}

/** A name's words, its legal suffixes and a leading "the" left out. */
export function nameWords(name: string): string[] {
  const w = wordsOf(name).map((x) => x.norm);
  while (w.length > 1 && LEGAL_SUFFIXES.has(w.at(-1)!)) w.pop();
  if (w.length > 1 && w[0] === 'the') w.shift();
  return w;
}

/** 0: the same word (or its plural); 1: a typo of it; undefined: another word. */
function wordDistance(a: string, b: string): 0 | 1 | undefined {
  if (a === b || `${a}s` === b || `${b}s` === a) return 0;
  if (/\d/.test(a) || /\d/.test(b)) return undefined;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 5) return undefined;
  const steps = damerauLevenshtein(a, b).steps;
  return steps <= (shorter >= 9 ? 2 : 1) ? 1 : undefined;
}

/**
 * Whether `part` occurs in `whole` as consecutive words; with how many typos. A name of several words
 * may also carry its typos spread unevenly ("Pemberton Dairys"): the words start alike and the whole
 * name is within one edit per eight letters.
 */
function occurs(part: string[], whole: string[]): { at: number; typos: number } | undefined {
  let best: { at: number; typos: number } | undefined;
  for (let i = 0; i + part.length <= whole.length; i++) {
    let typos = 0;
    let ok = true;
    for (let j = 0; j < part.length && ok; j++) {
      const d = wordDistance(part[j]!, whole[i + j]!);
      if (d === undefined) ok = false;
      else typos += d;
    }
    if (!ok && part.length > 1) {
      const window = whole.slice(i, i + part.length);
      const a = part.join(' ');
      const b = window.join(' ');
      const alike = part.every((w, j) => w[0] === window[j]![0] && !/\d/.test(w + window[j]));
      const steps = alike ? damerauLevenshtein(a, b).steps : Number.POSITIVE_INFINITY;
      if (steps <= Math.floor(Math.min(a.length, b.length) / 8)) {
        ok = true;
        typos = steps;
      }
    }
    if (ok && (!best || typos < best.typos)) best = { at: i, typos };
  }
  return best;
}

const RANK: Record<NameMatchHow, number> = { exact: 0, typo: 1, contains: 2, partial: 3 };

/**
 * The records a given name refers to, best first: the same name; the same name with a typo; a name
 * the asked text contains ("Orchard Lane Pharmacy deal"); a name that contains the asked words
 * ("Pemberton" → "Pemberton Dairies"). Only the best kind of match is returned, so an exact name is
 * never mixed with names that merely share a word.
 */
export function matchName(asked: string, names: readonly string[]): NameMatch[] {
  const a = nameWords(asked);
  if (a.length === 0) return [];
  const found: Array<NameMatch & { typos: number }> = [];
  for (const name of names) {
    const n = nameWords(name);
    if (n.length === 0) continue;
    if (n.length === a.length) {
      const hit = occurs(a, n);
      if (hit) {
        found.push({ name, how: hit.typos === 0 ? 'exact' : 'typo', mention: asked.trim(), typos: hit.typos });
        continue;
      }
    }
    if (n.length < a.length) {
      const hit = occurs(n, a);
      if (hit && (n.length > 1 || n[0]!.length >= 4)) {
        found.push({ name, how: 'contains', mention: asked.trim(), typos: hit.typos });
        continue;
      }
    }
    if (n.length > a.length) {
      // Part of a name: distinctive enough only as whole words of four letters or more, no typo.
      const hit = occurs(a, n);
      if (hit && hit.typos === 0 && a.join('').length >= 4)
        found.push({ name, how: 'partial', mention: asked.trim(), typos: 0 });
    }
  }
  return bestOnly(found);
}

function bestOnly(found: Array<NameMatch & { typos: number }>): NameMatch[] {
  if (found.length === 0) return [];
  const top = Math.min(...found.map((f) => RANK[f.how] * 10 + f.typos));
  const seen = new Set<string>();
  return found
    .filter((f) => RANK[f.how] * 10 + f.typos === top)
    .filter((f) => !seen.has(f.name) && seen.add(f.name))
    .map(({ typos: _t, ...m }) => m);
}

/**
 * The names a text mentions, longest mention first. A whole name matches in any case (with a typo in
 * a long word); a name of one word, or the first word of a longer name standing alone, only when the
 * text writes it capitalised (not as the text's first word) and no other record's name has that word —
 * "target" in "revenue target" is no customer called Target, "Pemberton" alone is Pemberton Dairies.
 */
export function namesMentioned(text: string, names: readonly string[]): NameMatch[] {
  const words = wordsOf(text);
  const norms = words.map((w) => w.norm);
  const wordCount = new Map<string, number>();
  const parsed = names.map((name) => ({ name, w: nameWords(name) })).filter((x) => x.w.length > 0);
  for (const { w } of parsed) for (const x of new Set(w)) wordCount.set(x, (wordCount.get(x) ?? 0) + 1);
  const found: Array<NameMatch & { typos: number; length: number }> = [];
  const written = (from: number, to: number) => text.slice(words[from]!.start, words[to]!.end);
  const proper = (i: number) => words[i]!.capitalised && i > 0;
  for (const { name, w } of parsed) {
    const hit = occurs(w, norms);
    if (hit && (w.length > 1 || (proper(hit.at) && hit.typos === 0 && w[0]!.length >= 3))) {
      found.push({
        name,
        how: hit.typos === 0 ? 'exact' : 'typo',
        mention: written(hit.at, hit.at + w.length - 1),
        typos: hit.typos,
        length: w.length,
      });
      continue;
    }
    const first = w[0]!;
    if (w.length > 1 && first.length >= 5 && wordCount.get(first) === 1) {
      const at = norms.findIndex((x, i) => x === first && proper(i));
      if (at >= 0) found.push({ name, how: 'partial', mention: written(at, at), typos: 0, length: 1 });
    }
  }
  // A mention inside a longer one ("Kingsmere" inside "Kingsmere Motor Group") is that one.
  found.sort((a, b) => RANK[a.how] - RANK[b.how] || b.length - a.length || a.typos - b.typos);
  const kept: typeof found = [];
  for (const f of found) {
    if (kept.some((k) => k.mention.toLowerCase().includes(f.mention.toLowerCase()) && k.name !== f.name)) continue;
    kept.push(f);
  }
  return kept.map(({ typos: _t, length: _l, ...m }) => m);
}

/** Names close to one that matched none, to say "did you mean": a shared word, or a few edits apart. */
export function closestNames(asked: string, names: readonly string[], limit = 3): string[] {
  const a = nameWords(asked);
  if (a.length === 0) return [];
  const joined = a.join(' ');
  return names
    .map((name) => {
      const n = nameWords(name);
      const shared = a.filter((x) => x.length >= 4 && n.some((y) => wordDistance(x, y) !== undefined)).length;
      const steps = damerauLevenshtein(joined, n.join(' ')).steps;
      return { name, shared, steps };
    })
    .filter((x) => x.shared > 0 || x.steps <= Math.max(2, Math.floor(joined.length / 5)))
    .sort((x, y) => y.shared - x.shared || x.steps - y.steps)
    .slice(0, limit)
    .map((x) => x.name);
}
