/**
 * Several instances: chat throughput (turns/s) and p95 latency of `POST /api/chat` (local engine, a new
 * session per turn, CONCURRENCY clients) against real server processes, side by side in one run:
 * the file backend on one instance (the baseline), PostgreSQL on one instance, and PostgreSQL on two
 * instances (requests alternating between them, as a load balancer would). PostgreSQL is
 * `BENCH_DATABASE_URL` (default the local test database), each configuration on its own fresh schema.
 * On a 2-core machine two instances share the same cores, so the two-instance row shows what the
 * shared database costs rather than a scale-out gain.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgDatabase } from '../src/storage/pg.ts';
import type { BenchRow } from './types.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECRET = 'bench-admin-secret-0123456789';
const TURNS = Number(process.env.BENCH_CHAT_TURNS ?? 240);
const CONCURRENCY = 8;
const QUESTIONS = ['What is our ARR?', 'What was churn last quarter?', 'How is our NRR?', 'What is our burn multiple?'];

interface Instance {
  port: number;
  proc: ChildProcess;
}

async function startInstance(cwd: string, env: Record<string, string>): Promise<Instance> {
  const proc = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), path.join(root, 'src/server/main.ts')],
    {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  proc.stderr?.on('data', (d) => {
    err += String(d);
  });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout?.on('data', (d) => {
      out += String(d);
      const m = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', () => reject(new Error(`server exited: ${err}`)));
  });
  // From here on the request log is not read: drain it so the pipe never blocks the server.
  proc.stdout?.removeAllListeners('data');
  proc.stdout?.resume();
  return { port, proc };
}

async function stop(instances: Instance[]): Promise<void> {
  await Promise.all(
    instances.map(
      (i) =>
        new Promise<void>((resolve) => {
          if (i.proc.exitCode !== null) return resolve();
          i.proc.once('exit', () => resolve());
          i.proc.kill('SIGTERM');
        }),
    ),
  );
}

interface Measured {
  throughput: number;
  p95: number;
}

async function measure(ports: number[]): Promise<Measured> {
  const base = (i: number) => `http://127.0.0.1:${ports[i % ports.length]}`;
  const created = await fetch(`${base(0)}/api/admin/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-secret': SECRET },
    body: JSON.stringify({ name: 'Bench Partner', email: 'ops@bench.example' }),
  });
  const { tenant } = (await created.json()) as { tenant: { key: string } };
  const chat = async (i: number) => {
    const started = performance.now();
    const res = await fetch(`${base(i)}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.key}` },
      body: JSON.stringify({ message: QUESTIONS[i % QUESTIONS.length] }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`chat answered ${res.status}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 8; i++) await chat(i); // warm-up (both instances)
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TURNS) {
        const i = next++;
        latencies.push(await chat(i));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { throughput: TURNS / seconds, p95: latencies[Math.floor(latencies.length * 0.95)] ?? 0 };
}

async function run(label: string, instances: number, pg: boolean): Promise<Measured> {
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), `opsorch-bench-${label}-`));
  const schema = `bench_${crypto.randomBytes(5).toString('hex')}`;
  const env: Record<string, string> = {
    ADMIN_SECRET: SECRET,
    ...(pg ? { DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
  };
  const started: Instance[] = [];
  try {
    for (let i = 0; i < instances; i++)
      started.push(await startInstance(tmp, { ...env, DATA_DIR: path.join(tmp, `d${i}`) }));
    return await measure(started.map((s) => s.port));
  } finally {
    await stop(started);
    if (pg) {
      const db = new PgDatabase(DATABASE_URL, schema);
      await db.dropSchema().catch(() => undefined);
      await db.close();
    }
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

export default async function instancesBench(): Promise<BenchRow[]> {
  const file1 = await run('file1', 1, false);
  const pg1 = await run('pg1', 1, true);
  const pg2 = await run('pg2', 2, true);
  const rows: BenchRow[] = [
    { name: 'chat turns/s, file backend, 1 instance', value: file1.throughput, unit: 'turns/s' },
    {
      name: 'chat turns/s, PostgreSQL, 1 instance',
      value: pg1.throughput,
      unit: 'turns/s',
      baseline: { name: 'file, 1 instance', value: file1.throughput },
      ratio: pg1.throughput / file1.throughput,
      goal: '≥ 0.5× the file backend',
      pass: pg1.throughput / file1.throughput >= 0.5,
    },
    {
      name: 'chat turns/s, PostgreSQL, 2 instances',
      value: pg2.throughput,
      unit: 'turns/s',
      baseline: { name: 'PostgreSQL, 1 instance', value: pg1.throughput },
      ratio: pg2.throughput / pg1.throughput,
      goal: '≥ 0.8× one instance on a 2-core machine (more with more cores)',
      pass: pg2.throughput / pg1.throughput >= 0.8,
    },
    { name: 'chat p95, file backend, 1 instance', value: file1.p95, unit: 'ms' },
    {
      name: 'chat p95, PostgreSQL, 1 instance',
      value: pg1.p95,
      unit: 'ms',
      baseline: { name: 'file, 1 instance', value: file1.p95 },
      ratio: pg1.p95 / file1.p95,
    },
    {
      name: 'chat p95, PostgreSQL, 2 instances',
      value: pg2.p95,
      unit: 'ms',
      baseline: { name: 'PostgreSQL, 1 instance', value: pg1.p95 },
      ratio: pg2.p95 / pg1.p95,
    },
  ];
  return rows;
}
