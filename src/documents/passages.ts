import { rowLocator } from './tables/locate.ts';
import type { ParsedDocument } from './types.ts';

/** One searchable piece of a document: a text block, or one table row written out as text. */
export interface Passage {
  locator: string;
  text: string;
  heading?: string;
}

const MAX_ROWS_PER_TABLE = 1_000;
const MAX_PASSAGES = 20_000;

/**
 * Blocks as they are; each table row as `label — header: value; header: value` (with the table's
 * title), so a search for "AWS hosting August" finds the row. Huge tables stay queryable as typed
 * tables but only their first rows are searchable.
 */
export function buildPassages(doc: ParsedDocument): Passage[] {
  const out: Passage[] = [];
  for (const b of doc.blocks) {
    if (out.length >= MAX_PASSAGES) return out;
    if (b.text)
      out.push(
        b.heading ? { locator: b.locator, text: b.text, heading: b.heading } : { locator: b.locator, text: b.text },
      );
  }
  for (const table of doc.tables) {
    const rows = Math.min(table.rows.length, MAX_ROWS_PER_TABLE);
    for (let r = 0; r < rows && out.length < MAX_PASSAGES; r++) {
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
