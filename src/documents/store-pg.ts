import crypto from 'node:crypto';
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

/**
 * Who reads a document, and until when (`documents.lease_owner`, `lease_until`). The instance that
 * records an upload holds its lease from the same INSERT; it renews it while it works
 * (`pgRenewLease`); the lease goes with the row's last `processing` state (any write of another status
 * clears it). A lease not renewed in time — its instance was killed — is taken over by another
 * instance's sweep (`pgSweepLeases`).
 */
export interface Lease {
  owner: string;
  seconds: number;
}

const tenantLock = (db: PgDatabase, tenantId: string) => `${db.schema}.documents:${tenantId}`;

export async function pgUpdateRecords<T>(
  scope: TenantScope,
  fn: (docs: DocumentRecord[]) => Promise<{ docs?: DocumentRecord[]; result: T }>,
  /** New `processing` records are leased to this instance in the INSERT itself (no unleased moment). */
  lease?: Lease,
): Promise<T> {
  const db = need(scope);
  return db.tx(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [tenantLock(db, scope.tenantId)]);
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
      const owner = lease && d.status === 'processing' ? lease.owner : null;
      await client.query(
        `INSERT INTO ${db.t('documents')} AS t (tenant_id, id, uploaded_at, record, lease_owner, lease_until)
         VALUES ($1, $2, $3, $4, $5::text,
                 CASE WHEN $5::text IS NULL THEN NULL ELSE now() + make_interval(secs => $6) END)
         ON CONFLICT (tenant_id, id) DO UPDATE SET record = EXCLUDED.record, uploaded_at = EXCLUDED.uploaded_at,
           lease_owner = CASE WHEN EXCLUDED.record->>'status' = 'processing' THEN t.lease_owner END,
           lease_until = CASE WHEN EXCLUDED.record->>'status' = 'processing' THEN t.lease_until END`,
        [scope.tenantId, d.id, d.uploaded_at, json, owner, lease?.seconds ?? 0],
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

/** Extends this instance's lease on a document; false when it is no longer this instance's. */
export async function pgRenewLease(scope: TenantScope, id: string, lease: Lease): Promise<boolean> {
  const db = need(scope);
  const { rowCount } = await db.query(
    `UPDATE ${db.t('documents')} SET lease_until = now() + make_interval(secs => $4)
      WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3 AND record->>'status' = 'processing'`,
    [scope.tenantId, id, lease.owner, lease.seconds],
  );
  return (rowCount ?? 0) > 0;
}

/** A graceful stop: this instance's leases end now, so another instance takes the documents at once. */
export async function pgExpireLeases(db: PgDatabase, owner: string): Promise<void> {
  await db.query(
    `UPDATE ${db.t('documents')} SET lease_until = now() - interval '1 second'
      WHERE lease_owner = $1 AND record->>'status' = 'processing'`,
    [owner],
  );
}

export const INTERRUPTED_ERROR = {
  code: 'processing_interrupted',
  message: 'The server stopped twice while reading this document. Upload it again to retry.',
} as const;

/**
 * Documents left `processing` with a lease nobody renews (their instance died; or rows from before
 * leases, which have none): per tenant, under the tenant's advisory lock (the same one every record
 * update takes), one that was already started `maxAttempts` times is marked failed
 * `processing_interrupted` — whatever stopped its readers may be the document itself, and a crash
 * must not repeat on every instance for ever — and the others are leased to `lease.owner` with one
 * more attempt. At most `limit` documents are taken per call, so one instance does not hoard a backlog.
 */
export async function pgSweepLeases(
  db: PgDatabase,
  lease: Lease,
  opts: { maxAttempts: number; limit: number; now: string },
): Promise<{ retry: Array<{ tenantId: string; id: string }>; failed: Array<{ tenantId: string; id: string }> }> {
  const expired = `record->>'status' = 'processing' AND (lease_until IS NULL OR lease_until < now())`;
  const { rows: tenants } = await db.query<{ tenant_id: string }>(
    `SELECT DISTINCT tenant_id FROM ${db.t('documents')} WHERE ${expired}`,
  );
  const retry: Array<{ tenantId: string; id: string }> = [];
  const failed: Array<{ tenantId: string; id: string }> = [];
  for (const { tenant_id: tenantId } of tenants) {
    if (retry.length >= opts.limit) break;
    await db.tx(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [tenantLock(db, tenantId)]);
      const gaveUp = await client.query<{ id: string }>(
        `UPDATE ${db.t('documents')} SET lease_owner = NULL, lease_until = NULL,
           record = record || jsonb_build_object('status', 'failed', 'error', $2::jsonb, 'processed_at', $3::text,
                                                 'metrics', '[]'::jsonb, 'passages', 0)
          WHERE tenant_id = $1 AND ${expired} AND COALESCE((record->>'attempts')::int, 1) >= $4
          RETURNING id`,
        [tenantId, JSON.stringify(INTERRUPTED_ERROR), opts.now, opts.maxAttempts],
      );
      for (const r of gaveUp.rows) failed.push({ tenantId, id: r.id });
      const taken = await client.query<{ id: string }>(
        `UPDATE ${db.t('documents')} SET lease_owner = $2, lease_until = now() + make_interval(secs => $3),
           record = jsonb_set(record, '{attempts}', to_jsonb(COALESCE((record->>'attempts')::int, 1) + 1))
          WHERE tenant_id = $1 AND id IN (
            SELECT id FROM ${db.t('documents')} WHERE tenant_id = $1 AND ${expired}
             ORDER BY uploaded_at LIMIT $4)
          RETURNING id`,
        [tenantId, lease.owner, lease.seconds, opts.limit - retry.length],
      );
      for (const r of taken.rows) retry.push({ tenantId, id: r.id });
    });
  }
  return { retry, failed };
}

