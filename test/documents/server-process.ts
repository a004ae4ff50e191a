/**
 * A real server process for the resource-isolation tests and benchmarks (issue 12): spawned with
 * tsx on a random port and a temp DATA_DIR, tenants made in its registry beforehand, uploads over
 * HTTP, another tenant's latency sampled meanwhile, and the process's RSS read from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../src/lib/clock.ts';
import { createTenantService } from '../../src/tenants/service.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'server', 'main.ts');
const TSX = import.meta.resolve('tsx');

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  url: string;
  dataDir: string;
  /** Resident set size of the server process, in MB (0 once it has exited). */
  rssMb(): number;
  /** Peak RSS since start (VmHWM), in MB. */
  peakRssMb(): number;
  out(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function makeDataDir(prefix = 'opsorch-iso-'): Promise<string> {
  return fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Tenants created in the data dir's registry (before the server starts); returns their keys. */
export async function makeTenants(dataDir: string, names: string[]): Promise<string[]> {
  const tenants = createTenantService({ dataDir, clock: systemClock });
  const keys: string[] = [];
  for (const name of names) keys.push((await tenants.create({ name, email: 'ops@example.com' }, { via: 'cli' })).key);
  await tenants.close();
  return keys;
}

export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The log (one line per request) is kept only as its last 64 kB.
  let out = '';
  const keep = (d: unknown) => {
    out = (out + String(d)).slice(-65_536);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const onData = () => {
      const match = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    };
    proc.stdout?.on('data', onData);
    void exited.then(() => reject(new Error(`server exited: ${out}`)));
    setTimeout(() => reject(new Error(`server did not start in 30 s: ${out}`)), 30_000).unref();
  });
  const status = (field: string) => {
    try {
      const text = fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  return {
    proc,
    port,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    rssMb: () => status('VmRSS'),
    peakRssMb: () => status('VmHWM'),
    out: () => out,
    exited,
    async stop(signal = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}

export const auth = (key: string) => ({ authorization: `Bearer ${key}` });

/** POST /api/documents with the given files (multipart, built by fetch). */
export async function upload(
  server: ServerProcess,
  key: string,
  files: Array<{ name: string; content: Buffer | string }>,
  wait = false,
): Promise<{ status: number; body: { documents?: Array<{ id: string; status: string }>; error?: { code: string } } }> {
  const form = new FormData();
  for (const f of files)
    form.append('file', new Blob([typeof f.content === 'string' ? f.content : new Uint8Array(f.content)]), f.name);
  const res = await fetch(`${server.url}/api/documents${wait ? '?wait=true' : ''}`, {
    method: 'POST',
    headers: auth(key),
    body: form,
  });
  return { status: res.status, body: (await res.json()) as never };
}

export interface Doc {
  id: string;
  name: string;
  status: 'processing' | 'ready' | 'failed';
  error: { code: string; message: string } | null;
}

export async function listDocs(server: ServerProcess, key: string): Promise<Doc[]> {
  const res = await fetch(`${server.url}/api/documents`, { headers: auth(key) });
  return ((await res.json()) as { documents: Doc[] }).documents;
}

/** Polls until no document of the tenant is `processing` (or the time is up); returns the list. */
export async function settle(server: ServerProcess, key: string, timeoutMs: number): Promise<Doc[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const docs = await listDocs(server, key);
    if (docs.every((d) => d.status !== 'processing') || Date.now() > until) return docs;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Samples another tenant's request latency (GET `path`, one at a time, `gapMs` apart) until
 * `stop()`; returns p50/p99/max in ms.
 */
export function sampleLatency(server: ServerProcess, key: string, urlPath = '/api/me', gapMs = 20) {
  const samples: number[] = [];
  /** [ms since start, latency] of each sample over 100 ms (to see when the slow ones happened). */
  const slow: Array<[number, number]> = [];
  const start = performance.now();
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${server.url}${urlPath}`, { headers: auth(key) });
        await res.arrayBuffer();
      } catch {
        samples.push(Number.POSITIVE_INFINITY);
      }
      const ms = performance.now() - t0;
      samples.push(ms);
      if (ms > 100) slow.push([Math.round(t0 - start), Math.round(ms)]);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...samples].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0, slow };
    },
  };
}

/** Plain text of about `bytes` bytes: paragraphs of prose-like words, blank lines between. */
export function bigText(bytes: number, seed = 1): string {
  const words =
    'revenue churn expansion hosting payroll renewal contract pipeline forecast runway margin customer enterprise seats pricing discount invoice support onboarding security compliance roadmap hiring board investor quarter annual budget'.split(
      ' ',
    );
  const parts: string[] = [];
  let size = 0;
  let x = seed;
  let line = 0;
  while (size < bytes) {
    const n = 8 + (line % 12);
    const w: string[] = [];
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      w.push(x % 3 === 0 ? words[(x >>> 8) % words.length]! : `w${((x >>> 4) % 50_000).toString(36)}`);
    }
    const s = `${w.join(' ')}.${line % 4 === 3 ? '\n\n' : '\n'}`;
    parts.push(s);
    size += s.length;
    line++;
  }
  return parts.join('');
}
