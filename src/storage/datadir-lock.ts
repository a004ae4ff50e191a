import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The DATA_DIR process lock of file mode: one server per data directory. A second server on a
 * directory already served would keep its own in-memory serialization and silently lose writes (two
 * processes replacing the same session or index file), so it refuses to start instead, naming the
 * directory and the holder.
 *
 * `DATA_DIR/.server.lock` is created exclusively (`O_EXCL`) with the holder's pid, host and a random
 * token, touched every few seconds while the process lives, and removed when it exits. A lock left by
 * a process that died without removing it (SIGKILL, a crash, a container restart) is taken over: on
 * the same host when its pid is gone (or is our own pid — a restarted container reuses pid 1), on
 * another host (a shared volume) when it has not been touched for `STALE_MS`.
 */
export const LOCK_FILE = '.server.lock';
const HEARTBEAT_MS = 5_000;
export const STALE_MS = 30_000;

interface LockContent {
  pid: number;
  host: string;
  started_at: string;
  token: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockContent,
  ) {
    super(
      `DATA_DIR ${dataDir} is already served by another server (pid ${holder.pid} on ${holder.host}, since ${holder.started_at}). ` +
        'Stop it first, or give this server its own DATA_DIR (several instances share state through DATABASE_URL, not a data directory).',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock (also done on process exit). */
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): { content: LockContent | undefined; mtimeMs: number } | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const mtimeMs = fs.statSync(file).mtimeMs;
    try {
      const parsed = JSON.parse(text) as LockContent;
      return { content: typeof parsed.pid === 'number' ? parsed : undefined, mtimeMs };
    } catch {
      return { content: undefined, mtimeMs };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function isStale(lock: { content: LockContent | undefined; mtimeMs: number }, now: number): boolean {
  const { content } = lock;
  // Half-written (a writer killed between create and write) or unreadable: stale once it is not fresh.
  if (!content) return now - lock.mtimeMs > HEARTBEAT_MS;
  if (content.host === os.hostname()) return content.pid === process.pid || !isAlive(content.pid);
  return now - lock.mtimeMs > STALE_MS;
}

/** Takes the lock of `dataDir` for this process's life, or throws DataDirLockedError. */
export function acquireDataDirLock(dataDir: string, now: () => number = Date.now): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockContent = {
    pid: process.pid,
    host: os.hostname(),
    started_at: new Date(now()).toISOString(),
    token: crypto.randomBytes(8).toString('hex'),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      try {
        fs.writeSync(fd, `${JSON.stringify(mine)}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      return hold(file, mine);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const existing = readLock(file);
    if (!existing) continue; // released meanwhile: try again
    if (!isStale(existing, now())) {
      throw new DataDirLockedError(
        dataDir,
        existing.content ?? { pid: 0, host: 'unknown', started_at: 'unknown', token: '' },
      );
    }
    takeOver(file, existing.content?.token);
  }
  throw new Error(`could not take the DATA_DIR lock ${file} (it keeps changing hands)`);
}

/**
 * Moves the stale lock aside (rename is atomic, so of two servers taking over at once only one moves
 * it); if what was moved turns out to be a fresh lock of another taker, it is put back (link refuses
 * to overwrite) and the next attempt sees that holder.
 */
function takeOver(file: string, staleToken: string | undefined): void {
  const aside = `${file}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = readLock(aside);
  if (moved?.content && moved.content.token !== staleToken) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // Someone holds the path again: the next attempt reads that holder.
    }
  }
  fs.rmSync(aside, { force: true });
}

function hold(file: string, mine: LockContent): DataDirLock {
  const heartbeat = setInterval(() => {
    const t = new Date();
    try {
      fs.utimesSync(file, t, t);
    } catch {
      // The directory is gone or read-only; the next start decides by the pid.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    process.off('exit', release);
    // Only our own lock: never a lock another server took over after deciding ours was stale.
    try {
      if (readLock(file)?.content?.token === mine.token) fs.rmSync(file, { force: true });
    } catch {
      // Nothing to release (the directory is gone).
    }
  };
  process.on('exit', release);
  return { file, release };
}
