import type pg from 'pg';
import { AppError } from '../lib/errors.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

/**
 * One PostgreSQL database for every store of a process (`DATABASE_URL`): one pool, one schema
 * (`opsorchestra` unless a test picks a random one), and the schema brought up to date once, under a
 * session advisory lock, before the first query — so any number of instances may start at the same
 * moment on a fresh database (the migrations run once; the others wait for the lock, then find
 * nothing left to do).
 */
export const DEFAULT_SCHEMA = 'opsorchestra';
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** DATABASE_POOL_SIZE's default. */
export const DEFAULT_POOL_SIZE = 20;

/**
 * A server that is full (53300 too_many_connections: max_connections or a role's/database's limit)
 * or not accepting connections yet (57P03 cannot_connect_now: starting up, shutting down, in
 * recovery) is a passing state, typical when replicas start together or a managed database fails
 * over. Such errors come only from opening a connection (the statement never ran), so retrying the
 * call is safe; a bounded number of tries with exponential backoff and jitter, then a clear error.
 */
export interface RetryPolicy {
  /** Tries in all (1 = no retry). */
  attempts: number;
  /** First wait; doubled each time up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 100, maxDelayMs: 2000 };
const RETRYABLE: Record<string, string> = {
  '53300': 'too many clients',
  '57P03': 'the database cannot accept connections now',
};

/** 503 `database_unavailable` (with Retry-After) when it reaches a request; one line at start-up. */
export class DatabaseUnavailableError extends AppError {
  constructor(
    message: string,
    readonly pgCode: string,
  ) {
    super(503, 'database_unavailable', message, { 'retry-after': '5' });
    this.name = 'DatabaseUnavailableError';
  }
}

export async function withConnectRetry<T>(fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const reason = typeof code === 'string' ? RETRYABLE[code] : undefined;
      if (!reason) throw err;
      if (attempt >= policy.attempts) {
        const hint =
          code === '53300'
            ? "raise the server's max_connections (or the role's limit) or lower DATABASE_POOL_SIZE × instances"
            : 'check that the database has finished starting';
        throw new DatabaseUnavailableError(
          `PostgreSQL refused a connection ${attempt} times in ${Math.round((Date.now() - started) / 100) / 10} s (${code} ${reason}): ${hint}`,
          code as string,
        );
      }
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((r) => setTimeout(r, delay / 2 + Math.random() * (delay / 2)));
    }
  }
}

export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export class PgDatabase {
  private pool: pg.Pool | undefined;
  private ready: Promise<pg.Pool> | undefined;

  constructor(
    readonly connectionString: string,
    readonly schema = DEFAULT_SCHEMA,
    private readonly migrations: readonly Migration[] = MIGRATIONS,
    /** Connections of the pool (DATABASE_POOL_SIZE; a parse worker's needs 2). */
    private readonly max = DEFAULT_POOL_SIZE,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    if (!SCHEMA_PATTERN.test(schema)) throw new Error(`bad schema name ${schema}`);
  }

  /** `schema.name`, for SQL text (the schema name is checked in the constructor). */
  t(name: string): string {
    return `${this.schema}.${name}`;
  }

  /** The pool, connected and migrated (the driver is loaded only on first use). */
  connect(): Promise<pg.Pool> {
    this.ready ??= (async () => {
      const { default: driver } = await import('pg');
      this.pool ??= new driver.Pool({ connectionString: this.connectionString, max: this.max });
      const pool = this.pool;
      await withConnectRetry(() => migrate(pool, this.schema, this.migrations), this.retry);
      return pool;
    })().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]) {
    const pool = await this.connect();
    return withConnectRetry(() => pool.query<R>(sql, params), this.retry);
  }

  /** `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on a throw). */
  async tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const pool = await this.connect();
    const client = await withConnectRetry(() => pool.connect(), this.retry);
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Drop this database's schema (tests). */
  async dropSchema(): Promise<void> {
    const pool = await this.connect();
    await pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
    this.ready = undefined;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.ready = undefined;
    await pool?.end();
  }
}

/** The advisory-lock key of one schema's migrations (the same in every process). */
export const migrationLockKey = (schema: string) => `opsorchestra.migrate:${schema}`;

/**
 * Applies the pending migrations of `schema` in version order, each in its own transaction with its
 * row in `schema_migrations`, all under a session advisory lock held on one connection. A migration
 * already recorded is skipped; one whose name differs from the record (an edited history) stops the
 * start-up rather than guessing. Returns the versions applied by this call.
 */
export async function migrate(pool: pg.Pool, schema: string, migrations: readonly Migration[]): Promise<number[]> {
  if (!SCHEMA_PATTERN.test(schema)) throw new Error(`bad schema name ${schema}`);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [migrationLockKey(schema)]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
           version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number; name: string }>(
        `SELECT version, name FROM ${schema}.schema_migrations`,
      );
      const done = new Map(rows.map((r) => [r.version, r.name]));
      for (const m of sorted) {
        const recorded = done.get(m.version);
        if (recorded !== undefined) {
          if (recorded !== m.name) {
            throw new Error(
              `database schema ${schema} has migration ${m.version} "${recorded}" but this version expects "${m.name}"`,
            );
          }
          continue;
        }
        await client.query('BEGIN');
        try {
          await client.query(m.sql(schema));
          await client.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`, [
            m.version,
            m.name,
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${m.version} "${m.name}" failed: ${(err as Error).message}`);
        }
        applied.push(m.version);
      }
      const newest = sorted.at(-1)?.version ?? 0;
      const ahead = [...done.keys()].filter((v) => v > newest);
      if (ahead.length > 0) {
        throw new Error(
          `database schema ${schema} is at migration ${Math.max(...ahead)}, newer than this version knows (${newest}); upgrade this instance`,
        );
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [migrationLockKey(schema)]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
  return applied;
}
