import fs from 'node:fs';
import { extractText, getDocumentProxy } from 'unpdf';
import { AppError } from '../../lib/errors.ts';
import type { ParsedDocument, TextBlock } from '../types.ts';
import { unreadable } from './limits.ts';
import { splitLong } from './text-blocks.ts';

export const SCANNED_PDF_WARNING = 'No text found — a scanned PDF? OCR is not supported.';

/** PDF: the text of each page (unpdf's bundled pdf.js, eval disabled), located `page N`. */
export async function parsePdf(file: string): Promise<ParsedDocument> {
  const data = new Uint8Array(await fs.promises.readFile(file));
  let pages: string[];
  let total: number;
  try {
    const pdf = await getDocumentProxy(data, { isEvalSupported: false, verbosity: 0 });
    const result = await extractText(pdf, { mergePages: false });
    pages = result.text;
    total = result.totalPages;
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
    blocks.push(...splitLong(text, `page ${i + 1}`));
  });
  // An image-only (scanned) PDF reads as nothing: it stays ready, with a warning the partner sees.
  if (total > 0 && pages.every((p) => p.trim() === '')) {
    return { format: 'pdf', blocks, tables: [], pages: total, warning: SCANNED_PDF_WARNING };
  }
  return { format: 'pdf', blocks, tables: [], pages: total };
}
