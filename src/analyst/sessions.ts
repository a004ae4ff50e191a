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
 * Conversations, one JSON file per session in the tenant's folder (`sessions/<id>.json`), replaced
 * atomically; read-modify-writes of one file are serialized in this process. Only the server writes
 * them, so no inter-process lock is needed. An unknown id, or one of another tenant (which is simply
 * not in this tenant's folder), is "not found".
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

export class SessionStore {
  constructor(private readonly clock: Clock) {}

  async get(scope: TenantScope, id: string): Promise<SessionRecord | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    return readJson<SessionRecord>(sessionFile(scope, id));
  }

  async require(scope: TenantScope, id: string): Promise<SessionRecord> {
    const session = await this.get(scope, id);
    if (!session) throw sessionNotFound();
    return session;
  }

  async list(scope: TenantScope): Promise<SessionSummary[]> {
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
      if (s)
        out.push({
          id: s.id,
          title: s.title,
          created_at: s.created_at,
          updated_at: s.updated_at,
          turns: s.turns.length,
        });
    }
    return out.sort((a, b) => b.updated_at.localeCompare(a.updated_at) || b.id.localeCompare(a.id));
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
    await writeJsonAtomic(sessionFile(scope, session.id), session);
    return session;
  }

  /** Appends a pending turn and returns its number (1-based). */
  startTurn(scope: TenantScope, id: string, question: string, engine: string, model?: string): Promise<SessionTurn> {
    return this.mutate(scope, id, (s) => {
      const now = isoSeconds(this.clock.now());
      const turn: SessionTurn = {
        turn: (s.turns.at(-1)?.turn ?? 0) + 1,
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
      };
      s.turns.push(turn);
      s.updated_at = now;
      return turn;
    });
  }

  finishTurn(
    scope: TenantScope,
    id: string,
    turn: number,
    patch: Partial<
      Pick<SessionTurn, 'answer' | 'citations' | 'metrics' | 'tokens' | 'error' | 'langfuse_trace_id' | 'steps'>
    >,
  ): Promise<SessionTurn> {
    return this.mutate(scope, id, (s) => {
      const t = s.turns.find((x) => x.turn === turn);
      if (!t) throw notFound('No such turn in this session.', 'turn_not_found');
      Object.assign(t, patch, { completed_at: isoSeconds(this.clock.now()) });
      s.updated_at = isoSeconds(this.clock.now());
      return t;
    });
  }

  setFeedback(scope: TenantScope, id: string, turn: number, feedback: TurnFeedback): Promise<SessionTurn> {
    return this.mutate(scope, id, (s) => {
      const t = s.turns.find((x) => x.turn === turn);
      if (!t) throw notFound('No such turn in this session.', 'turn_not_found');
      t.feedback = feedback;
      return t;
    });
  }

  rename(scope: TenantScope, id: string, title: string): Promise<SessionRecord> {
    return this.mutate(scope, id, (s) => {
      s.title = title;
      s.updated_at = isoSeconds(this.clock.now());
      return s;
    });
  }

  private mutate<T>(scope: TenantScope, id: string, fn: (s: SessionRecord) => T): Promise<T> {
    const file = sessionFile(scope, id);
    return mutex.run(file, async () => {
      const session = await readJson<SessionRecord>(file);
      if (!session) throw sessionNotFound();
      const result = fn(session);
      await writeJsonAtomic(file, session);
      return structuredClone(result);
    });
  }
}
