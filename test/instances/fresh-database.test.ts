import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MIGRATIONS } from '../../src/storage/migrations.ts';
import { DATABASE_URL, hasPostgres } from '../storage/pg-helpers.ts';
import { ADMIN_SECRET, createTenant, startServer, stopAll } from './servers.ts';

/**
 * As an operator deploys it: a brand-new database (not only a new schema), no DATABASE_SCHEMA, two
 * instances started at the same moment on different DATA_DIRs. Both come up (the schema is created
 * and migrated once, under the advisory lock) and serve the same tenant.
 */
const name = `opsorch_fresh_${crypto.randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: DATABASE_URL });
let tmp: string;
let freshUrl: string;

beforeAll(async () => {
  if (!hasPostgres) return;
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-fresh-'));
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(DATABASE_URL);
  u.pathname = `/${name}`;
  freshUrl = u.toString();
});

afterAll(async () => {
  await stopAll();
  if (!hasPostgres) return;
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasPostgres)('two instances started together on a fresh database', () => {
  test('both come up, the schema is migrated once, a tenant made on one logs in on the other', async () => {
    const env = { DATABASE_URL: freshUrl, ADMIN_SECRET };
    const a = startServer(tmp, { ...env, DATA_DIR: path.join(tmp, 'a') });
    const b = startServer(tmp, { ...env, DATA_DIR: path.join(tmp, 'b') });
    const ports = await Promise.all([a.listening, b.listening]);
    for (const port of ports) {
      const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
        storage: { backend: string };
      };
      expect(health.storage.backend).toBe('postgres');
    }
    const check = new pg.Client({ connectionString: freshUrl });
    await check.connect();
    const { rows } = await check.query<{ version: number }>(
      'SELECT version FROM opsorchestra.schema_migrations ORDER BY version',
    );
    await check.end();
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));

    const key = await createTenant(ports[0] as number, 'Fresh Co', 'ops@fresh.example');
    const login = await fetch(`http://127.0.0.1:${ports[1]}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_key: key }),
    });
    expect(login.status).toBe(200);
  }, 60_000);
});
