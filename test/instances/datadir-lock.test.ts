import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { LOCK_FILE } from '../../src/storage/datadir-lock.ts';
import { startServer, stopAll } from './servers.ts';

/** File mode: one server per DATA_DIR (DESIGN: a second one would silently lose writes). */
let tmp: string;
beforeEach(async () => {
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-lock-'));
});
afterEach(async () => {
  await stopAll();
  await fs.promises.rm(tmp, { recursive: true, force: true });
});

describe('the DATA_DIR lock (file mode)', () => {
  test('a second server on a served DATA_DIR refuses to start naming the directory; after the first stops, it starts', async () => {
    const dataDir = path.join(tmp, 'data');
    const first = startServer(tmp, { DATA_DIR: dataDir });
    await first.listening;
    const lock = JSON.parse(await fs.promises.readFile(path.join(dataDir, LOCK_FILE), 'utf8'));
    expect(lock.pid).toBe(first.proc.pid);

    const second = startServer(tmp, { DATA_DIR: dataDir });
    expect(await second.exited).toBe(1);
    const lines = second.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`DATA_DIR ${dataDir} is already served`);
    expect(lines[0]).toContain(`pid ${first.proc.pid}`);
    expect(second.out()).not.toContain('listening');
    // The first one still serves.
    const port = await first.listening;
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);

    await first.stop();
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    const third = startServer(tmp, { DATA_DIR: dataDir });
    await third.listening;
  });

  test('a lock left by a killed server (SIGKILL) is taken over at the next start', async () => {
    const dataDir = path.join(tmp, 'data');
    const first = startServer(tmp, { DATA_DIR: dataDir });
    await first.listening;
    first.proc.kill('SIGKILL');
    await first.exited;
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);
    const next = startServer(tmp, { DATA_DIR: dataDir });
    await next.listening;
    const lock = JSON.parse(await fs.promises.readFile(path.join(dataDir, LOCK_FILE), 'utf8'));
    expect(lock.pid).toBe(next.proc.pid);
  });

  test('a stale lock of a dead pid on this host is taken over; a live one on another host is honoured', async () => {
    const dataDir = path.join(tmp, 'data');
    await fs.promises.mkdir(dataDir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const file = path.join(dataDir, LOCK_FILE);
    const write = (content: object) => fs.promises.writeFile(file, JSON.stringify(content));
    await write({ pid: Number(dead), host: os.hostname(), started_at: '2026-01-01T00:00:00Z', token: 'old' });
    const server = startServer(tmp, { DATA_DIR: dataDir });
    await server.listening;
    await server.stop();

    // A fresh lock from another host (a shared volume): honoured.
    await write({ pid: 1, host: 'some-other-host', started_at: '2026-01-01T00:00:00Z', token: 'other' });
    const refused = startServer(tmp, { DATA_DIR: dataDir });
    expect(await refused.exited).toBe(1);
    expect(refused.err()).toContain('on some-other-host');
    // Not touched for longer than the stale time: taken over.
    const old = new Date(Date.now() - 120_000);
    await fs.promises.utimes(file, old, old);
    const taker = startServer(tmp, { DATA_DIR: dataDir });
    await taker.listening;
  });
});
