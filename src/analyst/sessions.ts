import fs from 'node:fs';
import path from 'node:path';
import { type Clock, isoSeconds } from '../lib/clock.ts';
import { notFound } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { readJson, writeJsonAtomic } from '../store/atomic.ts';
import { KeyedMutex } from '../store/lock.ts';
import { ID_PATTERN, type TenantScope } from '../store/paths.ts';
import type { StoredStep } from './steps.ts';
import type { AnswerMetric, Citation } from './types.ts';

/**
 * Conversations: in file mode one JSON file per session in the tenant's folder (`sessions/<id>.json`),
 * replaced atomically, read-modify-writes of one file serialized in this process (one server per
 * DATA_DIR, which the DATA_DIR lock enforces); with `DATABASE_URL` rows in PostgreSQL keyed by the
 * tenant id. An unknown id, or one of another tenant, is "not found".
 */
export const SESSIONS_DIR = 'sessions';

export interface TurnFeedback {
  rating: 'up' | 'down';
  comment: string | null;
  at: string;
}

export interface SessionTurn {
  turn: number;
  question: string;
  answer: string;
  citations: Citation[];
  metrics: AnswerMetric[];
  engine: string;
  model?: string;
  created_at: string;
  completed_at: string | null;
  tokens: { input: number; output: number };
  feedback: TurnFeedback | null;
  error: { code: string; message: string } | null;
  /** The Langfuse trace of this turn, when exported (feedback becomes a score on it). */
  langfuse_trace_id?: string;
  /** The steps the partner saw, in their words (absent on turns saved before steps were kept). */
  steps?: StoredStep[];
}

export interface SessionRecord {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  turns: SessionTurn[];
}

export interface SessionSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  turns: number;
}

const sessionNotFound = () => notFound('No such session.', 'session_not_found');
const turnNotFound = () => notFound('No such turn in this session.', 'turn_not_found');
const mutex = new KeyedMutex();

function sessionFile(scope: TenantScope, id: string): string {
  if (!ID_PATTERN.test(id)) throw sessionNotFound();
  return path.join(scope.dir, SESSIONS_DIR, `${id}.json`);
}

/** A title from the first question: its first line, cut at a word near 60 characters. */
export function titleFrom(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  if (line.length <= 60) return line || 'New conversation';
  const cut = line.slice(0, 60);
  const space = cut.lastIndexOf(' ');
  return `${(space > 30 ? cut.slice(0, space) : cut).trim()}…`;
}

type TurnPatch = Partial<
  Pick<SessionTurn, 'answer' | 'citations' | 'metrics' | 'tokens' | 'error' | 'langfuse_trace_id' | 'steps'>
>;

/**
 * Where one tenant's sessions live: files in its folder (the embedded default) or PostgreSQL
 * (`DATABASE_URL`). The same test suite runs on both (test/analyst/sessions-backends.test.ts).
 */
export interface SessionBackend {
  get(scope: TenantScope, id: string): Promise<SessionRecord | undefined>;
  list(scope: TenantScope): Promise<SessionSummary[]>;
  insert(scope: TenantScope, session: SessionRecord): Promise<void>;
  /** Appends `turn` with the next number of the session (allocated atomically); undefined = no such session. */
  appendTurn(
    scope: TenantScope,
    id: string,
    turn: Omit<SessionTurn, 'turn'>,
    now: string,
  ): Promise<SessionTurn | undefined>;
  /** Changes one turn; undefined = no such turn (or session). */
  updateTurn(
    scope: TenantScope,
    id: string,
    turn: number,
    patch: Partial<SessionTurn>,
    touch: string | null,
  ): Promise<SessionTurn | undefined>;
  rename(scope: TenantScope, id: string, title: string, now: string): Promise<SessionRecord | undefined>;
}

const summaryOf = (s: SessionRecord): SessionSummary => ({
  id: s.id,
  title: s.title,
  created_at: s.created_at,
  updated_at: s.updated_at,
  turns: s.turns.length,
});
const bySummaryOrder = (a: SessionSummary, b: SessionSummary) =>
  b.updated_at.localeCompare(a.updated_at) || b.id.localeCompare(a.id);

