import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { buildTestApp, errorCode, type TestApp } from './helpers.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'src', 'cli', 'main.ts');

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

/** The operator's CLI as a real process on the server's DATA_DIR (as `npm run admin -- …` runs it). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: t.dataDir, OPSORCHESTRA_FIXED_NOW: '2026-01-10T12:00:00Z' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the CLI and the running server share one registry', () => {
  test('a CLI revoke in another process → the very next request is 401 access_key_revoked', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    // Warm the server's cache first, as a running server would have.
    expect((await t.asTenant(acme.key, { method: 'GET', url: '/api/me' })).statusCode).toBe(200);
    const revoke = await cli(['revoke-tenant', acme.key, '--force']);
    expect(revoke.code).toBe(0);
    const me = await t.asTenant(acme.key, { method: 'GET', url: '/api/me' });
    expect(me.statusCode).toBe(401);
    expect(errorCode(me)).toBe('access_key_revoked');
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { access_key: acme.key } });
    expect(errorCode(login)).toBe('access_key_revoked');
  });

  test('create/list/show/revoke parity between the admin API and the CLI', async () => {
    t = await buildTestApp();
    // The API also says which key signs in now (`access_key`, the same as `key` until a rotation).
    const api = <T extends { key: string; access_key?: string }>(r: T) => {
      const { access_key, ...rest } = r;
      expect(access_key).toBe(r.key);
      return rest;
    };
    // Created through the API → the CLI shows the same record.
    const viaApi = (
      await t.asAdmin({
        method: 'POST',
        url: '/api/admin/tenants',
        payload: { name: 'Acme Corp', email: 'a@acme.com' },
      })
    ).json().tenant;
    const viaApiRecord = api(viaApi);
    const cliShow = await cli(['show-tenant', viaApi.key, '--json']);
    expect(cliShow.code).toBe(0);
    expect(JSON.parse(cliShow.stdout).tenant).toEqual(viaApiRecord);

    // Created through the CLI → the API shows the same record, same signals.
    const cliCreate = await cli(['create-tenant', '--name', 'Beta Inc', '--email', 'b@beta.io', '--json']);
    expect(cliCreate.code).toBe(0);
    const viaCli = JSON.parse(cliCreate.stdout).tenant;
    const apiShow = (await t.asAdmin({ method: 'GET', url: `/api/admin/tenants/${viaCli.key}` })).json();
    expect(api(apiShow.tenant)).toEqual(viaCli);
    expect(apiShow.signals).toEqual(JSON.parse((await cli(['show-tenant', viaCli.key, '--json'])).stdout).signals);

    // Lists agree, before and after a revoke from each side.
    const listsAgree = async (all: boolean) => {
      const fromCli = JSON.parse((await cli(['list-tenants', ...(all ? ['--all'] : []), '--json'])).stdout).tenants;
      const fromApi = (await t.asAdmin({ method: 'GET', url: `/api/admin/tenants${all ? '?all=true' : ''}` })).json()
        .tenants;
      expect(fromApi.map(api)).toEqual(fromCli);
      return fromApi.map((x: { key: string }) => x.key);
    };
    expect(await listsAgree(false)).toEqual([viaApi.key, viaCli.key]);
    await t.asAdmin({ method: 'DELETE', url: `/api/admin/tenants/${viaCli.key}` });
    const cliRevokeAgain = JSON.parse((await cli(['revoke-tenant', viaCli.key, '--force', '--json'])).stdout);
    expect(cliRevokeAgain.already_revoked).toBe(true);
    await cli(['revoke-tenant', viaApi.key, '--force']);
    const apiRevokeAgain = (await t.asAdmin({ method: 'DELETE', url: `/api/admin/tenants/${viaApi.key}` })).json();
    expect(apiRevokeAgain.already_revoked).toBe(true);
    expect(await listsAgree(false)).toEqual([]);
    expect(await listsAgree(true)).toEqual([viaApi.key, viaCli.key]);
  });

  test('the same validation and not-found errors on both sides', async () => {
    t = await buildTestApp();
    const cliBad = await cli(['create-tenant', '--name', 'Acme', '--email', 'nope', '--json']);
    const apiBad = await t.asAdmin({
      method: 'POST',
      url: '/api/admin/tenants',
      payload: { name: 'Acme', email: 'nope' },
    });
    expect(cliBad.code).not.toBe(0);
    expect(apiBad.statusCode).toBe(400);
    expect(cliBad.stderr).toContain(apiBad.json().error.message);

    const cliMissing = await cli(['show-tenant', 'acme_corp_ZZZZZZZZ']);
    const apiMissing = await t.asAdmin({ method: 'GET', url: '/api/admin/tenants/acme_corp_ZZZZZZZZ' });
    expect(cliMissing.code).toBe(1);
    expect(apiMissing.statusCode).toBe(404);
    const unquote = (s: string) => s.replaceAll('"', '').trim();
    expect(unquote(cliMissing.stderr)).toContain(unquote(apiMissing.json().error.message));
  });
});
