import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliSandbox, runCli } from './run-cli.ts';

const { cli, cwd, registry } = cliSandbox();

describe('admin CLI: usage, configuration and storage errors', () => {
  it('usage errors exit 2, help exits 0, DATA_DIR defaults to .agent', async () => {
    const [unknown, none, help, flag, list] = await Promise.all([
      cli(['bogus']),
      cli([]),
      cli(['--help']),
      cli(['list-tenants', '--bogus']),
      runCli(['list-tenants', '--json'], { cwd: cwd() }),
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
