import fs from 'node:fs';
import { appendJsonl, readJsonl } from '../store/jsonl.ts';
import { KeyedMutex } from '../store/lock.ts';
import { ID_PATTERN, type TenantScope } from '../store/paths.ts';
import type { TraceEvent } from './types.ts';

/**
 * Reading and appending a tenant's decision traces. In file mode one JSON Lines file per session
 * (`traces/session_<id>.jsonl`, appends serialized in this process); with `DATABASE_URL` one
 * `trace_events` row per event, in insertion order (a sequence), keyed by the tenant id — read back
 * as the same events, so the API and the export still give JSON Lines. Every lookup goes through the
 * tenant's scope, so a caller can only reach the traces of the tenant it holds.
 */
export interface TraceSummary {
  session_id: string;
  events: number;
  started_at: string | null;
  last_at: string | null;
}

export interface TraceBackend {
  append(scope: TenantScope, event: TraceEvent): Promise<void>;
  /** The events of one session in the order they were written; `undefined` when there is no such trace. */
  read(scope: TenantScope, sessionId: string): Promise<TraceEvent[] | undefined>;
  /** Every session trace of the tenant, most recent first. */
  list(scope: TenantScope): Promise<TraceSummary[]>;
}

const appends = new KeyedMutex();
const byRecent = (a: TraceSummary, b: TraceSummary) => (b.last_at ?? '').localeCompare(a.last_at ?? '');

export const fileTraces: TraceBackend = {
  append(scope, event) {
    const file = scope.traceFile(event.session_id);
    return appends.run(file, () => appendJsonl(file, event));
  },
  async read(scope, sessionId) {
    if (!ID_PATTERN.test(sessionId)) return undefined;
    const file = scope.traceFile(sessionId);
    try {
      await fs.promises.access(file);
    } catch {
      return undefined;
    }
    return readJsonl<TraceEvent>(file);
  },
  async list(scope) {
    let names: string[];
    try {
      names = await fs.promises.readdir(scope.tracesDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: TraceSummary[] = [];
    for (const name of names) {
      const match = /^session_(.+)\.jsonl$/.exec(name);
      if (!match?.[1] || !ID_PATTERN.test(match[1])) continue;
      const events = await readJsonl<TraceEvent>(scope.traceFile(match[1]));
      out.push({
        session_id: match[1],
        events: events.length,
        started_at: events[0]?.ts ?? null,
        last_at: events.at(-1)?.ts ?? null,
      });
    }
    return out.sort(byRecent);
  },
};

function need(scope: TenantScope) {
  if (!scope.db) throw new Error('PostgreSQL trace store used without a database');
  return scope.db;
}

export const pgTraces: TraceBackend = {
  async append(scope, event) {
    if (!ID_PATTERN.test(event.session_id)) throw new Error('bad session id');
    const db = need(scope);
    await db.query(`INSERT INTO ${db.t('trace_events')} (tenant_id, session_id, event) VALUES ($1, $2, $3)`, [
      scope.tenantId,
      event.session_id,
      JSON.stringify(event),
    ]);
  },
  async read(scope, sessionId) {
    if (!ID_PATTERN.test(sessionId)) return undefined;
    const db = need(scope);
    const { rows } = await db.query<{ event: TraceEvent }>(
      `SELECT event FROM ${db.t('trace_events')} WHERE tenant_id = $1 AND session_id = $2 ORDER BY seq`,
      [scope.tenantId, sessionId],
    );
    return rows.length > 0 ? rows.map((r) => r.event) : undefined;
  },
  async list(scope) {
    const db = need(scope);
    const { rows } = await db.query<{ session_id: string; events: number; first: TraceEvent; last: TraceEvent }>(
      `SELECT session_id, count(*)::int AS events,
              (array_agg(event ORDER BY seq))[1] AS first, (array_agg(event ORDER BY seq DESC))[1] AS last
         FROM ${db.t('trace_events')} WHERE tenant_id = $1 GROUP BY session_id`,
      [scope.tenantId],
    );
    return rows
      .map((r) => ({
        session_id: r.session_id,
        events: r.events,
        started_at: r.first?.ts ?? null,
        last_at: r.last?.ts ?? null,
      }))
      .sort(byRecent);
  },
};

export const traceBackend = (scope: TenantScope): TraceBackend => (scope.db ? pgTraces : fileTraces);

export function appendTraceEvent(scope: TenantScope, event: TraceEvent): Promise<void> {
  return traceBackend(scope).append(scope, event);
}

/** The events of one session in the order they were written; `undefined` when there is no such trace. */
export function readTrace(scope: TenantScope, sessionId: string): Promise<TraceEvent[] | undefined> {
  return traceBackend(scope).read(scope, sessionId);
}

/** Every session trace of the tenant, most recent first. */
export function listTraces(scope: TenantScope): Promise<TraceSummary[]> {
  return traceBackend(scope).list(scope);
}
