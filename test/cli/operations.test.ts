import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { readAudit } from '../../src/tenants/audit.ts';
import { createTenantService, type TenantService } from '../../src/tenants/service.ts';
import type { TenantRecord } from '../../src/tenants/types.ts';
import { runCli, tempDir } from './run-cli.ts';

let cwd: string;
let cleanup: () => Promise<void>;
let svc: TenantService;
let acme: TenantRecord;
const env = {
  DATA_DIR: 'data',
  OPSORCHESTRA_FIXED_NOW: '2026-01-05T09:00:00Z',
  PUBLIC_APP_URL: 'https://app.example.com/',
};
const dataDir = () => path.join(cwd, 'data');
const cli = (args: string[], input?: string) => runCli(args, { cwd, env, input });

beforeEach(async () => {
  ({ dir: cwd, cleanup } = await tempDir());
  svc = createTenantService({
    dataDir: dataDir(),
    clock: fixedClock('2026-01-02T08:00:00Z'),
    suffix: () => 'A1B2C3D4',
  });
  acme = await svc.create({ name: 'Acme Corp', email: 'ops@acme.com' }, { via: 'cli' });
});
afterEach(() => cleanup());

describe('admin CLI: operator commands', () => {
  it('welcome-email prints the runbook email with the key and PUBLIC_APP_URL; --json', async () => {
    const [human, jsonRun, unknown] = await Promise.all([
      cli(['welcome-email', acme.key]),
      cli(['welcome-email', acme.key, '--json']),
      cli(['welcome-email', 'nobody_AAAAAAAA']),
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout.startsWith('To: ops@acme.com\nSubject: Your OpsOrchestra Access Key\n\n')).toBe(true);
    expect(human.stdout).toContain(`    ${acme.key}\n`);
    expect(human.stdout).toContain('1. Open https://app.example.com\n');
    const json = JSON.parse(jsonRun.stdout);
    expect(json.subject).toBe('Your OpsOrchestra Access Key');
    expect(json.to).toBe('ops@acme.com');
    expect(json.body).toContain(acme.key);
    expect(unknown.code).toBe(1);
  });

  it('followups lists the check-ins due and the signals; --json', async () => {
    const [human, jsonRun] = await Promise.all([cli(['followups']), cli(['followups', '--json'])]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('FOLLOW-UPS DUE 2026-01-05');
    expect(human.stdout).toContain(`${acme.key}  Acme Corp  <ops@acme.com>  day 3`);
    expect(human.stdout).toContain('  Due:    day 3 email: not logged in yet: resend the key and the login link');
    expect(human.stdout).toContain('  Signal: never_logged_in -> send a reminder email');
    expect(human.stdout).toContain('Total: 1 tenant(s) to follow up');
    const json = JSON.parse(jsonRun.stdout);
    expect(json.date).toBe('2026-01-05');
    expect(json.followups).toHaveLength(1);
    expect(json.followups[0]).toMatchObject({ key: acme.key, day: 3, checkin: { id: 'day_3_email' } });
  });

  it('export-tenant writes a .tar.gz of the folder and the record; default name; --json; audited', async () => {
    const docs = path.join(dataDir(), acme.key, 'documents', 'doc_abcdefghijklmnop');
    fs.mkdirSync(docs, { recursive: true });
    fs.writeFileSync(path.join(docs, 'original.csv'), 'month,arr\n2025-12,100\n');
    fs.writeFileSync(path.join(dataDir(), acme.key, 'graph_state.json'), '{"nodes":[]}\n');

    const human = await cli(['export-tenant', acme.key]);
    expect(human.code).toBe(0);
    const file = path.join(cwd, `${acme.key}-export-2026-01-05.tar.gz`);
    expect(human.stdout).toMatch(new RegExp(`Exported Acme Corp \\(${acme.key}\\): 3 file\\(s\\), \\d+ bytes -> `));
    const listing = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual([
      'tenant.json',
      `${acme.key}/`,
      `${acme.key}/documents/`,
      `${acme.key}/documents/doc_abcdefghijklmnop/`,
      `${acme.key}/documents/doc_abcdefghijklmnop/original.csv`,
      `${acme.key}/graph_state.json`,
      `${acme.key}/traces/`,
    ]);
    const out = path.join(cwd, 'x');
    fs.mkdirSync(out);
    execFileSync('tar', ['-xzf', file, '-C', out]);
    expect(fs.readFileSync(path.join(out, acme.key, 'documents/doc_abcdefghijklmnop/original.csv'), 'utf8')).toBe(
      'month,arr\n2025-12,100\n',
    );
    expect(JSON.parse(fs.readFileSync(path.join(out, 'tenant.json'), 'utf8'))).toEqual(acme);

    const json = JSON.parse((await cli(['export-tenant', acme.key, '--out', 'exports/acme.tgz', '--json'])).stdout);
    expect(json).toMatchObject({ file: path.join(cwd, 'exports/acme.tgz'), files: 3 });
    expect(fs.statSync(json.file).size).toBe(json.bytes);
    const audit = await readAudit(path.join(dataDir(), '_admin', 'audit.jsonl'));
    expect(audit.filter((l) => l.action === 'export').map((l) => [l.tenant, l.via])).toEqual([
      [acme.key, 'cli'],
      [acme.key, 'cli'],
    ]);
  });

  it('purge-tenant refuses an active tenant and a non-terminal without --force; deletes with --force', async () => {
    const folder = path.join(dataDir(), acme.key);
    const active = await cli(['purge-tenant', acme.key, '--force']);
    expect(active.code).toBe(1);
    expect(active.stderr).toMatch(/is active; revoke it before purging/);
    expect(fs.existsSync(folder)).toBe(true);

    await svc.revoke(acme.key, { via: 'cli' });
    const noTty = await cli(['purge-tenant', acme.key]);
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toMatch(/refusing to purge .* --force/);
    expect(fs.existsSync(folder)).toBe(true);

    const json = JSON.parse((await cli(['purge-tenant', acme.key, '--force', '--json'])).stdout);
    expect(json).toMatchObject({ already_purged: false, tenant: { key: acme.key, purged_at: '2026-01-05T09:00:00Z' } });
    expect(fs.existsSync(folder)).toBe(false);
    const again = await cli(['purge-tenant', acme.key, '--force']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already purged/);
    // The record stays, so the key is never handed out again.
    expect((await svc.get(acme.key))?.status).toBe('revoked');
    const audit = await readAudit(path.join(dataDir(), '_admin', 'audit.jsonl'));
    expect(audit.map((l) => l.action)).toEqual(['create', 'revoke', 'purge']);
  });
});
