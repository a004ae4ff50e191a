import type pg from 'pg';
import { DEFAULT_SCHEMA, PgDatabase, withConnectRetry } from '../storage/pg.ts';
import {
  type CounterEvent,
  index,
  normalise,
  type RegistryData,
  type RegistryStore,
  type Snapshot,
} from './registry.ts';
import type { TenantRecord } from './types.ts';

/**
 * The tenant registry on PostgreSQL (`DATABASE_URL`), for several server instances behind a load
 * balancer (DESIGN.md §10). Same contract as the file: a cached snapshot, checked against the
 * registry's generation number on every read (one indexed single-row read per request, so a revoke
 * made by any instance or the CLI is seen on the very next request).
 *
 * Every write bumps the generation and stamps the rows it wrote with it (`tenants.gen`), so a cache
 * that is behind re-reads only the rows newer than its generation, not the whole registry: with 1,000
 * tenants chatting, each instance reads the one or few rows that changed since its last request.
 * (The generation row is taken by each write in turn, so generations are committed in order and a
 * reader that saw generation G has seen every row stamped ≤ G.)
 *
 * Administrative writes (`mutate`) run in one transaction under an advisory lock, holding the
 * generation row from the start and writing only the rows that changed. Usage counters (`count`: a
 * login, a chat query) are one `UPDATE … RETURNING` of the tenant's row, computed in SQL from the row
 * as it is — no read of the registry — plus the generation bump in the same statement; a counter that
 * lands during a `mutate` waits for the generation row, then applies to the row the mutate wrote, so
 * neither is lost.
 */
