import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config.ts';
import type { MetricPoint } from '../graph/types.ts';
import { type Clock, isoSeconds } from '../lib/clock.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { comparePeriods } from '../lib/periods.ts';
import { cleanTempFiles, writeFileAtomic } from '../store/atomic.ts';
import { KeyedMutex } from '../store/lock.ts';
import { ID_PATTERN, type TenantScope } from '../store/paths.ts';
import { CONTENT_TYPES, detectFormat } from './detect.ts';
import { cleanDisplayName } from './names.ts';
import { ParsePool, type PoolOptions } from './parse/pool.ts';
import { type SearchHit, SearchIndex } from './search-index.ts';
import {
  docPaths,
  type Extracted,
  forgetExtracted,
  incomingDir,
  readExtracted,
  readRecords,
  removeDir,
  writeRecords,
} from './store.ts';
import type { DocumentFormat, DocumentRecord, ParsedTable, TextBlock } from './types.ts';

/** Where a ready document's metric points and text go (the tenant graph implements it). */
export interface GraphSink {
  addDocument(scope: TenantScope, doc: DocumentRecord, points: MetricPoint[], text: TextBlock[]): Promise<void>;
  removeDocument(scope: TenantScope, documentId: string): Promise<void>;
}

export interface UploadFile {
  filename: string;
  stream: Readable;
}

export const MAX_FILES_PER_UPLOAD = 10;

export interface DocumentDetail {
  document: DocumentRecord;
  preview: {
    blocks: TextBlock[];
    tables: Array<{ locator: string; title?: string; header: string[]; rows: ParsedTable['rows'] }>;
  };
  metrics: Array<{
    metric: string;
    label: string;
    unit: string;
    periods: number;
    latest: { period: string; value: number };
  }>;
}

export interface TableRef {
  document_id: string;
  document_name: string;
  table: ParsedTable;
}

export interface DocumentService {
  /**
   * Receive 1–10 files (streamed to disk), refuse bad ones before anything is stored, start processing.
   * `beforeCommit` runs once everything is received, just before the documents are recorded (the
   * route re-checks the access key there: a revoke during a long upload stores nothing).
   */
  upload(
    scope: TenantScope,
    files: AsyncIterable<UploadFile>,
    opts?: { beforeCommit?: () => Promise<void> },
  ): Promise<DocumentRecord[]>;
  listDocuments(scope: TenantScope): Promise<DocumentRecord[]>;
  getDocument(scope: TenantScope, id: string): Promise<DocumentRecord>;
  getDetail(scope: TenantScope, id: string): Promise<DocumentDetail>;
  /** The stored original: its path and the record (for name and content type). */
  getOriginal(scope: TenantScope, id: string): Promise<{ record: DocumentRecord; file: string }>;
  deleteDocument(scope: TenantScope, id: string): Promise<void>;
  search(scope: TenantScope, q: string, limit: number): Promise<SearchHit[]>;
  /** What was extracted from a ready document (blocks, typed tables, points, passages). */
  getExtracted(scope: TenantScope, id: string): Promise<Extracted | undefined>;
  /** Every typed table of the tenant's ready documents (for the analyst's `query_table`). */
  getTables(scope: TenantScope): Promise<TableRef[]>;
  /** Every metric point of the tenant's ready documents. */
  getPoints(scope: TenantScope): Promise<MetricPoint[]>;
  /** Resolves when no document of this tenant is being processed (tests, benchmarks). */
  whenIdle(scope: TenantScope): Promise<void>;
  close(): Promise<void>;
}

export interface DocumentServiceDeps {
  config: Pick<Config, 'maxUploadMb'>;
  clock: Clock;
  graph?: GraphSink;
  pool?: PoolOptions;
}

/** Until the tenant graph is wired: points kept next to the document (`documents/<id>/points.json`). */
export const documentFolderSink: GraphSink = {
  async addDocument(scope, doc, points) {
    await writeFileAtomic(docPaths(scope, doc.id).points, JSON.stringify(points));
  },
  async removeDocument(scope, documentId) {
    await fs.promises.rm(docPaths(scope, documentId).points, { force: true });
  },
};

interface Staged {
  temp: string;
  name: string;
  size: number;
  sha256: string;
  format: DocumentFormat;
}

const notFoundDoc = () => notFound('No such document.', 'document_not_found');

