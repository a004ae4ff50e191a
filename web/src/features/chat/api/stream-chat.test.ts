import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatAnswer, Step } from '../../../lib/api-types.ts';
import { GENERIC_QUESTIONS, suggestQuestions } from './metrics.ts';
import { streamChat } from './stream-chat.ts';

afterEach(() => vi.unstubAllGlobals());

function sseResponse(frames: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const f of frames) controller.enqueue(encoder.encode(f));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
}

const answer: ChatAnswer = {
  session_id: 's1',
  turn: 1,
  answer: 'NRR was **112%**.',
  citations: [{ document_id: 'd1', document_name: 'metrics.csv', locator: 'row 4, column "nrr"' }],
  metrics: [],
  engine: 'local',
};

describe('streamChat', () => {
  it('posts with Accept: text/event-stream and delivers session, steps, deltas and the answer in order', async () => {
    let seen: RequestInit | undefined;
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      seen = init;
      return sseResponse([
        'event: session\ndata: {"session_id":"s1","turn":1}\n\n',
        'event: step\ndata: {"type":"plan","summary":"Find NRR"}\n\nevent: step\ndata: {"type":"tool_call","name":"get_metric","input":{"metric":"nrr"},"summary":"nrr"}\n\n',
        'event: delta\ndata: {"text":"NRR was "}\n\nevent: del',
        'ta\ndata: {"text":"**112%**."}\n\n',
        `event: answer\ndata: ${JSON.stringify(answer)}\n\n`,
        'event: done\ndata: {}\n\n',
      ]);
    });
    const log: string[] = [];
    const steps: Step[] = [];
    let final: ChatAnswer | undefined;
    await streamChat(
      { message: 'What was our NRR?' },
      {
        onSession: (s) => log.push(`session ${s.session_id}/${s.turn}`),
        onStep: (s) => steps.push(s),
        onDelta: (t) => log.push(`delta ${t}`),
        onAnswer: (a) => {
          final = a;
        },
      },
    );
    expect((seen?.headers as Record<string, string> | undefined)?.Accept).toBe('text/event-stream');
    expect(seen?.body).toBe('{"message":"What was our NRR?"}');
    expect(log).toEqual(['session s1/1', 'delta NRR was ', 'delta **112%**.']);
    expect(steps.map((s) => [s.type, s.name])).toEqual([
      ['plan', undefined],
      ['tool_call', 'get_metric'],
    ]);
    expect(final).toEqual(answer);
  });

  it('throws the error event as an ApiError with its message', async () => {
    vi.stubGlobal('fetch', async () =>
      sseResponse([
        'event: session\ndata: {"session_id":"s1","turn":1}\n\n',
        'event: error\ndata: {"code":"budget_exceeded","message":"Daily budget reached."}\n\n',
      ]),
    );
    await expect(streamChat({ message: 'x' }, {})).rejects.toMatchObject({
      code: 'budget_exceeded',
      message: 'Daily budget reached.',
    });
  });

  it('accepts a plain JSON answer from a server that does not stream', async () => {
    vi.stubGlobal(
      'fetch',
      async () => new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } }),
    );
    let got: ChatAnswer | undefined;
    await streamChat({ message: 'x' }, { onAnswer: (a) => (got = a) });
    expect(got?.answer).toBe(answer.answer);
  });
});

describe('suggestQuestions', () => {
  it('asks about the best-known metrics first, with the latest period', () => {
    const qs = suggestQuestions([
      {
        metric: 'item:aws',
        name: 'AWS hosting',
        unit: 'currency',
        latest: { period: '2026-03', value: 1 },
        series: [],
      },
      {
        metric: 'burn_multiple',
        name: 'Burn multiple',
        unit: 'ratio',
        latest: { period: '2026-03', value: 1.4 },
        series: [],
      },
      {
        metric: 'nrr',
        name: 'Net revenue retention',
        unit: 'percent',
        latest: { period: '2026-Q1', value: 1.12 },
        series: [
          { period: '2025-Q4', value: 1.1 },
          { period: '2026-Q1', value: 1.12 },
        ],
      },
    ]);
    expect(qs[0]).toBe('What was our Net revenue retention in 2026-Q1, and is it good for our stage?');
    expect(qs).toHaveLength(2);
    expect(qs.join(' ')).not.toContain('AWS');
  });

  it('has generic questions for when nothing was found', () => {
    expect(suggestQuestions([])).toEqual([]);
    expect(GENERIC_QUESTIONS.length).toBeGreaterThan(0);
  });
});
