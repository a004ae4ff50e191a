import type pg from 'pg';
import { DEFAULT_SCHEMA, PgDatabase, withConnectRetry } from '../storage/pg.ts';
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
  private readonly db: PgDatabase;
  private readonly ownsDb: boolean;
  private readonly schema: string;
  private readonly t: { tenants: string; generation: string };
  private cache: (Snapshot & { generation: string }) | undefined;

  /** A connection string (its own pool) or the process's shared database (`src/storage/pg.ts`). */
  constructor(connection: string | PgDatabase, schema = DEFAULT_SCHEMA) {
    this.ownsDb = typeof connection === 'string';
    this.db = typeof connection === 'string' ? new PgDatabase(connection, schema) : connection;
    this.schema = this.db.schema;
    this.t = { tenants: this.db.t('tenants'), generation: this.db.t('registry_generation') };
  }

  /** Connects on first use; the tables come from the versioned migrations (applied under an advisory lock). */
  private init(): Promise<pg.Pool> {
    return this.db.connect();
  }

  async snapshot(): Promise<Snapshot> {
    const pool = await this.init();
    const { rows } = await withConnectRetry(() =>
      pool.query<{ generation: string }>(
        `SELECT generation::text AS generation FROM ${this.t.generation} WHERE id = 1`,
      ),
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
    const client = await withConnectRetry(() => pool.connect());
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
    await this.db.dropSchema();
    this.cache = undefined;
  }

  async close(): Promise<void> {
    if (this.ownsDb) await this.db.close();
  }
}
