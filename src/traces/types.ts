/**
 * One line of `traces/session_<id>.jsonl` (DESIGN.md §8). `ts`, `session_id`, `turn` and `type` are
 * always there; the other fields by type:
 *
 * | type | fields |
 * |---|---|
 * | user_message | input (the question), engine, model |
 * | plan | output (the plan's text) |
 * | tool_call | id, name, input |
 * | tool_result | id, name, ok, output (or error), duration_ms |
 * | llm_call | model, tokens, duration_ms |
 * | answer | output {answer, citations, metrics}, tokens, duration_ms, engine, model |
 * | feedback | output {rating, comment} |
 * | error | output {code, message} |
 *
 * Every event also has `offset_ms`, milliseconds since the turn began (monotonic; absent on traces
 * written before it existed): with `duration_ms` it places each call on the turn's timeline. The
 * Traces view nests the spans from these: the turn, its model calls, and the tool calls each model
 * call asked for (the local engine's tool calls sit directly under the turn).
 */
export type TraceEventType =
  | 'user_message'
  | 'plan'
  | 'tool_call'
  | 'tool_result'
  | 'llm_call'
  | 'answer'
  | 'feedback'
  | 'error';

export interface TraceEvent {
  ts: string;
  session_id: string;
  turn: number;
  type: TraceEventType;
  id?: string;
  name?: string;
  input?: unknown;
  output?: unknown;
  ok?: boolean;
  duration_ms?: number;
  tokens?: { input: number; output: number };
  /** llm_call: prompt-cache tokens written and read (Claude engine). */
  cache?: { write: number; read: number };
  engine?: string;
  model?: string;
  /** Milliseconds since the turn began (monotonic). */
  offset_ms?: number;
}

/** A trace event before the recorder stamps it with time, session and turn. */
export type TraceEventInput = Omit<TraceEvent, 'ts' | 'session_id' | 'turn' | 'offset_ms'>;
