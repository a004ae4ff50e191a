import { Worker } from 'node:worker_threads';
import type { MetricPoint } from '../../graph/types.ts';
import { AppError } from '../../lib/errors.ts';
import type { DocumentRef } from '../extract-metrics.ts';
import type { SearchIndexSpec } from '../search/index.ts';
import type { DocumentFormat, TextBlock } from '../types.ts';
import type { DocumentLimits } from './limits.ts';

/** What one worker job does: parse a new upload, or rebuild a ready document's search passages. */
export interface ParseJob {
  id: number;
  kind: 'parse' | 'reindex';
  file: string;
  format: DocumentFormat;
  ref: DocumentRef;
  /** Where the worker writes the extraction (tables can be large: never cloned back). */
  extractedFile: string;
  /** The worker writes the passages into this tenant's search index itself (no big clone back). */
  index: { spec: SearchIndexSpec; dataDir: string; tenantId: string };
  limits: DocumentLimits;
}

/** What comes back to the server: small things only (the text stays in the worker). */
export interface ParseResult {
  /** Only the blocks the graph reads facts and the fiscal year from (a few, bounded). */
  blocks: TextBlock[];
  pages?: number;
  sheets?: string[];
  warning?: string;
  points: MetricPoint[];
  passages: number;
  /** Bytes of the extraction file written. */
  extractedBytes: number;
}

export type ParseReply =
  | { id: number; ok: true; result: ParseResult; heapUsed: number }
  | { id: number; ok: false; error: { status: number; code: string; message: string }; heapUsed: number };

export interface PoolOptions {
  /** Parallel workers (the machine is shared: default 2). */
  size?: number;
  /** Workers one tenant may hold at once (default size − 1, at least 1): the rest stay free for others. */
  perTenant?: number;
  /** Wall-clock limit per document. */
  timeoutMs?: number;
  /** V8 old-generation heap per worker. */
  maxOldGenerationSizeMb?: number;
  /** A worker whose heap is above this after a job is replaced (memory goes back to the system). */
  recycleHeapMb?: number;
  /** An idle worker ends after this long. */
  idleMs?: number;
}

export const POOL_DEFAULTS = {
  size: 2,
  timeoutMs: 20_000,
  maxOldGenerationSizeMb: 640,
  recycleHeapMb: 48,
  idleMs: 10_000,
} as const;

