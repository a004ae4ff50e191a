import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { adminPaths, tenantScope } from '../../src/store/paths.ts';
import { readAudit } from '../../src/tenants/audit.ts';
import { buildTestApp, errorCode, TEST_ADMIN_SECRET, type TestApp } from './helpers.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const ADMIN_ROUTES = [
  ['GET', '/api/admin/stats'],
  ['GET', '/api/admin/tenants'],
  ['GET', '/api/admin/tenants?all=true'],
  ['POST', '/api/admin/tenants'],
  ['GET', '/api/admin/tenants/acme_corp_A1B2C3D4'],
  ['DELETE', '/api/admin/tenants/acme_corp_A1B2C3D4'],
  ['GET', '/api/admin/tenants/acme_corp_A1B2C3D4/welcome-email'],
  ['PATCH', '/api/admin/tenants/acme_corp_A1B2C3D4'],
  ['POST', '/api/admin/tenants/acme_corp_A1B2C3D4/rotate-key'],
] as const;

describe('admin guard', () => {
  test('no ADMIN_SECRET → 503 admin_disabled on every admin route', async () => {
    t = await buildTestApp({ env: { ADMIN_SECRET: '' } });
    for (const [method, url] of ADMIN_ROUTES) {
      const res = await t.app.inject({
        method,
        url,
        headers: { 'x-admin-secret': TEST_ADMIN_SECRET },
        payload: method === 'POST' ? { name: 'X', email: 'x@example.com' } : undefined,
      });
      expect(res.statusCode, `${method} ${url}`).toBe(503);
      expect(errorCode(res)).toBe('admin_disabled');
    }
    expect(await t.services.tenants.list({ all: true })).toEqual([]);
  });

  test('header missing → 401; wrong (any length) → 403; right → 200', async () => {
    t = await buildTestApp();
    for (const [i, [method, url]] of ADMIN_ROUTES.entries()) {
      // One address per route: three wrong secrets each stay under the failed-auth throttle.
      const remoteAddress = `10.0.${i}.1`;
      const missing = await t.app.inject({ method, url, remoteAddress });
      expect(missing.statusCode, `${method} ${url}`).toBe(401);
      expect(errorCode(missing)).toBe('admin_secret_required');
      for (const wrong of ['x', `${TEST_ADMIN_SECRET}x`, TEST_ADMIN_SECRET.toUpperCase()]) {
        const res = await t.app.inject({ method, url, remoteAddress, headers: { 'x-admin-secret': wrong } });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(errorCode(res)).toBe('invalid_admin_secret');
      }
    }
    expect((await t.asAdmin({ method: 'GET', url: '/api/admin/stats' })).statusCode).toBe(200);
  });

  test('a tenant key is not an admin credential', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    const res = await t.asTenant(acme.key, { method: 'GET', url: '/api/admin/stats' });
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('admin_secret_required');
  });
});

