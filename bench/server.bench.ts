/**
 * Server: throughput of an authenticated `GET /api/me` (tenant guard: registry stat + digest lookup,
 * scope, serialization, security headers, request log) against a bare Fastify route, both over a real
 * port in the same process and run (goal ≥ 0.8×); and the time from starting the server process to
 * a healthy answer with 1,000 tenants in the registry (goal < 1 s).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { isoSeconds, systemClock } from '../src/lib/clock.ts';
import { buildApp } from '../src/server/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { createServices } from '../src/server/services.ts';
import { writeJsonAtomic } from '../src/store/atomic.ts';
import { adminPaths } from '../src/store/paths.ts';
import { cryptoSuffix, slugify } from '../src/tenants/keys.ts';
import type { TenantRecord } from '../src/tenants/types.ts';
import type { BenchRow } from './types.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REQUESTS = 1500;
const ROUNDS = 6;
const CONCURRENCY = 16;
const TENANTS = 1000;

/** A registry of `n` tenants written directly (as n CLI runs would). */
async function seedRegistry(dataDir: string, n: number): Promise<TenantRecord[]> {
  const now = isoSeconds(new Date());
  const tenants: TenantRecord[] = [];
  for (let i = 0; i < n; i++) {
    const name = `Bench Partner ${i}`;
    tenants.push({
      key: `${slugify(name)}_${cryptoSuffix()}`,
      name,
      email: `ops${i}@partner${i}.com`,
      notes: '',
      status: 'active',
      created_at: now,
      revoked_at: null,
      first_login_at: null,
      last_login_at: null,
      login_count: 0,
      query_count: 0,
      last_active: null,
      queries_by_day: {},
      tokens: { input: 0, output: 0 },
      tokens_by_day: {},
    });
  }
  await writeJsonAtomic(adminPaths(dataDir).tenantsFile, { version: 1, tenants });
  return tenants;
}

/** Requests/second for `total` GETs with `concurrency` keep-alive connections. */
async function throughput(port: number, url: string, headers: Record<string, string>, total: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: url, headers, agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
    });
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued < total) {
        issued += 1;
        await one();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return total / seconds;
}

async function measureThroughput(dataDir: string, key: string): Promise<{ me: number; bare: number; ratio: number }> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }, dataDir);
  // Request logs go to a sink (sonic-boom, as pino writes to stdout in production): we measure the
  // work of logging, not a terminal.
  const sink = pino.destination({ dest: '/dev/null', sync: false });
  const app = await buildApp({ config, clock: systemClock, logger: createLogger('info', sink) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const bare = Fastify();
  bare.get('/bare', async () => ({ ok: true }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const appPort = (app.server.address() as { port: number }).port;
  const barePort = (bare.server.address() as { port: number }).port;

  const auth = { authorization: `Bearer ${key}` };
  await throughput(appPort, '/api/me', auth, 500);
  await throughput(barePort, '/bare', {}, 500);
  // Short alternating rounds, compared pairwise: the machine is shared, so its load drifts; the
  // median of the per-round ratios is what survives that drift.
  const mes: number[] = [];
  const bares: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const first = round % 2 === 0;
    const b1 = first ? await throughput(barePort, '/bare', {}, REQUESTS) : 0;
    const m = await throughput(appPort, '/api/me', auth, REQUESTS);
    const b = first ? b1 : await throughput(barePort, '/bare', {}, REQUESTS);
    mes.push(m);
    bares.push(b);
    ratios.push(m / b);
  }
  await app.close();
  await bare.close();
  sink.end();
  return { me: median(mes), bare: median(bares), ratio: median(ratios) };
}

/** Milliseconds from nothing to a healthy, authenticating server in this process: services (the
 *  1,000-tenant registry loaded), plugins, routes, listen, `/api/health` 200 and a first `/api/me` 200. */
async function inProcessStart(dataDir: string, key: string): Promise<number> {
  const started = performance.now();
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, dataDir);
  const services = await createServices(config, systemClock);
  await services.tenants.list({ all: true });
  const app = await buildApp({ config, services, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const health = await fetch(`${base}/api/health`);
  const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${key}` } });
  const elapsed = performance.now() - started;
  await app.close();
  if (health.status !== 200 || me.status !== 200) throw new Error(`not healthy: ${health.status} ${me.status}`);
  return elapsed;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Milliseconds from spawning `node --import tsx src/server/main.ts` to a 200 from /api/health. */
async function timeToHealthy(dataDir: string): Promise<number> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), path.join(root, 'src', 'server', 'main.ts')],
    {
      cwd: dataDir,
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr.trim()}`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return performance.now() - started;
      if (performance.now() - started > 20_000) throw new Error('server did not become healthy in 20 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

export default async function bench(): Promise<BenchRow[]> {
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-bench-server-'));
  try {
    const tenants = await seedRegistry(dataDir, TENANTS);
    const key = tenants[Math.floor(TENANTS / 2)]?.key ?? '';
    const { me, bare, ratio } = await measureThroughput(dataDir, key);
    // Best of three starts each (the first also warms the OS file cache and tsx's transform cache).
    const inProc: number[] = [];
    for (let i = 0; i < 3; i++) inProc.push(await inProcessStart(dataDir, key));
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) starts.push(await timeToHealthy(dataDir));
    const start = Math.min(...starts);
    const build = Math.min(...inProc);
    return [
      {
        name: 'GET /api/me (authenticated) throughput',
        value: me,
        unit: 'req/s',
        baseline: { name: 'bare Fastify route', value: bare },
        ratio,
        goal: '≥ 0.8× the bare route (median of paired rounds)',
        pass: ratio >= 0.8,
      },
      {
        name: `start to healthy, ${TENANTS} tenants (in process: services, registry, routes, listen)`,
        value: build,
        unit: 'ms',
        goal: '< 1000 ms',
        pass: build < 1000,
      },
      {
        name: `start to healthy, ${TENANTS} tenants (new process: node + tsx + module loading included)`,
        value: start,
        unit: 'ms',
        goal: '< 1000 ms',
        pass: start < 1000,
      },
    ];
  } finally {
    await fs.promises.rm(dataDir, { recursive: true, force: true });
  }
}
