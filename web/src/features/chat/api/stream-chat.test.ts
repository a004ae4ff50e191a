import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatAnswer, Step } from '../../../lib/api-types.ts';
import { formatPeriod, GENERIC_QUESTIONS, suggestQuestions } from './metrics.ts';
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
  const series = (metric: string, name: string, period = '2026-06') => ({
    metric,
    name,
    unit: 'currency',
    latest: { period, value: 1 },
    series: [
      { period: '2026-05', value: 1 },
      { period, value: 1 },
    ],
  });

  it('offers the questions the uploaded series can answer, with a readable period', () => {
    const qs = suggestQuestions([
      series('item:aws', 'AWS hosting'),
      series('mrr', 'MRR'),
      series('expansion_mrr', 'Expansion MRR'),
      series('churned_mrr', 'Churned MRR'),
      series('net_burn', 'Net burn'),
    ]);
    expect(qs).toEqual([
      'What was our MRR in June 2026, and how has it trended?',
      'What was our net revenue retention last quarter, and is it good for our stage?',
      'What is our burn multiple, and how does it compare to benchmarks?',
    ]);
    expect(qs.join(' ')).not.toContain('AWS');
  });

  it('falls back to trends, and to nothing when no metric was found', () => {
    expect(suggestQuestions([series('headcount', 'Headcount')])).toEqual(['How has our Headcount trended over time?']);
    expect(suggestQuestions([])).toEqual([]);
    expect(GENERIC_QUESTIONS.length).toBeGreaterThan(0);
  });

  it('formats periods', () => {
    expect(formatPeriod('2026-06')).toBe('June 2026');
    expect(formatPeriod('2026-Q2')).toBe('Q2 2026');
    expect(formatPeriod('FY2026')).toBe('FY2026');
  });
});
