import crypto from 'node:crypto';
import fs from 'node:fs';
import { QUESTIONNAIRE_FILE } from '../analyst/questionnaire.ts';
import { fileSessions, pgSessions, type SessionRecord } from '../analyst/sessions.ts';
import { parseDocument } from '../documents/parse/index.ts';
import { buildPassages } from '../documents/passages.ts';
import { PgSearchIndex } from '../documents/search/postgres.ts';
import { docPaths, readRecords } from '../documents/store.ts';
import { pgPutExtracted, pgPutOriginal, pgReadRecords } from '../documents/store-pg.ts';
import type { DocumentRecord } from '../documents/types.ts';
import type { GraphState } from '../graph/state.ts';
import { fileGraphState, pgGraphState } from '../graph/state-store.ts';
import { readJson } from '../store/atomic.ts';
import { adminPaths, type TenantScope, tenantScope } from '../store/paths.ts';
import { type AuditLine, readAudit } from '../tenants/audit.ts';
import { RegistryFile } from '../tenants/registry.ts';
import { RegistryPg } from '../tenants/registry-pg.ts';
import { fileTraces, pgTraces } from '../traces/store.ts';
import type { TraceEvent } from '../traces/types.ts';
import type { PgDatabase } from './pg.ts';

/**
 * `migrate-to-postgres`: copies a file-mode DATA_DIR into PostgreSQL — the registry, then per tenant
 * its sessions and turns, traces, graph state and questionnaire, then the audit log — and verifies
 * every item by reading it back through the PostgreSQL stores and comparing it with the file.
 *
 * Idempotent: what is already in the database is left as it is (never overwritten) and only
 * compared, so a second run copies nothing and verifies everything; an item that differs from its
 * file (changed in PostgreSQL since, or a partial earlier copy) is reported as a mismatch, never
 * silently replaced. The files are not changed.
 */
export interface MigrationCounts {
  copied: number;
  already: number;
  mismatched: string[];
}

export interface MigrationReport {
  tenants: MigrationCounts;
  sessions: MigrationCounts;
  traces: MigrationCounts;
  graphs: MigrationCounts;
  questionnaires: MigrationCounts;
  /** Ready and failed documents: record, original bytes, extraction, search passages. */
  documents: MigrationCounts;
  audit: MigrationCounts;
  /** True when every item of the files is in PostgreSQL and equal to its file. */
  verified: boolean;
}

const counts = (): MigrationCounts => ({ copied: 0, already: 0, mismatched: [] });

/** JSON with sorted keys: equal content compares equal whatever the key order (jsonb reorders keys). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** What a data directory holds that `migrateToPostgres` would copy (`--dry-run`; no database needed). */
export async function planFromFiles(dataDir: string): Promise<Record<keyof Omit<MigrationReport, 'verified'>, number>> {
  const plan = { tenants: 0, sessions: 0, traces: 0, graphs: 0, questionnaires: 0, documents: 0, audit: 0 };
  const paths = adminPaths(dataDir);
  const tenants = fs.existsSync(paths.tenantsFile)
    ? (await new RegistryFile(paths.tenantsFile).snapshot()).data.tenants
    : [];
  plan.tenants = tenants.length;
  for (const t of tenants) {
    const scope = tenantScope(dataDir, t.key);
    if (t.purged_at || !fs.existsSync(scope.dir)) continue;
    plan.sessions += (await fileSessions.list(scope)).length;
    plan.traces += (await fileTraces.list(scope)).length;
    if (fs.existsSync(scope.graphFile)) plan.graphs += 1;
    if (fs.existsSync(scope.file(QUESTIONNAIRE_FILE))) plan.questionnaires += 1;
    plan.documents += (await readRecords(scope)).filter((d) => d.status !== 'processing').length;
  }
  plan.audit = (await readAudit(paths.auditFile)).length;
  return plan;
}

