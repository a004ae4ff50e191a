import crypto from 'node:crypto';
import pg from 'pg';
import { PgDatabase } from '../../src/storage/pg.ts';

/**
 * PostgreSQL for tests: `TEST_DATABASE_URL` (default the local trust database `.ci/run` sets up),
 * each test on its own random schema so parallel runs never collide. Reachability is probed once;
 * CI (`CI=true`) must run these tests, a developer machine without PostgreSQL skips them.
 */
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether a PostgreSQL server answers at `url` within two seconds (the tests' and the bench's probe). */
export async function postgresReachable(url = DATABASE_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export const hasPostgres = process.env.CI === 'true' || (await postgresReachable());

export const randomSchema = () => `t_${crypto.randomBytes(6).toString('hex')}`;

export type TestDatabase = ReturnType<typeof testDatabase>;

/** A schema and a way to open independent pools onto it (each stands for one server instance). */
export function testDatabase() {
  const schema = randomSchema();
  const opened: PgDatabase[] = [];
  return {
    schema,
    open(): PgDatabase {
      const db = new PgDatabase(DATABASE_URL, schema);
      opened.push(db);
      return db;
    },
    async drop(): Promise<void> {
      const db = new PgDatabase(DATABASE_URL, schema);
      await db.dropSchema().catch(() => undefined);
      await db.close();
      await Promise.all(opened.map((d) => d.close().catch(() => undefined)));
    },
  };
}
