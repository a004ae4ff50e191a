import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { adminPaths } from '../../src/store/paths.ts';
import { buildTestApp, errorCode, type TestApp } from './helpers.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

describe('GET /api/health', () => {
  test('answers without auth, says which engine and never a secret', async () => {
    t = await buildTestApp({
      env: {
        ANTHROPIC_API_KEY: 'sk-ant-secret-value-123',
        LANGFUSE_PUBLIC_KEY: 'pk-lf-1',
        LANGFUSE_SECRET_KEY: 'sk-lf-2',
      },
    });
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      storage: { backend: 'file', writable: true },
      analyst: 'claude',
      langfuse: true,
      seed_graph: true,
    });
    for (const secret of ['sk-ant-secret-value-123', 'sk-lf-2', 'test-admin-secret']) {
      expect(res.body).not.toContain(secret);
    }
  });

  test('local engine by default; 503 degraded when the data directory is gone', async () => {
    t = await buildTestApp();
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).json().analyst).toBe('local');
    await fs.promises.rm(t.dataDir, { recursive: true });
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'degraded', storage: { writable: false } });
  });
});

describe('POST /api/auth/login', () => {
  test('a valid key logs in and the login is recorded', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    const login = () => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { access_key: acme.key } });
    const res = await login();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ tenant: { id: acme.key, name: 'Acme Corp' } });
    t.clock.set('2026-01-11T09:00:00Z');
    await login();
    const record = await t.services.tenants.get(acme.key);
    expect(record).toMatchObject({
      login_count: 2,
      first_login_at: '2026-01-10T12:00:00Z',
      last_login_at: '2026-01-11T09:00:00Z',
    });
  });

  test('unknown and revoked keys are refused with their codes', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { access_key: 'acme_corp_ZZZZZZZZ' },
    });
    expect(bad.statusCode).toBe(401);
    expect(errorCode(bad)).toBe('invalid_access_key');
    await t.services.tenants.revoke(acme.key, { via: 'cli' });
    const revoked = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { access_key: acme.key } });
    expect(revoked.statusCode).toBe(401);
    expect(errorCode(revoked)).toBe('access_key_revoked');
    expect((await t.services.tenants.get(acme.key))?.login_count).toBe(0);
  });

  test('bad bodies: missing field, unknown field, wrong type, bad JSON, wrong media type, too large', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    const post = (payload: string, contentType = 'application/json') =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload, headers: { 'content-type': contentType } });

    const cases: [string, number, string][] = [
      ['{}', 400, 'invalid_request'],
      [JSON.stringify({ access_key: acme.key, tenant_id: 'someone_else' }), 400, 'invalid_request'],
      [JSON.stringify({ access_key: 42 }), 400, 'invalid_request'],
      ['{"access_key": ', 400, 'invalid_request'],
      [JSON.stringify({ access_key: `${acme.key}${' '.repeat(1024 * 1024)}` }), 413, 'payload_too_large'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post(payload);
      expect(res.statusCode, payload.slice(0, 60)).toBe(status);
      expect(errorCode(res)).toBe(code);
      expect(Object.keys(res.json().error).sort()).toEqual(['code', 'message']);
    }
    const text = await post(`access_key=${acme.key}`, 'application/x-www-form-urlencoded');
    expect(text.statusCode).toBe(415);
    expect(errorCode(text)).toBe('unsupported_media_type');
    // None of these counted as a login.
    expect((await t.services.tenants.get(acme.key))?.login_count).toBe(0);
  });
});

