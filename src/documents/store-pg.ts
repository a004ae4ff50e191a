import fs from 'node:fs';
import path from 'node:path';
import type { PgDatabase } from '../storage/pg.ts';
import { writeFileAtomic } from '../store/atomic.ts';
import type { TenantScope } from '../store/paths.ts';
import type { DocumentRecord } from './types.ts';

/**
 * The documents on PostgreSQL (`DATABASE_URL`), keyed by the tenant id: `documents` (one record per
 * row), `document_blobs` (the original bytes, `bytea`, by content hash), `document_extracted` (the
 * extraction JSON). The database is the truth; the instance's `DATA_DIR/<tenant>/documents/<id>/`
 * is only a cache of originals and extractions, filled from the database on first use — so an
 * instance serves a document another instance received, byte for byte, with no shared disk.
 *
 * The read-modify-write of a tenant's records runs in one transaction under a per-tenant advisory
 * lock, so uploads, status changes and deletions on any number of instances are serialized and none
 * is lost; only the rows that changed are written.
 */
function need(scope: TenantScope): PgDatabase {
  if (!scope.db) throw new Error('PostgreSQL document store used without a database');
  return scope.db;
}

const order = (a: DocumentRecord, b: DocumentRecord) =>
  b.uploaded_at.localeCompare(a.uploaded_at) || b.id.localeCompare(a.id);

export async function pgReadRecords(scope: TenantScope): Promise<DocumentRecord[]> {
  const db = need(scope);
  const { rows } = await db.query<{ record: DocumentRecord }>(
    `SELECT record FROM ${db.t('documents')} WHERE tenant_id = $1`,
    [scope.tenantId],
  );
  return rows.map((r) => r.record).sort(order);
}

export async function pgUpdateRecords<T>(
  scope: TenantScope,
  fn: (docs: DocumentRecord[]) => Promise<{ docs?: DocumentRecord[]; result: T }>,
): Promise<T> {
  const db = need(scope);
  return db.tx(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${db.schema}.documents:${scope.tenantId}`]);
    const { rows } = await client.query<{ record: DocumentRecord }>(
      `SELECT record FROM ${db.t('documents')} WHERE tenant_id = $1`,
      [scope.tenantId],
    );
    const docs = rows.map((r) => r.record).sort(order);
    const before = new Map(docs.map((d) => [d.id, JSON.stringify(d)]));
    const { docs: next, result } = await fn(docs);
    if (!next) return result;
    const kept = new Set(next.map((d) => d.id));
    const gone = docs.filter((d) => !kept.has(d.id)).map((d) => d.id);
    if (gone.length) {
      await client.query(`DELETE FROM ${db.t('documents')} WHERE tenant_id = $1 AND id = ANY($2)`, [
        scope.tenantId,
        gone,
      ]);
    }
    for (const d of next) {
      const json = JSON.stringify(d);
      if (before.get(d.id) === json) continue;
      await client.query(
        `INSERT INTO ${db.t('documents')} (tenant_id, id, uploaded_at, record) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, id) DO UPDATE SET record = EXCLUDED.record, uploaded_at = EXCLUDED.uploaded_at`,
        [scope.tenantId, d.id, d.uploaded_at, json],
      );
    }
    return result;
  });
}

/** Stores an upload's bytes (once per content hash). */
export async function pgPutOriginal(scope: TenantScope, sha256: string, file: string): Promise<void> {
  const db = need(scope);
  const bytes = await fs.promises.readFile(file);
  await db.query(
    `INSERT INTO ${db.t('document_blobs')} (tenant_id, sha256, bytes) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [scope.tenantId, sha256, bytes],
  );
}

/** The original in this instance's cache at `file`, fetched from the database when missing. */
export async function pgMaterializeOriginal(scope: TenantScope, sha256: string, file: string): Promise<boolean> {
  if (fs.existsSync(file)) return true;
  const db = need(scope);
  const { rows } = await db.query<{ bytes: Buffer }>(
    `SELECT bytes FROM ${db.t('document_blobs')} WHERE tenant_id = $1 AND sha256 = $2`,
    [scope.tenantId, sha256],
  );
  if (!rows[0]) return false;
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, rows[0].bytes);
  return true;
}

export async function pgPutExtracted(scope: TenantScope, id: string, file: string): Promise<void> {
  const db = need(scope);
  const data = await fs.promises.readFile(file);
  await db.query(
    `INSERT INTO ${db.t('document_extracted')} (tenant_id, id, data) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, id) DO UPDATE SET data = EXCLUDED.data`,
    [scope.tenantId, id, data],
  );
}

export async function pgMaterializeExtracted(scope: TenantScope, id: string, file: string): Promise<boolean> {
  if (fs.existsSync(file)) return true;
  const db = need(scope);
  const { rows } = await db.query<{ data: Buffer }>(
    `SELECT data FROM ${db.t('document_extracted')} WHERE tenant_id = $1 AND id = $2`,
    [scope.tenantId, id],
  );
  if (!rows[0]) return false;
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, rows[0].data);
  return true;
}

/** A document is gone: its extraction, and its bytes unless another record has the same content. */
export async function pgForgetDocument(scope: TenantScope, id: string, sha256: string | undefined): Promise<void> {
  const db = need(scope);
  await db.query(`DELETE FROM ${db.t('document_extracted')} WHERE tenant_id = $1 AND id = $2`, [scope.tenantId, id]);
  if (!sha256) return;
  await db.query(
    `DELETE FROM ${db.t('document_blobs')} b WHERE b.tenant_id = $1 AND b.sha256 = $2
       AND NOT EXISTS (SELECT 1 FROM ${db.t('documents')} d WHERE d.tenant_id = $1 AND d.record->>'sha256' = $2)`,
    [scope.tenantId, sha256],
  );
}
