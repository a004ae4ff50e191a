import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { createTenantService } from '../../src/tenants/service.ts';
import { cliSandbox } from './run-cli.ts';

const { cli, dataDir, registry } = cliSandbox();

describe('admin CLI: the runbook commands', () => {
  it('create-tenant prints the runbook confirmation, then list-tenants the runbook table', async () => {
    const created = await cli(['create-tenant', '--name', 'Acme Corp', '--email', 'ops@acme.com'], {
      OPSORCHESTRA_KEY_SUFFIXES: 'A1B2C3D4',
    });
    expect(created).toEqual({
      code: 0,
      stderr: '',
      stdout: `==================================================
TENANT CREATED SUCCESSFULLY
==================================================

Access Key: acme_corp_A1B2C3D4
Name:       Acme Corp
Email:      ops@acme.com
Created:    2026-01-02T15:30:00Z

--------------------------------------------------
IMPORTANT: Share this access key with the design partner.
They will use it to log into the OpsOrchestra UI.
--------------------------------------------------
`,
    });
    expect(fs.statSync(path.join(dataDir(), 'acme_corp_A1B2C3D4', 'traces')).isDirectory()).toBe(true);

    // Usage as the server would record it.
    const clock = fixedClock('2026-01-01T10:00:00Z');
    const svc = createTenantService({ dataDir: dataDir(), clock, suffix: () => 'E5F6G7H8' });
    const beta = await svc.create({ name: 'Beta Inc', email: 'ops@beta.com' }, { via: 'api' });
    for (let i = 0; i < 3; i++) await svc.recordQuery(beta.key);
    clock.set('2026-01-02T09:00:00Z');
    for (let i = 0; i < 47; i++) await svc.recordQuery('acme_corp_A1B2C3D4');

    const listed = await cli(['list-tenants']);
    expect(listed).toEqual({
      code: 0,
      stderr: '',
      stdout: `================================================================================
KEY                       NAME                 STATUS     QUERIES  LAST ACTIVE
================================================================================
acme_corp_A1B2C3D4        Acme Corp            active     47       2026-01-02
beta_inc_E5F6G7H8         Beta Inc             active     3        2026-01-01
--------------------------------------------------------------------------------
Total: 2 tenant(s)
`,
    });
  });

  it('list-tenants: never, truncation, --all and --json', async () => {
    const svc = createTenantService({ dataDir: dataDir(), clock: fixedClock('2026-01-02T15:30:00Z') });
    const long = await svc.create(
      { name: 'The Extraordinarily Long Company Name of Doom', email: 'x@y.io' },
      { via: 'cli' },
    );
    const gone = await svc.create({ name: 'Gone', email: 'g@g.io' }, { via: 'cli' });
    await svc.revoke(gone.key, { via: 'cli' });

    const [human, all, jsonRun] = await Promise.all([
      cli(['list-tenants']),
      cli(['list-tenants', '--all']),
      cli(['list-tenants', '--all', '--json']),
    ]);
    const lines = human.stdout.split('\n');
    expect(lines[3]).toBe(`${long.key} The Extraor… active     0        never`);
    expect(lines[3]?.indexOf('active')).toBe(lines[1]?.indexOf('STATUS'));
    expect(human.stdout).not.toContain(gone.key);
    expect(human.stdout).toContain('Total: 1 tenant(s)');

    expect(all.stdout).toMatch(new RegExp(`${gone.key} +Gone +revoked +0 +never`));
    expect(all.stdout).toContain('Total: 2 tenant(s)');

    const json = JSON.parse(jsonRun.stdout);
    expect(json.tenants.map((t: { key: string; status: string }) => [t.key, t.status])).toEqual([
      [long.key, 'active'],
      [gone.key, 'revoked'],
    ]);
    expect(json.tenants[0].signals).toEqual([]);
  });

  it('show-tenant prints every field, the signals and the data on disk; --json; unknown → 1', async () => {
    const svc = createTenantService({ dataDir: dataDir(), clock: fixedClock('2025-12-01T00:00:00Z') });
    const t = await svc.create({ name: 'Acme', email: 'a@acme.com', notes: 'likes charts' }, { via: 'cli' });
    fs.writeFileSync(path.join(dataDir(), t.key, 'traces', 'session_ses_aaaaaaaa.jsonl'), '{"ts":1}\n');

    const [human, jsonRun, unknown] = await Promise.all([
      cli(['show-tenant', t.key]),
      cli(['show-tenant', t.key, '--json']),
      cli(['show-tenant', 'nobody_AAAAAAAA']),
    ]);
    expect(human.code).toBe(0);
    for (const expected of [
      `Access Key:  ${t.key}`,
      'Email:       a@acme.com',
      'Notes:       likes charts',
      'Status:      active',
      'Created:     2025-12-01T00:00:00Z',
      'First login: never',
      'Last active: never',
      'never_logged_in   -> send a reminder email',
      'low_usage         -> schedule a check-in call',
      'dormant           -> consider revoking',
      `DATA ON DISK (data/${t.key}/)`,
      'Documents: 0',
      'Sessions:  1',
      'Size:      9 B (9 bytes)',
      'Quota:     0 B of 2.0 GB (TENANT_QUOTA_MB, 0% used)',
    ]) {
      expect(human.stdout).toContain(expected);
    }

    const json = JSON.parse(jsonRun.stdout);
    expect(json.tenant.key).toBe(t.key);
    expect(json.signals.map((s: { signal: string }) => s.signal)).toEqual(['never_logged_in', 'low_usage', 'dormant']);
    expect(json.disk).toMatchObject({ documents: 0, sessions: 1, bytes: 9 });

    expect(unknown).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: No tenant with key nobody_AAAAAAAA.\n',
    });
  });

  it('revoke-tenant refuses without a terminal and asks y/N on one', async () => {
    const svc = createTenantService({ dataDir: dataDir(), clock: fixedClock('2026-01-01T00:00:00Z') });
    const t = await svc.create({ name: 'Acme Corp', email: 'a@acme.com' }, { via: 'cli' });
    const before = fs.readFileSync(registry(), 'utf8');

    const [refused, no] = await Promise.all([
      cli(['revoke-tenant', t.key]),
      cli(['revoke-tenant', t.key], { OPSORCHESTRA_ASSUME_TTY: '1' }, 'n\n'),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/refusing to revoke .* --force/);
    expect(no.code).toBe(1);
    expect(no.stderr).toContain(`Revoke access for Acme Corp (${t.key})? [y/N]`);
    expect(fs.readFileSync(registry(), 'utf8')).toBe(before);

    // The server's cached view notices the CLI's revoke on its next call.
    expect((await svc.authenticate(t.key))?.status).toBe('active');
    const yes = await cli(['revoke-tenant', t.key], { OPSORCHESTRA_ASSUME_TTY: '1' }, 'y\n');
    expect(yes.code).toBe(0);
    expect(yes.stdout).toBe(
      `Revoked access for Acme Corp (${t.key}) at 2026-01-02T15:30:00Z.\nThe tenant's data remains in data/${t.key}/\n`,
    );
    expect((await svc.authenticate(t.key))?.status).toBe('revoked');
    expect(fs.existsSync(path.join(dataDir(), t.key))).toBe(true);
  });

  it('revoke-tenant --force, --json, already revoked, unknown key', async () => {
    const svc = createTenantService({ dataDir: dataDir(), clock: fixedClock('2026-01-01T00:00:00Z') });
    const gone = await svc.create({ name: 'Gone', email: 'g@g.io' }, { via: 'cli' });
    await svc.revoke(gone.key, { via: 'cli' });
    const other = await svc.create({ name: 'Beta', email: 'b@b.io' }, { via: 'cli' });
    const [again, jsonRun, unknown] = await Promise.all([
      cli(['revoke-tenant', gone.key, '--force']),
      cli(['revoke-tenant', other.key, '--force', '--json']),
      cli(['revoke-tenant', 'nobody_AAAAAAAA', '--force']),
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already revoked \(since 2026-01-01T00:00:00Z\); nothing changed/);
    expect(JSON.parse(jsonRun.stdout)).toMatchObject({
      already_revoked: false,
      tenant: { key: other.key, status: 'revoked', revoked_at: '2026-01-02T15:30:00Z' },
    });
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'error: No tenant with key nobody_AAAAAAAA.\n' });
  });

  it('import-legacy-keys keeps each key, is idempotent, and --json reports it', async () => {
    const keys = { VALID_TENANT_KEYS: 'acme_corp_A1B2C3D4, partner-key-2024,_admin' };
    const first = await cli(['import-legacy-keys'], keys);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Imported 2 legacy key(s) from VALID_TENANT_KEYS.');
    expect(first.stdout).toContain('acme_corp_A1B2C3D4  (name: Acme Corp; no email on file)');
    expect(first.stdout).toContain('"_admin"');
    const second = JSON.parse((await cli(['import-legacy-keys', '--json'], keys)).stdout);
    expect(second).toEqual({ created: [], existing: ['acme_corp_A1B2C3D4', 'partner-key-2024'], invalid: ['_admin'] });
    expect((await cli(['import-legacy-keys'])).stdout).toBe('VALID_TENANT_KEYS is empty: nothing to import.\n');
  });

  it('create-tenant warns on stderr when a partner with the same name or email exists', async () => {
    await cli(['create-tenant', '--name', 'Acme Corp', '--email', 'ops@acme.com']);
    const again = await cli(['create-tenant', '--name', 'acme corp', '--email', 'other@acme.com']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(
      /warning: a partner with this name or email already exists: Acme Corp <ops@acme\.com> \(active/,
    );
    const other = await cli(['create-tenant', '--name', 'Globex', '--email', 'ops@globex.com']);
    expect(other.stderr).not.toMatch(/warning/);
  });

  it('create-tenant --json and --notes; bad input → 2, one line, nothing written', async () => {
    const json = await cli(['create-tenant', '--name', '  Odd/Name!! ', '--email', 'X@Y.IO', '--notes', 'n', '--json']);
    expect(json.code).toBe(0);
    const { tenant } = JSON.parse(json.stdout);
    expect(tenant).toMatchObject({ name: 'Odd/Name!!', email: 'x@y.io', notes: 'n', status: 'active' });
    expect(tenant.key).toMatch(/^odd_name_[A-Z0-9]{8}$/);

    const before = fs.readFileSync(registry(), 'utf8');
    const [bad, missing] = await Promise.all([
      cli(['create-tenant', '--name', 'x'.repeat(101), '--email', 'nope']),
      cli(['create-tenant', '--name', 'x']),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      'error: Invalid tenant: name must be at most 100 characters; email "nope" is not a valid address.\n',
    );
    expect(fs.readFileSync(registry(), 'utf8')).toBe(before);

    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: required option '--email <email>' not specified\n");
  });
});