describe('GET /api/me and the tenant guard', () => {
  test('profile and usage of the key holder, without the operator notes', async () => {
    t = await buildTestApp();
    const acme = await t.services.tenants.create(
      { name: 'Acme Corp', email: 'ops@acme.com', notes: 'operator-only note' },
      { via: 'cli' },
    );
    await t.services.tenants.recordQuery(acme.key, { inputTokens: 100, outputTokens: 20 });
    t.clock.set('2026-01-12T08:00:00Z');
    await t.services.tenants.recordQuery(acme.key, { inputTokens: 5, outputTokens: 5 });
    const res = await t.asTenant(acme.key, { method: 'GET', url: '/api/me' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.tenant).toEqual({
      id: acme.key,
      name: 'Acme Corp',
      email: 'ops@acme.com',
      status: 'active',
      created_at: '2026-01-10T12:00:00Z',
      query_count: 2,
      last_active: '2026-01-12T08:00:00Z',
      tokens: { input: 105, output: 25 },
      first_login_at: null,
      last_login_at: null,
      login_count: 0,
    });
    expect(body.usage).toMatchObject({
      query_count: 2,
      last_active: '2026-01-12T08:00:00Z',
      queries_last_7_days: 2,
      tokens: { input: 105, output: 25 },
      tokens_today: 10,
    });
    expect(body.usage.queries_by_day).toHaveLength(30);
    expect(body.usage.queries_by_day.at(-1)).toEqual({ date: '2026-01-12', queries: 1 });
    expect(body.usage.queries_by_day.at(-3)).toEqual({ date: '2026-01-10', queries: 1 });
    expect(res.body).not.toContain('operator-only note');
  });

  test('missing, malformed, unknown and revoked keys → 401 with distinct codes', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    const me = (authorization?: string) =>
      t.app.inject({ method: 'GET', url: '/api/me', headers: authorization ? { authorization } : {} });
    const cases: [string | undefined, string][] = [
      [undefined, 'missing_access_key'],
      ['', 'missing_access_key'],
      [`Basic ${acme.key}`, 'missing_access_key'],
      ['Bearer', 'missing_access_key'],
      [acme.key, 'missing_access_key'],
      ['Bearer acme_corp_ZZZZZZZZ', 'invalid_access_key'],
      [`Bearer ${acme.key.toLowerCase()}`, 'invalid_access_key'],
      [`Bearer ${'x'.repeat(500)}`, 'invalid_access_key'],
    ];
    for (const [header, code] of cases) {
      const res = await me(header);
      expect(res.statusCode, String(header)).toBe(401);
      expect(errorCode(res), String(header)).toBe(code);
    }
    expect((await me(`bearer ${acme.key}`)).statusCode).toBe(200);
    await t.services.tenants.revoke(acme.key, { via: 'cli' });
    const revoked = await me(`Bearer ${acme.key}`);
    expect(revoked.statusCode).toBe(401);
    expect(errorCode(revoked)).toBe('access_key_revoked');
  });
});

describe('hardening', () => {
  test('security headers everywhere; no-store on API data', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    for (const res of [
      await t.asTenant(acme.key, { method: 'GET', url: '/api/me' }),
      await t.asAdmin({ method: 'GET', url: '/api/admin/stats' }),
      await t.app.inject({ method: 'GET', url: '/api/me' }),
    ]) {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const page = await t.app.inject({ method: 'GET', url: '/' });
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  test('CORS is closed by default and open only to FRONTEND_ORIGIN', async () => {
    t = await buildTestApp();
    const closed = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/me',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    expect(closed.headers['access-control-allow-origin']).toBeUndefined();
    await t.close();

    t = await buildTestApp({ env: { FRONTEND_ORIGIN: 'https://app.example.com' } });
    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/api/me',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const ok = await preflight('https://app.example.com');
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(ok.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    const other = await preflight('https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).not.toBe('https://evil.example.com');
  });

  test('unknown API routes answer 404 JSON', async () => {
    t = await buildTestApp();
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['POST', '/api/nope'],
      ['DELETE', '/api/me'],
      ['GET', '/api'],
    ] as const) {
      const res = await t.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(errorCode(res)).toBe('not_found');
    }
  });

  test('5xx answers hide internals (paths, messages)', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    const { tenantsFile } = adminPaths(t.dataDir);
    await fs.promises.writeFile(tenantsFile, '{ not json');
    const corrupt = await t.asTenant(acme.key, { method: 'GET', url: '/api/me' });
    expect(corrupt.statusCode).toBe(500);
    expect(errorCode(corrupt)).toBe('corrupt_file');
    expect(corrupt.body).not.toContain(t.dataDir);

    await fs.promises.rm(tenantsFile);
    await fs.promises.mkdir(tenantsFile);
    const broken = await t.asTenant(acme.key, { method: 'GET', url: '/api/me' });
    expect(broken.statusCode).toBe(500);
    expect(broken.json()).toEqual({ error: { code: 'internal_error', message: 'Internal server error.' } });
    expect(path.isAbsolute(t.dataDir)).toBe(true);
  });
});
