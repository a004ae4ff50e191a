import { isoSeconds } from '../lib/clock.ts';
import type { PgDatabase } from '../storage/pg.ts';
import { appendJsonl, readJsonl } from '../store/jsonl.ts';
import { withFileLock } from '../store/lock.ts';
import type { Origin } from './types.ts';

/** One line of `_admin/audit.jsonl` (or one `audit_log` row with `DATABASE_URL`). */
export interface AuditLine {
  ts: string;
  action: string;
  tenant: string | null;
  via: Origin['via'];
  address: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditEntry {
  action: string;
  tenant?: string;
  origin: Origin;
  detail?: Record<string, unknown>;
}

/** The operator's audit log: a JSON Lines file (file mode) or a table (PostgreSQL), same lines. */
export interface AuditLog {
  append(now: Date, entry: AuditEntry): Promise<void>;
  /** Every line, oldest first. */
  read(): Promise<AuditLine[]>;
}

function lineOf(now: Date, entry: AuditEntry): AuditLine {
  return {
    ts: isoSeconds(now),
    action: entry.action,
    tenant: entry.tenant ?? null,
    via: entry.origin.via,
    address: entry.origin.address ?? null,
    ...(entry.detail ? { detail: entry.detail } : {}),
  };
}

/** Appends under the file lock: the CLI and the server may append at once, and the torn-tail repair must not race. */
export async function appendAudit(file: string, now: Date, entry: AuditEntry): Promise<void> {
  const line = lineOf(now, entry);
  await withFileLock(file, () => appendJsonl(file, line));
}

export function readAudit(file: string): Promise<AuditLine[]> {
  return readJsonl<AuditLine>(file);
}

export function fileAuditLog(file: string): AuditLog {
  return { append: (now, entry) => appendAudit(file, now, entry), read: () => readAudit(file) };
}

/** One row per line; the sequence keeps the order across instances. */
export function pgAuditLog(db: PgDatabase): AuditLog {
  return {
    async append(now, entry) {
      const line = lineOf(now, entry);
      await db.query(`INSERT INTO ${db.t('audit_log')} (tenant_id, line) VALUES ($1, $2)`, [
        line.tenant,
        JSON.stringify(line),
      ]);
    },
    async read() {
      const { rows } = await db.query<{ line: AuditLine }>(`SELECT line FROM ${db.t('audit_log')} ORDER BY seq`);
      return rows.map((r) => r.line);
    },
  };
}
