import { parentPort } from 'node:worker_threads';
import { AppError } from '../../lib/errors.ts';
import { writeFileAtomic } from '../../store/atomic.ts';
import { extractMetrics } from '../extract-metrics.ts';
import { buildPassages } from '../passages.ts';
import type { Extracted } from '../store.ts';
import { parseDocument } from './index.ts';
import type { ParseJob, ParseReply, ParseResult } from './pool.ts';

/**
 * The parse worker: one job at a time. Writes the whole extraction to `extractedFile` and answers
 * with the text blocks, points and passages (the server indexes them and hands them to the graph).
 */
parentPort?.on('message', async (job: ParseJob) => {
  let reply: ParseReply;
  try {
    const parsed = await parseDocument(job.file, job.format);
    const points = extractMetrics(parsed, job.ref);
    const passages = buildPassages(parsed);
    const extracted: Extracted = { document_id: job.ref.document_id, parsed, points, passages };
    await writeFileAtomic(job.extractedFile, JSON.stringify(extracted));
    const result: ParseResult = { blocks: parsed.blocks, points, passages };
    if (parsed.pages !== undefined) result.pages = parsed.pages;
    if (parsed.sheets !== undefined) result.sheets = parsed.sheets;
    reply = { id: job.id, ok: true, result };
  } catch (err) {
    const e =
      err instanceof AppError
        ? { status: err.status, code: err.code, message: err.message }
        : {
            status: 422,
            code: 'unreadable_document',
            message: `The document could not be read: ${(err as Error).message}`,
          };
    reply = { id: job.id, ok: false, error: e };
  }
  parentPort?.postMessage(reply);
});
