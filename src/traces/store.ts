import fs from 'node:fs';
import { appendJsonl, readJsonl } from '../store/jsonl.ts';
import { KeyedMutex } from '../store/lock.ts';
import { ID_PATTERN, type TenantScope } from '../store/paths.ts';
import type { TraceEvent } from './types.ts';

/**
 * Reading and appending a tenant's decision traces. Every path comes from the tenant's scope, so a
 * caller can only ever reach the traces of the tenant it holds. Appends to one file are serialized in
 * this process (a turn's events and a feedback event arriving at once still land as whole lines).
 */
const appends = new KeyedMutex();

export function appendTraceEvent(scope: TenantScope, event: TraceEvent): Promise<void> {
  const file = scope.traceFile(event.session_id);
  return appends.run(file, () => appendJsonl(file, event));
}

/** The events of one session in the order they were written; `undefined` when there is no such trace. */
export async function readTrace(scope: TenantScope, sessionId: string): Promise<TraceEvent[] | undefined> {
  if (!ID_PATTERN.test(sessionId)) return undefined;
  const file = scope.traceFile(sessionId);
  try {
    await fs.promises.access(file);
  } catch {
    return undefined;
  }
  return readJsonl<TraceEvent>(file);
}

export interface TraceSummary {
  session_id: string;
  events: number;
  started_at: string | null;
  last_at: string | null;
}

/** Every session trace of the tenant, most recent first. */
export async function listTraces(scope: TenantScope): Promise<TraceSummary[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(scope.tracesDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: TraceSummary[] = [];
  for (const name of names) {
    const match = /^session_(.+)\.jsonl$/.exec(name);
    if (!match?.[1] || !ID_PATTERN.test(match[1])) continue;
    const events = await readJsonl<TraceEvent>(scope.traceFile(match[1]));
    out.push({
      session_id: match[1],
      events: events.length,
      started_at: events[0]?.ts ?? null,
      last_at: events.at(-1)?.ts ?? null,
    });
  }
  return out.sort((a, b) => (b.last_at ?? '').localeCompare(a.last_at ?? ''));
}
