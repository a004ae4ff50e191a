import path from 'node:path';
import type { PgDatabase } from '../storage/pg.ts';

/** Fixed names of DESIGN.md §3 (operators' runbooks refer to them). */
export const ADMIN_DIR = '_admin';
export const GLOBAL_DIR = '_global';
export const TENANTS_FILE = 'tenants.json';
export const SEED_GRAPH_FILE = 'seed_graph.json';
export const GRAPH_STATE_FILE = 'graph_state.json';
export const DOCUMENTS_DIR = 'documents';
export const TRACES_DIR = 'traces';

/** A well-formed access key (also the tenant id and folder name). Checked before any path is built. */
export const ACCESS_KEY_PATTERN = /^[a-z0-9_]{1,24}_[A-Z0-9]{8}$/;
/** Legacy keys (VALID_TENANT_KEYS) keep whatever shape they had, within a safe alphabet. */
export const LEGACY_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{7,99}$/;

/** Server-made ids for documents, sessions, etc.: never a client-chosen string. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{5,63}$/;

export function adminPaths(dataDir: string) {
  const dir = path.join(dataDir, ADMIN_DIR);
  return {
    dir,
    tenantsFile: path.join(dir, TENANTS_FILE),
    auditFile: path.join(dir, 'audit.jsonl'),
  };
}

export function globalPaths(dataDir: string) {
  const dir = path.join(dataDir, GLOBAL_DIR);
  return { dir, seedGraphFile: path.join(dir, SEED_GRAPH_FILE) };
}

/**
 * The tenant-scoped data handle: every path of one tenant's folder. It is built only from a key that
 * the tenant registry verified (the server's tenant guard, or the CLI after a lookup), so code that
 * holds a scope cannot reach another tenant's folder.
 */
export interface TenantScope {
  readonly tenantId: string;
  readonly dir: string;
  readonly documentsDir: string;
  readonly tracesDir: string;
  readonly graphFile: string;
  /**
   * With `DATABASE_URL`: the database that holds this tenant's state (sessions, traces, graph, …),
   * keyed by `tenantId`; undefined in file mode. Each store picks its backend from it.
   */
  readonly db: PgDatabase | undefined;
  /** A file directly in the tenant folder (name must be a plain file name). */
  file(name: string): string;
  /** `traces/session_<id>.jsonl` for a server-made session id. */
  traceFile(sessionId: string): string;
}

export function tenantScope(dataDir: string, tenantId: string, db?: PgDatabase): TenantScope {
  if (!ACCESS_KEY_PATTERN.test(tenantId) && !LEGACY_KEY_PATTERN.test(tenantId)) {
    throw new Error(`refusing to build a path for a malformed tenant id`);
  }
  if (tenantId.startsWith('_')) throw new Error('refusing a tenant id that shadows a reserved folder');
  const dir = path.join(dataDir, tenantId);
  return {
    tenantId,
    dir,
    documentsDir: path.join(dir, DOCUMENTS_DIR),
    tracesDir: path.join(dir, TRACES_DIR),
    graphFile: path.join(dir, GRAPH_STATE_FILE),
    db,
    file(name: string) {
      if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) throw new Error(`bad file name ${name}`);
      return path.join(dir, name);
    },
    traceFile(sessionId: string) {
      if (!ID_PATTERN.test(sessionId)) throw new Error('bad session id');
      return path.join(dir, TRACES_DIR, `session_${sessionId}.jsonl`);
    },
  };
}
