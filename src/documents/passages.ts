import { LIMITS, tooLarge } from './parse/limits.ts';
import { rowLocator } from './tables/locate.ts';
import type { ParsedDocument, TextBlock } from './types.ts';

/** One searchable piece of a document: a text block (or a few short ones), or one table row as text. */
export interface Passage {
  locator: string;
  text: string;
  heading?: string;
}

const MAX_ROWS_PER_TABLE = 1_000;
/** Above this many text blocks, neighbouring short blocks under one heading share a passage. */
const MERGE_ABOVE_BLOCKS = 5_000;

/**
 * Blocks as they are; each table row as `label — header: value; header: value` (with the table's
 * title), so a search for "AWS hosting August" finds the row. Huge tables stay queryable as typed
 * tables but only their first rows are searchable, and table rows stop at `maxPassages`.
 *
 * A long text made of many short paragraphs (a 23 MB log, a book) would give hundreds of thousands
 * of tiny passages: above 5,000 blocks, consecutive blocks under the same heading are joined up to
 * `LIMITS.maxBlockChars`, located by the first one. More text passages than `maxPassages` even so →
 * 422 `document_too_large`.
 */
export function buildPassages(doc: ParsedDocument, maxPassages = Number.POSITIVE_INFINITY): Passage[] {
  const out = doc.blocks.length > MERGE_ABOVE_BLOCKS ? mergedBlocks(doc.blocks) : doc.blocks.flatMap(asPassage);
  if (out.length > maxPassages) {
    throw tooLarge(
      `The document has more text than one document may hold (${out.length.toLocaleString('en-US')} passages, limit ${maxPassages.toLocaleString('en-US')}).`,
    );
  }
  for (const table of doc.tables) {
    const rows = Math.min(table.rows.length, MAX_ROWS_PER_TABLE);
    for (let r = 0; r < rows && out.length < maxPassages; r++) {
      const row = table.rows[r]!;
      const parts: string[] = [];
      row.forEach((v, c) => {
        if (v === null || v === '') return;
        parts.push(c === 0 && typeof v === 'string' ? v : `${table.header[c] ?? ''}: ${v}`);
      });
      if (!parts.length) continue;
      const text = parts.join('; ');
      out.push(
        table.title
          ? { locator: rowLocator(table, r), text, heading: table.title }
          : { locator: rowLocator(table, r), text },
      );
    }
  }
  return out;
}

function asPassage(b: TextBlock): Passage[] {
  if (!b.text) return [];
  return [b.heading ? { locator: b.locator, text: b.text, heading: b.heading } : { locator: b.locator, text: b.text }];
}

function mergedBlocks(blocks: TextBlock[]): Passage[] {
  const out: Passage[] = [];
  let current: Passage | undefined;
  for (const b of blocks) {
    if (!b.text) continue;
    if (current && current.heading === b.heading && current.text.length + 1 + b.text.length <= LIMITS.maxBlockChars) {
      current.text += `\n${b.text}`;
      continue;
    }
    if (current) out.push(current);
    current = asPassage(b)[0];
  }
  if (current) out.push(current);
  return out;
}