/**
 * Uploads being received, across instances (`upload_slots`): the per-tenant limit
 * (MAX_UPLOADS_IN_FLIGHT) and the bytes received but not yet recorded (for TENANT_QUOTA_MB) count every
 * instance's uploads. A slot is a row with an expiry the receiving instance renews; the row is deleted
 * when the upload ends, and a killed instance's rows stop counting when they expire.
 */
export async function pgTakeUploadSlot(
  db: PgDatabase,
  tenantId: string,
  lease: Lease,
  max: number,
): Promise<{ id: string; othersBytes: number } | undefined> {
  return db.tx(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${db.schema}.uploads:${tenantId}`]);
    await client.query(`DELETE FROM ${db.t('upload_slots')} WHERE tenant_id = $1 AND expires_at < now()`, [tenantId]);
    const { rows } = await client.query<{ n: number; bytes: string }>(
      `SELECT count(*)::int AS n, COALESCE(sum(bytes), 0)::text AS bytes FROM ${db.t('upload_slots')} WHERE tenant_id = $1`,
      [tenantId],
    );
    if ((rows[0]?.n ?? 0) >= max) return undefined;
    const id = crypto.randomBytes(12).toString('hex');
    await client.query(
      `INSERT INTO ${db.t('upload_slots')} (tenant_id, id, owner, bytes, expires_at)
       VALUES ($1, $2, $3, 0, now() + make_interval(secs => $4))`,
      [tenantId, id, lease.owner, lease.seconds],
    );
    return { id, othersBytes: Number(rows[0]?.bytes ?? 0) };
  });
}

/** Renews the slot with the bytes received so far; returns the bytes the tenant's other live uploads hold. */
export async function pgReportUploadSlot(
  db: PgDatabase,
  tenantId: string,
  id: string,
  bytes: number,
  lease: Lease,
): Promise<number> {
  const { rows } = await db.query<{ others: string }>(
    `WITH me AS (
       UPDATE ${db.t('upload_slots')} SET bytes = $3, expires_at = now() + make_interval(secs => $4)
        WHERE tenant_id = $1 AND id = $2)
     SELECT COALESCE(sum(bytes), 0)::text AS others FROM ${db.t('upload_slots')}
      WHERE tenant_id = $1 AND id <> $2 AND expires_at >= now()`,
    [tenantId, id, bytes, lease.seconds],
  );
  return Number(rows[0]?.others ?? 0);
}

export async function pgReleaseUploadSlot(db: PgDatabase, tenantId: string, id: string): Promise<void> {
  await db.query(`DELETE FROM ${db.t('upload_slots')} WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
}
