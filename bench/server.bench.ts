/**
 * Server: throughput of an authenticated `GET /api/me` (tenant guard: registry stat + digest lookup,
 * scope, handler, response schema) against a bare route on the same app (same plugins, security
 * headers and request log, so the ratio is the price of authentication and the handler; goal ≥ 0.8×),
 * and, for scale, against a plain `Fastify()` route — all over real ports in one process and run.
 * Then the time from start to healthy with 1,000 tenants in the registry (goal < 1 s), in process
 * and as a new process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
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
import { newTenantRecord, type TenantRecord } from '../src/tenants/types.ts';
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
    tenants.push(
      newTenantRecord(
        { key: `${slugify(name)}_${cryptoSuffix()}`, name, email: `ops${i}@partner${i}.com`, notes: '' },
        now,
      ),
    );
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

interface Rates {
  me: number;
  /** A bare route on the same app: same plugins, hooks and request log; no auth, trivial handler. */
  sameApp: number;
  /** A bare route on a plain `Fastify()` (no logging, no hooks). */
  plain: number;
  ratioSameApp: number;
  ratioPlain: number;
}

async function measureThroughput(dataDir: string, key: string): Promise<Rates> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }, dataDir);
  // Request logs go to a sink (sonic-boom, as pino writes to stdout in production): we measure the
  // work of logging, not a terminal.
  const sink = pino.destination({ dest: '/dev/null', sync: false });
  const app = await buildApp({ config, clock: systemClock, logger: createLogger('info', sink) });
  app.get('/bench/bare', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const plain = Fastify();
  plain.get('/bench/bare', async () => ({ ok: true }));
  await plain.listen({ port: 0, host: '127.0.0.1' });
  const appPort = (app.server.address() as { port: number }).port;
  const plainPort = (plain.server.address() as { port: number }).port;

  const auth = { authorization: `Bearer ${key}` };
  const runs = {
    me: () => throughput(appPort, '/api/me', auth, REQUESTS),
    sameApp: () => throughput(appPort, '/bench/bare', {}, REQUESTS),
    plain: () => throughput(plainPort, '/bench/bare', {}, REQUESTS),
  };
  for (const run of Object.values(runs)) await run(); // warm-up
  // Short rounds in rotating order, compared within each round: the machine is shared and its load
  // drifts; the median of the per-round ratios is what survives that drift.
  const rates: Record<keyof typeof runs, number[]> = { me: [], sameApp: [], plain: [] };
  const ratioSame: number[] = [];
  const ratioPlain: number[] = [];
  const names = Object.keys(runs) as (keyof typeof runs)[];
  for (let round = 0; round < ROUNDS; round++) {
    const got: Partial<Record<keyof typeof runs, number>> = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length] as keyof typeof runs;
      got[name] = await runs[name]();
      rates[name].push(got[name]);
    }
    ratioSame.push((got.me ?? 0) / (got.sameApp ?? 1));
    ratioPlain.push((got.me ?? 0) / (got.plain ?? 1));
  }
  await app.close();
  await plain.close();
  sink.end();
  return {
    me: median(rates.me),
    sameApp: median(rates.sameApp),
    plain: median(rates.plain),
    ratioSameApp: median(ratioSame),
    ratioPlain: median(ratioPlain),
  };
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

/** A port nobody listens on right now (the OS picks it). */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Milliseconds from spawning `node --import tsx src/server/main.ts` to a 200 from /api/health. */
async function timeToHealthy(dataDir: string): Promise<number> {
  const port = await freePort();
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
    const rates = await measureThroughput(dataDir, key);
    // Best of three starts each (the first also warms the OS file cache and tsx's transform cache).
    const inProc: number[] = [];
    for (let i = 0; i < 3; i++) inProc.push(await inProcessStart(dataDir, key));
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) starts.push(await timeToHealthy(dataDir));
    const start = Math.min(...starts);
    const build = Math.min(...inProc);
    return [
      {
        name: 'GET /api/me (authenticated) vs a bare route on the same app',
        value: rates.me,
        unit: 'req/s',
        baseline: { name: 'bare route, same app', value: rates.sameApp },
        ratio: rates.ratioSameApp,
        goal: '≥ 0.8× (median of paired rounds)',
        pass: rates.ratioSameApp >= 0.8,
      },
      {
        name: 'GET /api/me (authenticated) vs a plain Fastify() route',
        value: rates.me,
        unit: 'req/s',
        baseline: { name: 'plain Fastify, no logging', value: rates.plain },
        ratio: rates.ratioPlain,
        goal: 'informational: includes request logging and security headers',
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
