import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * Inter-process lock around a read-modify-write of a shared file. Every caller uses these same
 * settings: a lock whose holder died (SIGKILL) is considered stale after `stale` ms and taken over.
 */
export const LOCK_OPTIONS = {
  stale: 10_000,
  update: 2_000,
  realpath: false,
  retries: { retries: 200, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
} as const;

export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const release = await lockfile.lock(file, LOCK_OPTIONS);
  try {
    return await fn();
  } finally {
    await release().catch(() => {
      // The lock was compromised (taken over as stale); our write already completed atomically.
    });
  }
}

/** In-process serialization per key (e.g. one tenant's graph or index), cheaper than a file lock. */
export class KeyedMutex {
  private tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