export async function migrateToPostgres(dataDir: string, db: PgDatabase): Promise<MigrationReport> {
  const report: MigrationReport = {
    tenants: counts(),
    sessions: counts(),
    traces: counts(),
    graphs: counts(),
    questionnaires: counts(),
    documents: counts(),
    audit: counts(),
    verified: false,
  };
  await db.connect();
  const paths = adminPaths(dataDir);

  // 1. The registry: records missing from the database are added in one transaction.
  const files = (await new RegistryFile(paths.tenantsFile).snapshot()).data.tenants;
  const registry = new RegistryPg(db);
  const added = await registry.mutate((data) => {
    const have = new Set(data.tenants.map((t) => t.key));
    let added = 0;
    for (const t of files) {
      if (have.has(t.key)) continue;
      data.tenants.push(structuredClone(t));
      added += 1;
    }
    return { changed: added > 0, result: added };
  });
  const inDb = (await registry.snapshot()).byKey;
  for (const t of files) {
    const stored = inDb.get(t.key);
    if (!stored || !same(stored, t)) report.tenants.mismatched.push(t.key);
  }
  report.tenants.copied = added;
  report.tenants.already = files.length - added;

  // 2. Each tenant's folder.
  const search = new PgSearchIndex(db);
  for (const t of files) {
    if (t.purged_at) continue;
    const fileScope = tenantScope(dataDir, t.key);
    const pgScope = tenantScope(dataDir, t.key, db);
    if (!fs.existsSync(fileScope.dir)) continue;
    await migrateSessions(fileScope, pgScope, report);
    await migrateTraces(fileScope, pgScope, report);
    await migrateGraph(fileScope, pgScope, report);
    await migrateQuestionnaire(fileScope, pgScope, db, report);
    await migrateDocuments(fileScope, pgScope, db, report, search);
  }
  await search.close();

  // 3. The audit log: lines not yet in the table are appended in file order.
  await migrateAudit(paths.auditFile, db, report);

  const all = [
    report.tenants,
    report.sessions,
    report.traces,
    report.graphs,
    report.questionnaires,
    report.documents,
    report.audit,
  ];
  report.verified = all.every((c) => c.mismatched.length === 0);
  return report;
}

async function migrateSessions(fileScope: TenantScope, pgScope: TenantScope, report: MigrationReport) {
  const db = pgScope.db as PgDatabase;
  for (const summary of await fileSessions.list(fileScope)) {
    const session = (await fileSessions.get(fileScope, summary.id)) as SessionRecord;
    const existing = await pgSessions.get(pgScope, session.id);
    if (!existing) {
      await db.tx(async (client) => {
        await client.query(
          `INSERT INTO ${db.t('sessions')} (tenant_id, id, title, created_at, updated_at, last_turn)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [
            pgScope.tenantId,
            session.id,
            session.title,
            session.created_at,
            session.updated_at,
            Math.max(0, ...session.turns.map((x) => x.turn)),
          ],
        );
        for (const turn of session.turns) {
          await client.query(
            `INSERT INTO ${db.t('turns')} (tenant_id, session_id, turn, data) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
            [pgScope.tenantId, session.id, turn.turn, JSON.stringify(turn)],
          );
        }
      });
      report.sessions.copied += 1;
    } else report.sessions.already += 1;
    const back = await pgSessions.get(pgScope, session.id);
    if (!same(back, session)) report.sessions.mismatched.push(`${pgScope.tenantId}/sessions/${session.id}`);
  }
}

async function migrateTraces(fileScope: TenantScope, pgScope: TenantScope, report: MigrationReport) {
  const db = pgScope.db as PgDatabase;
  for (const summary of await fileTraces.list(fileScope)) {
    const events = (await fileTraces.read(fileScope, summary.session_id)) ?? [];
    const existing = await pgTraces.read(pgScope, summary.session_id);
    if (!existing) {
      await db.tx(async (client) => {
        for (const e of events) {
          await client.query(`INSERT INTO ${db.t('trace_events')} (tenant_id, session_id, event) VALUES ($1, $2, $3)`, [
            pgScope.tenantId,
            summary.session_id,
            JSON.stringify(e),
          ]);
        }
      });
      report.traces.copied += 1;
    } else report.traces.already += 1;
    const back: TraceEvent[] = (await pgTraces.read(pgScope, summary.session_id)) ?? [];
    if (!same(back, events)) report.traces.mismatched.push(`${pgScope.tenantId}/traces/session_${summary.session_id}`);
  }
}

async function migrateGraph(fileScope: TenantScope, pgScope: TenantScope, report: MigrationReport) {
  if (!fs.existsSync(fileScope.graphFile)) return;
  const db = pgScope.db as PgDatabase;
  const state: GraphState = await fileGraphState.read(fileScope);
  const { rowCount } = await db.query(
    `INSERT INTO ${db.t('graph_state')} (tenant_id, state) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING`,
    [pgScope.tenantId, JSON.stringify(state)],
  );
  if (rowCount) report.graphs.copied += 1;
  else report.graphs.already += 1;
  if (!same(await pgGraphState.read(pgScope), state)) report.graphs.mismatched.push(`${pgScope.tenantId}/graph_state`);
}

