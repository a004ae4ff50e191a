import fs from 'node:fs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '../../lib/errors.ts';
import { TableBuilder } from '../tables/build.ts';
import type { ParsedDocument } from '../types.ts';
import { decode, detectCharset, readHead } from './charset.ts';
import { LIMITS } from './limits.ts';

const CANDIDATES = [',', ';', '\t', '|'] as const;

/** The delimiter that splits the first lines most consistently (quotes respected). */
export function detectDelimiter(sample: string): string {
  const lines = sample
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 10);
  let best: string = ',';
  let bestScore = 0;
  for (const d of CANDIDATES) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length;
    const score = first * consistent;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

/**
 * CSV/TSV from a file, streamed through csv-parse with bounded record size and column count. The
 * whole file is one table; its cells are located `row N, column "X"` (the header is row 1). The
 * character set is detected from the first 64 KiB (`charset.ts`: UTF-8, Windows-1252/Latin-1,
 * UTF-16 with or without BOM, …) and anything but UTF-8 is decoded by iconv-lite as it streams.
 */
export async function parseCsv(file: string, format: 'csv' | 'tsv'): Promise<ParsedDocument> {
  const head = await readHead(file, 64 * 1024);
  const charset = detectCharset(head, true) ?? 'utf-8';
  const sample = decode(head, charset);
  const delimiter = format === 'tsv' ? '\t' : detectDelimiter(sample);
  const builder = new TableBuilder();
  let kept = 0;
  let truncated = false;
  const source =
    charset === 'utf-8' ? fs.createReadStream(file) : fs.createReadStream(file).pipe(iconv.decodeStream(charset));
  const parser = source.pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: LIMITS.maxRecordChars,
    }),
  );
  try {
    let records = 0;
    for await (const record of parser as AsyncIterable<string[]>) {
      records++;
      if (record.length > LIMITS.maxColumns) {
        throw new AppError(
          422,
          'too_many_columns',
          `The file has a row with ${record.length} columns; at most ${LIMITS.maxColumns} are read.`,
        );
      }
      if (kept >= LIMITS.maxTableRows) {
        truncated = true;
        continue;
      }
      kept++;
      // Typed as it arrives: the raw strings of a large file are never all held at once.
      builder.push(record, records);
    }
  } catch (err) {
    parser.destroy();
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'CSV_MAX_RECORD_SIZE') {
      throw new AppError(
        422,
        'line_too_long',
        `A line of the file is longer than ${LIMITS.maxRecordChars.toLocaleString('en-US')} characters.`,
      );
    }
    throw new AppError(
      422,
      'unreadable_document',
      `The file could not be read as ${format.toUpperCase()}: ${(err as Error).message}`,
    );
  }
  const table = builder.finish();
  if (table && truncated) table.title = `${table.title ? `${table.title} · ` : ''}first ${LIMITS.maxTableRows} rows`;
  return { format, blocks: [], tables: table ? [table] : [] };
}
