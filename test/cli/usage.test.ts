import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.ts';

let cwd: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;
const dataDir = () => path.join(cwd, 'data');
const registry = () => path.join(dataDir(), '_admin', 'tenants.json');
const cli = (args: string[], extra: Record<string, string> = {}, input?: string) =>
  runCli(args, { cwd, env: { ...env, ...extra }, input });

beforeEach(async () => {
  ({ dir: cwd, cleanup } = await tempDir());
  env = { DATA_DIR: 'data', OPSORCHESTRA_FIXED_NOW: '2026-01-02T15:30:00Z' };
});
afterEach(() => cleanup());

describe('admin CLI: usage, configuration and storage errors', () => {
  it('usage errors exit 2, help exits 0, DATA_DIR defaults to .agent', async () => {
    const [unknown, none, help, flag, list] = await Promise.all([
      cli(['bogus']),
      cli([]),
      cli(['--help']),
      cli(['list-tenants', '--bogus']),
      runCli(['list-tenants', '--json'], { cwd }),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown command 'bogus'/);
    expect(none.code).toBe(2);
    expect(help.code).toBe(0);
    for (const c of ['create-tenant', 'list-tenants', 'show-tenant', 'revoke-tenant', 'import-legacy-keys']) {
      expect(help.stdout).toContain(c);
    }
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe("error: unknown option '--bogus'\n");
    expect(list).toEqual({ code: 0, stdout: '{\n  "tenants": []\n}\n', stderr: '' });
  });

  it('a bad configuration value and a corrupt registry are one-line errors, exit 1, file untouched', async () => {
    const config = await cli(['list-tenants'], { PUBLIC_APP_URL: 'ftp://nope' });
    expect(config).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: PUBLIC_APP_URL must be an http(s) URL, got "ftp://nope".\n',
    });

    fs.mkdirSync(path.dirname(registry()), { recursive: true });
    fs.writeFileSync(registry(), '{"version": 1, "tenants": [ {');
    const corrupt = await cli(['create-tenant', '--name', 'A', '--email', 'a@a.io']);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr.trim().split('\n')).toHaveLength(1);
    expect(corrupt.stderr).toContain('data/_admin/tenants.json is not valid JSON');
    expect(corrupt.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(registry(), 'utf8')).toBe('{"version": 1, "tenants": [ {');
  });
});
