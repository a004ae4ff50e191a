import fs from 'node:fs';
import { getDocumentProxy } from 'unpdf';
import { AppError } from '../../lib/errors.ts';
import type { ParsedDocument, ParsedTable, TextBlock } from '../types.ts';
import { unreadable } from './limits.ts';
import { type PdfTextItem, pageTables } from './pdf-tables.ts';
import { splitLong } from './text-blocks.ts';

export const SCANNED_PDF_WARNING = 'No text found — a scanned PDF? OCR is not supported.';

/**
 * PDF: the text of each page (unpdf's bundled pdf.js, eval disabled), located `page N`, and the tables
 * drawn on it (`pdf-tables.ts`), read from where the text stands on the page.
 */
export async function parsePdf(file: string): Promise<ParsedDocument> {
  const data = new Uint8Array(await fs.promises.readFile(file));
  const pages: string[] = [];
  const tables: ParsedTable[] = [];
  let total: number;
  let anyText = false;
  try {
    const pdf = await getDocumentProxy(data, { isEvalSupported: false, verbosity: 0 });
    total = pdf.numPages;
    for (let n = 1; n <= total; n++) {
      const content = await (await pdf.getPage(n)).getTextContent();
      const items: Array<PdfTextItem & { hasEOL: boolean }> = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        if (item.str.trim()) anyText = true;
        items.push({
          hasEOL: item.hasEOL,
          str: item.str,
          x: item.transform[4],
          y: item.transform[5],
          width: item.width,
          height: item.height,
        });
      }
      const read = pageTables(items, n);
      tables.push(...read.tables);
      // The page's text as pdf.js writes it out (what unpdf's extractText gives: runs, a newline at each
      // line end), without a table's rows: they are searchable as its rows, and as lines they would read as
      // headings over the paragraph after the table.
      let text = '';
      for (const item of items) text += (read.runs.has(item) ? '' : item.str) + (item.hasEOL ? '\n' : '');
      pages.push(text);
    }
    await pdf.destroy();
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'PasswordException') {
      throw new AppError(422, 'encrypted_document', 'The PDF is password-protected; upload an unprotected copy.');
    }
    throw unreadable(`The PDF could not be read: ${(err as Error).message}`);
  }
  const blocks: TextBlock[] = [];
  pages.forEach((text, i) => {
    blocks.push(...pageBlocks(text, `page ${i + 1}`));
  });
  // An image-only (scanned) PDF reads as nothing: it stays ready, with a warning the partner sees.
  if (total > 0 && !anyText) {
    return { format: 'pdf', blocks, tables: [], pages: total, warning: SCANNED_PDF_WARNING };
  }
  return { format: 'pdf', blocks, tables, pages: total };
}

/**
 * A page's lines as paragraphs under their headings. pdf.js gives one line per text line; a heading is a
 * short line that starts with a capital or a digit, ends without punctuation, comes after a finished
 * sentence (or first) and has a line after it that starts a sentence ("Customers", "Funding and runway"). It becomes the
 * heading of the paragraphs under it instead of running into their first sentence ("Customers Brennan &
 * Vale became …", which reads the heading as part of a name).
 */
export function pageBlocks(text: string, locator: string): TextBlock[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const blocks: TextBlock[] = [];
  let heading: string | undefined;
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push(...splitLong(paragraph.join(' '), locator, heading));
    paragraph = [];
  };
  lines.forEach((line, i) => {
    const afterSentence = paragraph.length === 0 || /[.!?:;)\]”"’']$/.test(paragraph.at(-1)!);
    const isHeading =
      afterSentence &&
      i + 1 < lines.length &&
      line.length <= 80 &&
      line.split(/\s+/).length <= 9 &&
      /^[\p{Lu}\d]/u.test(line) &&
      !/[.!?,;:]$/.test(line) &&
      // A sentence wrapped onto the next line: it goes on in lower case or a figure, or stops on a small word.
      !/^[\p{Ll}\d$€£(]/u.test(lines[i + 1]!) &&
      !/\b(?:a|an|the|of|for|to|and|or|in|on|at|by|with|from|as|our|we|is|are|was|were)$/i.test(line);
    if (isHeading) {
      flush();
      heading = line;
    } else paragraph.push(line);
  });
  flush();
  return blocks;
}
