import type pg from 'pg';
import { index, normalise, type RegistryData, type RegistryStore, type Snapshot } from './registry.ts';
import type { TenantRecord } from './types.ts';

/**
 * The tenant registry on PostgreSQL (`DATABASE_URL`), for several server instances behind a load
 * balancer (DESIGN.md §10). Same contract as the file: a cached snapshot refreshed when the registry's
 * generation number changes (one indexed single-row read per request, so a revoke made by any instance
 * or the CLI is seen on the very next request), and read-modify-write in one transaction under an
 * advisory lock, writing only the rows that changed and bumping the generation.
 */
export class RegistryPg implements RegistryStore {
  private pool: pg.Pool | undefined;
  private readonly t: { tenants: string; generation: string };
  private ready: Promise<pg.Pool> | undefined;
  private cache: (Snapshot & { generation: string }) | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly schema = 'opsorchestra',
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
    this.t = { tenants: `${schema}.tenants`, generation: `${schema}.registry_generation` };
  }

  /** Connects on first use (the driver is loaded only then) and creates the tables if missing. */
  private init(): Promise<pg.Pool> {
    this.ready ??= (async () => {
      const { default: driver } = await import('pg');
      this.pool ??= new driver.Pool({ connectionString: this.connectionString, max: 10 });
      const pool = this.pool;
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await pool.query(
        `CREATE TABLE IF NOT EXISTS ${this.t.tenants} (key text PRIMARY KEY, created_at text NOT NULL, record jsonb NOT NULL)`,
      );
      await pool.query(
        `CREATE TABLE IF NOT EXISTS ${this.t.generation} (id int PRIMARY KEY CHECK (id = 1), generation bigint NOT NULL)`,
      );
      await pool.query(`INSERT INTO ${this.t.generation} (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`);
      return pool;
    })().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async snapshot(): Promise<Snapshot> {
    const pool = await this.init();
    const { rows } = await pool.query<{ generation: string }>(
      `SELECT generation::text AS generation FROM ${this.t.generation} WHERE id = 1`,
    );
    const generation = rows[0]?.generation ?? '0';
    if (this.cache?.generation === generation) return this.cache;
    const data = await this.readAll(pool);
    this.cache = { ...index(data), generation };
    return this.cache;
  }

  async mutate<T>(
    fn: (data: RegistryData) => { changed: boolean; result: T } | Promise<{ changed: boolean; result: T }>,
  ): Promise<T> {
    const pool = await this.init();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${this.schema}.registry`]);
      const data = await this.readAll(client);
      const before = new Map(data.tenants.map((t) => [t.key, JSON.stringify(t)]));
      const { changed, result } = await fn(data);
      if (!changed) {
        await client.query('ROLLBACK');
        return result;
      }
      for (const tenant of data.tenants) {
        const json = JSON.stringify(tenant);
        if (before.get(tenant.key) === json) continue;
        await client.query(
          `INSERT INTO ${this.t.tenants} (key, created_at, record) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record`,
          [tenant.key, tenant.created_at, json],
        );
      }
      const { rows } = await client.query<{ generation: string }>(
        `UPDATE ${this.t.generation} SET generation = generation + 1 WHERE id = 1 RETURNING generation::text AS generation`,
      );
      await client.query('COMMIT');
      this.cache = { ...index(data), generation: rows[0]?.generation ?? '0' };
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async readAll(q: pg.Pool | pg.PoolClient): Promise<RegistryData> {
    const { rows } = await q.query<{ record: Partial<TenantRecord> & { key: string } }>(
      `SELECT record FROM ${this.t.tenants} ORDER BY created_at, key`,
    );
    return { version: 1, tenants: rows.map((r) => normalise(r.record)) };
  }

  /** Drop this store's schema (tests). */
  async dropSchema(): Promise<void> {
    const pool = await this.init();
    await pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    this.ready = undefined;
    this.cache = undefined;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.ready = undefined;
    await pool?.end();
  }
}
