import { Worker } from 'node:worker_threads';
import type { MetricPoint } from '../../graph/types.ts';
import { AppError } from '../../lib/errors.ts';
import type { DocumentRef } from '../extract-metrics.ts';
import type { Passage } from '../passages.ts';
import type { DocumentFormat, TextBlock } from '../types.ts';

export interface ParseJob {
  id: number;
  file: string;
  format: DocumentFormat;
  ref: DocumentRef;
  /** Where the worker writes the full extraction (tables can be large: never cloned back). */
  extractedFile: string;
}

/** What comes back to the server: everything but the tables, which stay in `extractedFile`. */
export interface ParseResult {
  blocks: TextBlock[];
  pages?: number;
  sheets?: string[];
  points: MetricPoint[];
  passages: Passage[];
}

export type ParseReply =
  | { id: number; ok: true; result: ParseResult }
  | { id: number; ok: false; error: { status: number; code: string; message: string } };

export interface PoolOptions {
  /** Parallel workers (the machine is shared: default 2). */
  size?: number;
  /** Wall-clock limit per document. */
  timeoutMs?: number;
  /** V8 old-generation heap per worker. */
  maxOldGenerationSizeMb?: number;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

// The worker is TypeScript: a .mjs entry registers tsx first, so it loads under tsx, vitest or plain node.
const WORKER_URL = new URL('./worker-entry.mjs', import.meta.url);

const tooComplex = (message: string) => new AppError(422, 'document_too_complex', message);

/**
 * Parsing in worker threads with a time box and a heap limit, so one tenant's pathological file (a
 * PDF that takes minutes, a sheet that needs gigabytes) fails cleanly with 422 instead of stalling or
 * killing the server. Idle workers are kept for the next document and never hold the process open.
 */
export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<() => void> = [];
  private nextId = 1;
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly heapMb: number;

  constructor(opts: PoolOptions = {}) {
    this.size = opts.size ?? 2;
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    this.heapMb = opts.maxOldGenerationSizeMb ?? 1024;
  }

  async run(file: string, format: DocumentFormat, ref: DocumentRef, extractedFile: string): Promise<ParseResult> {
    const slot = await this.acquire();
    const id = this.nextId++;
    try {
      return await new Promise<ParseResult>((resolve, reject) => {
        const { worker } = slot;
        const done = () => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        const kill = (err: AppError) => {
          done();
          this.discard(slot);
          reject(err);
        };
        const timer = setTimeout(
          () => kill(tooComplex(`The document took longer than ${Math.round(this.timeoutMs / 1000)} s to read.`)),
          this.timeoutMs,
        );
        const onMessage = (reply: ParseReply) => {
          if (reply.id !== id) return;
          done();
          if (reply.ok) resolve(reply.result);
          else reject(new AppError(reply.error.status, reply.error.code, reply.error.message));
        };
        const onError = (err: Error & { code?: string }) =>
          kill(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? tooComplex('The document needs more memory to read than one document may use.')
              : new AppError(422, 'unreadable_document', `The document could not be read: ${err.message}`),
          );
        const onExit = () =>
          kill(new AppError(422, 'unreadable_document', 'The document reader stopped unexpectedly.'));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.ref();
        worker.postMessage({ id, file, format, ref, extractedFile } satisfies ParseJob);
      });
    } finally {
      this.release(slot);
    }
  }

  /** Stop every worker (server shutdown, end of a test). */
  async close(): Promise<void> {
    const workers = this.slots.splice(0).map((s) => s.worker);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      const idle = this.slots.find((s) => !s.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.slots.length < this.size) {
        const slot: Slot = { worker: this.spawn(), busy: true };
        this.slots.push(slot);
        return slot;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    if (this.slots.includes(slot)) slot.worker.unref();
    this.waiting.shift()?.();
  }

  private discard(slot: Slot): void {
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
      if (i >= 0 && !this.slots[i]!.busy) this.slots.splice(i, 1);
    });
    worker.on('error', () => undefined);
    worker.unref();
    return worker;
  }
}
