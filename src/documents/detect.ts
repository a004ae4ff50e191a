import path from 'node:path';
import { AppError } from '../lib/errors.ts';
import { isEncryptedOoxml, isOle2 } from './ole2.ts';
import { detectCharset, isUtf8Text, readHead } from './parse/charset.ts';
import type { DocumentFormat } from './types.ts';
import { inspectZip } from './zip-guard.ts';

const BY_EXTENSION: Record<string, DocumentFormat> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.xlsx': 'xlsx',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.md': 'md',
  '.markdown': 'md',
  '.txt': 'txt',
  '.text': 'txt',
  '.json': 'json',
};

export const CONTENT_TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
};

export interface Detected {
  format: DocumentFormat;
  contentType: string;
}

const detected = (format: DocumentFormat): Detected => ({ format, contentType: CONTENT_TYPES[format] });

const unsupported = (message: string) => new AppError(415, 'unsupported_type', message);
const TEXT_SAMPLE = 1024 * 1024;

/**
 * The format of an uploaded file from its content AND its name: the magic bytes must agree with the
 * extension (`%PDF` for .pdf; a zip holding `[Content_Types].xml` and `word/` or `xl/` for .docx/.xlsx;
 * UTF-8 text without NUL bytes for the text formats). A DOCX/XLSX passes the zip-bomb guard here,
 * before any parser sees it. A password-protected DOCX/XLSX (an OLE2 container with an
 * `EncryptionInfo` stream) → 422 `encrypted_document`. Anything else → 415 `unsupported_type`.
 * The content type is the one a download is served with: a CSV/TSV in another code page says which,
 * so the partner's spreadsheet opens the original bytes as they were written.
 */
export async function detectFormat(file: string, name: string): Promise<Detected> {
  const ext = path.extname(name).toLowerCase();
  const byName = BY_EXTENSION[ext];
  if (!byName) {
    throw unsupported(
      `${ext ? `"${ext}" files are` : 'Files without an extension are'} not supported; upload PDF, DOCX, XLSX, CSV, TSV, Markdown, text or JSON.`,
    );
  }
  const head = await readHead(file, TEXT_SAMPLE);
  const mismatch = () => unsupported(`The content of the file does not match its ".${ext.slice(1)}" name.`);

  if (head.subarray(0, 5).toString('latin1') === '%PDF-') {
    if (byName !== 'pdf') throw mismatch();
    return detected('pdf');
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    if (byName !== 'docx' && byName !== 'xlsx') throw mismatch();
    const entries = await inspectZip(file);
    if (!entries.includes('[Content_Types].xml')) throw mismatch();
    const kind = entries.some((e) => e.startsWith('word/'))
      ? 'docx'
      : entries.some((e) => e.startsWith('xl/'))
        ? 'xlsx'
        : undefined;
    if (kind !== byName) throw mismatch();
    return detected(kind);
  }
  if ((byName === 'docx' || byName === 'xlsx') && isOle2(head) && (await isEncryptedOoxml(file))) {
    throw new AppError(
      422,
      'encrypted_document',
      `The ${byName.toUpperCase()} file is password-protected; remove the password (or save an unprotected copy) and upload that.`,
    );
  }
  if (byName === 'pdf' || byName === 'docx' || byName === 'xlsx') throw mismatch();
  if (!isUtf8Text(head, head.length === TEXT_SAMPLE)) {
    // CSV/TSV exports come in the spreadsheet's code page too (Windows-1252 from European Excel, UTF-16).
    const charset = byName === 'csv' || byName === 'tsv' ? detectCharset(head, head.length === TEXT_SAMPLE) : undefined;
    if (!charset) throw mismatch();
    return {
      format: byName,
      contentType: `${byName === 'csv' ? 'text/csv' : 'text/tab-separated-values'}; charset=${charset}`,
    };
  }
  return detected(byName);
}
