import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminPaths, tenantScope } from '../../src/store/paths.ts';
import { readAudit } from '../../src/tenants/audit.ts';
import { buildTestApp, errorCode, type TestApp } from './helpers.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('rotate key, edit partner, duplicate warning (admin API)', () => {
  it('rotates: a new key on the same data, the old key refused at once, a new welcome email, an audit line without the key', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    // Some data of the partner's, to see it survive the rotation.
    const marker = path.join(tenantScope(t.config.dataDir, acme.key).dir, 'documents', 'marker.txt');
    fs.writeFileSync(marker, 'kept');
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(acme.key) })).statusCode).toBe(200);

    const res = await t.asAdmin({ method: 'POST', url: `/api/admin/tenants/${acme.key}/rotate-key` });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      tenant: { key: string; access_key: string; key_rotated_at: string };
      access_key: string;
      welcome_email: { body: string };
    };
    expect(body.access_key).toMatch(/^acme_corp_[A-Z0-9]{8}$/);
    expect(body.access_key).not.toBe(acme.key);
    expect(body.tenant).toMatchObject({ key: acme.key, access_key: body.access_key });
    expect(body.welcome_email.body).toContain(body.access_key);
    expect(body.welcome_email.body).not.toContain(acme.key);
    expect(body.welcome_email.body).toContain('replaces the previous one');

    const old = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(acme.key) });
    expect(old.statusCode).toBe(401);
    expect(errorCode(old)).toBe('invalid_access_key');
    const fresh = await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(body.access_key) });
    expect(fresh.statusCode).toBe(200);
    expect(fs.readFileSync(marker, 'utf8')).toBe('kept');
    expect(fs.existsSync(tenantScope(t.config.dataDir, body.access_key).dir)).toBe(false);

    // The operator's views show the current key, and find the partner by either.
    const list = (await t.asAdmin({ method: 'GET', url: '/api/admin/tenants' })).json() as {
      tenants: Array<{ key: string; access_key: string }>;
    };
    expect(list.tenants[0]).toMatchObject({ key: acme.key, access_key: body.access_key });
    expect((await t.asAdmin({ method: 'GET', url: `/api/admin/tenants/${body.access_key}` })).statusCode).toBe(200);
    const welcome = await t.asAdmin({ method: 'GET', url: `/api/admin/tenants/${acme.key}/welcome-email` });
    expect((welcome.json() as { body: string }).body).toContain(body.access_key);

    const audit = await readAudit(adminPaths(t.config.dataDir).auditFile);
    const line = audit.find((a) => a.action === 'rotate_key');
    expect(line).toMatchObject({ tenant: acme.key, via: 'api' });
    expect(JSON.stringify(line)).not.toContain(body.access_key);
    expect(JSON.stringify(line?.detail)).toContain('••••');

    // A revoked partner gets no new key; an unknown one is not found.
    await t.asAdmin({ method: 'DELETE', url: `/api/admin/tenants/${acme.key}` });
    const revoked = await t.asAdmin({ method: 'POST', url: `/api/admin/tenants/${acme.key}/rotate-key` });
    expect(revoked.statusCode).toBe(409);
    expect(errorCode(revoked)).toBe('tenant_revoked');
    const unknown = await t.asAdmin({ method: 'POST', url: '/api/admin/tenants/nobody_AAAAAAAA/rotate-key' });
    expect(unknown.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: bearer(body.access_key) })).statusCode).toBe(
      401,
    );
  });

  it('edits name, email and notes; bad input is refused and nothing changes', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    const res = await t.asAdmin({
      method: 'PATCH',
      url: `/api/admin/tenants/${acme.key}`,
      payload: { name: 'Acme Inc', email: 'Finance@Acme.io', notes: 'Series A' },
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { tenant: unknown }).tenant).toMatchObject({
      key: acme.key,
      name: 'Acme Inc',
      email: 'finance@acme.io',
      notes: 'Series A',
    });
    const bad = await t.asAdmin({ method: 'PATCH', url: `/api/admin/tenants/${acme.key}`, payload: { email: 'nope' } });
    expect(bad.statusCode).toBe(400);
    const extra = await t.asAdmin({ method: 'PATCH', url: `/api/admin/tenants/${acme.key}`, payload: { key: 'x' } });
    expect(extra.statusCode).toBe(400);
    expect((await t.services.tenants.get(acme.key))?.email).toBe('finance@acme.io');
    const audit = await readAudit(adminPaths(t.config.dataDir).auditFile);
    expect(audit.filter((a) => a.action === 'edit').map((a) => a.detail)).toEqual([
      { fields: ['name', 'email', 'notes'] },
    ]);
  });

  it('does not create a duplicate partner silently: refused on request (the admin view), named in the 201 otherwise', async () => {
    t = await buildTestApp();
    const first = await t.asAdmin({
      method: 'POST',
      url: '/api/admin/tenants',
      payload: { name: 'Acme Corp', email: 'ops@acme.com' },
    });
    expect(first.statusCode).toBe(201);
    for (const payload of [
      { name: 'Acme Corp', email: 'ops@acme.com' },
      { name: '  acme   corp ', email: 'other@acme.com' },
      { name: 'Acme Holdings', email: 'OPS@acme.com' },
    ]) {
      const dup = await t.asAdmin({
        method: 'POST',
        url: '/api/admin/tenants',
        payload: { ...payload, on_duplicate: 'refuse' },
      });
      expect(dup.statusCode, JSON.stringify(payload)).toBe(409);
      expect(errorCode(dup)).toBe('duplicate_tenant');
      expect(dup.body).toContain('Acme Corp');
    }
    expect(await t.services.tenants.list()).toHaveLength(1);
    // A script that does not ask (the default) gets its partner, and the answer names the look-alike.
    const scripted = await t.asAdmin({
      method: 'POST',
      url: '/api/admin/tenants',
      payload: { name: 'Acme Corp', email: 'ops@acme.com' },
    });
    expect(scripted.statusCode).toBe(201);
    expect(scripted.json().duplicates).toEqual([
      expect.objectContaining({ name: 'Acme Corp', email: 'ops@acme.com', status: 'active' }),
    ]);
    expect(JSON.stringify(scripted.json().duplicates)).not.toMatch(/_[A-Z0-9]{8}/);
    const forced = await t.asAdmin({
      method: 'POST',
      url: '/api/admin/tenants',
      payload: { name: 'Acme Corp', email: 'ops@acme.com', on_duplicate: 'create' },
    });
    expect(forced.statusCode).toBe(201);
    expect(await t.services.tenants.list()).toHaveLength(3);
    // A partner like no other: nothing to name.
    const fresh = await t.asAdmin({
      method: 'POST',
      url: '/api/admin/tenants',
      payload: { name: 'Globex', email: 'ops@globex.com', on_duplicate: 'refuse' },
    });
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json().duplicates).toEqual([]);
  });
});
