import { isoSeconds } from '../lib/clock.ts';
import { appendJsonl, readJsonl } from '../store/jsonl.ts';
import { withFileLock } from '../store/lock.ts';
import type { Origin } from './types.ts';

/** One line of `_admin/audit.jsonl`. */
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

/** Appends under the file lock: the CLI and the server may append at once, and the torn-tail repair must not race. */
export async function appendAudit(file: string, now: Date, entry: AuditEntry): Promise<void> {
  const line: AuditLine = {
    ts: isoSeconds(now),
    action: entry.action,
    tenant: entry.tenant ?? null,
    via: entry.origin.via,
    address: entry.origin.address ?? null,
    ...(entry.detail ? { detail: entry.detail } : {}),
  };
  await withFileLock(file, () => appendJsonl(file, line));
}

export function readAudit(file: string): Promise<AuditLine[]> {
  return readJsonl<AuditLine>(file);
}