interface Slot {
  worker: Worker;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

interface Task {
  tenant: string;
  job: Omit<ParseJob, 'id'>;
  resolve: (r: ParseResult) => void;
  reject: (e: unknown) => void;
}

// The worker is TypeScript: a .mjs entry registers tsx first, so it loads under tsx, vitest or plain node.
const WORKER_URL = new URL('./worker-entry.mjs', import.meta.url);

const tooComplex = (message: string) => new AppError(422, 'document_too_complex', message);

/**
 * Parsing in worker threads with a time box and a heap limit, so one tenant's pathological file (a
 * PDF that takes minutes, a sheet that needs gigabytes) fails cleanly with 422 instead of stalling or
 * killing the server; the worker is then replaced.
 *
 * Fair: each tenant has its own queue and tenants are served in turns (round robin), and one tenant
 * holds at most `perTenant` workers (default: all but one), so another tenant's small file starts at
 * once behind any backlog. Workers whose heap grew are replaced after their job and idle workers end
 * after `idleMs`, so memory returns to the system after heavy work.
 */
export class ParsePool {
  private readonly slots: Slot[] = [];
  /** Tenant → its waiting tasks; the Map's order is the round-robin order. */
  private readonly queues = new Map<string, Task[]>();
  private readonly active = new Map<string, number>();
  private nextId = 1;
  private closed = false;
  private readonly size: number;
  private readonly perTenant: number;
  private readonly timeoutMs: number;
  private readonly heapMb: number;
  private readonly recycleBytes: number;
  private readonly idleMs: number;

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? POOL_DEFAULTS.size);
    this.perTenant = Math.max(1, Math.min(this.size, opts.perTenant ?? this.size - 1));
    this.timeoutMs = opts.timeoutMs ?? POOL_DEFAULTS.timeoutMs;
    this.heapMb = opts.maxOldGenerationSizeMb ?? POOL_DEFAULTS.maxOldGenerationSizeMb;
    this.recycleBytes = (opts.recycleHeapMb ?? POOL_DEFAULTS.recycleHeapMb) * 1024 * 1024;
    this.idleMs = opts.idleMs ?? POOL_DEFAULTS.idleMs;
  }

  /** Queue a job for `tenant`; resolves when a worker has done it. */
  run(tenant: string, job: Omit<ParseJob, 'id'>): Promise<ParseResult> {
    if (this.closed) return Promise.reject(new AppError(503, 'shutting_down', 'The server is shutting down.'));
    return new Promise<ParseResult>((resolve, reject) => {
      const queue = this.queues.get(tenant) ?? [];
      queue.push({ tenant, job, resolve, reject });
      this.queues.set(tenant, queue);
      this.pump();
    });
  }

  /** Jobs waiting and running (operators' stats, tests). */
  get load(): { queued: number; running: number; workers: number } {
    let queued = 0;
    for (const q of this.queues.values()) queued += q.length;
    let running = 0;
    for (const n of this.active.values()) running += n;
    return { queued, running, workers: this.slots.length };
  }

  /** Stop every worker (server shutdown, end of a test); queued jobs are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const queue of this.queues.values()) {
      for (const t of queue) t.reject(new AppError(503, 'shutting_down', 'The server is shutting down.'));
    }
    this.queues.clear();
    const workers = this.slots.splice(0).map((s) => {
      clearTimeout(s.idleTimer);
      return s.worker;
    });
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private pump(): void {
    while (!this.closed) {
      const slot = this.freeSlot();
      if (!slot) return;
      const task = this.nextTask();
      if (!task) return;
      this.start(slot, task);
    }
  }

  /** An idle worker, or a new one while below `size`; undefined when all are busy. */
  private freeSlot(): Slot | undefined {
    const idle = this.slots.find((s) => !s.busy);
    if (idle) return idle;
    if (this.slots.length >= this.size) return undefined;
    if (!this.hasEligible()) return undefined;
    const slot: Slot = { worker: this.spawn(), busy: false };
    this.slots.push(slot);
    return slot;
  }

  private hasEligible(): boolean {
    for (const [tenant, queue] of this.queues) {
      if (queue.length && (this.active.get(tenant) ?? 0) < this.perTenant) return true;
    }
    return false;
  }

  /** The first tenant in turn with work and a free share; it moves to the back of the line. */
  private nextTask(): Task | undefined {
    for (const [tenant, queue] of this.queues) {
      if ((this.active.get(tenant) ?? 0) >= this.perTenant) continue;
      const task = queue.shift();
      this.queues.delete(tenant);
      if (queue.length) this.queues.set(tenant, queue);
      if (task) return task;
    }
    return undefined;
  }

  private start(slot: Slot, task: Task): void {
    slot.busy = true;
    clearTimeout(slot.idleTimer);
    this.active.set(task.tenant, (this.active.get(task.tenant) ?? 0) + 1);
    const id = this.nextId++;
    const { worker } = slot;
    let settled = false;
    const finish = (outcome: { result?: ParseResult; error?: unknown }, keep: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      const n = (this.active.get(task.tenant) ?? 1) - 1;
      if (n > 0) this.active.set(task.tenant, n);
      else this.active.delete(task.tenant);
      if (keep) this.park(slot);
      else this.discard(slot);
      if (outcome.error !== undefined) task.reject(outcome.error);
      else task.resolve(outcome.result!);
      this.pump();
    };
    const timer = setTimeout(
      () =>
        finish(
          { error: tooComplex(`The document took longer than ${Math.round(this.timeoutMs / 1000)} s to read.`) },
          false,
        ),
      this.timeoutMs,
    );
    const onMessage = (reply: ParseReply) => {
      if (reply.id !== id) return;
      const keep = reply.heapUsed < this.recycleBytes;
      if (reply.ok) finish({ result: reply.result }, keep);
      else finish({ error: new AppError(reply.error.status, reply.error.code, reply.error.message) }, keep);
    };
    const onError = (err: Error & { code?: string }) =>
      finish(
        {
          error:
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? tooComplex('The document needs more memory to read than one document may use.')
              : new AppError(422, 'unreadable_document', `The document could not be read: ${err.message}`),
        },
        false,
      );
    const onExit = () =>
      finish({ error: new AppError(422, 'unreadable_document', 'The document reader stopped unexpectedly.') }, false);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.ref();
    worker.postMessage({ ...task.job, id } satisfies ParseJob);
  }

  /** Back to idle: unref'd (never holds the process open) and ended after `idleMs` unused. */
  private park(slot: Slot): void {
    slot.busy = false;
    slot.worker.unref();
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (!slot.busy) this.discard(slot);
    }, this.idleMs);
    slot.idleTimer.unref();
  }

  private discard(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
      stdout: false,
      stderr: false,
    });
    // A worker that dies while idle is dropped; the next job spawns a fresh one.
    worker.on('exit', () => {
      const i = this.slots.findIndex((s) => s.worker === worker);
      if (i >= 0 && !this.slots[i]!.busy) {
        clearTimeout(this.slots[i]!.idleTimer);
        this.slots.splice(i, 1);
      }
    });
    worker.on('error', () => undefined);
    worker.unref();
    return worker;
  }
}