export class RegistryPg implements RegistryStore {
  private readonly db: PgDatabase;
  private readonly ownsDb: boolean;
  private readonly schema: string;
  private readonly t: { tenants: string; generation: string };
  private cache: (Snapshot & { generation: string }) | undefined;
  private refreshing: Promise<Snapshot> | undefined;

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
    // Concurrent requests behind the same change share one refresh.
    this.refreshing ??= this.refresh(pool, generation).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(pool: pg.Pool, generation: string): Promise<Snapshot> {
    const cache = this.cache;
    if (!cache) {
      const data = await this.readAll(pool);
      this.cache = { ...index(data), generation };
      return this.cache;
    }
    const { rows } = await withConnectRetry(() =>
      pool.query<{ record: Partial<TenantRecord> & { key: string } }>(
        `SELECT record FROM ${this.t.tenants} WHERE gen > $1`,
        [cache.generation],
      ),
    );
    const next =
      this.cache === cache
        ? patched(
            cache,
            rows.map((r) => normalise(r.record)),
          )
        : this.cache;
    if (!next) throw new Error('registry cache vanished during a refresh');
    this.cache = { ...next, generation: BigInt(generation) > BigInt(cache.generation) ? generation : cache.generation };
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
      // The generation row first, as `count` takes it (one lock order: no deadlock); held to the
      // commit, it keeps every counter update out of the rows read here until they are written.
      await client.query(`SELECT generation FROM ${this.t.generation} WHERE id = 1 FOR UPDATE`);
      const data = await this.readAll(client);
      const before = new Map(data.tenants.map((t) => [t.key, JSON.stringify(t)]));
      const { changed, result } = await fn(data);
      if (!changed) {
        await client.query('ROLLBACK');
        return result;
      }
      const { rows } = await client.query<{ generation: string }>(
        `UPDATE ${this.t.generation} SET generation = generation + 1 WHERE id = 1 RETURNING generation::text AS generation`,
      );
      const generation = rows[0]?.generation ?? '0';
      for (const tenant of data.tenants) {
        const json = JSON.stringify(tenant);
        if (before.get(tenant.key) === json) continue;
        await client.query(
          `INSERT INTO ${this.t.tenants} (key, created_at, record, gen) VALUES ($1, $2, $3::jsonb, $4)
           ON CONFLICT (key) DO UPDATE SET record = EXCLUDED.record, gen = EXCLUDED.gen`,
          [tenant.key, tenant.created_at, json, generation],
        );
      }
      await client.query('COMMIT');
      this.cache = { ...index(data), generation };
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async count(key: string, event: CounterEvent): Promise<TenantRecord | undefined> {
    const pool = await this.init();
    const change =
      event.kind === 'login'
        ? {
            sql: `jsonb_build_object(
                'first_login_at', COALESCE(NULLIF(t.record->'first_login_at', 'null'::jsonb), to_jsonb($2::text)),
                'last_login_at', $2::text,
                'login_count', COALESCE((t.record->>'login_count')::bigint, 0) + 1)`,
            params: [event.now],
          }
        : {
            // The day's entries with this query added, days before `oldestDay` dropped (as the file does).
            sql: `jsonb_build_object(
                'query_count', COALESCE((t.record->>'query_count')::bigint, 0) + 1,
                'last_active', $2::text,
                'queries_by_day', (SELECT COALESCE(jsonb_object_agg(k, v), '{}'::jsonb) FROM jsonb_each(
                    COALESCE(t.record->'queries_by_day', '{}'::jsonb)
                    || jsonb_build_object($3::text, COALESCE((t.record->'queries_by_day'->>$3)::bigint, 0) + 1)
                  ) AS e(k, v) WHERE k >= $4),
                'tokens', jsonb_build_object(
                    'input', COALESCE((t.record->'tokens'->>'input')::bigint, 0) + $5::bigint,
                    'output', COALESCE((t.record->'tokens'->>'output')::bigint, 0) + $6::bigint),
                'tokens_by_day', (SELECT COALESCE(jsonb_object_agg(k, v), '{}'::jsonb) FROM jsonb_each(
                    COALESCE(t.record->'tokens_by_day', '{}'::jsonb)
                    || CASE WHEN $5::bigint + $6::bigint > 0 THEN jsonb_build_object($3::text,
                         COALESCE((t.record->'tokens_by_day'->>$3)::bigint, 0) + $5::bigint + $6::bigint)
                       ELSE '{}'::jsonb END
                  ) AS e(k, v) WHERE k >= $4))`,
            params: [event.now, event.day, event.oldestDay, event.input, event.output],
          };
    const run = (tenantKey: string) =>
      withConnectRetry(() =>
        pool.query<{ record: Partial<TenantRecord> & { key: string } }>(
          `WITH g AS (UPDATE ${this.t.generation} SET generation = generation + 1 WHERE id = 1 RETURNING generation)
           UPDATE ${this.t.tenants} AS t SET record = t.record || ${change.sql}, gen = g.generation
             FROM g WHERE t.key = $1
           RETURNING t.record`,
          [tenantKey, ...change.params],
        ),
      );
    // Callers pass the tenant id (the row's key); a rotated access key is looked up first.
    let { rows } = await run(key);
    if (!rows[0]) {
      const snap = await this.snapshot();
      const known = snap.data.tenants.find((r) => r.access_key === key);
      if (!known) return undefined;
      ({ rows } = await run(known.key));
    }
    return rows[0] ? normalise(rows[0].record) : undefined;
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

/** The snapshot with `changed` records put in place of (or after) theirs; the maps copied, not rebuilt. */
function patched(snap: Snapshot, changed: TenantRecord[]): Snapshot {
  if (changed.length === 0) return snap;
  const fresh = index({ version: 1, tenants: changed });
  const byKey = new Map(snap.byKey);
  const byDigest = new Map(snap.byDigest);
  for (const [digest, old] of snap.byDigest) if (fresh.byKey.has(old.key)) byDigest.delete(digest);
  const tenants = [...snap.data.tenants];
  for (const t of fresh.data.tenants) {
    const i = tenants.findIndex((r) => r.key === t.key);
    if (i >= 0) tenants[i] = t;
    else tenants.push(t);
    byKey.set(t.key, t);
  }
  for (const [digest, t] of fresh.byDigest) byDigest.set(digest, t);
  return { data: { ...snap.data, tenants }, byKey, byDigest };
}
