import crypto from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config.ts';
import type { MetricPoint } from '../graph/types.ts';
import { type Clock, isoSeconds } from '../lib/clock.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { PgDatabase } from '../storage/pg.ts';
import { cleanTempFiles, readJson, writeFileAtomic } from '../store/atomic.ts';
import { KeyedMutex } from '../store/lock.ts';
import { ID_PATTERN, type TenantScope, tenantScope } from '../store/paths.ts';
import { detectFormat } from './detect.ts';
import { cleanDisplayName } from './names.ts';
import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from './parse/limits.ts';
import { ParsePool, type PoolOptions } from './parse/pool.ts';
import type { Passage } from './passages.ts';
import { type DocumentDetail, type DocumentPreview, previewOf } from './preview.ts';
import { readRecordList, recogniseRecordLists } from './records/recognise.ts';
import type { RecordList } from './records/types.ts';
import { createSearchIndex, type SearchHit, type SearchIndexSpec } from './search/index.ts';
import {
  docPaths,
  type Extracted,
  forgetExtracted,
  INDEX_FILE,
  incomingDir,
  readExtracted,
  readRecords,
  removeDir,
  storedBytesOf,
  writeRecords,
} from './store.ts';
import {
  INTERRUPTED_ERROR,
  type Lease,
  pgExpireLeases,
  pgForgetDocument,
  pgMaterializeOriginal,
  pgPutExtracted,
  pgPutOriginal,
  pgReleaseUploadSlot,
  pgRenewLease,
  pgReportUploadSlot,
  pgSweepLeases,
  pgTakeUploadSlot,
  pgUpdateRecords,
} from './store-pg.ts';
import { tablePlan } from './tables/plans.ts';
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

export type { DocumentDetail } from './preview.ts';

export interface TableRef {
  document_id: string;
  document_name: string;
  table: ParsedTable;
  /** Set when the table is a plan (a budget, forecast or target: tables/plans.ts), said as its reading. */
  plan?: string;
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
  /** The passages of one of the tenant's ready documents, in order (at most 5,000). */
  passages(scope: TenantScope, id: string): Promise<Passage[]>;
  /** What was extracted from a ready document (blocks, typed tables, points, passages). */
  getExtracted(scope: TenantScope, id: string): Promise<Extracted | undefined>;
  /** Every typed table of the tenant's ready documents (for the analyst's `query_table`). */
  getTables(scope: TenantScope): Promise<TableRef[]>;
  /** Every list of customers or deals in the tenant's ready documents, newest document first. */
  getRecordLists(scope: TenantScope): Promise<RecordList[]>;
  /** Every metric point of the tenant's ready documents. */
  getPoints(scope: TenantScope): Promise<MetricPoint[]>;
  /** What the tenant stores and may store (TENANT_QUOTA_MB), for the CLI and the admin view. */
  usage(scope: TenantScope): Promise<StorageUsage>;
  /**
   * After a start: documents a previous run left `processing` (crash, kill, restart) are read once
   * more in the background; one that was already retried is marked failed `processing_interrupted`.
   * With PostgreSQL (`deps.db`) the same rule runs on leases instead, and keeps running: every
   * instance sweeps, every half lease, for documents whose reader stopped renewing its lease (killed),
   * and takes them over (see `pgSweepLeases`). Never called from a request.
   */
  recoverInterrupted(dataDir: string): Promise<{ retried: number; failed: number }>;
  /** Resolves when no document of this tenant is being processed (tests, benchmarks). */
  whenIdle(scope: TenantScope): Promise<void>;
  close(): Promise<void>;
}

export interface StorageUsage {
  /** Originals, extractions and the search index. */
  stored_bytes: number;
  /** TENANT_QUOTA_MB in bytes (0 = unlimited). */
  quota_bytes: number;
  documents: number;
  processing: number;
}

export interface DocumentServiceDeps {
  config: Pick<Config, 'maxUploadMb'> & Partial<Pick<Config, 'tenantQuotaMb' | 'maxUploadsInFlight'>>;
  clock: Clock;
  graph?: GraphSink;
  pool?: PoolOptions;
  limits?: Partial<DocumentLimits>;
  search?: SearchIndexSpec;
  /** With `DATABASE_URL`: the database, for the processing leases and the sweep. */
  db?: PgDatabase;
  /** PROCESSING_LEASE_S (default 30). */
  leaseSeconds?: number;
}

