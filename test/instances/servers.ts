import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { DocumentRecord } from '../../src/documents/types.ts';
import type { TestDatabase } from '../storage/pg-helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'server', 'main.ts');
const TSX = import.meta.resolve('tsx');

export interface ServerProcess {
  proc: ChildProcess;
  exited: Promise<number | null>;
  /** The port once it listens (rejects when it exits first). */
  listening: Promise<number>;
  err(): string;
  out(): string;
  stop(): Promise<void>;
}

const running = new Set<ServerProcess>();

/** The real server process (`src/server/main.ts`) with only the given environment, in `cwd`. */
export function startServer(cwd: string, env: Record<string, string>): ServerProcess {
  const proc = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  proc.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve, reject) => {
    proc.stdout?.on('data', () => {
      const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error(`server exited: ${stderr}`)));
  });
  listening.catch(() => undefined);
  const server: ServerProcess = {
    proc,
    exited,
    listening,
    err: () => stderr,
    out: () => stdout,
    async stop() {
      running.delete(server);
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 8000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  running.add(server);
  return server;
}

/** Stops every server a test started (afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}

/** The admin secret the instance tests start their servers with. */
export const ADMIN_SECRET = 'a-long-admin-secret-for-tests';

/** Creates a tenant through the admin API of the server on `port`; returns its access key. */
export async function createTenant(port: number, name: string, email: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/admin/tenants`, {
    method: 'POST',
    headers: { 'x-admin-secret': ADMIN_SECRET, 'content-type': 'application/json' },
    body: JSON.stringify({ name, email }),
  });
  if (res.status !== 201) throw new Error(`creating the tenant: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { tenant: { key: string } }).tenant.key;
}

/** Uploads one file to the server on `port` as the tenant `key` (multipart, as the web app sends it). */
export async function uploadFile<Body = { documents?: DocumentRecord[]; error?: { code: string } }>(
  port: number,
  key: string,
  name: string,
  content: string,
): Promise<{ status: number; body: Body }> {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  const res = await fetch(`http://127.0.0.1:${port}/api/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Body };
}

/** afterAll of a file of instance tests: stops its servers, drops its schema, removes its temp folder. */
export async function disposeInstances(database: TestDatabase | undefined, tmp: string | undefined): Promise<void> {
  await stopAll();
  if (database) await database.drop();
  if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
}
