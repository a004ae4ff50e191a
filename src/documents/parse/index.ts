import fs from 'node:fs';
import type { DocumentFormat, ParsedDocument } from '../types.ts';
import { unreadable } from './limits.ts';

/**
 * Any accepted format → the one ParsedDocument shape. Runs inside the parse worker. Each parser is
 * loaded on first use (pdf.js, exceljs and mammoth are heavy): a fresh worker reading a small CSV
 * starts in a fraction of the time.
 */
export async function parseDocument(file: string, format: DocumentFormat): Promise<ParsedDocument> {
  switch (format) {
    case 'pdf':
      return (await import('./pdf.ts')).parsePdf(file);
    case 'docx':
      return (await import('./docx.ts')).parseDocx(file);
    case 'xlsx':
      return (await import('./xlsx.ts')).parseXlsx(file);
    case 'csv':
    case 'tsv':
      return (await import('./csv.ts')).parseCsv(file, format);
    case 'md':
      return (await import('./markdown.ts')).parseMarkdown(await readUtf8(file));
    case 'txt':
      return (await import('./text.ts')).parseText(await readUtf8(file));
    case 'json':
      return (await import('./json.ts')).parseJson(await readUtf8(file));
  }
}

async function readUtf8(file: string): Promise<string> {
  const buf = await fs.promises.readFile(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    throw unreadable('The file is not valid UTF-8 text.');
  }
}
