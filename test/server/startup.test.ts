import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { createTenantService } from '../../src/tenants/service.ts';
import { startServer as startServerIn, stopAll } from '../instances/servers.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

let tmp: string;
let child: ChildProcess | undefined;
afterEach(async () => {
  await stopAll();
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
  if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
});

/** The real server process with only the given environment, in the temp working directory (no .env). */
const startServer = (env: Record<string, string>) => startServerIn(tmp, env);

async function mkTmp() {
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-start-'));
}

describe('start-up validation', () => {
  test.each([
    ['a bad PORT', { PORT: 'eighty' }, /PORT/],
    ['an out-of-range PORT', { PORT: '70000' }, /PORT/],
    ['a short ADMIN_SECRET', { ADMIN_SECRET: 'too-short' }, /ADMIN_SECRET/],
    ['an unwritable DATA_DIR', { DATA_DIR: 'blocker/data' }, /DATA_DIR/],
  ])('%s → exit 1 with one clear line', async (_name, env, pattern) => {
    await mkTmp();
    await fs.promises.writeFile(path.join(tmp, 'blocker'), 'a file where a folder should be');
    const server = startServer(env);
    expect(await server.exited).toBe(1);
    const lines = server.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(server.out()).not.toContain('listening');
  });

  test('a registry that does not parse → exit 1 with one line naming the file, file untouched', async () => {
    await mkTmp();
    const file = path.join(tmp, 'data', '_admin', 'tenants.json');
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await fs.promises.writeFile(file, '{ "version": 1, "tenants": [');
    const server = startServer({ DATA_DIR: path.join(tmp, 'data') });
    expect(await server.exited).toBe(1);
    const lines = server.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(await fs.promises.readFile(file, 'utf8')).toBe('{ "version": 1, "tenants": [');
  });
});

describe('running server', () => {
  test('warns about VALID_TENANT_KEYS, serves, and shuts down gracefully on SIGTERM', async () => {
    await mkTmp();
    const dataDir = path.join(tmp, 'data');
    const tenants = createTenantService({ dataDir, clock: fixedClock('2026-01-10T12:00:00Z') });
    const acme = await tenants.create({ name: 'Acme Corp', email: 'ops@acme.com' }, { via: 'cli' });

    const server = startServer({ DATA_DIR: dataDir, VALID_TENANT_KEYS: 'legacykey123,otherkey456', ADMIN_SECRET: '' });
    const port = await server.listening;
    expect(server.out()).toMatch(/VALID_TENANT_KEYS is set but grants nothing.*import-legacy-keys/);

    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);

    // A request in flight: headers and half of the body sent before the signal.
    const body = JSON.stringify({ access_key: acme.key });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    let response = '';
    socket.on('data', (d) => {
      response += String(d);
    });
    socket.write(
      `POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 150));
    server.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));

    // No new connections once stopping…
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    expect(server.proc.exitCode).toBeNull();
    // …but the in-flight request completes.
    socket.write(body.slice(10));
    expect(await server.exited).toBe(0);
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain('"Acme Corp"');
    expect(server.out()).toContain('"stopped"');
    expect((await tenants.get(acme.key))?.login_count).toBe(1);
  });
});

describe('scripts/start.mjs (npm start)', () => {
  test('without a web app it warns, runs the server and forwards its exit status', async () => {
    await mkTmp();
    // A project copy without web/: start.mjs, and the real sources and dependencies linked in.
    await fs.promises.mkdir(path.join(tmp, 'scripts'));
    await fs.promises.copyFile(path.join(ROOT, 'scripts', 'start.mjs'), path.join(tmp, 'scripts', 'start.mjs'));
    for (const entry of ['src', 'node_modules', 'package.json', 'data']) {
      await fs.promises.symlink(path.join(ROOT, entry), path.join(tmp, entry));
    }
    const proc = spawn(process.execPath, [path.join(tmp, 'scripts', 'start.mjs')], {
      cwd: tmp,
      env: { PATH: process.env.PATH ?? '', HOME: tmp, PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toContain('web/vite.config.ts not found');
    expect(stderr).toMatch(/PORT must be a whole number/);
  });
});
