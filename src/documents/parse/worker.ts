import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { fiscalStartFromText } from '../../graph/fiscal.ts';
import { factsFromText } from '../../graph/text-facts.ts';
import { AppError } from '../../lib/errors.ts';
import { writeFileAtomic } from '../../store/atomic.ts';
import { tenantScope } from '../../store/paths.ts';
import { extractMetrics } from '../extract-metrics.ts';
import { buildPassages, type Passage } from '../passages.ts';
import { previewOf } from '../preview.ts';
import { recogniseRecordLists } from '../records/recognise.ts';
import { createSearchIndex, type SearchIndex } from '../search/index.ts';
import type { Extracted } from '../store.ts';
import type { ParsedDocument, TextBlock } from '../types.ts';
import { parseDocument } from './index.ts';
import { type DocumentLimits, tooLarge } from './limits.ts';
import type { ParseJob, ParseReply, ParseResult } from './pool.ts';

/** Blocks kept in `extracted.json` for the document's preview (the full text is in the search index). */
export const PREVIEW_BLOCKS = 50;
/** Blocks handed back to the graph (the ones with a statement or a fiscal-year mention), at most. */
const GRAPH_BLOCKS = 200;
const FISCAL = /\b(?:fiscal year|financial year|fy)/i;

let index: SearchIndex | undefined;

/**
 * The parse worker: one job at a time. `parse`: read the file, check the document limits, extract
 * points and passages, write the passages into the tenant's search index and the extraction to
 * `extractedFile`, and answer with the small things only. `reindex`: put a ready document's passages
 * back into the index (a missing or damaged index, or one migrated from `search-index.json`).
 * All the heavy work (and its memory) stays in this thread.
 */
parentPort?.on('message', async (job: ParseJob) => {
  let reply: ParseReply;
  const scope = tenantScope(job.index.dataDir, job.index.tenantId);
  try {
    index ??= createSearchIndex(job.index.spec);
    const doc = { id: job.ref.document_id, name: job.ref.document_name };
    if (job.kind === 'reindex') {
      const passages = await passagesForReindex(job);
      await index.add(scope, doc, passages);
      reply = {
        id: job.id,
        ok: true,
        result: { blocks: [], points: [], passages: passages.length, extractedBytes: 0 },
        heapUsed: 0,
      };
    } else {
      const parsed = await parseDocument(job.file, job.format);
      checkLimits(parsed, job.limits);
      const points = extractMetrics(parsed, job.ref);
      const passages = buildPassages(parsed, job.limits.maxPassages);
      await index.add(scope, doc, passages);
      const extracted: Extracted = {
        document_id: job.ref.document_id,
        parsed: { ...parsed, blocks: parsed.blocks.slice(0, PREVIEW_BLOCKS) },
        points,
        records: recogniseRecordLists(parsed, job.ref.document_name),
        blocks_total: parsed.blocks.length,
      };
      const json = JSON.stringify(extracted);
      await writeFileAtomic(job.extractedFile, json);
      const preview = JSON.stringify(previewOf(parsed, points));
      await writeFileAtomic(path.join(path.dirname(job.extractedFile), 'preview.json'), preview);
      const result: ParseResult = {
        blocks: graphBlocks(parsed.blocks),
        points,
        passages: passages.length,
        extractedBytes: Buffer.byteLength(json) + Buffer.byteLength(preview),
      };
      if (parsed.pages !== undefined) result.pages = parsed.pages;
      if (parsed.sheets !== undefined) result.sheets = parsed.sheets;
      if (parsed.warning !== undefined) result.warning = parsed.warning;
      reply = { id: job.id, ok: true, result, heapUsed: 0 };
    }
  } catch (err) {
    // What this job may have put in the index goes (the server also removes it on failure).
    await index?.remove(scope, job.ref.document_id).catch(() => undefined);
    const e =
      err instanceof AppError
        ? { status: err.status, code: err.code, message: err.message }
        : {
            status: 422,
            code: 'unreadable_document',
            message: `The document could not be read: ${(err as Error).message}`,
          };
    reply = { id: job.id, ok: false, error: e, heapUsed: 0 };
  }
  // Close the tenant's database (its WAL is checkpointed) before answering.
  await index?.release(scope).catch(() => undefined);
  reply.heapUsed = v8.getHeapStatistics().used_heap_size;
  parentPort?.postMessage(reply);
});

function checkLimits(parsed: ParsedDocument, limits: DocumentLimits): void {
  let chars = 0;
  for (const b of parsed.blocks) chars += b.text.length;
  if (chars > limits.maxTextChars) {
    throw tooLarge(
      `The document has ${fmt(chars)} characters of text; one document may hold ${fmt(limits.maxTextChars)}.`,
    );
  }
  let cells = 0;
  for (const t of parsed.tables) cells += t.rows.length * Math.max(1, t.header.length);
  if (cells > limits.maxTableCells) {
    throw tooLarge(`The document has ${fmt(cells)} table cells; one document may hold ${fmt(limits.maxTableCells)}.`);
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The few blocks the graph reads (statements about the company, the fiscal year). */
function graphBlocks(blocks: TextBlock[]): TextBlock[] {
  const out: TextBlock[] = [];
  for (const b of blocks) {
    if (out.length >= GRAPH_BLOCKS) break;
    if ((FISCAL.test(b.text) && fiscalStartFromText(b.text) !== undefined) || factsFromText([b]).length) out.push(b);
  }
  return out;
}

/** A ready document's passages: from an older extraction that kept them, else by reading the file again. */
async function passagesForReindex(job: ParseJob): Promise<Passage[]> {
  try {
    const old = JSON.parse(await fs.promises.readFile(job.extractedFile, 'utf8')) as Extracted;
    if (Array.isArray(old.passages)) return old.passages;
  } catch {
    // No extraction (or unreadable): read the original again.
  }
  const parsed = await parseDocument(job.file, job.format);
  return buildPassages(parsed, job.limits.maxPassages);
}
