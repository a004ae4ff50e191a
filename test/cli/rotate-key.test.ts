import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAudit } from '../../src/tenants/audit.ts';
import { runCli, tempDir } from './run-cli.ts';

let cwd: string;
let cleanup: () => Promise<void>;
const env = { DATA_DIR: 'data', OPSORCHESTRA_FIXED_NOW: '2026-01-02T15:30:00Z', PUBLIC_APP_URL: 'https://app.example' };
const cli = (args: string[], input?: string) => runCli(args, { cwd, env, input });

beforeEach(async () => {
  ({ dir: cwd, cleanup } = await tempDir());
});
afterEach(() => cleanup());

describe('admin CLI: rotate-key and edit-tenant', () => {
  it('rotate-key prints the new key and the welcome email; the old key stops authenticating; the audit masks both', async () => {
    const created = await cli(['create-tenant', '--name', 'Acme Corp', '--email', 'ops@acme.com', '--json']);
    const oldKey = (JSON.parse(created.stdout) as { tenant: { key: string } }).tenant.key;
    const folder = path.join(cwd, 'data', oldKey);
    fs.writeFileSync(path.join(folder, 'documents', 'kept.txt'), 'x');

    const refused = await cli(['rotate-key', oldKey]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pass --force');

    const rotated = await cli(['rotate-key', oldKey, '--force']);
    expect(rotated.code).toBe(0);
    const newKey = /^ {4}(acme_corp_[A-Z0-9]{8})$/m.exec(rotated.stdout)?.[1] ?? '';
    expect(newKey).not.toBe('');
    expect(newKey).not.toBe(oldKey);
    expect(rotated.stdout).toContain('no longer works');
    expect(rotated.stdout).toContain('Subject: Your OpsOrchestra Access Key');
    expect(rotated.stdout).toContain('https://app.example');
    expect(rotated.stdout.split(newKey).length).toBeGreaterThanOrEqual(3); // printed, and in the email

    // Same folder and data; show-tenant by either key names the current one.
    expect(fs.existsSync(path.join(folder, 'documents', 'kept.txt'))).toBe(true);
    const shown = await cli(['show-tenant', newKey]);
    expect(shown.stdout).toMatch(new RegExp(`Access Key: +${newKey}`));
    expect(shown.stdout).toContain(`${oldKey} (its first key; no longer signs in)`);

    const { createTenantService } = await import('../../src/tenants/service.ts');
    const { fixedClock } = await import('../../src/lib/clock.ts');
    const svc = createTenantService({ dataDir: path.join(cwd, 'data'), clock: fixedClock('2026-01-02T15:30:00Z') });
    expect(await svc.authenticate(oldKey)).toBeUndefined();
    expect((await svc.authenticate(newKey))?.key).toBe(oldKey);

    const audit = await readAudit(path.join(cwd, 'data', '_admin', 'audit.jsonl'));
    const line = audit.find((a) => a.action === 'rotate_key');
    expect(line).toMatchObject({ tenant: oldKey, via: 'cli' });
    expect(JSON.stringify(line?.detail)).not.toContain(newKey);

    const json = await cli(['rotate-key', newKey, '--force', '--json']);
    const out = JSON.parse(json.stdout) as { access_key: string; welcome_email: { body: string } };
    expect(out.welcome_email.body).toContain(out.access_key);
    expect((await cli(['rotate-key', 'nobody_AAAAAAAA', '--force'])).code).toBe(1);
  });

  it('edit-tenant changes name, email or notes; bad input exits 2 and changes nothing', async () => {
    const created = await cli(['create-tenant', '--name', 'Acme Corp', '--email', 'ops@acme.com', '--json']);
    const key = (JSON.parse(created.stdout) as { tenant: { key: string } }).tenant.key;
    const edited = await cli(['edit-tenant', key, '--name', 'Acme Inc', '--notes', 'Series A']);
    expect(edited).toMatchObject({ code: 0, stdout: `Updated name, notes of Acme Inc (${key}).\n` });
    const bad = await cli(['edit-tenant', key, '--email', 'nope']);
    expect(bad.code).toBe(2);
    expect((await cli(['edit-tenant', key])).code).toBe(2);
    const shown = JSON.parse((await cli(['show-tenant', key, '--json'])).stdout) as { tenant: Record<string, string> };
    expect(shown.tenant).toMatchObject({ name: 'Acme Inc', email: 'ops@acme.com', notes: 'Series A' });
  });
});
