import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { DATABASE_URL, hasPostgres, testDatabase } from '../storage/pg-helpers.ts';
import { startServer, stopAll } from './servers.ts';

/**
 * Two real server processes, each on its own DATA_DIR (no shared disk), sharing one fresh PostgreSQL
 * schema: they behave as one. Started at the same moment on the fresh database, both come up.
 */
const SECRET = 'a-long-admin-secret-for-tests';
let tmp: string;
let database: ReturnType<typeof testDatabase>;
let ports: [number, number];
let env: Record<string, string>;

const url = (i: number, p: string) => `http://127.0.0.1:${ports[i % 2]}${p}`;
async function call(i: number, p: string, init: RequestInit & { key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  if (init.body && typeof init.body === 'string') headers.set('content-type', 'application/json');
  const res = await fetch(url(i, p), { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  if (!hasPostgres) return;
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-two-'));
  database = testDatabase();
  env = { DATABASE_URL, DATABASE_SCHEMA: database.schema, ADMIN_SECRET: SECRET };
  // The same moment, a fresh schema: the migrations run once under the advisory lock.
  const a = startServer(tmp, { ...env, DATA_DIR: path.join(tmp, 'a') });
  const b = startServer(tmp, { ...env, DATA_DIR: path.join(tmp, 'b') });
  ports = [await a.listening, await b.listening];
}, 60_000);

afterAll(async () => {
  await stopAll();
  if (database) await database.drop();
  if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasPostgres)('two instances on one database', () => {
  let key: string;

  test('both came up; health says postgres', async () => {
    for (const i of [0, 1]) {
      const health = await call(i, '/api/health');
      expect(health.status).toBe(200);
      expect(health.body.storage.backend).toBe('postgres');
    }
  });

  test('a tenant created on one logs in on the other', async () => {
    const created = await call(0, '/api/admin/tenants', {
      method: 'POST',
      headers: { 'x-admin-secret': SECRET },
      body: JSON.stringify({ name: 'Acme Corp', email: 'ops@acme.com' }),
    });
    expect(created.status).toBe(201);
    key = created.body.tenant.key;
    const login = await call(1, '/api/auth/login', { method: 'POST', body: JSON.stringify({ access_key: key }) });
    expect(login.status).toBe(200);
    expect((await call(0, '/api/me', { key })).body.tenant.login_count).toBe(1);
  });

  test('40 concurrent chats in one session split across both: 40 turns, distinct numbers, 40 queries', async () => {
    const first = await call(0, '/api/chat', {
      method: 'POST',
      key,
      body: JSON.stringify({ message: 'What is our ARR?' }),
    });
    expect(first.status).toBe(200);
    const sessionId: string = first.body.session_id;
    const before = (await call(1, '/api/me', { key })).body.tenant.query_count;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(i, '/api/chat', {
          method: 'POST',
          key,
          body: JSON.stringify({ message: `What is our churn? (${i})`, session_id: sessionId }),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    expect(new Set(answers.map((a) => a.body.turn)).size).toBe(40);
    for (const i of [0, 1]) {
      const session = await call(i, `/api/sessions/${sessionId}`, { key });
      const numbers = session.body.turns.map((t: { turn: number }) => t.turn);
      expect(numbers).toEqual(Array.from({ length: 41 }, (_, n) => n + 1));
      expect(session.body.turns.every((t: { completed_at: string | null }) => t.completed_at)).toBe(true);
      expect((await call(i, '/api/me', { key })).body.tenant.query_count).toBe(before + 40);
    }
    // The trace written by both instances reads as one.
    const trace = await call(1, `/api/traces/${sessionId}`, { key });
    expect(trace.body.events.filter((e: { type: string }) => e.type === 'user_message')).toHaveLength(41);
  });

  test('feedback given on one instance shows on the other', async () => {
    const chat = await call(1, '/api/chat', {
      method: 'POST',
      key,
      body: JSON.stringify({ message: 'What is our NRR?' }),
    });
    const fb = await call(0, '/api/feedback', {
      method: 'POST',
      key,
      body: JSON.stringify({ session_id: chat.body.session_id, turn: 1, rating: 'down', comment: 'wrong period' }),
    });
    expect(fb.status).toBe(200);
    const session = await call(1, `/api/sessions/${chat.body.session_id}`, { key });
    expect(session.body.turns[0].feedback).toMatchObject({ rating: 'down', comment: 'wrong period' });
  });

  test('a CLI revocation is honoured by both at the next request; the audit log holds it', async () => {
    const cli = await runCli(['revoke-tenant', key, '--force', '--json'], {
      cwd: tmp,
      env: { ...env, DATA_DIR: path.join(tmp, 'cli') },
    });
    expect(cli.code).toBe(0);
    for (const i of [0, 1]) {
      const res = await call(i, '/api/me', { key });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('access_key_revoked');
    }
    const show = await runCli(['show-tenant', key, '--json'], {
      cwd: tmp,
      env: { ...env, DATA_DIR: path.join(tmp, 'cli') },
    });
    const shown = JSON.parse(show.stdout);
    expect(shown.tenant.status).toBe('revoked');
    expect(shown.disk.sessions).toBe(2);
    const db = database.open();
    const audit = await db.query<{ line: { action: string; via: string; tenant: string } }>(
      `SELECT line FROM ${db.t('audit_log')} ORDER BY seq`,
    );
    expect(audit.rows.map((r) => [r.line.action, r.line.via])).toEqual([
      ['create', 'api'],
      ['revoke', 'cli'],
    ]);
  });
});