/** Times a document may start being read before an interruption marks it failed (file and PostgreSQL). */
export const MAX_PROCESSING_ATTEMPTS = 2;

/** Defaults of the per-tenant limits (config: TENANT_QUOTA_MB, MAX_UPLOADS_IN_FLIGHT). */
export const DEFAULT_TENANT_QUOTA_MB = 2048;
export const DEFAULT_MAX_UPLOADS_IN_FLIGHT = 20;
/** The index file of earlier versions (minisearch JSON): migrated into `search.sqlite`, then removed. */
export const LEGACY_SEARCH_INDEX_FILE = 'search-index.json';

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
  /** As the download serves it (a CSV in Windows-1252 says so). */
  contentType: string;
}

/**
 * An upload's share of the tenant's limits while it is received: `used` (stored at its start),
 * `mine` (received so far). PostgreSQL: `slot`, its row in `upload_slots`, and `others`, the bytes the
 * tenant's other uploads on every instance held when last reported.
 */
interface Quota {
  used: number;
  mine: number;
  slot?: string;
  others: number;
  reported: number;
}
const SLOT_REPORT_BYTES = 1024 * 1024;

const notFoundDoc = () => notFound('No such document.', 'document_not_found');
const MB = 1024 * 1024;

export function createDocumentService(deps: DocumentServiceDeps): DocumentService {
  const { clock } = deps;
  const graph = deps.graph ?? documentFolderSink;
  const maxBytes = deps.config.maxUploadMb * MB;
  const quotaBytes = (deps.config.tenantQuotaMb ?? DEFAULT_TENANT_QUOTA_MB) * MB;
  const maxInFlight = deps.config.maxUploadsInFlight ?? DEFAULT_MAX_UPLOADS_IN_FLIGHT;
  const limits: DocumentLimits = { ...DEFAULT_DOCUMENT_LIMITS, ...deps.limits };
  const searchSpec: SearchIndexSpec = deps.search ?? { kind: 'sqlite' };
  const mutex = new KeyedMutex();
  const pool = new ParsePool(deps.pool);
  const index = createSearchIndex(searchSpec);
  const pending = new Map<string, Set<Promise<void>>>();
  const cleaned = new Set<string>();
  /** Tenant → its index checked against its documents (and migrated) in this process. */
  const indexChecked = new Map<string, Promise<void>>();
  /** Documents this process is processing (recovery leaves them alone). */
  const started = new Set<string>();
  /** Tenant → uploads being received; tenant → bytes received but not yet recorded. */
  const inFlight = new Map<string, number>();
  const reserved = new Map<string, number>();
  let closing = false;
  /** This instance, as the owner of its processing leases (PostgreSQL). */
  const lease: Lease = {
    owner: `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`,
    seconds: deps.leaseSeconds ?? 30,
  };
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> | undefined;

  /**
   * Read-modify-write of the tenant's records, one at a time per tenant: `documents/index.json` under
   * this process's mutex, or (PostgreSQL) a transaction under a per-tenant advisory lock, which
   * serializes every instance.
   */
  const update = <T>(
    scope: TenantScope,
    fn: (docs: DocumentRecord[]) => Promise<{ docs?: DocumentRecord[]; result: T }>,
  ) =>
    scope.db
      ? pgUpdateRecords(scope, fn, lease)
      : mutex.run(scope.tenantId, async () => {
          const docs = await readRecords(scope);
          const { docs: next, result } = await fn(docs);
          if (next) await writeRecords(scope, next);
          return result;
        });

  /** The tenant's records. Never starts processing (that is `recoverInterrupted`, in the background). */
  async function records(scope: TenantScope): Promise<DocumentRecord[]> {
    if (!cleaned.has(scope.tenantId)) {
      cleaned.add(scope.tenantId);
      await cleanTempFiles(incomingDir(scope)).catch(() => undefined);
    }
    return readRecords(scope);
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

  const indexTarget = (scope: TenantScope) => ({
    spec: searchSpec,
    dataDir: path.dirname(scope.dir),
    tenantId: scope.tenantId,
  });

  /**
   * Once per tenant and process, before its first search: the index holds exactly the ready
   * documents. Missing ones (a new, damaged or deleted `search.sqlite`, or a tenant migrating from
   * `search-index.json`) are re-added by a parse worker; entries of deleted or failed documents go.
   */
  function ensureIndex(scope: TenantScope): Promise<void> {
    let check = indexChecked.get(scope.tenantId);
    if (!check) {
      check = syncIndex(scope).catch((err: unknown) => {
        indexChecked.delete(scope.tenantId);
        throw err;
      });
      indexChecked.set(scope.tenantId, check);
    }
    return check;
  }

  async function syncIndex(scope: TenantScope): Promise<void> {
    const docs = await readRecords(scope);
    const byId = new Map(docs.map((d) => [d.id, d]));
    const have = new Set(await index.documentIds(scope));
    for (const id of have) {
      const d = byId.get(id);
      if (!d || d.status === 'failed') await index.remove(scope, id);
    }
    for (const d of docs) {
      if (d.status !== 'ready' || have.has(d.id)) continue;
      const paths = docPaths(scope, d.id);
      // PostgreSQL: the original may have been received by another instance; fetch it into the cache.
      if (scope.db && !(await pgMaterializeOriginal(scope, d.sha256, paths.original))) continue;
      await pool
        .run(scope.tenantId, {
          kind: 'reindex',
          file: paths.original,
          format: d.format,
          ref: { document_id: d.id, document_name: d.name },
          extractedFile: paths.extracted,
          index: indexTarget(scope),
          limits,
        })
        .catch(() => undefined);
    }
    await fs.promises.rm(path.join(scope.documentsDir, LEGACY_SEARCH_INDEX_FILE), { force: true });
  }

  function reserve(scope: TenantScope, bytes: number): void {
    const n = (reserved.get(scope.tenantId) ?? 0) + bytes;
    if (n > 0) reserved.set(scope.tenantId, n);
    else reserved.delete(scope.tenantId);
  }

  /** Stream one file to `.incoming/`, counting it against the upload size and the tenant's quota. */
  async function stage(scope: TenantScope, file: UploadFile, quota: Quota): Promise<Staged> {
    const dir = incomingDir(scope);
    await fs.promises.mkdir(dir, { recursive: true });
    const temp = path.join(dir, `upload.tmp-${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    const name = cleanDisplayName(file.filename);
    const sink = fs.createWriteStream(temp, { mode: 0o600 });
    try {
      await pipeline(
        file.stream,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > maxBytes) {
              throw new AppError(413, 'file_too_large', `"${name}" is larger than ${deps.config.maxUploadMb} MB.`);
            }
            quota.mine += chunk.length;
            if (quota.slot && scope.db) {
              // PostgreSQL: what the tenant's other uploads (any instance) hold, refreshed every MB.
              if (quota.mine - quota.reported >= SLOT_REPORT_BYTES) {
                quota.reported = quota.mine;
                quota.others = await pgReportUploadSlot(scope.db, scope.tenantId, quota.slot, quota.mine, lease);
              }
            } else reserve(scope, chunk.length);
            const receiving = quota.slot ? quota.others + quota.mine : (reserved.get(scope.tenantId) ?? 0);
            if (quotaBytes > 0 && quota.used + receiving > quotaBytes) {
              throw new AppError(
                413,
                'quota_exceeded',
                `This upload would take the workspace over its storage quota of ${Math.round(quotaBytes / MB)} MB. Delete documents to make room.`,
              );
            }
            hash.update(chunk);
            yield chunk;
          }
        },
        sink,
      );
      if (size === 0) throw new AppError(400, 'empty_file', `"${name}" is empty.`);
      const { format, contentType } = await detectFormat(temp, name);
      return { temp, name, size, sha256: hash.digest('hex'), format, contentType };
    } catch (err) {
      // A refused file (too large, over quota) destroys the write stream, which may still be opening the
      // temp file: removed before it closes, the file came back as an empty leftover in .incoming.
      if (!sink.closed) await once(sink, 'close').catch(() => undefined);
      await fs.promises.rm(temp, { force: true });
      // Drain what is left of this part so the request can finish with our error.
      file.stream.resume();
      throw err;
    }
  }

  /** Staged files become records (same bytes → the existing document), then processing starts. */
  async function record(scope: TenantScope, staged: Staged[]): Promise<DocumentRecord[]> {
    // PostgreSQL: the bytes go in before any record names them (by content hash, once).
    if (scope.db) for (const s of staged) await pgPutOriginal(scope, s.sha256, s.temp);
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
        const rec: DocumentRecord = {
          id,
          name: s.name,
          format: s.format,
          content_type: s.contentType,
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
          attempts: 1,
        };
        next.unshift(rec);
        created.push(rec);
        out.push(rec);
      }
      return { docs: created.length ? next : undefined, result: out };
    });
    for (const rec of created) track(scope, processDocument(scope, rec.id));
    return answer;
  }

  /**
   * PostgreSQL: while this instance reads the document it renews its lease every third of it, so no
   * other instance takes over a document still being read, however long it takes. `lost()` says
   * whether the lease went to another instance meanwhile (this one was stalled past the lease).
   */
  function holdLease(scope: TenantScope, id: string): { lost(): boolean; stop(): void } {
    if (!scope.db) return { lost: () => false, stop: () => undefined };
    let lost = false;
    let renewing = false;
    const timer = setInterval(
      () => {
        if (renewing || lost) return;
        renewing = true;
        pgRenewLease(scope, id, lease)
          .then((held) => {
            if (!held) lost = true;
          })
          // A passing database error: the next tick tries again (the lease has two more thirds).
          .catch(() => undefined)
          .finally(() => {
            renewing = false;
          });
      },
      Math.max(200, (lease.seconds * 1000) / 3),
    );
    timer.unref();
    return { lost: () => lost, stop: () => clearInterval(timer) };
  }

  const stillRecorded = async (scope: TenantScope, id: string) => (await readRecords(scope)).some((d) => d.id === id);

  async function processDocument(scope: TenantScope, id: string): Promise<void> {
    const doc = (await readRecords(scope)).find((d) => d.id === id);
    if (doc?.status !== 'processing' || started.has(id)) return;
    started.add(id);
    const paths = docPaths(scope, id);
    const held = holdLease(scope, id);
    try {
      // PostgreSQL: an instance taking over a document another one received fetches its bytes first.
      if (scope.db && !(await pgMaterializeOriginal(scope, doc.sha256, paths.original))) {
        throw new AppError(422, 'original_missing', 'The uploaded file is no longer stored. Upload it again.');
      }
      const ref = { document_id: id, document_name: doc.name };
      const result = await pool.run(scope.tenantId, {
        kind: 'parse',
        file: paths.original,
        format: doc.format,
        ref,
        extractedFile: paths.extracted,
        index: indexTarget(scope),
        limits,
      });
      const ready: DocumentRecord = {
        ...doc,
        status: 'ready',
        error: null,
        processed_at: isoSeconds(clock.now()),
        pages: result.pages ?? null,
        sheets: result.sheets ?? null,
        warning: result.warning ?? null,
        metrics: [...new Set(result.points.map((p) => p.metric))],
        passages: result.passages,
        stored_bytes: doc.size + result.extractedBytes,
      };
      // Another instance took the document over (this one stalled past its lease): it owns the result.
      if (held.lost() && (await stillRecorded(scope, id))) return;
      if (scope.db) await pgPutExtracted(scope, id, paths.extracted);
      await graph.addDocument(scope, ready, result.points, result.blocks);
      const stillThere = await update(scope, async (docs) => {
        const i = docs.findIndex((d) => d.id === id);
        if (i < 0) return { result: false };
        const next = [...docs];
        next[i] = { ...ready, attempts: docs[i]!.attempts ?? ready.attempts ?? 1 };
        return { docs: next, result: true };
      });
      // Deleted while it was being processed: take back what was added.
      if (!stillThere) {
        await rollback(scope, id);
        await removeDir(paths.dir);
      }
    } catch (err) {
      // Shutting down: left `processing`, for the next start (or another instance) to retry (once).
      if (closing || (held.lost() && (await stillRecorded(scope, id)))) return;
      await rollback(scope, id);
      const error =
        err instanceof AppError && err.status < 500
          ? { code: err.code, message: err.message }
          : { code: 'processing_failed', message: 'The document could not be processed.' };
      await markFailed(scope, id, error);
    } finally {
      held.stop();
      started.delete(id);
    }
  }

  async function markFailed(scope: TenantScope, id: string, error: { code: string; message: string }): Promise<void> {
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

  async function recoverTenant(scope: TenantScope): Promise<{ retried: number; failed: number }> {
    const retry: string[] = [];
    const failed: string[] = [];
    await update(scope, async (docs) => {
      const next = docs.map((d): DocumentRecord => {
        if (d.status !== 'processing' || started.has(d.id)) return d;
        if ((d.attempts ?? 1) >= MAX_PROCESSING_ATTEMPTS) {
          failed.push(d.id);
          return {
            ...d,
            status: 'failed',
            error: { ...INTERRUPTED_ERROR },
            processed_at: isoSeconds(clock.now()),
            metrics: [],
            passages: 0,
          };
        }
        retry.push(d.id);
        return { ...d, attempts: (d.attempts ?? 1) + 1 };
      });
      return { docs: retry.length || failed.length ? next : undefined, result: undefined };
    });
    for (const id of failed) await rollback(scope, id);
    for (const id of retry) track(scope, processDocument(scope, id));
    return { retried: retry.length, failed: failed.length };
  }

  async function rollback(scope: TenantScope, id: string): Promise<void> {
    forgetExtracted(scope, id);
    await index.remove(scope, id).catch(() => undefined);
    await graph.removeDocument(scope, id).catch(() => undefined);
    await fs.promises.rm(docPaths(scope, id).extracted, { force: true }).catch(() => undefined);
    await fs.promises.rm(docPaths(scope, id).preview, { force: true }).catch(() => undefined);
    if (scope.db) await pgForgetDocument(scope, id, undefined).catch(() => undefined);
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
      const tenant = scope.tenantId;
      const tooMany = async () => {
        for await (const file of files) file.stream.resume();
        return new AppError(
          429,
          'too_many_uploads',
          `At most ${maxInFlight} uploads at a time per workspace; try again when one has finished.`,
          { 'retry-after': '5' },
        );
      };
      const quota: Quota = { used: 0, mine: 0, others: 0, reported: 0 };
      // PostgreSQL: the limit counts every instance's uploads (a slot row, renewed while receiving).
      const db = scope.db;
      let renew: NodeJS.Timeout | undefined;
      if (db) {
        const slot = await pgTakeUploadSlot(db, tenant, lease, maxInFlight);
        if (!slot) throw await tooMany();
        quota.slot = slot.id;
        quota.others = slot.othersBytes;
        renew = setInterval(
          () => {
            pgReportUploadSlot(db, tenant, slot.id, quota.mine, lease).then(
              (others) => {
                quota.others = others;
              },
              () => undefined,
            );
          },
          Math.max(200, (lease.seconds * 1000) / 3),
        );
        renew.unref();
      } else if ((inFlight.get(tenant) ?? 0) >= maxInFlight) {
        throw await tooMany();
      }
      inFlight.set(tenant, (inFlight.get(tenant) ?? 0) + 1);
      try {
        quota.used = await storedBytesOf(scope, await records(scope));
        const staged: Staged[] = [];
        try {
          for await (const file of files) {
            if (staged.length >= MAX_FILES_PER_UPLOAD) {
              file.stream.resume();
              throw new AppError(413, 'too_many_files', `At most ${MAX_FILES_PER_UPLOAD} files per upload.`);
            }
            staged.push(await stage(scope, file, quota));
          }
          if (staged.length === 0) throw new AppError(400, 'no_files', 'Attach one or more files in the "file" field.');
          await uploadOpts?.beforeCommit?.();
        } catch (err) {
          await Promise.all(staged.map((s) => fs.promises.rm(s.temp, { force: true })));
          throw err;
        }
        return await record(scope, staged);
      } finally {
        if (renew) clearInterval(renew);
        if (db && quota.slot) await pgReleaseUploadSlot(db, tenant, quota.slot).catch(() => undefined);
        else reserve(scope, -quota.mine);
        const n = (inFlight.get(tenant) ?? 1) - 1;
        if (n > 0) inFlight.set(tenant, n);
        else inFlight.delete(tenant);
      }
    },

    listDocuments: (scope) => records(scope),

    getDocument: (scope, id) => find(scope, id),

    async getDetail(scope, id) {
      const document = await find(scope, id);
      if (document.status !== 'ready') return { document, preview: { blocks: [], tables: [] }, metrics: [] };
      // Written by the worker: small whatever the document's size (never its whole extraction).
      const small = await readJson<DocumentPreview>(docPaths(scope, id).preview).catch(() => undefined);
      if (small) return { document, ...small };
      const extracted = await readExtracted(scope, id);
      return {
        document,
        ...(extracted
          ? previewOf(extracted.parsed, extracted.points)
          : { preview: { blocks: [], tables: [] }, metrics: [] }),
      };
    },

    async getOriginal(scope, id) {
      const rec = await find(scope, id);
      const file = docPaths(scope, id).original;
      // PostgreSQL: served from this instance's cache, filled from the database the first time.
      if (scope.db && !(await pgMaterializeOriginal(scope, rec.sha256, file))) throw notFoundDoc();
      return { record: rec, file };
    },

    async deleteDocument(scope, id) {
      const rec = await find(scope, id);
      await update(scope, async (docs) => {
        if (!docs.some((d) => d.id === id)) throw notFoundDoc();
        return { docs: docs.filter((d) => d.id !== id), result: undefined };
      });
      await rollback(scope, id);
      if (scope.db) await pgForgetDocument(scope, id, rec.sha256);
      await removeDir(docPaths(scope, id).dir);
    },

    async search(scope, q, limit) {
      await records(scope);
      await ensureIndex(scope);
      return index.search(scope, q, Math.max(1, Math.min(limit, 50)));
    },

    async passages(scope, id) {
      const doc = await find(scope, id);
      if (doc.status !== 'ready') return [];
      await ensureIndex(scope);
      return index.passages(scope, id, 5_000);
    },

    async getExtracted(scope, id) {
      const doc = await find(scope, id);
      return doc.status === 'ready' ? readExtracted(scope, id) : undefined;
    },

    async getTables(scope) {
      return (await readyExtracts(scope)).flatMap(({ doc, extracted }) =>
        extracted.parsed.tables.map((table) => {
          const plan = tablePlan(extracted.parsed, table, doc.name);
          return { document_id: doc.id, document_name: doc.name, table, ...(plan ? { plan } : {}) };
        }),
      );
    },

    async getRecordLists(scope) {
      return (await readyExtracts(scope)).flatMap(({ doc, extracted }) => {
        // An extraction made before record lists: its tables are read now (the same reading the worker makes).
        const specs = extracted.records ?? recogniseRecordLists(extracted.parsed, doc.name);
        return specs.flatMap((spec) => {
          const table = extracted.parsed.tables[spec.table];
          return table ? [readRecordList(spec, table, { document_id: doc.id, document_name: doc.name })] : [];
        });
      });
    },

    async getPoints(scope) {
      return (await readyExtracts(scope)).flatMap(({ extracted }) => extracted.points);
    },

    async usage(scope) {
      const docs = await readRecords(scope);
      return {
        stored_bytes: await storedBytesOf(scope, docs),
        quota_bytes: quotaBytes,
        documents: docs.length,
        processing: docs.filter((d) => d.status === 'processing').length,
      };
    },

    async recoverInterrupted(dataDir) {
      const db = deps.db;
      if (db) {
        const sweep = async () => {
          const { retry, failed } = await pgSweepLeases(db, lease, {
            maxAttempts: MAX_PROCESSING_ATTEMPTS,
            // A few at a time per instance: the others share a backlog.
            limit: Math.max(2, (deps.pool?.size ?? 2) * 2),
            now: isoSeconds(clock.now()),
          });
          for (const f of failed) await rollback(tenantScope(dataDir, f.tenantId, db), f.id);
          for (const r of retry) {
            const scope = tenantScope(dataDir, r.tenantId, db);
            track(scope, processDocument(scope, r.id));
          }
          return { retried: retry.length, failed: failed.length };
        };
        if (!sweepTimer && !closing) {
          sweepTimer = setInterval(
            () => {
              if (sweeping || closing) return;
              sweeping = sweep()
                .catch(() => undefined)
                .finally(() => {
                  sweeping = undefined;
                });
            },
            Math.max(500, (lease.seconds * 1000) / 2),
          );
          sweepTimer.unref();
        }
        return sweep();
      }
      const total = { retried: 0, failed: 0 };
      const names = await fs.promises.readdir(dataDir).catch(() => [] as string[]);
      for (const name of names) {
        let scope: TenantScope;
        try {
          scope = tenantScope(dataDir, name);
        } catch {
          continue;
        }
        if (!fs.existsSync(path.join(scope.documentsDir, INDEX_FILE))) continue;
        const r = await recoverTenant(scope).catch(() => ({ retried: 0, failed: 0 }));
        total.retried += r.retried;
        total.failed += r.failed;
      }
      return total;
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
      closing = true;
      if (sweepTimer) clearInterval(sweepTimer);
      await sweeping;
      await pool.close();
      await Promise.allSettled([...pending.values()].flatMap((s) => [...s]));
      // What this instance was still reading goes to the others now, not after the lease.
      if (deps.db) await pgExpireLeases(deps.db, lease.owner).catch(() => undefined);
      await index.close();
    },
  };
}
