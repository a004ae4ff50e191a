import fs from 'node:fs';
import type { DocumentFormat, ParsedDocument } from '../types.ts';
import { parseCsv } from './csv.ts';
import { parseDocx } from './docx.ts';
import { parseJson } from './json.ts';
import { unreadable } from './limits.ts';
import { parseMarkdown } from './markdown.ts';
import { parsePdf } from './pdf.ts';
import { parseText } from './text.ts';
import { parseXlsx } from './xlsx.ts';

/** Any accepted format → the one ParsedDocument shape. Runs inside the parse worker. */
export async function parseDocument(file: string, format: DocumentFormat): Promise<ParsedDocument> {
  switch (format) {
    case 'pdf':
      return parsePdf(file);
    case 'docx':
      return parseDocx(file);
    case 'xlsx':
      return parseXlsx(file);
    case 'csv':
    case 'tsv':
      return parseCsv(file, format);
    case 'md':
      return parseMarkdown(await readUtf8(file));
    case 'txt':
      return parseText(await readUtf8(file));
    case 'json':
      return parseJson(await readUtf8(file));
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
