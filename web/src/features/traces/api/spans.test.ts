import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../lib/api-types.ts';
import { buildTurnSpans, costOf, flatten, formatCost } from './spans.ts';

const ev = (e: Partial<TraceEvent> & { type: string }): TraceEvent => ({
  ts: '2026-01-10T12:00:00Z',
  session_id: 's',
  turn: 1,
  ...e,
});

describe('trace spans', () => {
  it('nests tool calls under the model call that asked for them, on a timeline, with tokens and cost', () => {
    const turn = buildTurnSpans([
      ev({ type: 'user_message', input: 'What is MRR?', engine: 'claude', model: 'claude-sonnet-4-5', offset_ms: 0 }),
      ev({
        type: 'llm_call',
        model: 'claude-sonnet-4-5',
        duration_ms: 900,
        tokens: { input: 1000, output: 200 },
        offset_ms: 950,
      }),
      ev({ type: 'tool_call', id: 't1', name: 'get_metric', input: { metric: 'mrr' }, offset_ms: 960 }),
      ev({
        type: 'tool_result',
        id: 't1',
        name: 'get_metric',
        ok: true,
        duration_ms: 40,
        output: { value: 1 },
        offset_ms: 1000,
      }),
      ev({
        type: 'llm_call',
        model: 'claude-sonnet-4-5',
        duration_ms: 500,
        tokens: { input: 1500, output: 100 },
        offset_ms: 1510,
      }),
      ev({ type: 'answer', output: { answer: '**MRR** was $1.1M.' }, duration_ms: 1520, offset_ms: 1520 }),
    ]);
    expect(turn.root.end).toBe(1520);
    expect(turn.root.children.map((c) => [c.kind, c.start, c.end])).toEqual([
      ['llm', 50, 950],
      ['llm', 1010, 1510],
    ]);
    expect(turn.root.children[0]?.children.map((c) => [c.name, c.start, c.end, c.ok])).toEqual([
      ['get_metric', 960, 1000, true],
    ]);
    expect(flatten(turn.root).map((r) => r.depth)).toEqual([0, 1, 2, 1]);
    expect(turn.tokens).toEqual({ input: 2500, output: 300 });
    expect(turn.cost).toBeCloseTo((2500 * 3 + 300 * 15) / 1e6, 10);
    expect(turn.answer).toBe('**MRR** was $1.1M.');
    expect(formatCost(turn.cost ?? 0)).toBe('$0.01');
    expect(formatCost(0.0042)).toBe('$0.0042');
  });

  it('puts the local engine tools under the turn, with no cost', () => {
    const turn = buildTurnSpans([
      ev({ type: 'user_message', input: 'Q', engine: 'local', offset_ms: 0 }),
      ev({ type: 'tool_call', id: 'a', name: 'compute_metric', offset_ms: 2 }),
      ev({ type: 'tool_result', id: 'a', name: 'compute_metric', ok: false, offset_ms: 9 }),
      ev({ type: 'answer', output: { answer: 'A' }, offset_ms: 10 }),
    ]);
    expect(turn.root.children.map((c) => [c.kind, c.ok])).toEqual([['tool', false]]);
    expect(turn.cost).toBeNull();
    expect(costOf('some-other-model', { input: 1, output: 1 })).toBeNull();
  });
});
