import type { TraceEvent } from '../../../lib/api-types.ts';
import { eventText, eventTokens } from './traces.ts';

/**
 * A turn's trace as nested spans on one timeline, as Langfuse draws it: the turn, its model calls,
 * and under each model call the tool calls it asked for (the local engine's tools sit under the turn).
 * Times are milliseconds from the turn's start (`offset_ms`; older traces without it fall back to
 * their order, one step apart).
 */
export interface Span {
  id: string;
  kind: 'turn' | 'llm' | 'tool' | 'plan' | 'error';
  name: string;
  start: number;
  end: number;
  ok: boolean;
  tokens?: { input: number; output: number };
  model?: string;
  input?: unknown;
  output?: unknown;
  children: Span[];
}

export interface TurnSpans {
  root: Span;
  answer: string | null;
  question: string | null;
  tokens: { input: number; output: number };
  /** Dollars, when Claude ran (a price is known for the model); null for the local engine. */
  cost: number | null;
  engine: string | null;
  model: string | null;
}

/** USD per million tokens (input, output), by model family. */
const PRICES: Array<[RegExp, number, number]> = [
  [/opus/i, 15, 75],
  [/sonnet/i, 3, 15],
  [/haiku/i, 0.8, 4],
];

export function costOf(model: string | undefined | null, tokens: { input: number; output: number }): number | null {
  if (!model) return null;
  const price = PRICES.find(([re]) => re.test(model));
  if (!price) return null;
  return (tokens.input * price[1] + tokens.output * price[2]) / 1_000_000;
}

export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

export function buildTurnSpans(events: TraceEvent[]): TurnSpans {
  const at = (e: TraceEvent, i: number) => (typeof e.offset_ms === 'number' ? e.offset_ms : i);
  const user = events.find((e) => e.type === 'user_message');
  const answer = events.find((e) => e.type === 'answer');
  const engine = (user?.engine ?? answer?.engine ?? null) as string | null;
  const model = (user?.model ?? answer?.model ?? null) as string | null;
  const root: Span = {
    id: 'turn',
    kind: 'turn',
    name: 'Turn',
    start: 0,
    end: 0,
    ok: !events.some((e) => e.type === 'error'),
    children: [],
  };
  const tokens = { input: 0, output: 0 };
  let lastLlm: Span | null = null;
  const open = new Map<string, Span>();
  events.forEach((e, i) => {
    const t = at(e, i);
    root.end = Math.max(root.end, t);
    if (e.type === 'llm_call') {
      const tk = eventTokens(e);
      tokens.input += tk.input;
      tokens.output += tk.output;
      const d = typeof e.duration_ms === 'number' ? e.duration_ms : 0;
      const span: Span = {
        id: `llm-${i}`,
        kind: 'llm',
        name: typeof e.model === 'string' ? e.model : 'Model call',
        start: Math.max(0, t - d),
        end: t,
        ok: true,
        tokens: tk,
        model: typeof e.model === 'string' ? e.model : undefined,
        input: e.input,
        output: e.output,
        children: [],
      };
      root.children.push(span);
      lastLlm = span;
    } else if (e.type === 'tool_call') {
      const span: Span = {
        id: `tool-${i}`,
        kind: 'tool',
        name: e.name ?? 'tool',
        start: t,
        end: t,
        ok: true,
        input: e.input,
        children: [],
      };
      (lastLlm ?? root).children.push(span);
      open.set(String(e.id ?? e.name ?? i), span);
    } else if (e.type === 'tool_result') {
      const span = open.get(String(e.id ?? e.name ?? '')) ?? null;
      if (span) {
        span.end = t;
        if (typeof e.duration_ms === 'number') span.start = Math.min(span.start, t - e.duration_ms);
        span.ok = e.ok !== false;
        span.output = e.output;
      }
    } else if (e.type === 'plan') {
      root.children.push({
        id: `plan-${i}`,
        kind: 'plan',
        name: 'Plan',
        start: t,
        end: t,
        ok: true,
        output: eventText(e),
        children: [],
      });
    } else if (e.type === 'error') {
      root.children.push({
        id: `error-${i}`,
        kind: 'error',
        name: 'Error',
        start: t,
        end: t,
        ok: false,
        output: e.output,
        children: [],
      });
    }
  });
  if (answer) {
    const tk = eventTokens(answer);
    if (tokens.input + tokens.output === 0) {
      tokens.input = tk.input;
      tokens.output = tk.output;
    }
    if (typeof answer.duration_ms === 'number') root.end = Math.max(root.end, answer.duration_ms);
  }
  root.tokens = tokens;
  const text = answer ? answerText(answer) : null;
  return {
    root,
    answer: text,
    question: user ? eventText(user) : null,
    tokens,
    cost: engine === 'claude' || (model && /claude/i.test(model)) ? costOf(model, tokens) : null,
    engine,
    model,
  };
}

function answerText(e: TraceEvent): string | null {
  const o = e.output;
  if (o && typeof o === 'object' && typeof (o as Record<string, unknown>).answer === 'string') {
    return (o as Record<string, string>).answer ?? null;
  }
  return eventText(e);
}

/** Depth-first rows for the waterfall: each span with its depth. */
export function flatten(span: Span, depth = 0, out: Array<{ span: Span; depth: number }> = []) {
  out.push({ span, depth });
  for (const c of span.children) flatten(c, depth + 1, out);
  return out;
}