/** One JSON file per session, replaced atomically; read-modify-writes serialized in this process. */
export const fileSessions: SessionBackend = {
  async get(scope, id) {
    if (!ID_PATTERN.test(id)) return undefined;
    return readJson<SessionRecord>(sessionFile(scope, id));
  },
  async list(scope) {
    let names: string[];
    try {
      names = await fs.promises.readdir(path.join(scope.dir, SESSIONS_DIR));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: SessionSummary[] = [];
    for (const name of names) {
      const id = name.endsWith('.json') ? name.slice(0, -5) : '';
      if (!ID_PATTERN.test(id)) continue;
      const s = await this.get(scope, id);
      if (s) out.push(summaryOf(s));
    }
    return out.sort(bySummaryOrder);
  },
  async insert(scope, session) {
    await writeJsonAtomic(sessionFile(scope, session.id), session);
  },
  appendTurn(scope, id, turn, now) {
    return mutateFile(scope, id, (s) => {
      const full: SessionTurn = { turn: (s.turns.at(-1)?.turn ?? 0) + 1, ...turn };
      s.turns.push(full);
      s.updated_at = now;
      return full;
    });
  },
  updateTurn(scope, id, turn, patch, touch) {
    return mutateFile(scope, id, (s) => {
      const t = s.turns.find((x) => x.turn === turn);
      if (!t) return undefined;
      Object.assign(t, patch);
      if (touch) s.updated_at = touch;
      return t;
    });
  },
  rename(scope, id, title, now) {
    return mutateFile(scope, id, (s) => {
      s.title = title;
      s.updated_at = now;
      return s;
    });
  },
};

function mutateFile<T>(scope: TenantScope, id: string, fn: (s: SessionRecord) => T): Promise<T | undefined> {
  if (!ID_PATTERN.test(id)) return Promise.resolve(undefined);
  const file = sessionFile(scope, id);
  return mutex.run(file, async () => {
    const session = await readJson<SessionRecord>(file);
    if (!session) return undefined;
    const result = fn(session);
    if (result === undefined) return undefined;
    await writeJsonAtomic(file, session);
    return structuredClone(result);
  });
}

/**
 * Sessions in PostgreSQL: a `sessions` row (title, times, the last turn number) and one `turns` row
 * per turn (the turn as JSON). A turn number is allocated and its row inserted in one statement
 * (`UPDATE … SET last_turn = last_turn + 1 RETURNING` feeding the INSERT), so concurrent turns on
 * any number of instances get distinct numbers; the primary key (tenant, session, turn) backs it.
 */
export const pgSessions: SessionBackend = {
  async get(scope, id) {
    if (!ID_PATTERN.test(id)) return undefined;
    const db = need(scope);
    const { rows } = await db.query<{ title: string; created_at: string; updated_at: string; turns: SessionTurn[] }>(
      `SELECT s.title, s.created_at, s.updated_at,
              COALESCE((SELECT jsonb_agg(t.data ORDER BY t.turn) FROM ${db.t('turns')} t
                         WHERE t.tenant_id = s.tenant_id AND t.session_id = s.id), '[]'::jsonb) AS turns
         FROM ${db.t('sessions')} s WHERE s.tenant_id = $1 AND s.id = $2`,
      [scope.tenantId, id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { id, title: row.title, created_at: row.created_at, updated_at: row.updated_at, turns: row.turns };
  },
  async list(scope) {
    const db = need(scope);
    const { rows } = await db.query<SessionSummary>(
      `SELECT s.id, s.title, s.created_at, s.updated_at,
              (SELECT count(*)::int FROM ${db.t('turns')} t WHERE t.tenant_id = s.tenant_id AND t.session_id = s.id) AS turns
         FROM ${db.t('sessions')} s WHERE s.tenant_id = $1`,
      [scope.tenantId],
    );
    return rows.sort(bySummaryOrder);
  },
  async insert(scope, session) {
    const db = need(scope);
    await db.query(
      `INSERT INTO ${db.t('sessions')} (tenant_id, id, title, created_at, updated_at, last_turn) VALUES ($1, $2, $3, $4, $5, $6)`,
      [scope.tenantId, session.id, session.title, session.created_at, session.updated_at, session.turns.length],
    );
    for (const t of session.turns) {
      await db.query(`INSERT INTO ${db.t('turns')} (tenant_id, session_id, turn, data) VALUES ($1, $2, $3, $4)`, [
        scope.tenantId,
        session.id,
        t.turn,
        JSON.stringify(t),
      ]);
    }
  },
  async appendTurn(scope, id, turn, now) {
    if (!ID_PATTERN.test(id)) return undefined;
    const db = need(scope);
    const { rows } = await db.query<{ data: SessionTurn }>(
      `WITH s AS (
         UPDATE ${db.t('sessions')} SET last_turn = last_turn + 1, updated_at = $3
          WHERE tenant_id = $1 AND id = $2 RETURNING last_turn)
       INSERT INTO ${db.t('turns')} (tenant_id, session_id, turn, data)
       SELECT $1, $2, s.last_turn, jsonb_build_object('turn', s.last_turn) || $4::jsonb FROM s
       RETURNING data`,
      [scope.tenantId, id, now, JSON.stringify(turn)],
    );
    return rows[0]?.data;
  },
  async updateTurn(scope, id, turn, patch, touch) {
    if (!ID_PATTERN.test(id)) return undefined;
    const db = need(scope);
    const { rows } = await db.query<{ data: SessionTurn }>(
      `WITH t AS (
         UPDATE ${db.t('turns')} SET data = data || $4::jsonb
          WHERE tenant_id = $1 AND session_id = $2 AND turn = $3 RETURNING data),
       s AS (
         UPDATE ${db.t('sessions')} SET updated_at = COALESCE($5, updated_at)
          WHERE tenant_id = $1 AND id = $2 AND EXISTS (SELECT 1 FROM t) RETURNING 1)
       SELECT t.data FROM t LEFT JOIN s ON true`,
      [scope.tenantId, id, turn, JSON.stringify(patch), touch],
    );
    return rows[0]?.data;
  },
  async rename(scope, id, title, now) {
    if (!ID_PATTERN.test(id)) return undefined;
    const db = need(scope);
    const { rowCount } = await db.query(
      `UPDATE ${db.t('sessions')} SET title = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, id, title, now],
    );
    return rowCount ? this.get(scope, id) : undefined;
  },
};

function need(scope: TenantScope) {
  if (!scope.db) throw new Error('PostgreSQL session store used without a database');
  return scope.db;
}

/** The backend of this scope: PostgreSQL when the scope carries a database, else the files. */
export const sessionBackend = (scope: TenantScope): SessionBackend => (scope.db ? pgSessions : fileSessions);

export class SessionStore {
  constructor(private readonly clock: Clock) {}

  get(scope: TenantScope, id: string): Promise<SessionRecord | undefined> {
    return sessionBackend(scope).get(scope, id);
  }

  async require(scope: TenantScope, id: string): Promise<SessionRecord> {
    const session = await this.get(scope, id);
    if (!session) throw sessionNotFound();
    return session;
  }

  list(scope: TenantScope): Promise<SessionSummary[]> {
    return sessionBackend(scope).list(scope);
  }

  async create(scope: TenantScope, question: string): Promise<SessionRecord> {
    const now = isoSeconds(this.clock.now());
    const session: SessionRecord = {
      id: newId('ses'),
      title: titleFrom(question),
      created_at: now,
      updated_at: now,
      turns: [],
    };
    await sessionBackend(scope).insert(scope, session);
    return session;
  }

  /** Appends a pending turn and returns it with its number (1-based, distinct across instances). */
  async startTurn(
    scope: TenantScope,
    id: string,
    question: string,
    engine: string,
    model?: string,
  ): Promise<SessionTurn> {
    const now = isoSeconds(this.clock.now());
    const turn = await sessionBackend(scope).appendTurn(
      scope,
      id,
      {
        question,
        answer: '',
        citations: [],
        metrics: [],
        engine,
        ...(model ? { model } : {}),
        created_at: now,
        completed_at: null,
        tokens: { input: 0, output: 0 },
        feedback: null,
        error: null,
      },
      now,
    );
    if (!turn) throw sessionNotFound();
    return turn;
  }

  async finishTurn(scope: TenantScope, id: string, turn: number, patch: TurnPatch): Promise<SessionTurn> {
    const now = isoSeconds(this.clock.now());
    const t = await sessionBackend(scope).updateTurn(scope, id, turn, { ...patch, completed_at: now }, now);
    if (!t) throw turnNotFound();
    return t;
  }

  async setFeedback(scope: TenantScope, id: string, turn: number, feedback: TurnFeedback): Promise<SessionTurn> {
    const t = await sessionBackend(scope).updateTurn(scope, id, turn, { feedback }, null);
    if (!t) throw turnNotFound();
    return t;
  }

  async rename(scope: TenantScope, id: string, title: string): Promise<SessionRecord> {
    const s = await sessionBackend(scope).rename(scope, id, title, isoSeconds(this.clock.now()));
    if (!s) throw sessionNotFound();
    return s;
  }
}
