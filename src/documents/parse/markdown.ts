import { buildTable, type RawCell } from '../tables/build.ts';
import type { ParsedDocument, ParsedTable, TextBlock } from '../types.ts';
import { clean, paragraphLocator, splitLong } from './text-blocks.ts';

/**
 * Markdown: headings set the section; paragraphs, list items and code become blocks located as
 * `Heading ¶N`; pipe tables become typed tables located as `Heading table N`.
 */
export function parseMarkdown(text: string): ParsedDocument {
  const blocks: TextBlock[] = [];
  const tables: ParsedTable[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let heading: string | undefined;
  let paragraph = 0;
  let tableCount = 0;
  let buf: string[] = [];
  let fence = false;

  const emit = (content: string) => {
    const t = stripInline(content);
    if (!t) return;
    paragraph++;
    blocks.push(...splitLong(t, paragraphLocator(heading, paragraph), heading));
  };
  const flush = () => {
    if (buf.length) emit(buf.join(' '));
    buf = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) {
      if (fence) {
        fence = false;
        flush();
      } else {
        flush();
        fence = true;
      }
      continue;
    }
    if (fence) {
      buf.push(line);
      continue;
    }
    const h = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      heading = stripInline(h[2] ?? '') || heading;
      paragraph = 0;
      tableCount = 0;
      continue;
    }
    if (isPipeRow(line) && i + 1 < lines.length && isSeparator(lines[i + 1]!)) {
      flush();
      const grid: RawCell[][] = [splitRow(line)];
      i += 2;
      while (i < lines.length && isPipeRow(lines[i]!)) grid.push(splitRow(lines[i++]!));
      i--;
      tableCount++;
      const prefix = `${heading ? `${heading} ` : ''}table ${tableCount}, `;
      const table = buildTable(grid, { prefix });
      if (table) tables.push(table);
      continue;
    }
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      emit(item[1] ?? '');
      continue;
    }
    if (line.trim() === '') flush();
    else buf.push(line.trim());
  }
  flush();
  return { format: 'md', blocks, tables };
}

const isPipeRow = (line: string) => /^\s*\|?.*\|.*\|?\s*$/.test(line) && line.includes('|');
const isSeparator = (line: string) => /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);

function splitRow(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((c) => stripInline(c.replace(/\\\|/g, '|')));
}

/** Drop inline markup a reader does not see: emphasis, code ticks, link targets, images. */
function stripInline(s: string): string {
  return clean(
    s
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(^|\W)[*_](.+?)[*_](?=\W|$)/g, '$1$2')
      .replace(/`([^`]*)`/g, '$1')
      .replace(/^>\s?/, ''),
  );
}
