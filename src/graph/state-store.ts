import { readJson, writeJsonAtomic } from '../store/atomic.ts';
import { KeyedMutex } from '../store/lock.ts';
import type { TenantScope } from '../store/paths.ts';
import { emptyState, type GraphState } from './state.ts';

/**
 * Where a tenant's graph (series of metric points, derived values, facts, profile) lives: the file
 * `graph_state.json` in its folder, or a `graph_state` row in PostgreSQL keyed by the tenant id.
 * `update` is a read-modify-write that is serialized per tenant — in this process for the file (one
 * server per DATA_DIR), across every instance for PostgreSQL (the row is locked `FOR UPDATE` for the
 * length of the transaction).
 */
export interface GraphStateBackend {
  read(scope: TenantScope): Promise<GraphState>;
  update<T>(scope: TenantScope, fn: (state: GraphState) => T): Promise<T>;
}

const HINT = 'Restore it from a backup or move it aside to rebuild by re-uploading.';
const mutex = new KeyedMutex();
const complete = (state: GraphState | undefined): GraphState => (state ? { ...emptyState(), ...state } : emptyState());

export const fileGraphState: GraphStateBackend = {
  async read(scope) {
    return complete(await readJson<GraphState>(scope.graphFile, HINT));
  },
  update(scope, fn) {
    return mutex.run(scope.graphFile, async () => {
      const state = await this.read(scope);
      const result = fn(state);
      await writeJsonAtomic(scope.graphFile, state);
      return result;
    });
  },
};

function need(scope: TenantScope) {
  if (!scope.db) throw new Error('PostgreSQL graph store used without a database');
  return scope.db;
}

export const pgGraphState: GraphStateBackend = {
  async read(scope) {
    const db = need(scope);
    const { rows } = await db.query<{ state: GraphState }>(
      `SELECT state FROM ${db.t('graph_state')} WHERE tenant_id = $1`,
      [scope.tenantId],
    );
    return complete(rows[0]?.state);
  },
  update(scope, fn) {
    const db = need(scope);
    return db.tx(async (client) => {
      await client.query(
        `INSERT INTO ${db.t('graph_state')} (tenant_id, state) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING`,
        [scope.tenantId, JSON.stringify(emptyState())],
      );
      const { rows } = await client.query<{ state: GraphState }>(
        `SELECT state FROM ${db.t('graph_state')} WHERE tenant_id = $1 FOR UPDATE`,
        [scope.tenantId],
      );
      const state = complete(rows[0]?.state);
      const result = fn(state);
      await client.query(`UPDATE ${db.t('graph_state')} SET state = $2, updated_at = now() WHERE tenant_id = $1`, [
        scope.tenantId,
        JSON.stringify(state),
      ]);
      return result;
    });
  },
};

export const graphStateBackend = (scope: TenantScope): GraphStateBackend => (scope.db ? pgGraphState : fileGraphState);
