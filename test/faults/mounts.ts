import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Real filesystem faults for tests: a read-only bind mount of a folder and a tiny tmpfs that fills
 * up. Both need mount privileges (CI runs as root); where mounting is not permitted they return
 * undefined and the caller skips — except with CI=true, where a missing fault is a failure.
 */
export interface Mount {
  dir: string;
  /** Unmount (idempotent); every test calls it in `finally`/`afterEach`. */
  cleanup(): void;
}

function tryMount(args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function umount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      // Already unmounted.
    }
  }
}

function unavailable(what: string): undefined {
  if (process.env.CI === 'true') throw new Error(`cannot make a ${what} here (mount not permitted)`);
  return undefined;
}

/**
 * Makes `dir` read-only in place: bind-mounts it on itself, then remounts the bind read-only. Root
 * is refused writes too (EROFS), unlike with chmod.
 */
export function makeReadOnly(dir: string): Mount | undefined {
  if (!tryMount(['--bind', dir, dir])) return unavailable('read-only bind mount');
  if (!tryMount(['-o', 'remount,ro,bind', dir])) {
    umount(dir);
    return unavailable('read-only bind mount');
  }
  let done = false;
  return {
    dir,
    cleanup() {
      if (done) return;
      done = true;
      umount(dir);
    },
  };
}

/** A fresh tmpfs of `size` (e.g. '1m') at a new temp folder. */
export function smallTmpfs(size: string): Mount | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsorch-tmpfs-'));
  if (!tryMount(['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir])) {
    fs.rmSync(dir, { recursive: true, force: true });
    return unavailable('small tmpfs');
  }
  let done = false;
  return {
    dir,
    cleanup() {
      if (done) return;
      done = true;
      umount(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fill the filesystem holding `dir` until a write fails with ENOSPC. */
export function fillUp(dir: string): void {
  const fd = fs.openSync(path.join(dir, 'ballast.bin'), 'w');
  const chunk = Buffer.alloc(16 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  // Smaller writes until not one byte fits.
  const fd2 = fs.openSync(path.join(dir, 'ballast2.bin'), 'w');
  try {
    for (;;) fs.writeSync(fd2, Buffer.alloc(512, 1));
  } catch {
    // Full.
  } finally {
    fs.closeSync(fd2);
  }
}

/** Every `*.tmp-*` file under `dir`, relative. */
export function tempFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.tmp-/.test(e.name)) out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out;
}
