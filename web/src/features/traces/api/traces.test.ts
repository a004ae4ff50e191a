import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../lib/api-types.ts';
import { eventText, eventTokens, groupByTurn } from './traces.ts';

const ev = (turn: number, type: string, extra: Partial<TraceEvent> = {}, ts = '2026-01-02T15:30:00Z'): TraceEvent => ({
  ts,
  session_id: 's1',
  turn,
  type,
  ...extra,
});

describe('trace grouping', () => {
  it('groups events by turn with the question, tokens, duration and engine', () => {
    const groups = groupByTurn([
      ev(2, 'user_message', { input: { message: 'And burn multiple?' } }, '2026-01-02T15:31:00Z'),
      ev(1, 'user_message', { input: 'What was our NRR?' }),
      ev(1, 'llm_call', { tokens: { input: 1200, output: 80 }, engine: 'claude', model: 'claude-sonnet-4-5' }),
      ev(1, 'tool_call', { name: 'get_metric', input: { metric: 'nrr' } }),
      ev(1, 'llm_call', { tokens: { input_tokens: 1500, output_tokens: 120 } }),
      ev(1, 'answer', { output: 'NRR was 112%.', duration_ms: 2300, engine: 'claude' }, '2026-01-02T15:30:03Z'),
      ev(2, 'answer', { engine: 'local' }, '2026-01-02T15:31:02Z'),
    ]);
    expect(groups.map((g) => g.turn)).toEqual([1, 2]);
    expect(groups[0]).toMatchObject({
      question: 'What was our NRR?',
      tokens: { input: 2700, output: 200 },
      durationMs: 2300,
      engines: ['claude'],
    });
    expect(groups[1]).toMatchObject({ question: 'And burn multiple?', durationMs: 2000, engines: ['local'] });
  });

  it('reads text and tokens in the shapes a recorder may use', () => {
    expect(eventText(ev(1, 'answer', { output: { answer: 'hi' } }))).toBe('hi');
    expect(eventText(ev(1, 'plan'))).toBeNull();
    expect(eventTokens(ev(1, 'llm_call', { tokens: 42 }))).toEqual({ input: 0, output: 42 });
    expect(eventTokens(ev(1, 'llm_call'))).toEqual({ input: 0, output: 0 });
  });
});
