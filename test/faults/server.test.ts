import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { buildFaultApp, type FaultApp, timed } from './app.ts';
import { fillUp, type Mount, makeReadOnly, smallTmpfs, tempFilesUnder } from './mounts.ts';

let root: string | undefined;
let t: FaultApp | undefined;
const mounts: Mount[] = [];
afterEach(async () => {
  for (const m of mounts.splice(0).reverse()) m.cleanup();
  await t?.close();
  t = undefined;
  if (root) fs.rmSync(root, { recursive: true, force: true });
  root = undefined;
});

async function start(dataDir?: string): Promise<FaultApp> {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'opsorch-faults-'));
  t = await buildFaultApp(dataDir ?? path.join(root, 'data'));
  return t;
}

async function newTenant(app: FaultApp): Promise<string> {
  const res = await app.asAdmin({
    method: 'POST',
    url: '/api/admin/tenants',
    payload: { name: 'Acme Corp', email: 'ops@acme.com' },
  });
  expect(res.statusCode).toBe(201);
  return res.json().tenant.key as string;
}

const chat = (app: FaultApp, key: string, message: string) =>
  app.asTenant(key, { method: 'POST', url: '/api/chat', payload: { message } });

describe('a corrupt graph_state.json', () => {
  test('chat answers honestly (not "no data"); the trace holds no absolute path; the log says which file', async () => {
    const app = await start();
    const key = await newTenant(app);
    fs.writeFileSync(path.join(app.dataDir, key, 'graph_state.json'), '{"metrics": [1, 2,');
    const res = await chat(app, key, 'What was our ARR last month?');
    expect(res.statusCode).toBe(200);
    const answer = res.json().answer as string;
    expect(answer).toMatch(/^I couldn't read your data \(.+\); the operator has been told/);
    expect(answer).not.toMatch(/don't have any metric data|upload a metrics export/i);

    const session = res.json().session_id as string;
    const trace = await app.asTenant(key, { method: 'GET', url: `/api/traces/${session}` });
    expect(trace.statusCode).toBe(200);
    expect(trace.body).toContain('corrupt_file');
    expect(trace.body).not.toContain(app.dataDir);
    expect(trace.body).not.toMatch(/"\/(tmp|data|home|root|work)\//);
    // The operator is told: the file relative to the data directory, never the absolute path or the key.
    const told = app.lines.find((l) => l.includes('storage fault'));
    expect(told).toBeDefined();
    expect(told).toContain('graph_state.json');
    expect(told).not.toContain(app.dataDir);
    expect(app.lines.join('\n')).not.toContain(key);
  });
});

describe('a read-only registry', () => {
  test('login, chat and admin create answer 503 storage_unavailable in under 3 s; health says so', async () => {
    const app = await start();
    const key = await newTenant(app);
    const ro = makeReadOnly(path.join(app.dataDir, '_admin'));
    if (!ro) return;
    mounts.push(ro);
    for (const [what, call] of [
      ['login', () => app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { access_key: key } })],
      ['chat', () => chat(app, key, 'hello')],
      [
        'create',
        () => app.asAdmin({ method: 'POST', url: '/api/admin/tenants', payload: { name: 'Beta', email: 'b@b.co' } }),
      ],
    ] as const) {
      const { value: res, ms } = await timed(call);
      expect(ms, what).toBeLessThan(3000);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(503);
      expect(res.json().error.code, what).toBe('storage_unavailable');
      expect(res.body).not.toContain(app.dataDir);
      expect(res.headers['content-security-policy']).toBeTruthy();
    }
    const health = await app.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({
      status: 'degraded',
      storage: { writable: false },
      problems: [{ part: 'storage', code: 'storage_unavailable' }],
    });
    // Nothing in the log prints the key whole.
    expect(app.lines.join('\n')).not.toContain(key);
  });
});

describe('a full disk', () => {
  test('507 storage_full (or 503) with a storage code in under 3 s; no *.tmp-* left; health 503', async () => {
    const tmpfs = smallTmpfs('2m');
    if (!tmpfs) return;
    mounts.push(tmpfs);
    const app = await start(path.join(tmpfs.dir, 'data'));
    const key = await newTenant(app);
    fillUp(tmpfs.dir);
    for (const [what, call] of [
      ['login', () => app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { access_key: key } })],
      ['chat', () => chat(app, key, 'What was our ARR last month?')],
      [
        'create',
        () => app.asAdmin({ method: 'POST', url: '/api/admin/tenants', payload: { name: 'Beta', email: 'b@b.co' } }),
      ],
    ] as const) {
      const { value: res, ms } = await timed(call);
      expect(ms, what).toBeLessThan(3000);
      expect([503, 507], `${what}: ${res.body}`).toContain(res.statusCode);
      expect(['storage_full', 'storage_unavailable'], what).toContain(res.json().error.code);
    }
    expect(tempFilesUnder(app.dataDir)).toEqual([]);
    const health = await app.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().problems).toContainEqual(expect.objectContaining({ part: 'storage', code: 'storage_full' }));
  });
});

describe('health', () => {
  test('a corrupt registry: 503 with the registry named, no path', async () => {
    const app = await start();
    await newTenant(app);
    fs.writeFileSync(path.join(app.dataDir, '_admin', 'tenants.json'), '{"tenants": [');
    const res = await app.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      status: 'degraded',
      storage: { writable: true },
      problems: [{ part: 'registry', code: 'corrupt_file' }],
    });
    expect(res.body).not.toContain(app.dataDir);
  });
});

describe('every response in shape', () => {
  test('an undecodable URL: 400 in the error shape with the security headers', async () => {
    const app = await start();
    for (const url of ['/api/documents/%c0%ae', '/api/%E0%A4%A']) {
      const res = await app.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  test('a text/plain body is 415 unsupported_media_type', async () => {
    const app = await start();
    const res = await app.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'acme_corp_A1B2C3D4',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
    expect(res.headers['content-security-policy']).toBeTruthy();
  });
});
