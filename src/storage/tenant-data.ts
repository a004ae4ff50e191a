import type { ArchiveEntry } from '../tenants/archive.ts';
import type { DiskUsage } from '../tenants/disk.ts';
import type { PgDatabase } from './pg.ts';

/**
 * A tenant's state in PostgreSQL as a whole, for the operator's commands: what it holds
 * (`show-tenant`, the admin view), all of it as the files of a file-mode tenant folder
 * (`export-tenant`, so one archive format serves both backends), and its removal (`purge-tenant`).
 * Every query is keyed by the tenant id the registry verified.
 */

/** Tables with a `tenant_id` column, children before parents (purge order). */
export const TENANT_TABLES = [
  'turns',
  'sessions',
  'trace_events',
  'graph_state',
  'questionnaire',
  'search_passages',
  'upload_slots',
  'document_extracted',
  'document_blobs',
  'documents',
] as const;

export async function pgTenantUsage(db: PgDatabase, tenantId: string): Promise<DiskUsage> {
  const { rows } = await db.query<{ documents: number; sessions: number; bytes: string }>(
    `SELECT (SELECT count(*)::int FROM ${db.t('sessions')} WHERE tenant_id = $1) AS sessions,
            (SELECT count(*)::int FROM ${db.t('documents')} WHERE tenant_id = $1) AS documents,
            ((SELECT COALESCE(sum(octet_length(data::text)), 0) FROM ${db.t('turns')} WHERE tenant_id = $1)
           + (SELECT COALESCE(sum(octet_length(event::text)), 0) FROM ${db.t('trace_events')} WHERE tenant_id = $1)
           + (SELECT COALESCE(sum(octet_length(state::text)), 0) FROM ${db.t('graph_state')} WHERE tenant_id = $1)
           + (SELECT COALESCE(sum(octet_length(data::text)), 0) FROM ${db.t('questionnaire')} WHERE tenant_id = $1)
           + (SELECT COALESCE(sum(octet_length(record::text)), 0) FROM ${db.t('documents')} WHERE tenant_id = $1)
           + (SELECT COALESCE(sum(octet_length(bytes)), 0) FROM ${db.t('document_blobs')} WHERE tenant_id = $1)
           + (SELECT COALESCE(sum(octet_length(data)), 0) FROM ${db.t('document_extracted')} WHERE tenant_id = $1)
           + (SELECT COALESCE(sum(octet_length(text)), 0) FROM ${db.t('search_passages')} WHERE tenant_id = $1)
            )::text AS bytes`,
    [tenantId],
  );
  const row = rows[0];
  return { documents: row?.documents ?? 0, sessions: row?.sessions ?? 0, bytes: Number(row?.bytes ?? 0) };
}

/** Deletes every row of the tenant in one transaction; returns the bytes it held. */
export async function pgPurgeTenant(db: PgDatabase, tenantId: string): Promise<number> {
  const { bytes } = await pgTenantUsage(db, tenantId);
  await db.tx(async (client) => {
    for (const table of TENANT_TABLES)
      await client.query(`DELETE FROM ${db.t(table)} WHERE tenant_id = $1`, [tenantId]);
  });
  return bytes;
}

/**
 * The tenant's rows as the entries of its file-mode folder, under `<root>/`: `sessions/<id>.json`,
 * `traces/session_<id>.jsonl`, `graph_state.json`, `questionnaire.json`, `documents/index.json`,
 * `documents/<id>/original` and `documents/<id>/extracted.json`.
 */
export async function pgTenantEntries(
  db: PgDatabase,
  tenantId: string,
  root: string,
  mtime: Date,
): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [{ name: `${root}/`, mtime }];
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

  const sessions = await db.query<{
    id: string;
    title: string;
    created_at: string;
    updated_at: string;
    turns: unknown[];
  }>(
    `SELECT s.id, s.title, s.created_at, s.updated_at,
            COALESCE((SELECT jsonb_agg(t.data ORDER BY t.turn) FROM ${db.t('turns')} t
                       WHERE t.tenant_id = s.tenant_id AND t.session_id = s.id), '[]'::jsonb) AS turns
       FROM ${db.t('sessions')} s WHERE s.tenant_id = $1 ORDER BY s.id`,
    [tenantId],
  );
  if (sessions.rows.length > 0) entries.push({ name: `${root}/sessions/`, mtime });
  for (const s of sessions.rows) entries.push({ name: `${root}/sessions/${s.id}.json`, data: json(s), mtime });

  const traces = await db.query<{ session_id: string; lines: string }>(
    `SELECT session_id, string_agg(event::text, E'\\n' ORDER BY seq) AS lines
       FROM ${db.t('trace_events')} WHERE tenant_id = $1 GROUP BY session_id ORDER BY session_id`,
    [tenantId],
  );
  entries.push({ name: `${root}/traces/`, mtime });
  for (const t of traces.rows) {
    entries.push({ name: `${root}/traces/session_${t.session_id}.jsonl`, data: Buffer.from(`${t.lines}\n`), mtime });
  }

  const graph = await db.query<{ state: unknown }>(`SELECT state FROM ${db.t('graph_state')} WHERE tenant_id = $1`, [
    tenantId,
  ]);
  if (graph.rows[0]) entries.push({ name: `${root}/graph_state.json`, data: json(graph.rows[0].state), mtime });
  const questionnaire = await db.query<{ data: unknown }>(
    `SELECT data FROM ${db.t('questionnaire')} WHERE tenant_id = $1`,
    [tenantId],
  );
  if (questionnaire.rows[0]) {
    entries.push({ name: `${root}/questionnaire.json`, data: json(questionnaire.rows[0].data), mtime });
  }
  const docs = await db.query<{ id: string; record: { sha256: string; uploaded_at: string } }>(
    `SELECT id, record FROM ${db.t('documents')} WHERE tenant_id = $1`,
    [tenantId],
  );
  const records = docs.rows.map((r) => r.record).sort((a, b) => b.uploaded_at.localeCompare(a.uploaded_at));
  entries.push({ name: `${root}/documents/`, mtime });
  if (records.length > 0) {
    entries.push({ name: `${root}/documents/index.json`, data: json({ documents: records }), mtime });
  }
  for (const d of docs.rows) {
    entries.push({ name: `${root}/documents/${d.id}/`, mtime });
    const blob = await db.query<{ bytes: Buffer }>(
      `SELECT bytes FROM ${db.t('document_blobs')} WHERE tenant_id = $1 AND sha256 = $2`,
      [tenantId, d.record.sha256],
    );
    if (blob.rows[0]) entries.push({ name: `${root}/documents/${d.id}/original`, data: blob.rows[0].bytes, mtime });
    const ex = await db.query<{ data: Buffer }>(
      `SELECT data FROM ${db.t('document_extracted')} WHERE tenant_id = $1 AND id = $2`,
      [tenantId, d.id],
    );
    if (ex.rows[0]) entries.push({ name: `${root}/documents/${d.id}/extracted.json`, data: ex.rows[0].data, mtime });
  }
  return entries;
}