describe('admin tenants API', () => {
  test('create answers 201 with the new tenant and its key; the audit log says who', async () => {
    t = await buildTestApp();
    const res = await t.asAdmin({
      method: 'POST',
      url: '/api/admin/tenants',
      payload: { name: 'Acme Corp', email: 'Ops@Acme.com', notes: 'met at SaaStr' },
      remoteAddress: '192.0.2.44',
    });
    expect(res.statusCode).toBe(201);
    const { tenant } = res.json();
    expect(tenant).toMatchObject({
      name: 'Acme Corp',
      email: 'ops@acme.com',
      notes: 'met at SaaStr',
      status: 'active',
      created_at: '2026-01-10T12:00:00Z',
      query_count: 0,
    });
    expect(tenant.key).toMatch(/^acme_corp_[A-Z0-9]{8}$/);
    expect(res.json().welcome_email).toMatchObject({ to: 'ops@acme.com', subject: expect.any(String) });
    expect(res.json().welcome_email.body).toContain(tenant.key);
    const again = await t.asAdmin({ method: 'GET', url: `/api/admin/tenants/${tenant.key}/welcome-email` });
    expect(again.json()).toEqual(res.json().welcome_email);
    expect({ ...(await t.services.tenants.get(tenant.key)), access_key: tenant.key }).toEqual(tenant);
    const audit = await readAudit(adminPaths(t.dataDir).auditFile);
    expect(audit.at(-1)).toMatchObject({ action: 'create', tenant: tenant.key, via: 'api', address: '192.0.2.44' });
  });

  test('create refuses bad input with the service message, unknown fields and wrong types; nothing written', async () => {
    t = await buildTestApp();
    const cases = [
      { name: 'Acme', email: 'not-an-email' },
      { name: '', email: 'ops@acme.com' },
      { name: 'Acme', email: 'ops@acme.com', notes: 'x'.repeat(2001) },
      { name: 'Acme', email: 'ops@acme.com', status: 'revoked' },
      { name: 'Acme', email: 'ops@acme.com', key: 'chosen_AAAAAAAA' },
      { name: 42, email: 'ops@acme.com' },
      { email: 'ops@acme.com' },
    ];
    for (const payload of cases) {
      const res = await t.asAdmin({ method: 'POST', url: '/api/admin/tenants', payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(errorCode(res)).toBe('invalid_request');
      expect(res.json().error.message.length).toBeGreaterThan(5);
    }
    const email = await t.asAdmin({
      method: 'POST',
      url: '/api/admin/tenants',
      payload: { name: 'Acme', email: 'not-an-email' },
    });
    expect(email.json().error.message).toMatch(/email/i);
    expect(await t.services.tenants.list({ all: true })).toEqual([]);
  });

  test('list (active, ?all=true), show, revoke, revoke again, unknown keys', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    const beta = await t.createTenant('Beta Inc');
    const keys = async (url: string) =>
      (await t.asAdmin({ method: 'GET', url })).json().tenants.map((x: { key: string }) => x.key);
    expect(await keys('/api/admin/tenants')).toEqual([acme.key, beta.key]);

    const revoked = await t.asAdmin({ method: 'DELETE', url: `/api/admin/tenants/${beta.key}` });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({
      already_revoked: false,
      tenant: { key: beta.key, status: 'revoked', revoked_at: '2026-01-10T12:00:00Z' },
    });
    const again = await t.asAdmin({ method: 'DELETE', url: `/api/admin/tenants/${beta.key}` });
    expect(again.json()).toMatchObject({ already_revoked: true, tenant: { status: 'revoked' } });

    expect(await keys('/api/admin/tenants')).toEqual([acme.key]);
    expect(await keys('/api/admin/tenants?all=true')).toEqual([acme.key, beta.key]);
    const badAll = await t.asAdmin({ method: 'GET', url: '/api/admin/tenants?all=maybe' });
    expect(badAll.statusCode).toBe(400);

    const show = await t.asAdmin({ method: 'GET', url: `/api/admin/tenants/${acme.key}` });
    expect(show.statusCode).toBe(200);
    expect(show.json()).toEqual({
      tenant: expect.objectContaining({ key: acme.key, name: 'Acme Corp' }),
      signals: [],
      disk: { documents: 0, sessions: 0, bytes: expect.any(Number) },
      storage: { stored_bytes: 0, quota_bytes: 2048 * 1024 * 1024, documents: 0, processing: 0 },
      feedback: { up: 0, down: 0, comments: [], questionnaire: null },
    });
    // Revocation applies to the tenant's very next request.
    const me = await t.asTenant(beta.key, { method: 'GET', url: '/api/me' });
    expect(errorCode(me)).toBe('access_key_revoked');

    for (const key of ['acme_corp_ZZZZZZZZ', '..%2F_admin', encodeURIComponent(path.join('..', acme.key)), '%00']) {
      for (const method of ['GET', 'DELETE'] as const) {
        const res = await t.asAdmin({ method, url: `/api/admin/tenants/${key}` });
        expect([400, 404], `${method} ${key}`).toContain(res.statusCode);
        if (res.statusCode === 404) expect(errorCode(res)).toMatch(/tenant_not_found|not_found/);
      }
    }
    const unknown = await t.asAdmin({ method: 'GET', url: '/api/admin/tenants/acme_corp_ZZZZZZZZ' });
    expect(errorCode(unknown)).toBe('tenant_not_found');
    const unknownRevoke = await t.asAdmin({ method: 'DELETE', url: '/api/admin/tenants/acme_corp_ZZZZZZZZ' });
    expect(unknownRevoke.statusCode).toBe(404);
    expect(errorCode(unknownRevoke)).toBe('tenant_not_found');
  });

  test("show includes the tenant's feedback and questionnaire", async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    const scope = tenantScope(t.dataDir, acme.key);
    const { sessions } = t.services.analyst;
    const session = await sessions.create(scope, 'What was our NRR?');
    for (const q of ['What was our NRR?', 'And GRR?']) await sessions.startTurn(scope, session.id, q, 'local');
    await sessions.setFeedback(scope, session.id, 1, { rating: 'up', comment: null, at: '2026-01-10T12:00:00Z' });
    await sessions.setFeedback(scope, session.id, 2, {
      rating: 'down',
      comment: 'Wrong quarter',
      at: '2026-01-10T12:05:00Z',
    });
    const res = await t.asAdmin({ method: 'GET', url: `/api/admin/tenants/${acme.key}` });
    expect(res.json().feedback).toEqual({
      up: 1,
      down: 1,
      comments: [
        {
          rating: 'down',
          comment: 'Wrong quarter',
          session_id: session.id,
          turn: 2,
          created_at: '2026-01-10T12:05:00Z',
        },
      ],
      questionnaire: null,
    });
  });

  test('stats: partners, queries, logins and each tenant with its signals', async () => {
    t = await buildTestApp({ now: '2026-01-01T00:00:00Z' });
    const acme = await t.createTenant('Acme Corp');
    const quiet = await t.createTenant('Quiet Co');
    const gone = await t.createTenant('Gone Ltd');
    await t.services.tenants.recordLogin(acme.key);
    for (let i = 0; i < 3; i++) await t.services.tenants.recordQuery(acme.key, { inputTokens: 10, outputTokens: 5 });
    await t.services.tenants.recordQuery(gone.key);
    await fs.promises.writeFile(path.join(t.dataDir, acme.key, 'documents', 'doc_aaaaaaaaaaaa.pdf'), '%PDF');
    await t.services.tenants.revoke(gone.key, { via: 'cli' });
    t.clock.set('2026-01-05T00:00:00Z');

    const res = await t.asAdmin({ method: 'GET', url: '/api/admin/stats' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      active_partners: 2,
      total_queries: 4,
      have_logged_in: 1,
      funnel: { created: 2, logged_in: 1, uploaded: 1, asked: 1, active_this_week: 1 },
    });
    const byKey = Object.fromEntries(body.tenants.map((x: { key: string }) => [x.key, x]));
    expect(byKey[acme.key]).toMatchObject({
      key: acme.key,
      notes: '',
      documents: 1,
      status: 'active',
      query_count: 3,
      queries_last_7_days: 3,
      login_count: 1,
      tokens: { input: 30, output: 15 },
      signals: [],
    });
    expect(byKey[quiet.key].signals).toEqual([{ signal: 'never_logged_in', action: 'send a reminder email' }]);
    expect(byKey[gone.key]).toMatchObject({ status: 'revoked', signals: [] });
  });
});