export function createDocumentService(deps: DocumentServiceDeps): DocumentService {
  const { clock } = deps;
  const graph = deps.graph ?? documentFolderSink;
  const maxBytes = deps.config.maxUploadMb * 1024 * 1024;
  const mutex = new KeyedMutex();
  const pool = new ParsePool(deps.pool);
  const pending = new Map<string, Set<Promise<void>>>();
  const recovered = new Set<string>();

  const index = new SearchIndex({
    readyDocuments: async (scope) => (await readRecords(scope)).filter((d) => d.status === 'ready'),
    passages: async (scope, id) => (await readExtracted(scope, id))?.passages ?? [],
  });

  /** Read-modify-write of `documents/index.json`, one at a time per tenant. */
  const update = <T>(
    scope: TenantScope,
    fn: (docs: DocumentRecord[]) => Promise<{ docs?: DocumentRecord[]; result: T }>,
  ) =>
    mutex.run(scope.tenantId, async () => {
      const docs = await readRecords(scope);
      const { docs: next, result } = await fn(docs);
      if (next) await writeRecords(scope, next);
      return result;
    });

  async function records(scope: TenantScope): Promise<DocumentRecord[]> {
    const docs = await readRecords(scope);
    if (!recovered.has(scope.tenantId)) {
      // Documents left `processing` by a previous run (crash, restart) are processed again.
      recovered.add(scope.tenantId);
      await cleanTempFiles(incomingDir(scope)).catch(() => undefined);
      for (const d of docs) if (d.status === 'processing') track(scope, processDocument(scope, d.id));
    }
    return docs;
  }

  async function find(scope: TenantScope, id: string): Promise<DocumentRecord> {
    if (!ID_PATTERN.test(id)) throw notFoundDoc();
    const doc = (await records(scope)).find((d) => d.id === id);
    if (!doc) throw notFoundDoc();
    return doc;
  }

  function track(scope: TenantScope, job: Promise<void>): void {
    let set = pending.get(scope.tenantId);
    if (!set) {
      set = new Set();
      pending.set(scope.tenantId, set);
    }
    const s = set;
    const done = job.finally(() => s.delete(done));
    s.add(done);
  }

  async function stage(scope: TenantScope, file: UploadFile): Promise<Staged> {
    const dir = incomingDir(scope);
    await fs.promises.mkdir(dir, { recursive: true });
    const temp = path.join(dir, `upload.tmp-${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    const name = cleanDisplayName(file.filename);
    try {
      await pipeline(
        file.stream,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > maxBytes) {
              throw new AppError(413, 'file_too_large', `"${name}" is larger than ${deps.config.maxUploadMb} MB.`);
            }
            hash.update(chunk);
            yield chunk;
          }
        },
        fs.createWriteStream(temp, { mode: 0o600 }),
      );
      if (size === 0) throw new AppError(400, 'empty_file', `"${name}" is empty.`);
      const format = await detectFormat(temp, name);
      return { temp, name, size, sha256: hash.digest('hex'), format };
    } catch (err) {
      await fs.promises.rm(temp, { force: true });
      // Drain what is left of this part so the request can finish with our error.
      file.stream.resume();
      throw err;
    }
  }

  async function processDocument(scope: TenantScope, id: string): Promise<void> {
    const doc = (await readRecords(scope)).find((d) => d.id === id);
    if (!doc) return;
    const paths = docPaths(scope, id);
    try {
      const ref = { document_id: id, document_name: doc.name };
      const result = await pool.run(paths.original, doc.format, ref, paths.extracted);
      await index.add(scope, id, doc.name, result.passages);
      const ready: DocumentRecord = {
        ...doc,
        status: 'ready',
        error: null,
        processed_at: isoSeconds(clock.now()),
        pages: result.pages ?? null,
        sheets: result.sheets ?? null,
        metrics: [...new Set(result.points.map((p) => p.metric))],
        passages: result.passages.length,
      };
      await graph.addDocument(scope, ready, result.points, result.blocks);
      const stillThere = await update(scope, async (docs) => {
        const i = docs.findIndex((d) => d.id === id);
        if (i < 0) return { result: false };
        const next = [...docs];
        next[i] = ready;
        return { docs: next, result: true };
      });
      // Deleted while it was being processed: take back what was added.
      if (!stillThere) {
        await rollback(scope, id);
        await removeDir(paths.dir);
      }
    } catch (err) {
      await rollback(scope, id);
      const error =
        err instanceof AppError && err.status < 500
          ? { code: err.code, message: err.message }
          : { code: 'processing_failed', message: 'The document could not be processed.' };
      await update(scope, async (docs) => {
        const i = docs.findIndex((d) => d.id === id);
        if (i < 0) return { result: undefined };
        const next = [...docs];
        next[i] = {
          ...docs[i]!,
          status: 'failed',
          error,
          processed_at: isoSeconds(clock.now()),
          metrics: [],
          passages: 0,
        };
        return { docs: next, result: undefined };
      });
    }
  }

  async function rollback(scope: TenantScope, id: string): Promise<void> {
    forgetExtracted(scope, id);
    await index.remove(scope, id).catch(() => undefined);
    await graph.removeDocument(scope, id).catch(() => undefined);
    await fs.promises.rm(docPaths(scope, id).extracted, { force: true }).catch(() => undefined);
  }

  async function readyExtracts(scope: TenantScope): Promise<Array<{ doc: DocumentRecord; extracted: Extracted }>> {
    const out: Array<{ doc: DocumentRecord; extracted: Extracted }> = [];
    for (const doc of await records(scope)) {
      if (doc.status !== 'ready') continue;
      const extracted = await readExtracted(scope, doc.id);
      if (extracted) out.push({ doc, extracted });
    }
    return out;
  }

  return {
    async upload(scope, files, uploadOpts) {
      await records(scope);
      const staged: Staged[] = [];
      try {
        for await (const file of files) {
          if (staged.length >= MAX_FILES_PER_UPLOAD) {
            file.stream.resume();
            throw new AppError(413, 'too_many_files', `At most ${MAX_FILES_PER_UPLOAD} files per upload.`);
          }
          staged.push(await stage(scope, file));
        }
        if (staged.length === 0) throw new AppError(400, 'no_files', 'Attach one or more files in the "file" field.');
        await uploadOpts?.beforeCommit?.();
      } catch (err) {
        await Promise.all(staged.map((s) => fs.promises.rm(s.temp, { force: true })));
        throw err;
      }
      const created: DocumentRecord[] = [];
      const answer = await update(scope, async (docs) => {
        const out: DocumentRecord[] = [];
        const next = [...docs];
        for (const s of staged) {
          const existing = next.find((d) => d.sha256 === s.sha256);
          if (existing && existing.status !== 'failed') {
            await fs.promises.rm(s.temp, { force: true });
            out.push(existing);
            continue;
          }
          if (existing) {
            // The same bytes failed before (perhaps a time-out under load): try again from scratch.
            next.splice(next.indexOf(existing), 1);
            await removeDir(docPaths(scope, existing.id).dir);
          }
          const id = newId('doc');
          const paths = docPaths(scope, id);
          await fs.promises.mkdir(paths.dir, { recursive: true });
          await fs.promises.rename(s.temp, paths.original);
          const record: DocumentRecord = {
            id,
            name: s.name,
            format: s.format,
            content_type: CONTENT_TYPES[s.format],
            size: s.size,
            sha256: s.sha256,
            status: 'processing',
            error: null,
            uploaded_at: isoSeconds(clock.now()),
            processed_at: null,
            pages: null,
            sheets: null,
            metrics: [],
            passages: 0,
          };
          next.unshift(record);
          created.push(record);
          out.push(record);
        }
        return { docs: created.length ? next : undefined, result: out };
      });
      for (const record of created) track(scope, processDocument(scope, record.id));
      return answer;
    },

    listDocuments: (scope) => records(scope),

    getDocument: (scope, id) => find(scope, id),

    async getDetail(scope, id) {
      const document = await find(scope, id);
      const extracted = document.status === 'ready' ? await readExtracted(scope, id) : undefined;
      const blocks = extracted?.parsed.blocks.slice(0, 50) ?? [];
      const tables = (extracted?.parsed.tables ?? []).slice(0, 10).map((t) => ({
        locator: t.locator,
        ...(t.title ? { title: t.title } : {}),
        header: t.header,
        rows: t.rows.slice(0, 50),
      }));
      return { document, preview: { blocks, tables }, metrics: summarize(extracted?.points ?? []) };
    },

    async getOriginal(scope, id) {
      const record = await find(scope, id);
      return { record, file: docPaths(scope, id).original };
    },

    async deleteDocument(scope, id) {
      await find(scope, id);
      await update(scope, async (docs) => {
        if (!docs.some((d) => d.id === id)) throw notFoundDoc();
        return { docs: docs.filter((d) => d.id !== id), result: undefined };
      });
      await rollback(scope, id);
      await removeDir(docPaths(scope, id).dir);
    },

    async search(scope, q, limit) {
      await records(scope);
      return index.search(scope, q, Math.max(1, Math.min(limit, 50)));
    },

    async getExtracted(scope, id) {
      const doc = await find(scope, id);
      return doc.status === 'ready' ? readExtracted(scope, id) : undefined;
    },

    async getTables(scope) {
      return (await readyExtracts(scope)).flatMap(({ doc, extracted }) =>
        extracted.parsed.tables.map((table) => ({ document_id: doc.id, document_name: doc.name, table })),
      );
    },

    async getPoints(scope) {
      return (await readyExtracts(scope)).flatMap(({ extracted }) => extracted.points);
    },

    async whenIdle(scope) {
      await records(scope);
      for (;;) {
        const set = pending.get(scope.tenantId);
        if (!set || set.size === 0) return;
        await Promise.allSettled([...set]);
      }
    },

    async close() {
      await Promise.allSettled([...pending.values()].flatMap((s) => [...s]));
      await pool.close();
    },
  };
}

/** One line per series found: its unit, how many periods, and its latest value. */
function summarize(points: MetricPoint[]): DocumentDetail['metrics'] {
  const bySeries = new Map<string, MetricPoint[]>();
  for (const p of points) {
    const key = `${p.metric}\u0000${p.label}`;
    const list = bySeries.get(key) ?? [];
    list.push(p);
    bySeries.set(key, list);
  }
  return [...bySeries.values()].map((list) => {
    const latest = [...list].sort((a, b) => comparePeriods(a.period, b.period)).at(-1)!;
    return {
      metric: latest.metric,
      label: latest.label,
      unit: latest.unit,
      periods: list.length,
      latest: { period: latest.period, value: latest.value },
    };
  });
}
