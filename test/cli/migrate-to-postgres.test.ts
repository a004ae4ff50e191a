import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveQuestionnaire } from '../../src/analyst/questionnaire.ts';
import { SessionStore } from '../../src/analyst/sessions.ts';
import { createDocumentService } from '../../src/documents/service.ts';
import { graphStateBackend } from '../../src/graph/state-store.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { tenantScope } from '../../src/store/paths.ts';
import { createTenantService } from '../../src/tenants/service.ts';
import type { TenantRecord } from '../../src/tenants/types.ts';
import { appendTraceEvent, readTrace } from '../../src/traces/store.ts';
import { DATABASE_URL, hasPostgres, testDatabase } from '../storage/pg-helpers.ts';
import { runCli, tempDir } from './run-cli.ts';

let cwd: string;
let cleanup: () => Promise<void>;
let database: ReturnType<typeof testDatabase>;
const clock = fixedClock('2026-01-02T08:00:00Z');
const dataDir = () => path.join(cwd, 'data');

beforeEach(async () => {
  ({ dir: cwd, cleanup } = await tempDir());
  database = testDatabase();
});
afterEach(async () => {
  await database.drop();
  await cleanup();
});

const BOARD = Buffer.from('# Board update\n\nThe next board meeting is in Seattle on 2026-08-14.\n');
let documentId = '';

/** A file-mode data directory with two tenants, a session with turns and feedback, a trace, a graph. */
async function fileModeData(): Promise<{ acme: TenantRecord; beta: TenantRecord; sessionId: string }> {
  const suffixes = ['A1B2C3D4', 'E5F6G7H8'];
  const svc = createTenantService({ dataDir: dataDir(), clock, suffix: () => suffixes.shift() as string });
  const acme = await svc.create({ name: 'Acme Corp', email: 'ops@acme.com' }, { via: 'cli' });
  const beta = await svc.create({ name: 'Beta Inc', email: 'ops@beta.com' }, { via: 'api', address: '10.0.0.1' });
  await svc.recordQuery(acme.key, { inputTokens: 10, outputTokens: 5 });
  await svc.revoke(beta.key, { via: 'cli' });
  const scope = tenantScope(dataDir(), acme.key);
  const sessions = new SessionStore(clock);
  const s = await sessions.create(scope, 'What is our ARR?');
  await sessions.startTurn(scope, s.id, 'What is our ARR?', 'local');
  await sessions.finishTurn(scope, s.id, 1, { answer: 'ARR is $1.2M.', tokens: { input: 1, output: 2 } });
  await sessions.setFeedback(scope, s.id, 1, { rating: 'up', comment: 'ok', at: '2026-01-02T08:00:00Z' });
  for (const type of ['user_message', 'answer'] as const) {
    await appendTraceEvent(scope, { ts: '2026-01-02T08:00:00Z', session_id: s.id, turn: 1, type } as never);
  }
  await graphStateBackend(scope).update(scope, (g) => {
    g.profile.name = 'Acme';
  });
  await saveQuestionnaire(scope, acme, clock, { answers: { first_impression: 'useful' } });
  const documents = createDocumentService({ config: { maxUploadMb: 5 }, clock });
  try {
    const files = (async function* () {
      yield { filename: 'board.md', stream: Readable.from([BOARD]) };
    })();
    const [doc] = await documents.upload(scope, files);
    await documents.whenIdle(scope);
    documentId = doc?.id as string;
  } finally {
    await documents.close();
  }
  return { acme, beta, sessionId: s.id };
}

