import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError, storageError } from '../lib/errors.ts';

/**
 * Inter-process lock around a read-modify-write of a shared file (the registry, the audit log).
 *
 * The lock is the file `<file>.lock`, created atomically *with its content*: the owner's record
 * (pid, hostname, the process's start time, a random token) is written to a temp file that is then
 * hard-linked to the lock name — `link()` fails with EEXIST when the lock is held. A waiter reads the
 * record and takes the lock over at once when its owner is gone:
 *
 * - same host: `process.kill(pid, 0)` says the pid no longer exists, or it exists but started at
 *   another time (the pid was reused) — a SIGKILLed CLI releases its lock within one retry (~ms);
 * - another host (a shared volume): the owner refreshes the lock's mtime every `HEARTBEAT_MS`; a lock
 *   not refreshed for `REMOTE_STALE_MS` is taken over (the only case decided by age).
 *
 * A takeover happens under a second, short-lived lock (`<file>.lock.break`, same scheme), so two
 * waiters can never both remove a dead owner's lock and one of them a live successor's. Any error
 * other than "busy" (EROFS, EACCES, ENOSPC…) fails at once as a storage error; a lock held by a live
 * owner for longer than `WAIT_MS` fails with 503 `storage_busy`.
 */
export const HEARTBEAT_MS = 2_000;
export const REMOTE_STALE_MS = 10_000;
export const WAIT_MS = 10_000;

interface Owner {
  pid: number;
  host: string;
  /** The process's start time as the kernel counts it (Linux `/proc/<pid>/stat` field 22), or ''. */
  start: string;
  token: string;
}

const HOST = os.hostname();

/** Start time of a process, so a reused pid is not mistaken for the lock's owner ('' when unknown). */
export function processStart(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? '';
  } catch {
    return '';
  }
}

const SELF_START = processStart(process.pid);

/** Whether the process that wrote `owner` has gone (only decidable on the same host). */
export function ownerIsDead(owner: Owner): boolean {
  if (owner.host !== HOST) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: it exists, owned by another user.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  if (owner.pid === process.pid) return owner.start !== '' && SELF_START !== '' && owner.start !== SELF_START;
  const start = processStart(owner.pid);
  return owner.start !== '' && start !== '' && start !== owner.start;
}

function newOwner(): Owner {
  return { pid: process.pid, host: HOST, start: SELF_START, token: crypto.randomBytes(8).toString('hex') };
}

/** Create `lockPath` holding `owner`, atomically. false when it already exists. */
async function tryCreate(lockPath: string, owner: Owner): Promise<boolean> {
  const tmp = `${lockPath}.tmp-${process.pid}-${owner.token}`;
  try {
    await fs.promises.writeFile(tmp, JSON.stringify(owner), { mode: 0o600, flag: 'wx' });
    try {
      await fs.promises.link(tmp, lockPath);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    }
    // A filesystem without hard links: exclusive create, then the content (a lock seen empty for
    // longer than a heartbeat is treated as its writer's crash).
    try {
      await fs.promises.writeFile(lockPath, JSON.stringify(owner), { mode: 0o600, flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  } finally {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
  }
}

type Holder =
  | { kind: 'owner'; owner: Owner; mtimeMs: number }
  | { kind: 'unknown' | 'legacy'; mtimeMs: number }
  | { kind: 'gone' };

async function readHolder(lockPath: string): Promise<Holder> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(lockPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw err;
  }
  // A directory: the lock of an older release (proper-lockfile), judged by its age like a remote lock.
  if (stat.isDirectory()) return { kind: 'legacy', mtimeMs: stat.mtimeMs };
  try {
    const owner = JSON.parse(await fs.promises.readFile(lockPath, 'utf8')) as Owner;
    if (typeof owner?.pid === 'number' && typeof owner.token === 'string') {
      return { kind: 'owner', owner, mtimeMs: stat.mtimeMs };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
  }
  return { kind: 'unknown', mtimeMs: stat.mtimeMs };
}

function isStale(holder: Holder, now: number): boolean {
  switch (holder.kind) {
    case 'gone':
      return false;
    case 'legacy':
      return now - holder.mtimeMs > REMOTE_STALE_MS;
    case 'unknown':
      // An empty lock (exclusive create without hard links, writer killed before its content).
      return now - holder.mtimeMs > HEARTBEAT_MS + 1_000;
    case 'owner':
      if (holder.owner.host === HOST) return ownerIsDead(holder.owner);
      return now - holder.mtimeMs > REMOTE_STALE_MS;
  }
}

async function removeLock(lockPath: string): Promise<void> {
  try {
    await fs.promises.rm(lockPath, { force: true, recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Remove a stale lock, under the break lock; re-checks that the lock is still the same stale one.
 * The break lock is held for a few file operations only; when its own holder died, it is stale by
 * the same rules and removed directly (a race there needs two crashes within microseconds).
 */
async function breakStale(lockPath: string, seen: Holder): Promise<void> {
  const breakPath = `${lockPath}.break`;
  const me = newOwner();
  if (!(await tryCreate(breakPath, me))) {
    const other = await readHolder(breakPath);
    if (isStale(other, Date.now())) await removeLock(breakPath);
    return;
  }
  try {
    const now = await readHolder(lockPath);
    const same =
      (now.kind === 'owner' && seen.kind === 'owner' && now.owner.token === seen.owner.token) ||
      (now.kind !== 'gone' && now.kind !== 'owner' && now.kind === seen.kind && now.mtimeMs === seen.mtimeMs);
    if (same && isStale(now, Date.now())) await removeLock(lockPath);
  } finally {
    await fs.promises.rm(breakPath, { force: true }).catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Take the lock of `file`, run `fn`, release. See the module comment for the rules. */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lockPath = `${file}.lock`;
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
  } catch (err) {
    throw storageError(err) ?? err;
  }
  const me = newOwner();
  const deadline = Date.now() + WAIT_MS;
  let delay = 2;
  for (;;) {
    let got: boolean;
    try {
      got = await tryCreate(lockPath, me);
      if (!got) {
        const holder = await readHolder(lockPath);
        if (isStale(holder, Date.now())) await breakStale(lockPath, holder);
      }
    } catch (err) {
      throw storageError(err) ?? err;
    }
    if (got) break;
    if (Date.now() >= deadline) {
      throw new AppError(503, 'storage_busy', 'Storage is busy (a lock is held by a live process); try again.', {
        'Retry-After': '1',
      });
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }

  const heartbeat = setInterval(() => {
    const t = new Date();
    fs.promises.utimes(lockPath, t, t).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    await release(lockPath, me);
  }
}

/** Remove the lock only if it is still ours (a remote waiter may have judged it stale and taken it). */
async function release(lockPath: string, me: Owner): Promise<void> {
  try {
    const holder = await readHolder(lockPath);
    if (holder.kind === 'owner' && holder.owner.token === me.token) await fs.promises.rm(lockPath, { force: true });
  } catch {
    // Read-only or gone: nothing left to release.
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
