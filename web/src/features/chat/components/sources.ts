import type { BenchmarkCitation, Citation, DocumentCitation } from '../../../lib/api-types.ts';

/**
 * One numbered sources list per answer. The answer's text names its sources inline
 * ("… 5 — northwind_metrics.csv, row 24, column "churned_customers"") and often repeats them in a
 * closing "Sources" list; the app shows each source once: a numbered marker where the text names
 * it, and one list under the answer whose entries open the cited cell.
 */
export type NumberedSource =
  | { n: number; kind: 'document'; citation: DocumentCitation; label: string; detail: string }
  | { n: number; kind: 'benchmark'; citation: BenchmarkCitation; label: string; detail: string; href: string };

/** `row 24, column "churned_customers"` → `row 24 · churned customers`. */
export function readableLocator(locator: string): string {
  return locator
    .replace(/,?\s*column "([^"]*)"/gi, (_m, col: string) => ` · ${col.replace(/_/g, ' ')}`)
    .replace(/\s+/g, ' ')
    .trim();
}

/** A publication link with no doubled slashes in its path, or '' when it is not http(s). */
export function cleanUrl(url: string | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return '';
    u.pathname = u.pathname.replace(/\/{2,}/g, '/');
    return u.toString();
  } catch {
    return '';
  }
}

/** A year worth printing: a positive number (a source without one says nothing, not "(0)"). */
export function cleanYear(year: unknown): string {
  const n = typeof year === 'number' ? year : Number(year);
  return Number.isFinite(n) && n > 0 ? String(n) : '';
}

/** A benchmark's source line without an empty "(0)" year. */
export function cleanSourceText(text: string | undefined): string {
  return (text ?? '').replace(/\s*\((?:0|undefined|null)?\)/g, '').trim();
}

export function numberSources(citations: Citation[]): NumberedSource[] {
  const out: NumberedSource[] = [];
  const seen = new Set<string>();
  const docs = citations.filter((c): c is DocumentCitation => !('benchmark' in c));
  const benches = citations.filter((c): c is BenchmarkCitation => 'benchmark' in c);
  for (const c of docs) {
    const id = `d:${c.document_id}:${c.locator}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      n: out.length + 1,
      kind: 'document',
      citation: c,
      label: c.document_name,
      detail: readableLocator(c.locator),
    });
  }
  for (const c of benches) {
    const id = `b:${c.publisher}:${c.report}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const year = cleanYear(c.year);
    out.push({
      n: out.length + 1,
      kind: 'benchmark',
      citation: c,
      label: c.publisher,
      detail: [cleanSourceText(c.report), year].filter(Boolean).join(', '),
      href: cleanUrl(c.url),
    });
  }
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function isSourcesHeading(line: string): boolean {
  return /^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*Sources?\s*:?\s*(?:\*\*|__)?\s*:?\s*$/i.test(line);
}

/**
 * The answer's Markdown with its closing "Sources" list removed (the app shows its own) and each
 * place that names a document source replaced by a citation marker link (`[n](#source-n)`).
 */
export function markCitations(text: string, sources: NumberedSource[]): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (isSourcesHeading(lines[i] ?? '')) {
      let j = i + 1;
      while (j < lines.length && (/^\s*([-*+]|\d+[.)])\s+/.test(lines[j] ?? '') || (lines[j] ?? '').trim() === '')) j++;
      i = j - 1;
      continue;
    }
    kept.push(lines[i] ?? '');
  }
  let out = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
  for (const s of sources) {
    if (s.kind !== 'document') continue;
    const named = `${escapeRe(s.citation.document_name)},\\s*${escapeRe(s.citation.locator)}`;
    out = out.replace(
      new RegExp(`\\s*[—–-]\\s*${named}|\\s*\\(${named}\\)|${named}`, 'g'),
      ` [${s.n}](#source-${s.n})`,
    );
  }
  return out;
}
