import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { readAudit } from '../../src/tenants/audit.ts';
import { runCli } from '../cli/run-cli.ts';
import { buildFaultApp, type FaultApp, timed } from './app.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const cliMain = path.join(root, 'src/cli/main.ts');

let dir: string | undefined;
let t: FaultApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Start `create-tenant` as a real CLI process and SIGKILL it after `ms`. */
function createThenKill(dataDir: string, cwd: string, ms: number, i: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', tsx, cliMain, 'create-tenant', '--name', `Crash ${i}`, '--email', `c${i}@example.com`],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), DATA_DIR: dataDir }, stdio: 'ignore' },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('CLI processes SIGKILLed at random moments', () => {
  test('the next chat answers in under 3 s every time; then check-data finds nothing a repair leaves', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsorch-crash-'));
    t = await buildFaultApp(path.join(dir, 'data'));
    const key = (await t.services.tenants.create({ name: 'Acme Corp', email: 'ops@acme.com' }, { via: 'cli' })).key;
    const slowest: number[] = [];
    for (let i = 0; i < 8; i++) {
      // The CLI takes ~0.5–1.5 s to start and a few ms to create: kills land before, during and after.
      await createThenKill(t.dataDir, dir, 300 + Math.floor(Math.random() * 1500), i);
      const { value: res, ms } = await timed(() =>
        t!.asTenant(key, { method: 'POST', url: '/api/chat', payload: { message: 'What was our ARR?' } }),
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(ms).toBeLessThan(3000);
      slowest.push(ms);
    }
    expect(fs.existsSync(path.join(t.dataDir, '_admin', 'tenants.json.lock'))).toBe(false);

    // Whatever the kills left, a repair leaves every record audited and no folder without a record.
    const repair = await runCli(['check-data', '--repair', '--json'], { cwd: dir, env: { DATA_DIR: t.dataDir } });
    expect(repair.code, repair.stdout + repair.stderr).toBe(0);
    expect(JSON.parse(repair.stdout).clean).toBe(true);
    const check = await runCli(['check-data'], { cwd: dir, env: { DATA_DIR: t.dataDir } });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('nothing to repair');
    const records = (await t.services.tenants.list({ all: true })).map((r) => r.key);
    const audited = new Set(
      (await readAudit(path.join(t.dataDir, '_admin', 'audit.jsonl')))
        .filter((l) => l.action === 'create')
        .map((l) => l.tenant),
    );
    for (const k of records) expect(audited.has(k), k).toBe(true);
    const folders = fs.readdirSync(t.dataDir).filter((n) => !n.startsWith('_') && !n.startsWith('.'));
    for (const f of folders) expect(records, f).toContain(f);
  }, 120_000);
});

describe('check-data', () => {
  test('reports each kind of leftover; --repair fixes what is safe and keeps a folder that holds data', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsorch-check-'));
    const dataDir = path.join(dir, 'data');
    const env = { DATA_DIR: dataDir };
    const made = await runCli(['create-tenant', '--name', 'Beta Inc', '--email', 'b@beta.io', '--json'], {
      cwd: dir,
      env,
    });
    expect(made.code, made.stderr).toBe(0);
    const beta = JSON.parse(made.stdout).tenant.key as string;
    const admin = path.join(dataDir, '_admin');
    // A record without its audit line (an older release's crash): drop beta's line.
    const auditFile = path.join(admin, 'audit.jsonl');
    fs.writeFileSync(
      auditFile,
      fs
        .readFileSync(auditFile, 'utf8')
        .split('\n')
        .filter((l) => !l.includes(beta))
        .join('\n'),
    );
    // A creation killed after its audit line, before its record: the line and an empty folder.
    fs.appendFileSync(
      auditFile,
      `${JSON.stringify({ ts: '2026-01-01T00:00:00Z', action: 'create', tenant: 'gone_Q7W8E9R0', via: 'cli', address: null })}\n`,
    );
    fs.mkdirSync(path.join(dataDir, 'gone_Q7W8E9R0', 'traces'), { recursive: true });
    fs.mkdirSync(path.join(dataDir, 'gone_Q7W8E9R0', 'documents'));
    // A folder without a record that holds data: reported, never deleted.
    fs.mkdirSync(path.join(dataDir, 'kept_Z1X2C3V4', 'documents'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'kept_Z1X2C3V4', 'documents', 'index.json'), '{"documents": []}');
    // A temp file of a writer killed mid-write, two minutes ago.
    const temp = path.join(dataDir, beta, 'traces', '.session_x.jsonl.tmp-4242-abc');
    fs.writeFileSync(temp, '');
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(temp, old, old);

    const before = await runCli(['check-data', '--json'], { cwd: dir, env });
    expect(before.code).toBe(1);
    const { report } = JSON.parse(before.stdout);
    expect(report).toEqual({
      orphan_folders: [
        { name: 'gone_Q7W8E9R0', empty: true },
        { name: 'kept_Z1X2C3V4', empty: false },
      ],
      missing_audit: [beta],
      failed_creations: ['gone_Q7W8E9R0'],
      stale_temp_files: [path.join(beta, 'traces', '.session_x.jsonl.tmp-4242-abc')],
    });
    // Looking changes nothing.
    expect(fs.existsSync(path.join(dataDir, 'gone_Q7W8E9R0'))).toBe(true);

    const human = await runCli(['check-data'], { cwd: dir, env });
    expect(human.stdout).toContain('orphan folder gone_Q7W8E9R0/: empty');
    expect(human.stdout).toContain('Run check-data --repair');

    const repaired = await runCli(['check-data', '--repair'], { cwd: dir, env });
    // The folder that holds data still needs a decision: exit 1, everything else fixed.
    expect(repaired.code).toBe(1);
    expect(repaired.stdout).toContain('removed the empty folder gone_Q7W8E9R0/');
    expect(fs.existsSync(path.join(dataDir, 'gone_Q7W8E9R0'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'kept_Z1X2C3V4', 'documents', 'index.json'))).toBe(true);
    expect(fs.existsSync(temp)).toBe(false);
    const lines = await readAudit(auditFile);
    expect(lines).toContainEqual(
      expect.objectContaining({ action: 'create', tenant: beta, detail: expect.objectContaining({ recovered: true }) }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ action: 'create_failed', tenant: 'gone_Q7W8E9R0' }));

    fs.rmSync(path.join(dataDir, 'kept_Z1X2C3V4'), { recursive: true });
    const after = await runCli(['check-data'], { cwd: dir, env });
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain('nothing to repair');
  }, 60_000);
});
