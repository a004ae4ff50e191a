import fs from 'node:fs';
import path from 'node:path';
import { ACCESS_KEY_PATTERN, LEGACY_KEY_PATTERN } from '../store/paths.ts';
import type { AuditEntry, AuditLine } from './audit.ts';
import type { TenantRecord } from './types.ts';

/**
 * What an old crash can leave in the data directory, and how to mend it (`check-data [--repair]`,
 * and, for the creation leftovers, every writer process once before its first write).
 *
 * Creating a tenant is ordered, under the registry lock: (1) its folders, (2) the `create` audit
 * line, (3) the registry record — the commit. A crash after (1) leaves an empty folder without a
 * record; after (2) also an audit line for it. Both are a creation that did not happen: the folder
 * is removed and the audit log says `create_failed`. A crash after (3) leaves a complete, audited
 * tenant. Records without their audit line can only come from before this order (or a hand edit):
 * the line is added, marked `recovered`. A folder without a record that holds data is reported and
 * left alone (someone must decide). Temp files (`*.tmp-*`) older than a minute are writers killed
 * mid-write: removed.
 */
export interface DataReport {
  /** Tenant-shaped folders without a registry record. */
  /** `empty`: only the empty `documents/`/`traces/` a creation makes — removed by a repair. */
  orphan_folders: Array<{ name: string; empty: boolean }>;
  /** Records without a `create`/`import` audit line. */
  missing_audit: string[];
  /** `create` audit lines whose tenant has no record (and no `create_failed` line yet). */
  failed_creations: string[];
  /** `*.tmp-*` files older than `TEMP_MIN_AGE_MS`, relative to the data directory. */
  stale_temp_files: string[];
}

export const TEMP_MIN_AGE_MS = 60_000;

export interface DataDeps {
  dataDir: string;
  records: readonly TenantRecord[];
  audit: readonly AuditLine[];
}

export function isClean(report: DataReport): boolean {
  return (
    report.orphan_folders.length === 0 &&
    report.missing_audit.length === 0 &&
    report.failed_creations.length === 0 &&
    report.stale_temp_files.length === 0
  );
}

export async function inspectData(deps: DataDeps, opts: { tempFiles?: boolean } = {}): Promise<DataReport> {
  const known = new Set(deps.records.map((r) => r.key));
  const audited = new Set<string>();
  const failed = new Set<string>();
  for (const line of deps.audit) {
    if (!line.tenant) continue;
    if (line.action === 'create' || line.action === 'import') audited.add(line.tenant);
    if (line.action === 'create_failed') failed.add(line.tenant);
  }
  const orphan_folders: DataReport['orphan_folders'] = [];
  for (const name of await listDir(deps.dataDir)) {
    if (known.has(name) || !isTenantFolderName(name)) continue;
    const full = path.join(deps.dataDir, name);
    const stat = await fs.promises.stat(full).catch(() => undefined);
    if (!stat?.isDirectory()) continue;
    orphan_folders.push({ name, empty: await isEmptySkeleton(full) });
  }
  return {
    orphan_folders,
    missing_audit: deps.records.filter((r) => !audited.has(r.key)).map((r) => r.key),
    failed_creations: [...audited].filter((k) => !known.has(k) && !failed.has(k)),
    stale_temp_files: opts.tempFiles === false ? [] : await staleTempFiles(deps.dataDir),
  };
}

export interface RepairDeps extends DataDeps {
  appendAudit(entry: AuditEntry): Promise<void>;
}

/** Applies the fixes of `report`; returns what was done, one line each, for the operator. */
export async function repairData(report: DataReport, deps: RepairDeps): Promise<string[]> {
  const done: string[] = [];
  const failed = new Set(report.failed_creations);
  for (const orphan of report.orphan_folders) {
    if (!orphan.empty) continue;
    await fs.promises.rm(path.join(deps.dataDir, orphan.name), { recursive: true, force: true });
    done.push(`removed the empty folder ${orphan.name}/ of a creation that did not finish`);
    failed.add(orphan.name);
  }
  const byKey = new Map(deps.records.map((r) => [r.key, r]));
  for (const key of failed) {
    if (byKey.has(key) || !report.failed_creations.includes(key)) continue;
    await deps.appendAudit({
      action: 'create_failed',
      tenant: key,
      origin: { via: 'cli' },
      detail: { reason: 'the creating process stopped before the registry record was written' },
    });
    done.push(`audit: create_failed for ${key} (no record was written)`);
  }
  for (const key of report.missing_audit) {
    const r = byKey.get(key);
    if (!r) continue;
    await deps.appendAudit({
      action: r.legacy ? 'import' : 'create',
      tenant: key,
      origin: { via: 'cli' },
      detail: { name: r.name, created_at: r.created_at, recovered: true },
    });
    done.push(`audit: added the missing ${r.legacy ? 'import' : 'create'} line of ${key}`);
  }
  for (const rel of report.stale_temp_files) {
    await fs.promises.rm(path.join(deps.dataDir, rel), { force: true });
    done.push(`removed the stale temp file ${rel}`);
  }
  return done;
}

function isTenantFolderName(name: string): boolean {
  if (name.startsWith('_') || name.startsWith('.')) return false;
  return ACCESS_KEY_PATTERN.test(name) || LEGACY_KEY_PATTERN.test(name);
}

/** A folder as `create` makes it (or a crash left it): at most empty `traces/` and `documents/`. */
async function isEmptySkeleton(dir: string): Promise<boolean> {
  const names = await listDir(dir);
  if (names.some((n) => n !== 'documents' && n !== 'traces')) return false;
  for (const n of names) if ((await listDir(path.join(dir, n))).length > 0) return false;
  return true;
}

async function staleTempFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const now = Date.now();
  const walk = async (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < 4) await walk(full, depth + 1);
      } else if (/\.tmp-\d+-/.test(e.name)) {
        const stat = await fs.promises.stat(full).catch(() => undefined);
        if (stat && now - stat.mtimeMs >= TEMP_MIN_AGE_MS) out.push(path.relative(root, full));
      }
    }
  };
  await walk(root, 0);
  return out.sort();
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch {
    return [];
  }
}
