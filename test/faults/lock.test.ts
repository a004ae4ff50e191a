import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import { writeFileAtomic } from '../../src/store/atomic.ts';
import { withFileLock } from '../../src/store/lock.ts';
import { fillUp, type Mount, makeReadOnly, smallTmpfs, tempFilesUnder } from './mounts.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const holder = path.join(import.meta.dirname, 'fixtures/hold-lock.ts');

let dir: string;
const mounts: Mount[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const m of mounts.splice(0)) m.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsorch-lock-'));
  return dir;
}

/** A real process that takes the lock of `file` and holds it; resolves once it holds it. */
function holdLock(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', tsx, holder, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

describe('file lock', () => {
  test('a lock whose owner was SIGKILLed is taken over at once, not after the stale time', async () => {
    const file = path.join(tempDir(), 'tenants.json');
    const child = await holdLock(file);
    // While the owner lives, a writer waits.
    let got = false;
    const waiting = withFileLock(file, async () => {
      got = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toBe(false);
    await killed(child);
    const ms = await timed(() => waiting);
    expect(got).toBe(true);
    expect(ms).toBeLessThan(1000);
    // And the lock is free again afterwards.
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  test('three SIGKILLed owners in a row: each next writer gets in well under 3 s', async () => {
    const file = path.join(tempDir(), 'tenants.json');
    for (let i = 0; i < 3; i++) {
      const child = await holdLock(file);
      await killed(child);
      const ms = await timed(() => withFileLock(file, async () => undefined));
      expect(ms).toBeLessThan(3000);
    }
  });

  test('waiters racing to take over a dead lock still exclude each other', async () => {
    const file = path.join(tempDir(), 'counter.json');
    await killed(await holdLock(file));
    let inside = 0;
    let most = 0;
    let total = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        withFileLock(file, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 5));
          total++;
          inside--;
        }),
      ),
    );
    expect(total).toBe(12);
    expect(most).toBe(1);
  });

  test('a read-only folder fails at once with storage_unavailable, not after retries', async () => {
    const d = tempDir();
    fs.writeFileSync(path.join(d, 'tenants.json'), '{}');
    const ro = makeReadOnly(d);
    if (!ro) return; // Not permitted here (and not CI): nothing to test.
    mounts.push(ro);
    expect(() => fs.writeFileSync(path.join(d, 'probe'), 'x')).toThrow(/EROFS/);
    const start = performance.now();
    const err = await withFileLock(path.join(d, 'tenants.json'), async () => undefined).catch((e: unknown) => e);
    expect(performance.now() - start).toBeLessThan(500);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 503, code: 'storage_unavailable', errno: 'EROFS' });
  });

  test('a full filesystem: storage_full at once, and the failed atomic write leaves no temp file', async () => {
    const fsMount = smallTmpfs('1m');
    if (!fsMount) return;
    mounts.push(fsMount);
    const d = path.join(fsMount.dir, 'data');
    fs.mkdirSync(d);
    fillUp(fsMount.dir);
    const err = await writeFileAtomic(path.join(d, 'session.json'), 'x'.repeat(64 * 1024)).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(tempFilesUnder(d)).toEqual([]);
    const lockErr = await withFileLock(path.join(d, 'tenants.json'), async () => undefined).catch((e: unknown) => e);
    // The lock's own record may still fit in the last inode; if it does, the lock works.
    if (lockErr !== undefined) expect(lockErr).toMatchObject({ status: 507, code: 'storage_full' });
    expect(tempFilesUnder(d)).toEqual([]);
  });
});