async function migrateQuestionnaire(
  fileScope: TenantScope,
  pgScope: TenantScope,
  db: PgDatabase,
  report: MigrationReport,
) {
  const stored = await readJson<unknown>(fileScope.file(QUESTIONNAIRE_FILE));
  if (stored === undefined) return;
  const { rowCount } = await db.query(
    `INSERT INTO ${db.t('questionnaire')} (tenant_id, data) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING`,
    [pgScope.tenantId, JSON.stringify(stored)],
  );
  if (rowCount) report.questionnaires.copied += 1;
  else report.questionnaires.already += 1;
  const { rows } = await db.query<{ data: unknown }>(`SELECT data FROM ${db.t('questionnaire')} WHERE tenant_id = $1`, [
    pgScope.tenantId,
  ]);
  if (!same(rows[0]?.data, stored)) report.questionnaires.mismatched.push(`${pgScope.tenantId}/questionnaire`);
}

/**
 * Documents (not those still `processing`): the record, the original (by content hash), the
 * extraction, and the search passages, rebuilt from the original (the file index is SQLite).
 */
async function migrateDocuments(
  fileScope: TenantScope,
  pgScope: TenantScope,
  db: PgDatabase,
  report: MigrationReport,
  search: PgSearchIndex,
) {
  const docs = (await readRecords(fileScope)).filter((d) => d.status !== 'processing');
  for (const d of docs) {
    const paths = docPaths(fileScope, d.id);
    const where = `${pgScope.tenantId}/documents/${d.id}`;
    if (!fs.existsSync(paths.original)) {
      report.documents.mismatched.push(`${where} (no original in the folder)`);
      continue;
    }
    const { rows } = await db.query<{ record: DocumentRecord }>(
      `SELECT record FROM ${db.t('documents')} WHERE tenant_id = $1 AND id = $2`,
      [pgScope.tenantId, d.id],
    );
    if (!rows[0]) {
      await pgPutOriginal(pgScope, d.sha256, paths.original);
      if (fs.existsSync(paths.extracted)) await pgPutExtracted(pgScope, d.id, paths.extracted);
      if (d.status === 'ready') {
        const parsed = await parseDocument(paths.original, d.format);
        await search.add(pgScope, { id: d.id, name: d.name }, buildPassages(parsed));
      }
      await db.query(
        `INSERT INTO ${db.t('documents')} (tenant_id, id, uploaded_at, record) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [pgScope.tenantId, d.id, d.uploaded_at, JSON.stringify(d)],
      );
      report.documents.copied += 1;
    } else report.documents.already += 1;

    // Verify: the record, the bytes (and their hash), the extraction, the passages.
    const back = (await pgReadRecords(pgScope)).find((r) => r.id === d.id);
    const blob = await db.query<{ bytes: Buffer }>(
      `SELECT bytes FROM ${db.t('document_blobs')} WHERE tenant_id = $1 AND sha256 = $2`,
      [pgScope.tenantId, d.sha256],
    );
    const bytes = blob.rows[0]?.bytes;
    const original = await fs.promises.readFile(paths.original);
    const ex = await db.query<{ data: Buffer }>(
      `SELECT data FROM ${db.t('document_extracted')} WHERE tenant_id = $1 AND id = $2`,
      [pgScope.tenantId, d.id],
    );
    const extractedOk =
      !fs.existsSync(paths.extracted) || ex.rows[0]?.data.equals(await fs.promises.readFile(paths.extracted));
    const indexed = d.status !== 'ready' || (await search.documentIds(pgScope)).includes(d.id);
    const hashOk = bytes !== undefined && crypto.createHash('sha256').update(bytes).digest('hex') === d.sha256;
    if (!same(back, d) || !bytes?.equals(original) || !hashOk || !extractedOk || !indexed) {
      report.documents.mismatched.push(where);
    }
  }
}

async function migrateAudit(file: string, db: PgDatabase, report: MigrationReport) {
  const lines: AuditLine[] = await readAudit(file);
  await db.tx(async (client) => {
    // One migration at a time: the check-then-insert below must not interleave with another run.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${db.schema}.migrate-audit`]);
    const { rows } = await client.query<{ line: AuditLine }>(`SELECT line FROM ${db.t('audit_log')}`);
    const have = new Map<string, number>();
    for (const r of rows) have.set(canonical(r.line), (have.get(canonical(r.line)) ?? 0) + 1);
    for (const line of lines) {
      const c = canonical(line);
      const n = have.get(c) ?? 0;
      if (n > 0) {
        have.set(c, n - 1);
        report.audit.already += 1;
        continue;
      }
      await client.query(`INSERT INTO ${db.t('audit_log')} (tenant_id, line) VALUES ($1, $2)`, [
        line.tenant,
        JSON.stringify(line),
      ]);
      report.audit.copied += 1;
    }
  });
}
