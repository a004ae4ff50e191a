import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import { redactKey, redactUrl } from '../../src/server/redact.ts';

const SECRET = 'admin-secret-for-logging-test';
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
});

test('one JSON line per request; keys only as their slug; the admin secret never', async () => {
  const root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-log-'));
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({ DATA_DIR: path.join(root, 'data'), ADMIN_SECRET: SECRET, LOG_LEVEL: 'info' }, root);
  const app = await buildApp({
    config,
    clock: fixedClock('2026-01-10T12:00:00Z'),
    logger: { stream },
    webDir: path.join(root, 'web'),
  });
  cleanup = async () => {
    await app.close();
    await fs.promises.rm(root, { recursive: true, force: true });
  };
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/tenants',
    headers: { 'x-admin-secret': SECRET },
    payload: { name: 'Acme Corp', email: 'ops@acme.com' },
  });
  const key = created.json().tenant.key as string;
  await app.inject({ method: 'POST', url: '/api/auth/login', payload: { access_key: key } });
  await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${key}` } });
  await app.inject({ method: 'GET', url: `/api/admin/tenants/${key}`, headers: { 'x-admin-secret': SECRET } });
  await app.inject({ method: 'GET', url: '/api/admin/stats', headers: { 'x-admin-secret': `${SECRET}x` } });
  await app.inject({ method: 'GET', url: `/api/me?key=${key}`, headers: { authorization: `Bearer ${key}` } });

  const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
  expect(requests).toHaveLength(6);
  expect(requests.map((r) => r.status)).toEqual([201, 200, 200, 200, 403, 200]);
  expect(requests[2]).toMatchObject({ method: 'GET', url: '/api/me', tenant: 'acme_corp_********' });
  expect(requests[3].url).toBe('/api/admin/tenants/acme_corp_********');
  expect(requests[5].url).toBe('/api/me?key=acme_corp_********');
  const all = lines.join('\n');
  expect(all).not.toContain(key);
  expect(all).not.toContain(SECRET);
});

test('redaction helpers', () => {
  expect(redactKey('acme_corp_A1B2C3D4')).toBe('acme_corp_********');
  expect(redactKey('LEGACYKEY123456')).toBe('LEGA********');
  expect(redactUrl('/api/admin/tenants/LEGACYKEY123456')).toBe('/api/admin/tenants/LEGA********');
  expect(redactUrl('/api/admin/tenants/beta_E5F6G7H8/extra?x=beta_E5F6G7H8')).toBe(
    '/api/admin/tenants/beta_********/extra?x=beta_********',
  );
});
