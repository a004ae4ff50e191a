import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { TraceEvent, TraceSessionSummary } from '../../../lib/api-types.ts';

export function useTraceSessions() {
  return useQuery({
    queryKey: ['traces'],
    queryFn: ({ signal }) => api<{ sessions: TraceSessionSummary[] }>('/api/traces', { signal }),
    select: (d) => d.sessions,
  });
}

export function useTrace(sessionId: string | undefined) {
  return useQuery({
    queryKey: ['traces', sessionId],
    queryFn: ({ signal }) =>
      api<{ session_id: string; events: TraceEvent[] }>(`/api/traces/${encodeURIComponent(sessionId ?? '')}`, {
        signal,
      }),
    enabled: Boolean(sessionId),
  });
}

export interface TurnGroup {
  turn: number;
  events: TraceEvent[];
  question: string | null;
  tokens: { input: number; output: number };
  durationMs: number | null;
  engines: string[];
}

/** Sums tokens whether an event records them as `{input, output}`, `{input_tokens, …}` or a number. */
export function eventTokens(e: TraceEvent): { input: number; output: number } {
  const t = e.tokens;
  if (typeof t === 'number') return { input: 0, output: t };
  if (t && typeof t === 'object') {
    const o = t as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    return { input: num(o.input) || num(o.input_tokens), output: num(o.output) || num(o.output_tokens) };
  }
  return { input: 0, output: 0 };
}

/** The question text of a user_message event, wherever the recorder put it. */
export function eventText(e: TraceEvent): string | null {
  for (const v of [e.input, e.output, e.message, e.text, e.question, e.answer]) {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of ['message', 'text', 'question', 'answer']) if (typeof o[k] === 'string') return o[k] as string;
    }
  }
  return null;
}

/** Groups a session's events by turn, with per-turn totals for the header line. */
export function groupByTurn(events: TraceEvent[]): TurnGroup[] {
  const groups = new Map<number, TraceEvent[]>();
  for (const e of events) {
    const turn = typeof e.turn === 'number' ? e.turn : 0;
    const list = groups.get(turn) ?? [];
    list.push(e);
    groups.set(turn, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([turn, list]) => {
      const tokens = list.reduce(
        (acc, e) => {
          const t = eventTokens(e);
          return { input: acc.input + t.input, output: acc.output + t.output };
        },
        { input: 0, output: 0 },
      );
      const answer = list.find((e) => e.type === 'answer');
      const first = Date.parse(list[0]?.ts ?? '');
      const last = Date.parse(list[list.length - 1]?.ts ?? '');
      const durationMs =
        typeof answer?.duration_ms === 'number'
          ? answer.duration_ms
          : Number.isFinite(first) && Number.isFinite(last)
            ? last - first
            : null;
      const engines = [...new Set(list.map((e) => e.engine).filter((x): x is string => typeof x === 'string'))];
      const userMessage = list.find((e) => e.type === 'user_message');
      return { turn, events: list, question: userMessage ? eventText(userMessage) : null, tokens, durationMs, engines };
    });
}
