import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getQuestionnaire, saveQuestionnaire } from '../../src/analyst/questionnaire.ts';
import { SessionStore } from '../../src/analyst/sessions.ts';
import { graphStateBackend } from '../../src/graph/state-store.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { memoryCounter, pgCounter, type SharedCounter } from '../../src/storage/counters.ts';
import type { PgDatabase } from '../../src/storage/pg.ts';
import { pgPurgeTenant, pgTenantEntries, pgTenantUsage } from '../../src/storage/tenant-data.ts';
import { type TenantScope, tenantScope } from '../../src/store/paths.ts';
import { type AuditLog, fileAuditLog, pgAuditLog } from '../../src/tenants/audit.ts';
import type { TenantRecord } from '../../src/tenants/types.ts';
import { appendTraceEvent, listTraces, readTrace } from '../../src/traces/store.ts';
import { hasPostgres, testDatabase } from './pg-helpers.ts';

/**
 * The same behaviour from each backend of each per-tenant store (sessions and turns, traces, graph
 * state, questionnaire, audit log, shared counters): the files of the embedded default and PostgreSQL.
 * `instance()` returns a scope as a separate server would hold it (on PostgreSQL: its own pool).
 */
const TENANT = 'acme_A1B2C3D4';
const OTHER = 'beta_E5F6G7H8';
const clock = fixedClock('2026-05-01T12:00:00Z');

interface Backend {
  name: string;
  available: boolean;
}
const backends: Backend[] = [
  { name: 'file', available: true },
  { name: 'postgres', available: hasPostgres },
];

let dataDir: string;
let database: ReturnType<typeof testDatabase> | undefined;
let dbs: PgDatabase[] = [];

beforeEach(async () => {
  dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-stores-'));
});
afterEach(async () => {
  await database?.drop();
  database = undefined;
  dbs = [];
  await fs.promises.rm(dataDir, { recursive: true, force: true });
});

