import mammoth from 'mammoth';
import { buildTable, type RawCell } from '../tables/build.ts';
import type { ParsedDocument, ParsedTable, TextBlock } from '../types.ts';
import { unreadable } from './limits.ts';
import { clean, paragraphLocator, splitLong } from './text-blocks.ts';

const TOKEN =
  /<table[\s\S]*?<\/table>|<h([1-6])[^>]*>([\s\S]*?)<\/h\1>|<p[^>]*>([\s\S]*?)<\/p>|<li[^>]*>([\s\S]*?)<\/li>/g;

/**
 * DOCX through mammoth's HTML (which keeps headings, paragraphs, list items and tables apart):
 * blocks located `Heading ¶N`, tables `Heading table N`.
 */
export async function parseDocx(file: string): Promise<ParsedDocument> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ path: file })).value;
  } catch (err) {
    throw unreadable(`The Word document could not be read: ${(err as Error).message}`);
  }
  const blocks: TextBlock[] = [];
  const tables: ParsedTable[] = [];
  let heading: string | undefined;
  let paragraph = 0;
  let tableCount = 0;
  for (const m of html.matchAll(TOKEN)) {
    if (m[0].startsWith('<table')) {
      tableCount++;
      const table = buildTable(tableGrid(m[0]), { prefix: `${heading ? `${heading} ` : ''}table ${tableCount}, ` });
      if (table) tables.push(table);
      continue;
    }
    if (m[1]) {
      heading = text(m[2] ?? '') || heading;
      paragraph = 0;
      tableCount = 0;
      continue;
    }
    const t = text(m[3] ?? m[4] ?? '');
    if (!t) continue;
    paragraph++;
    blocks.push(...splitLong(t, paragraphLocator(heading, paragraph), heading));
  }
  return { format: 'docx', blocks, tables };
}

function tableGrid(html: string): RawCell[][] {
  const rows: RawCell[][] = [];
  for (const tr of html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)) {
    const cells: RawCell[] = [];
    for (const td of (tr[1] ?? '').matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)) cells.push(text(td[1] ?? ''));
    rows.push(cells);
  }
  return rows;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function text(html: string): string {
  return clean(
    html.replace(/<[^>]+>/g, ' ').replace(/&(#x[0-9a-f]+|#\d+|[a-z]+|#39);/gi, (all, e: string) => {
      if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
      if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
      return ENTITIES[e.toLowerCase()] ?? all;
    }),
  );
}
