import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { DATABASE_URL, hasPostgres, type TestDatabase, testDatabase } from '../storage/pg-helpers.ts';
import { ADMIN_SECRET, disposeInstances, startServer } from './servers.ts';

/**
 * Two real server processes, each on its own DATA_DIR (no shared disk), sharing one fresh PostgreSQL
 * schema: they behave as one. Started at the same moment on the fresh database, both come up.
 */
let tmp: string;
let database: TestDatabase;
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
  // 20 uploads at once below: above the default per-tenant in-flight limit (2 per instance).
  env = { DATABASE_URL, DATABASE_SCHEMA: database.schema, ADMIN_SECRET, MAX_UPLOADS_IN_FLIGHT: '20' };
  // The same moment, a fresh schema: the migrations run once under the advisory lock.
  const a = startServer(tmp, { ...env, DATA_DIR: path.join(tmp, 'a') });
  const b = startServer(tmp, { ...env, DATA_DIR: path.join(tmp, 'b') });
  ports = [await a.listening, await b.listening];
}, 60_000);

afterAll(() => disposeInstances(database, tmp));

describe.skipIf(!hasPostgres)('two instances on one database', () => {
  let key: string;
  let firstDocId = '';
  let csvBytes = Buffer.alloc(0);

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
      headers: { 'x-admin-secret': ADMIN_SECRET },
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

  test('a document uploaded on one is listed, downloadable byte-identical, searchable and answered from on the other', async () => {
    const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'northwind');
    const csv = await fs.promises.readFile(path.join(fixtures, 'northwind_metrics_2024-2026.csv'));
    const md = await fs.promises.readFile(path.join(fixtures, 'northwind_board_update_q2_2026.md'));
    const form = new FormData();
    form.append('file', new Blob([csv]), 'northwind_metrics_2024-2026.csv');
    form.append('file', new Blob([md]), 'northwind_board_update_q2_2026.md');
    const up = await fetch(url(0, '/api/documents?wait=true'), {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(up.status).toBe(201);
    const uploaded = ((await up.json()) as { documents: Array<{ id: string; name: string; status: string }> })
      .documents;
    expect(uploaded.map((d) => d.status)).toEqual(['ready', 'ready']);
    firstDocId = uploaded[0]?.id as string;
    csvBytes = csv;

    const listed = await call(1, '/api/documents', { key });
    expect(listed.body.documents.map((d: { id: string }) => d.id).sort()).toEqual(uploaded.map((d) => d.id).sort());
    for (const [doc, bytes] of [
      [uploaded[0], csv],
      [uploaded[1], md],
    ] as const) {
      const file = await fetch(url(1, `/api/documents/${doc?.id}/file`), {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    }
    const search = await call(1, `/api/search?q=${encodeURIComponent('Seattle board meeting')}`, { key });
    expect(search.status).toBe(200);
    expect(search.body.results[0]).toMatchObject({ document_id: uploaded[1]?.id });
    expect(search.body.results[0].snippet).toContain('Seattle');
    const detail = await call(1, `/api/documents/${uploaded[0]?.id}`, { key });
    expect(detail.body.metrics.length).toBeGreaterThan(3);

    const answer = await call(1, '/api/chat', {
      method: 'POST',
      key,
      body: JSON.stringify({ message: 'What was our MRR at the end of June 2026?' }),
    });
    expect(answer.status).toBe(200);
    const values = answer.body.metrics.map((m: { value: number | null }) => m.value);
    expect(values.some((v: number | null) => v !== null && Math.abs(v - 1095472) / 1095472 < 0.01)).toBe(true);
    expect(answer.body.citations.length).toBeGreaterThan(0);
  });

  test('20 concurrent uploads split across both are all listed by both', async () => {
    const before = (await call(0, '/api/documents', { key })).body.documents.length;
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const form = new FormData();
        form.append('file', new Blob([`Note ${i}: the Zephyr${i} account renewed in May.\n`]), `note-${i}.txt`);
        const res = await fetch(url(i, '/api/documents'), {
          method: 'POST',
          headers: { authorization: `Bearer ${key}` },
          body: form,
        });
        return { status: res.status, body: (await res.json()) as { documents?: Array<{ id: string }> } };
      }),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ids = results.flatMap((r) => r.body.documents?.map((d) => d.id) ?? []);
    expect(new Set(ids).size).toBe(20);
    for (const i of [0, 1]) {
      const listed = (await call(i, '/api/documents', { key })).body.documents.map((d: { id: string }) => d.id);
      expect(listed).toHaveLength(before + 20);
      for (const id of ids) expect(listed).toContain(id);
    }
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
    expect(shown.disk.sessions).toBe(3);
    expect(shown.disk.documents).toBe(22);
    const db = database.open();
    const audit = await db.query<{ line: { action: string; via: string; tenant: string } }>(
      `SELECT line FROM ${db.t('audit_log')} ORDER BY seq`,
    );
    expect(audit.rows.map((r) => [r.line.action, r.line.via])).toEqual([
      ['create', 'api'],
      ['revoke', 'cli'],
    ]);

    // Export and purge work on the database too: the archive holds the originals byte for byte.
    const cliEnv = { ...env, DATA_DIR: path.join(tmp, 'cli') };
    const exported = await runCli(['export-tenant', key, '--out', 'acme.tar.gz', '--json'], { cwd: tmp, env: cliEnv });
    expect(exported.code).toBe(0);
    const listing = execFileSync('tar', ['-tzf', path.join(tmp, 'acme.tar.gz')], { encoding: 'utf8' }).split('\n');
    expect(listing).toContain('tenant.json');
    expect(listing.filter((n) => /\/documents\/doc_[^/]+\/original$/.test(n))).toHaveLength(22);
    expect(listing.filter((n) => /\/sessions\/ses_[^/]+\.json$/.test(n))).toHaveLength(3);
    const csvName = listing.find((n) => n.endsWith('/original') && n.includes(firstDocId)) as string;
    const extracted = execFileSync('tar', ['-xzOf', path.join(tmp, 'acme.tar.gz'), csvName]);
    expect(extracted.equals(csvBytes)).toBe(true);
    const purged = await runCli(['purge-tenant', key, '--force', '--json'], { cwd: tmp, env: cliEnv });
    expect(purged.code).toBe(0);
    expect(JSON.parse(purged.stdout).bytes).toBeGreaterThan(csvBytes.length);
    const after = JSON.parse((await runCli(['show-tenant', key, '--json'], { cwd: tmp, env: cliEnv })).stdout);
    expect(after.disk).toMatchObject({ documents: 0, sessions: 0, bytes: 0 });
  });
});