describe.each(backends)('$name stores', ({ name, available }) => {
  const pgMode = name === 'postgres';
  /** A scope of `tenant` as one instance holds it; on PostgreSQL each call is a new pool (another instance). */
  const instance = (tenant = TENANT): TenantScope => {
    if (!pgMode) return tenantScope(dataDir, tenant);
    database ??= testDatabase();
    const db = database.open();
    dbs.push(db);
    return tenantScope(dataDir, tenant, db);
  };

  describe.skipIf(!available)('sessions', () => {
    it('create, turns, finish, feedback, rename round-trip; list newest first', async () => {
      const scope = instance();
      const store = new SessionStore(clock);
      const s = await store.create(scope, 'What was our NRR last quarter and is it good?');
      expect(s.title).toBe('What was our NRR last quarter and is it good?');
      const t1 = await store.startTurn(scope, s.id, 'q1', 'local');
      const t2 = await store.startTurn(scope, s.id, 'q2', 'claude', 'claude-x');
      expect([t1.turn, t2.turn]).toEqual([1, 2]);
      expect(t2.model).toBe('claude-x');
      const done = await store.finishTurn(scope, s.id, 1, { answer: 'a1', tokens: { input: 3, output: 4 } });
      expect(done).toMatchObject({ turn: 1, answer: 'a1', question: 'q1', completed_at: '2026-05-01T12:00:00Z' });
      await store.setFeedback(scope, s.id, 1, { rating: 'up', comment: 'nice', at: '2026-05-01T12:00:00Z' });
      await store.rename(scope, s.id, 'Renamed');
      const back = await store.require(scope, s.id);
      expect(back.title).toBe('Renamed');
      expect(back.turns.map((t) => [t.turn, t.question, t.answer, t.feedback?.rating ?? null])).toEqual([
        [1, 'q1', 'a1', 'up'],
        [2, 'q2', '', null],
      ]);
      const second = await new SessionStore(fixedClock('2026-05-02T00:00:00Z')).create(scope, 'later');
      expect((await store.list(scope)).map((x) => [x.id, x.turns])).toEqual([
        [second.id, 0],
        [s.id, 2],
      ]);
    });

    it('unknown sessions and turns are not found; another tenant sees nothing', async () => {
      const scope = instance();
      const store = new SessionStore(clock);
      const s = await store.create(scope, 'q');
      await expect(store.startTurn(scope, 'ses_nope0000000', 'q', 'local')).rejects.toMatchObject({
        status: 404,
        code: 'session_not_found',
      });
      await expect(store.finishTurn(scope, s.id, 9, { answer: 'x' })).rejects.toMatchObject({
        code: 'turn_not_found',
      });
      await expect(store.get(scope, '../../etc/passwd')).resolves.toBeUndefined();
      const other = instance(OTHER);
      expect(await store.get(other, s.id)).toBeUndefined();
      expect(await store.list(other)).toEqual([]);
      await expect(store.startTurn(other, s.id, 'q', 'local')).rejects.toMatchObject({ code: 'session_not_found' });
    });

    it.skipIf(!pgMode)('40 concurrent turns from two instances get 40 distinct numbers, none lost', async () => {
      const a = instance();
      const b = instance();
      const store = new SessionStore(clock);
      const s = await store.create(a, 'q');
      const turns = await Promise.all(
        Array.from({ length: 40 }, (_, i) => store.startTurn(i % 2 ? a : b, s.id, `q${i}`, 'local')),
      );
      expect(new Set(turns.map((t) => t.turn)).size).toBe(40);
      const stored = await store.require(b, s.id);
      expect(stored.turns.map((t) => t.turn)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(new Set(stored.turns.map((t) => t.question)).size).toBe(40);
    });

    it.skipIf(pgMode)('file: 40 concurrent turns in one process get 40 distinct numbers', async () => {
      const scope = instance();
      const store = new SessionStore(clock);
      const s = await store.create(scope, 'q');
      const turns = await Promise.all(Array.from({ length: 40 }, (_, i) => store.startTurn(scope, s.id, `q${i}`, 'l')));
      expect(new Set(turns.map((t) => t.turn)).size).toBe(40);
      expect((await store.require(scope, s.id)).turns).toHaveLength(40);
    });
  });

  describe.skipIf(!available)('traces', () => {
    const ev = (session: string, type: string, ts: string) =>
      ({ ts, session_id: session, turn: 1, type, output: { n: type } }) as never;

    it('events come back in write order, listed most recent first, per tenant only', async () => {
      const a = instance();
      const b = instance();
      await appendTraceEvent(a, ev('ses_aaaaaaaaaa', 'user_message', '2026-05-01T10:00:00Z'));
      await appendTraceEvent(b, ev('ses_aaaaaaaaaa', 'tool_call', '2026-05-01T10:00:01Z'));
      await appendTraceEvent(a, ev('ses_aaaaaaaaaa', 'answer', '2026-05-01T10:00:02Z'));
      await appendTraceEvent(b, ev('ses_bbbbbbbbbb', 'user_message', '2026-05-01T11:00:00Z'));
      expect((await readTrace(b, 'ses_aaaaaaaaaa'))?.map((e) => e.type)).toEqual([
        'user_message',
        'tool_call',
        'answer',
      ]);
      expect(await listTraces(a)).toEqual([
        {
          session_id: 'ses_bbbbbbbbbb',
          events: 1,
          started_at: '2026-05-01T11:00:00Z',
          last_at: '2026-05-01T11:00:00Z',
        },
        {
          session_id: 'ses_aaaaaaaaaa',
          events: 3,
          started_at: '2026-05-01T10:00:00Z',
          last_at: '2026-05-01T10:00:02Z',
        },
      ]);
      expect(await readTrace(a, 'ses_unknown00001')).toBeUndefined();
      expect(await readTrace(a, '../x')).toBeUndefined();
      expect(await listTraces(instance(OTHER))).toEqual([]);
      expect(await readTrace(instance(OTHER), 'ses_aaaaaaaaaa')).toBeUndefined();
    });

    it('concurrent appends from two instances all land as whole events', async () => {
      const a = instance();
      const b = instance();
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          appendTraceEvent(i % 2 ? a : b, ev('ses_cccccccccc', `e${i}`, '2026-05-01T10:00:00Z')),
        ),
      );
      const events = (await readTrace(a, 'ses_cccccccccc')) ?? [];
      expect(events.map((e) => e.type).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `e${i}`).sort());
    });
  });

  describe.skipIf(!available)('graph state', () => {
    it('a missing state reads as empty; updates persist; concurrent updates from two instances are all kept', async () => {
      const a = instance();
      const b = instance();
      const empty = await graphStateBackend(a).read(a);
      expect(empty.facts).toEqual([]);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          graphStateBackend(i % 2 ? a : b).update(i % 2 ? a : b, (state) => {
            state.facts.push({ id: `f${i}`, subject: 's', predicate: 'p', object: String(i) } as never);
          }),
        ),
      );
      const state = await graphStateBackend(b).read(b);
      expect(state.facts.map((f) => f.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `f${i}`).sort());
      expect((await graphStateBackend(a).read(instance(OTHER))).facts).toEqual([]);
    });

    it('a throw inside an update changes nothing', async () => {
      const a = instance();
      await graphStateBackend(a).update(a, (s) => {
        s.profile.name = 'Acme';
      });
      await expect(
        graphStateBackend(a).update(a, (s) => {
          s.profile.name = 'Broken';
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await graphStateBackend(a).read(a)).profile.name).toBe('Acme');
    });
  });

  describe.skipIf(!available)('questionnaire', () => {
    it('answers are saved per tenant and read back by another instance', async () => {
      const tenant = { query_count: 6 } as TenantRecord;
      const a = instance();
      expect(await getQuestionnaire(a, tenant)).toEqual({ answers: null, answered_at: null, offered: true });
      await saveQuestionnaire(a, tenant, clock, { answers: { first_impression: 'good', missing: ' ' } });
      expect(await getQuestionnaire(instance(), tenant)).toEqual({
        answers: { first_impression: 'good' },
        answered_at: '2026-05-01T12:00:00Z',
        offered: false,
      });
      expect((await getQuestionnaire(instance(OTHER), tenant)).answers).toBeNull();
    });
  });

  describe.skipIf(!available)('audit log', () => {
    const log = (): AuditLog => {
      if (!pgMode) return fileAuditLog(path.join(dataDir, '_admin', 'audit.jsonl'));
      return pgAuditLog(instance().db as PgDatabase);
    };
    it('lines from two writers come back whole and in order', async () => {
      const a = log();
      const b = log();
      await a.append(new Date('2026-05-01T10:00:00Z'), { action: 'create', tenant: TENANT, origin: { via: 'cli' } });
      await b.append(new Date('2026-05-01T10:00:01Z'), {
        action: 'revoke',
        tenant: TENANT,
        origin: { via: 'api', address: '10.0.0.1' },
        detail: { why: 'x' },
      });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? a : b).append(new Date('2026-05-01T10:00:02Z'), { action: `a${i}`, origin: { via: 'cli' } }),
        ),
      );
      const lines = await a.read();
      expect(lines.slice(0, 2)).toEqual([
        { ts: '2026-05-01T10:00:00Z', action: 'create', tenant: TENANT, via: 'cli', address: null },
        {
          ts: '2026-05-01T10:00:01Z',
          action: 'revoke',
          tenant: TENANT,
          via: 'api',
          address: '10.0.0.1',
          detail: { why: 'x' },
        },
      ]);
      expect(lines).toHaveLength(12);
    });
  });

  describe.skipIf(!available)('shared counters', () => {
    const counter = (): SharedCounter => (pgMode ? pgCounter(instance().db as PgDatabase) : memoryCounter());
    it('counts within a window, resets in the next, keys apart', async () => {
      const c = pgMode ? counter() : memoryCounter();
      const other = pgMode ? counter() : c;
      expect((await c.get('auth', '1.2.3.4', 60_000, 1000)).count).toBe(0);
      await c.increment('auth', '1.2.3.4', 60_000, 1000);
      await other.increment('auth', '1.2.3.4', 60_000, 2000);
      expect(await c.get('auth', '1.2.3.4', 60_000, 3000)).toEqual({ count: 2, windowStart: 1000 });
      expect((await other.get('auth', '5.6.7.8', 60_000, 3000)).count).toBe(0);
      expect((await other.get('admin', '1.2.3.4', 60_000, 3000)).count).toBe(0);
      expect(await c.increment('auth', '1.2.3.4', 60_000, 61_000)).toEqual({ count: 1, windowStart: 61_000 });
    });
    it.skipIf(!pgMode)('50 concurrent increments from two instances count exactly 50', async () => {
      const a = counter();
      const b = counter();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).increment('auth', '9.9.9.9', 60_000, 5000)),
      );
      expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });
  });

  describe.skipIf(!available || !pgMode)('tenant data as a whole (PostgreSQL)', () => {
    it('usage counts what the tenant has, the export writes it as folder files, purge removes only it', async () => {
      const a = instance();
      const b = instance(OTHER);
      const store = new SessionStore(clock);
      const s = await store.create(a, 'q');
      await store.startTurn(a, s.id, 'q', 'local');
      await appendTraceEvent(a, { ts: 't', session_id: s.id, turn: 1, type: 'user_message', input: 'q' } as never);
      await graphStateBackend(a).update(a, (st) => {
        st.profile.name = 'Acme';
      });
      const other = await store.create(b, 'other');
      const db = a.db as PgDatabase;
      const usage = await pgTenantUsage(db, TENANT);
      expect(usage.sessions).toBe(1);
      expect(usage.bytes).toBeGreaterThan(0);

      const entries = await pgTenantEntries(db, TENANT, TENANT, new Date(0));
      const names = entries.map((e) => e.name);
      expect(names).toContain(`${TENANT}/sessions/${s.id}.json`);
      expect(names).toContain(`${TENANT}/traces/session_${s.id}.jsonl`);
      expect(names).toContain(`${TENANT}/graph_state.json`);
      const trace = entries.find((e) => e.name.endsWith('.jsonl'))?.data?.toString() ?? '';
      expect(JSON.parse(trace.trim())).toMatchObject({ type: 'user_message', session_id: s.id });

      expect(await pgPurgeTenant(db, TENANT)).toBe(usage.bytes);
      expect(await pgTenantUsage(db, TENANT)).toEqual({ documents: 0, sessions: 0, bytes: 0 });
      expect(await store.get(a, s.id)).toBeUndefined();
      expect(await store.get(b, other.id)).toBeDefined();
    });
  });
});
