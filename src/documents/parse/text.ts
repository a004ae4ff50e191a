import type { ParsedDocument, TextBlock } from '../types.ts';
import { splitLong } from './text-blocks.ts';

/** Plain text: paragraphs (runs of non-blank lines), located by their first line (`line 12`). */
export function parseText(text: string): ParsedDocument {
  const blocks: TextBlock[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let start = -1;
  let buf: string[] = [];
  const flush = () => {
    if (buf.length) blocks.push(...splitLong(buf.join('\n'), `line ${start + 1}`));
    buf = [];
  };
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      flush();
      return;
    }
    if (buf.length === 0) start = i;
    buf.push(line);
  });
  flush();
  return { format: 'txt', blocks, tables: [] };
}
