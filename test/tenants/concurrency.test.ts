import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.ts';
import { createTenantService } from '../../src/tenants/service.ts';
import { tempDataDir } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '../..');
const worker = path.join(root, 'test/tenants/worker.ts');

function startWorker(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', worker, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

let dataDir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: dataDir, cleanup } = await tempDataDir());
});
afterEach(() => cleanup());

describe('the registry across processes', () => {
  it('4 processes creating 10 tenants each and counting queries lose nothing', async () => {
    const svc = createTenantService({ dataDir, clock: systemClock });
    const shared = await svc.create({ name: 'Shared', email: 's@s.io' }, { via: 'cli' });
    const runs = await Promise.all(
      [1, 2, 3, 4].map((id) => finished(startWorker([dataDir, String(id), '10', '10', shared.key]))),
    );
    for (const r of runs) expect(r).toEqual({ code: 0, stderr: '' });

    const registry = JSON.parse(fs.readFileSync(path.join(dataDir, '_admin', 'tenants.json'), 'utf8'));
    expect(registry.tenants).toHaveLength(41);
    const keys = new Set(registry.tenants.map((t: { key: string }) => t.key));
    expect(keys.size).toBe(41);
    for (const id of [1, 2, 3, 4]) {
      for (let i = 0; i < 10; i++) {
        expect(registry.tenants.some((t: { name: string }) => t.name === `Worker ${id} tenant ${i}`)).toBe(true);
      }
    }
    const after = await svc.get(shared.key);
    expect(after?.query_count).toBe(40);
    expect(after?.login_count).toBe(40);
    expect(after?.tokens).toEqual({ input: 40, output: 80 });
    expect(Object.values(after?.queries_by_day ?? {}).reduce((a, b) => a + b, 0)).toBe(40);
    const audit = fs
      .readFileSync(path.join(dataDir, '_admin', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(audit).toHaveLength(41);
    for (const line of audit) JSON.parse(line);
  });

  it('a writer killed with SIGKILL mid-write leaves a parseable registry; the next writer carries on', async () => {
    const svc = createTenantService({ dataDir, clock: systemClock });
    const t = await svc.create({ name: 'Victim', email: 'v@v.io' }, { via: 'cli' });
    const child = startWorker([dataDir, 'k', '0', '-1', t.key]);
    const done = finished(child);
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    await done;

    const file = path.join(dataDir, '_admin', 'tenants.json');
    const registry = JSON.parse(fs.readFileSync(file, 'utf8'));
    const count = registry.tenants[0].query_count as number;
    expect(count).toBeGreaterThan(0);
    JSON.parse(fs.readFileSync(`${file}.bak`, 'utf8'));

    // The killed writer may have held the lock: it is stale once its holder stops refreshing it
    // (10 s); age it instead of waiting. Its temp files are removed once they are old.
    const lock = `${file}.lock`;
    const past = new Date(Date.now() - 120_000);
    if (fs.existsSync(lock)) fs.utimesSync(lock, past, past);
    for (const name of fs.readdirSync(path.dirname(file))) {
      if (name.includes('.tmp-')) fs.utimesSync(path.join(path.dirname(file), name), past, past);
    }
    const next = createTenantService({ dataDir, clock: systemClock });
    expect((await next.recordQuery(t.key)).query_count).toBe(count + 1);
    expect(fs.readdirSync(path.dirname(file)).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(fs.existsSync(lock)).toBe(false);
  });
});
