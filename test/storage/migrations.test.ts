import { afterEach, describe, expect, it } from 'vitest';
import type { Migration } from '../../src/storage/migrations.ts';
import { MIGRATIONS } from '../../src/storage/migrations.ts';
import { PgDatabase } from '../../src/storage/pg.ts';
import { DATABASE_URL, hasPostgres, testDatabase } from './pg-helpers.ts';

let current: ReturnType<typeof testDatabase> | undefined;
afterEach(async () => {
  await current?.drop();
  current = undefined;
});

describe.skipIf(!hasPostgres)('migrations (PostgreSQL)', () => {
  it('many instances migrating a fresh database at the same moment all come up, each step applied once', async () => {
    current = testDatabase();
    const dbs = Array.from({ length: 8 }, () => current?.open() as PgDatabase);
    await Promise.all(dbs.map((db) => db.connect()));
    const { rows } = await dbs[0]!.query<{ version: number; name: string }>(
      `SELECT version, name FROM ${current.schema}.schema_migrations ORDER BY version`,
    );
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    // Every instance can use the schema right away.
    for (const db of dbs) await db.query(`SELECT count(*) FROM ${db.t('sessions')}`);
  });

  it('a restart applies only the new step; an edited history or a newer database stops the start', async () => {
    current = testDatabase();
    const base: Migration[] = [{ version: 1, name: 'one', sql: (s) => `CREATE TABLE ${s}.a (x int)` }];
    const first = new PgDatabase(DATABASE_URL, current.schema, base);
    await first.connect();
    await first.close();

    const grown = [...base, { version: 2, name: 'two', sql: (s: string) => `INSERT INTO ${s}.a VALUES (7)` }];
    const second = new PgDatabase(DATABASE_URL, current.schema, grown);
    await second.connect();
    expect((await second.query(`SELECT x FROM ${current.schema}.a`)).rows).toEqual([{ x: 7 }]);
    await second.close();
    // Again: nothing re-applied (the insert would add a second row).
    const third = new PgDatabase(DATABASE_URL, current.schema, grown);
    await third.connect();
    expect((await third.query(`SELECT x FROM ${current.schema}.a`)).rows).toEqual([{ x: 7 }]);
    await third.close();

    const edited = new PgDatabase(DATABASE_URL, current.schema, [{ ...base[0]!, name: 'renamed' }, grown[1]!]);
    await expect(edited.connect()).rejects.toThrow(/migration 1 "one" but this version expects "renamed"/);
    await edited.close();
    const older = new PgDatabase(DATABASE_URL, current.schema, base);
    await expect(older.connect()).rejects.toThrow(/newer than this version knows/);
    await older.close();
  });

  it('a failing step is rolled back and reported; nothing of it stays recorded', async () => {
    current = testDatabase();
    const bad: Migration[] = [
      { version: 1, name: 'ok', sql: (s) => `CREATE TABLE ${s}.b (x int)` },
      { version: 2, name: 'broken', sql: (s) => `CREATE TABLE ${s}.c (x int); SELECT * FROM ${s}.missing` },
    ];
    const db = new PgDatabase(DATABASE_URL, current.schema, bad);
    await expect(db.connect()).rejects.toThrow(/migration 2 "broken" failed/);
    await db.close();
    const check = new PgDatabase(DATABASE_URL, current.schema, bad.slice(0, 1));
    await check.connect();
    const { rows } = await check.query<{ version: number }>(
      `SELECT version FROM ${current.schema}.schema_migrations ORDER BY version`,
    );
    expect(rows).toEqual([{ version: 1 }]);
    const tables = await check.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'c'`,
      [current.schema],
    );
    expect(tables.rows).toEqual([]);
    await check.close();
  });
});