describe.skipIf(!hasPostgres)('migrate-to-postgres', () => {
  const env = () => ({ DATA_DIR: 'data', DATABASE_URL, DATABASE_SCHEMA: database.schema });

  it('copies every item, verifies it, and a second run copies nothing and verifies again', async () => {
    const { acme, beta, sessionId } = await fileModeData();
    const first = await runCli(['migrate-to-postgres', '--json'], { cwd, env: env() });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.verified).toBe(true);
    expect(report.tenants).toEqual({ copied: 2, already: 0, mismatched: [] });
    expect(report.sessions).toEqual({ copied: 1, already: 0, mismatched: [] });
    expect(report.traces).toEqual({ copied: 1, already: 0, mismatched: [] });
    expect(report.graphs.copied).toBe(1);
    expect(report.questionnaires.copied).toBe(1);
    expect(report.audit).toEqual({ copied: 3, already: 0, mismatched: [] });
    expect(report.documents).toEqual({ copied: 1, already: 0, mismatched: [] });

    // The database now serves what the files held, through the PostgreSQL stores.
    const db = database.open();
    const svc = createTenantService({ dataDir: path.join(cwd, 'elsewhere'), clock, db });
    expect((await svc.get(acme.key))?.query_count).toBe(1);
    expect((await svc.get(beta.key))?.status).toBe('revoked');
    const pgScope = svc.scope(acme.key);
    const session = await new SessionStore(clock).require(pgScope, sessionId);
    expect(session.turns.map((t) => [t.turn, t.answer, t.feedback?.rating])).toEqual([[1, 'ARR is $1.2M.', 'up']]);
    expect((await readTrace(pgScope, sessionId))?.map((e) => e.type)).toEqual(['user_message', 'answer']);
    expect((await graphStateBackend(pgScope).read(pgScope)).profile.name).toBe('Acme');
    expect((await svc.auditLines()).map((l) => l.action)).toEqual(['create', 'create', 'revoke']);
    // The document: listed, its bytes served from the database into another folder, searchable.
    const docs = createDocumentService({
      config: { maxUploadMb: 5 },
      clock,
      search: { kind: 'postgres', url: DATABASE_URL, schema: database.schema },
    });
    try {
      expect((await docs.listDocuments(pgScope)).map((d) => [d.id, d.status])).toEqual([[documentId, 'ready']]);
      const { file } = await docs.getOriginal(pgScope, documentId);
      expect(file.startsWith(path.join(cwd, 'elsewhere'))).toBe(true);
      expect((await fs.promises.readFile(file)).equals(BOARD)).toBe(true);
      expect((await docs.search(pgScope, 'Seattle meeting', 5)).map((h) => h.document_id)).toEqual([documentId]);
    } finally {
      await docs.close();
    }

    const again = await runCli(['migrate-to-postgres'], { cwd, env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('tenant records      0 copied, 2 already there');
    expect(again.stdout).toContain('audit lines         0 copied, 3 already there');
    expect(again.stdout).toContain('documents           0 copied, 1 already there');
    expect(again.stdout).toContain('Verified');
    expect((await svc.auditLines()).length).toBe(3);
  });

  it('an item changed in PostgreSQL since is reported, not overwritten, and the run fails', async () => {
    const { sessionId, acme } = await fileModeData();
    expect((await runCli(['migrate-to-postgres'], { cwd, env: env() })).code).toBe(0);
    const db = database.open();
    const pgScope = tenantScope(dataDir(), acme.key, db);
    await new SessionStore(clock).rename(pgScope, sessionId, 'Renamed in the database');
    const run = await runCli(['migrate-to-postgres'], { cwd, env: env() });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`1 DIFFERENT: ${acme.key}/sessions/${sessionId}`);
    expect(run.stderr.trim()).toContain('migration not verified');
    expect((await new SessionStore(clock).require(pgScope, sessionId)).title).toBe('Renamed in the database');
  });

  it('without DATABASE_URL it refuses in one line; --dry-run counts what the folder holds', async () => {
    await fileModeData();
    const run = await runCli(['migrate-to-postgres'], { cwd, env: { DATA_DIR: 'data' } });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/DATABASE_URL is not set/);
    const dry = await runCli(['migrate-to-postgres', '--dry-run', '--json'], { cwd, env: { DATA_DIR: 'data' } });
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dry_run: true,
      tenants: 2,
      sessions: 1,
      traces: 1,
      graphs: 1,
      questionnaires: 1,
      documents: 1,
      audit: 3,
    });
  });
});
