import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_URL, hasPostgres, type TestDatabase, testDatabase } from '../storage/pg-helpers.ts';
import {
  ADMIN_SECRET,
  createTenant,
  disposeInstances,
  type ServerProcess,
  startServer,
  uploadFile,
} from './servers.ts';

/**
 * The per-tenant limits hold across instances on PostgreSQL: MAX_UPLOADS_IN_FLIGHT counts the uploads
 * being received by every instance, TENANT_QUOTA_MB the bytes they are receiving; an upload whose
 * instance was killed stops counting when its slot's lease runs out.
 */
const LEASE_S = 4;
const MB = 1024 * 1024;
let tmp: string;
let database: TestDatabase;
let key: string;
let servers: ServerProcess[] = [];
let ports: number[] = [];

const line = (i: number) => `Line ${i} of the operating notes: renewals, hosting and support.\n`;
const text = (bytes: number) => {
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += line(i);
  return out.slice(0, bytes);
};

/** An upload whose body is sent in two parts: `finish()` sends the rest; until then it is being received. */
function heldUpload(port: number, name: string, first: string) {
  const boundary = `----held${Math.random().toString(16).slice(2)}`;
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/documents',
    headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  const response = new Promise<{ status: number; body: { error?: { code: string } } }>((resolve, reject) => {
    req.on('response', (res) => {
      let data = '';
      res.on('data', (d) => {
        data += String(d);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
    });
    req.on('error', reject);
  });
  response.catch(() => undefined);
  req.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n${first}`,
  );
  return {
    response,
    finish(rest = '') {
      req.end(`${rest}\r\n--${boundary}--\r\n`);
      return response;
    },
  };
}

const upload = (port: number, name: string, content: string) => uploadFile(port, key, name, content);

/** The tenant's live upload slots (every instance's). */
async function slots(): Promise<{ n: number; bytes: number }> {
  const db = database.open();
  const { rows } = await db.query<{ n: number; bytes: string }>(
    `SELECT count(*)::int AS n, COALESCE(sum(bytes), 0)::text AS bytes FROM ${db.t('upload_slots')}
      WHERE expires_at >= now()`,
  );
  return { n: rows[0]?.n ?? 0, bytes: Number(rows[0]?.bytes ?? 0) };
}

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  if (!hasPostgres) return;
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-limits-'));
  database = testDatabase();
  const env = {
    DATABASE_URL,
    DATABASE_SCHEMA: database.schema,
    ADMIN_SECRET,
    MAX_UPLOADS_IN_FLIGHT: '2',
    TENANT_QUOTA_MB: '3',
    PROCESSING_LEASE_S: String(LEASE_S),
  };
  servers = [0, 1].map((i) => startServer(tmp, { ...env, DATA_DIR: path.join(tmp, `d${i}`) }));
  ports = await Promise.all(servers.map((s) => s.listening));
  key = await createTenant(ports[0] as number, 'Limits Corp', 'ops@limits.example');
}, 60_000);

afterAll(() => disposeInstances(database, tmp));

describe.skipIf(!hasPostgres)('per-tenant upload limits across instances', () => {
  test('MAX_UPLOADS_IN_FLIGHT counts both instances: one upload on each, a third on either → 429; one ends → room', async () => {
    const [a, b] = ports as [number, number];
    const onA = heldUpload(a, 'held-a.txt', text(64 * 1024));
    const onB = heldUpload(b, 'held-b.txt', text(64 * 1024));
    await until(async () => (await slots()).n === 2);
    for (const port of [a, b]) {
      const third = await upload(port, 'third.txt', 'A third note.\n');
      expect([third.status, third.body.error?.code]).toEqual([429, 'too_many_uploads']);
    }
    expect((await onA.finish(line(1))).status).toBe(201);
    expect((await upload(b, 'now.txt', 'Room again.\n')).status).toBe(201);
    expect((await onB.finish()).status).toBe(201);
    expect((await slots()).n).toBe(0);
  });

  test('TENANT_QUOTA_MB counts the bytes another instance is receiving', async () => {
    const [a, b] = ports as [number, number];
    const onA = heldUpload(a, 'big-a.txt', text(Math.round(2.2 * MB)));
    // A has reported what it received so far (every MB).
    await until(async () => (await slots()).bytes >= 2 * MB);
    const over = await upload(b, 'big-b.txt', text(Math.round(1.5 * MB)));
    expect([over.status, over.body.error?.code]).toEqual([413, 'quota_exceeded']);
    // Refused part-way, the connection is closed: the client's next request (here on the same
    // keep-alive pool) is answered, not left hanging on a connection whose body was never read.
    expect((await upload(b, 'after.txt', 'After the refusal.\n')).status).toBe(201);
    expect((await onA.finish()).status).toBe(201);
  });

  test("a killed instance's upload stops counting when its slot's lease runs out", async () => {
    const [a, b] = ports as [number, number];
    const onA = heldUpload(a, 'dies.txt', text(64 * 1024));
    const onB = heldUpload(b, 'lives.txt', text(64 * 1024));
    await until(async () => (await slots()).n === 2);
    servers[0]?.proc.kill('SIGKILL');
    await servers[0]?.exited;
    await expect(onA.response).rejects.toThrow();
    // The dead upload still holds its slot for a moment …
    const refused = await upload(b, 'small.txt', 'Small.\n');
    expect([refused.status, refused.body.error?.code]).toEqual([429, 'too_many_uploads']);
    // … and not after its lease.
    await new Promise((r) => setTimeout(r, (LEASE_S + 0.5) * 1000));
    expect((await upload(b, 'small.txt', 'Small.\n')).status).toBe(201);
    expect((await onB.finish()).status).toBe(201);
  });
});
