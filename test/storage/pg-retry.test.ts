import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { MIGRATIONS } from '../../src/storage/migrations.ts';
import { DatabaseUnavailableError, PgDatabase } from '../../src/storage/pg.ts';
import { DATABASE_URL, hasPostgres, randomSchema } from './pg-helpers.ts';

/**
 * A PostgreSQL server that refuses connections for a while ("too many clients", 53300) must not stop
 * an instance at once: it retries with backoff a bounded number of times, then says clearly why. The
 * server really refuses here: a role limited to one connection, that connection held by the test.
 */
const role = `opsorch_lim_${crypto.randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: DATABASE_URL });
const roleUrl = () => {
  const u = new URL(DATABASE_URL);
  u.username = role;
  u.password = '';
  return u.toString();
};
const FAST = { attempts: 5, baseDelayMs: 50, maxDelayMs: 200 };

beforeAll(async () => {
  if (!hasPostgres) return;
  await admin.connect();
  await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 1`);
  const { rows } = await admin.query<{ db: string }>('SELECT current_database() AS db');
  await admin.query(`GRANT CREATE ON DATABASE ${rows[0]?.db} TO ${role}`);
});

afterAll(async () => {
  if (!hasPostgres) return;
  const { rows } = await admin.query<{ db: string }>('SELECT current_database() AS db');
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
  await admin.query(`DROP OWNED BY ${role} CASCADE`).catch(() => undefined);
  await admin.query(`REVOKE CREATE ON DATABASE ${rows[0]?.db} FROM ${role}`).catch(() => undefined);
  await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
});

async function holdTheOnlyConnection(): Promise<pg.Client> {
  const holder = new pg.Client({ connectionString: roleUrl() });
  await holder.connect();
  return holder;
}

describe.skipIf(!hasPostgres)('PostgreSQL refusing connections', () => {
  test('"too many clients" at start-up: retried with backoff, the instance comes up once a slot frees', async () => {
    const holder = await holdTheOnlyConnection();
    const db = new PgDatabase(roleUrl(), randomSchema(), MIGRATIONS, 2, FAST);
    const t0 = Date.now();
    setTimeout(() => void holder.end(), 250);
    await db.connect();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    await db.dropSchema();
    await db.close();
  });

  test('still refused after the bounded retries: a clear error with the code and what to change', async () => {
    const holder = await holdTheOnlyConnection();
    try {
      const db = new PgDatabase(roleUrl(), randomSchema(), MIGRATIONS, 2, FAST);
      const err = await db.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DatabaseUnavailableError);
      const e = err as DatabaseUnavailableError;
      expect([e.status, e.code, e.pgCode]).toEqual([503, 'database_unavailable', '53300']);
      expect(e.message).toMatch(/refused a connection 5 times .*53300 too many clients.*DATABASE_POOL_SIZE/);
      await db.close();
    } finally {
      await holder.end();
    }
  });

  test('acquiring a connection later (the pool grows under load) retries the same way', async () => {
    const db = new PgDatabase(roleUrl(), randomSchema(), MIGRATIONS, 2, FAST);
    await db.connect();
    // The pool's one idle connection is the role's only one; a transaction holds it, so the next
    // query needs a second connection, which the server refuses until the transaction ends.
    let release: () => void = () => undefined;
    const busy = db.tx(() => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    setTimeout(() => release(), 250);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    await busy;
    await db.dropSchema();
    await db.close();
  });

  test('DATABASE_POOL_SIZE sets the pool size; PROCESSING_LEASE_S the lease; both checked', () => {
    expect(loadConfig({}, '/nonexistent')).toMatchObject({ databasePoolSize: 20, processingLeaseS: 30 });
    expect(loadConfig({ DATABASE_POOL_SIZE: '5', PROCESSING_LEASE_S: '3' }, '/nonexistent')).toMatchObject({
      databasePoolSize: 5,
      processingLeaseS: 3,
    });
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '1' }, '/nonexistent')).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => loadConfig({ PROCESSING_LEASE_S: '0' }, '/nonexistent')).toThrow(/PROCESSING_LEASE_S/);
  });
});
