import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_ADMIN_SECRET, type TestApp } from '../server/helpers.ts';
import { adminCommands, curlCommands, keySlug } from './doc-commands.ts';

/**
 * The HTTP calls the docs show (`curl` in README.md and docs/operator-guide.md) are made, in order,
 * against an in-process server with an admin secret: each must succeed. The guide's partners exist
 * first (created as its CLI examples create them), and example keys become the real ones.
 */
const root = path.resolve(import.meta.dirname, '../..');
const docs = ['README.md', 'docs/operator-guide.md'].map((f) => fs.readFileSync(path.join(root, f), 'utf8'));
const requests = docs.flatMap(curlCommands);

describe('the HTTP calls the docs show', () => {
  let t: TestApp;
  const created = new Map<string, string>();

  beforeAll(async () => {
    t = await buildTestApp();
    for (const command of adminCommands(docs[1] ?? '').filter((c) => c.args[0] === 'create-tenant')) {
      const opt = (name: string) => command.args[command.args.indexOf(name) + 1] ?? '';
      const tenant = await t.services.tenants.create(
        { name: opt('--name'), email: opt('--email'), notes: command.args.includes('--notes') ? opt('--notes') : '' },
        { via: 'cli' },
      );
      created.set(tenant.key.slice(0, -9), tenant.key);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('shows the admin API for create, stats, show, welcome email and revoke', () => {
    const shown = requests.map(
      (r) => `${r.method} ${r.url.replace(/^.*?\/api\//, '/api/').replace(/[a-z_]+_[A-Z0-9]{8}/, 'KEY')}`,
    );
    for (const call of [
      'GET /api/health',
      'POST /api/admin/tenants',
      'GET /api/admin/stats',
      'GET /api/admin/tenants/KEY',
      'GET /api/admin/tenants/KEY/welcome-email',
      'DELETE /api/admin/tenants/KEY',
    ]) {
      expect(shown).toContain(call);
    }
  });

  it('every call succeeds', async () => {
    for (const request of requests) {
      const url = request.url
        .replace(/^(\$APP|http:\/\/localhost:8000)/, '')
        .replace(/[a-z0-9_]+_[A-Z0-9]{8}/g, (key) => created.get(keySlug(key) ?? '') ?? key);
      expect(url, request.line).toMatch(/^\/api\//);
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, v.replace('$ADMIN_SECRET', TEST_ADMIN_SECRET)]),
      );
      const res = await t.app.inject({
        method: request.method as 'GET',
        url,
        headers,
        ...(request.body === undefined ? {} : { payload: request.body }),
      });
      expect(res.statusCode, `${request.line}\n${res.body}`).toBeLessThan(300);
      const key = (res.json() as { tenant?: { key?: string } }).tenant?.key;
      if (request.method === 'POST' && key) created.set(key.slice(0, -9), key);
    }
  });
});
