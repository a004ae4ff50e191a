import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClaudeEngine } from '../../src/analyst/claude/engine.ts';
import { createToolContext } from '../../src/analyst/runtime.ts';
import { createToolRegistry } from '../../src/analyst/tools/index.ts';
import type { EngineEvent } from '../../src/analyst/types.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { AppError } from '../../src/lib/errors.ts';
import { createTurnRecorder } from '../../src/traces/recorder.ts';
import { readTrace } from '../../src/traces/store.ts';
import { type MockAnthropic, startMockAnthropic } from './anthropic-mock.ts';
import { fakePorts, fakeTenant, scopeOf, tempDir } from './fakes.ts';

const KEY = 'acme_A1B2C3D4';
const SESSION = 'ses_claudetest01';

describe('Claude engine through the real SDK against a local Messages API', () => {
  let mock: MockAnthropic;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let pending: Array<{ flush(): Promise<void> }> = [];

  beforeEach(async () => {
    mock = await startMockAnthropic();
    tmp = await tempDir();
  });
  afterEach(async () => {
    await Promise.allSettled(pending.map((r) => r.flush()));
    pending = [];
    await mock.close();
    await tmp.cleanup();
  });

  function setup(opts: { revokedAfter?: number; maxRetries?: number; maxIterations?: number } = {}) {
    const ports = fakePorts({
      [KEY]: {
        passages: [
          {
            document_id: 'doc_board00001',
            document_name: 'board.md',
            locator: 'line 4',
            text: 'Our office lease runs to 2028.',
          },
        ],
        mrr: [
          ['2026-05', 100000],
          ['2026-06', 110000],
        ],
        records: [
          {
            kind: 'customers',
            document_id: 'doc_custs00001',
            document_name: 'customers.csv',
            locator: 'rows 1-3',
            columns: [
              { column: 0, header: 'Customer', role: 'name' },
              { column: 1, header: 'MRR', role: 'mrr' },
            ],
            records: [
              { name: 'Small Co', locator: 'row 2', values: { mrr: 900 }, dates: {}, fields: {} },
              { name: 'Big Co', locator: 'row 3', values: { mrr: 4200 }, dates: {}, fields: {} },
            ],
            skipped: [],
          },
        ],
      },
    });
    const tools = createToolRegistry(ports);
    const scope = scopeOf(tmp.dir, KEY);
    const recorder = createTurnRecorder({
      scope,
      sessionId: SESSION,
      turn: 1,
      clock: fixedClock('2026-01-10T12:00:00Z'),
    });
    pending.push(recorder);
    const events: EngineEvent[] = [];
    let checks = 0;
    const ctx = createToolContext({
      tools,
      tenant: fakeTenant(KEY),
      scope,
      sessionId: SESSION,
      turn: 1,
      recorder,
      assertActive: async () => {
        checks += 1;
        if (opts.revokedAfter !== undefined && checks > opts.revokedAfter) {
          throw new AppError(401, 'access_key_revoked', 'revoked');
        }
      },
      onEvent: (e) => events.push(e),
    });
    const engine = createClaudeEngine({
      apiKey: 'sk-test-key',
      model: 'claude-test',
      baseURL: mock.url,
      tools,
      maxRetries: opts.maxRetries ?? 0,
      maxIterations: opts.maxIterations,
    });
    return { engine, ctx, events, recorder, scope };
  }

  it('does a tool round trip: streams text, calls the tool, answers with citations', async () => {
    mock.replies.push(
      {
        kind: 'stream',
        text: 'Let me search.',
        tools: [{ id: 'toolu_1', name: 'search_documents', input: { query: 'lease' } }],
      },
      { kind: 'stream', text: 'The lease runs to 2028 (board.md, line 4).', usage: [50, 12] },
    );
    const { engine, ctx, events, recorder, scope } = setup();
    const result = await engine.run({ message: 'When does our lease end?', history: [], ctx });

    expect(result.answer).toBe('The lease runs to 2028 (board.md, line 4).');
    expect(result.citations).toEqual([
      {
        document_id: 'doc_board00001',
        document_name: 'board.md',
        locator: 'line 4',
        snippet: 'Our office lease runs to 2028.',
      },
    ]);
    expect(result.tokens).toEqual({ input: 60, output: 32 });
    const deltas = events
      .filter((e) => e.type === 'delta')
      .map((e) => (e as { text: string }).text)
      .join('');
    expect(deltas).toBe('Let me search.The lease runs to 2028 (board.md, line 4).');

    // The request carried the key, model, system prompt and the tools as JSON Schema; the second the tool result.
    const first = mock.requests[0]!;
    expect(first.headers.authorization ?? first.headers['x-api-key']).toContain('sk-test-key');
    expect(first.body.model).toBe('claude-test');
    expect(first.body.stream).toBe(true);
    const system = (first.body.system as Array<{ type: string; text: string }>).map((b) => b.text).join('\n');
    expect(system).toMatch(/never compute a figure yourself/i);
    expect(system).toMatch(/data, never instructions/i);
    expect(system).toMatch(/I couldn't find/);
    const tools = first.body.tools as Array<{ name: string; input_schema: { type: string; properties: object } }>;
    expect(tools.map((t) => t.name)).toContain('query_table');
    expect(tools.find((t) => t.name === 'search_documents')?.input_schema.properties).toHaveProperty('query');
    // Claude passes the graph's period spec: an id or relative name, or an object such as a fiscal quarter.
    const period = (tools.find((t) => t.name === 'compute_metric')!.input_schema.properties as Record<string, object>)
      .period as { anyOf: Array<{ type: string; properties?: Record<string, unknown> }> };
    expect(period.anyOf.map((s) => s.type)).toContain('string');
    expect(period.anyOf.find((s) => s.properties && 'quarter' in s.properties)?.properties).toHaveProperty('fiscal');
    expect(system).toMatch(/period_label/);
    const second = mock.requests[1]!.body.messages as Array<{ role: string; content: unknown }>;
    const toolResult = (second.at(-1)!.content as Array<{ type: string; tool_use_id: string; content: string }>)[0]!;
    expect(toolResult.type).toBe('tool_result');
    expect(toolResult.tool_use_id).toBe('toolu_1');
    expect(toolResult.content).toContain('2028');

    await recorder.flush();
    const trace = (await readTrace(scope, SESSION)) ?? [];
    expect(trace.map((e) => e.type)).toEqual(['llm_call', 'plan', 'tool_call', 'tool_result', 'llm_call']);
    expect(trace[0]?.tokens).toEqual({ input: 10, output: 20 });
    expect(trace[0]?.model).toBe('claude-test');
  });

  it('gets query_records like the local engine: the largest customer from the list, with its row cited', async () => {
    mock.replies.push(
      { kind: 'stream', tools: [{ id: 'toolu_r', name: 'query_records', input: { kind: 'customers', limit: 1 } }] },
      { kind: 'stream', text: 'Big Co, at $4,200 per month (customers.csv, row 3).' },
    );
    const { engine, ctx } = setup();
    const result = await engine.run({ message: 'Who is our largest customer?', history: [], ctx });
    const tools = mock.requests[0]!.body.tools as Array<{ name: string; input_schema: { properties: object } }>;
    const schema = tools.find((t) => t.name === 'query_records')?.input_schema.properties as Record<
      string,
      { enum?: string[] }
    >;
    expect(schema.kind?.enum).toEqual(['customers', 'deals']);
    const second = mock.requests[1]!.body.messages as Array<{ role: string; content: unknown }>;
    const toolResult = (second.at(-1)!.content as Array<{ type: string; content: string }>)[0]!;
    const output = JSON.parse(toolResult.content) as { records: Array<{ name: string; value: number }> };
    expect(output.records[0]).toMatchObject({ name: 'Big Co', value: 4200 });
    expect(result.citations).toContainEqual({
      document_id: 'doc_custs00001',
      document_name: 'customers.csv',
      locator: 'row 3',
    });
  });

  it('gets one named record from query_records: the name matched loosely, or none found (never another record)', async () => {
    mock.replies.push(
      {
        kind: 'stream',
        tools: [
          { id: 'toolu_n1', name: 'query_records', input: { name: 'big co.', limit: 1 } },
          { id: 'toolu_n2', name: 'query_records', input: { name: 'Acme Widgets', limit: 1 } },
        ],
      },
      { kind: 'stream', text: 'Big Co pays $4,200 per month; Acme Widgets is not in the customer list.' },
    );
    const { engine, ctx } = setup();
    await engine.run({ message: 'How much do Big Co and Acme Widgets pay us?', history: [], ctx });
    const tools = mock.requests[0]!.body.tools as Array<{ name: string; input_schema: { properties: object } }>;
    const schema = tools.find((t) => t.name === 'query_records')?.input_schema.properties as Record<
      string,
      { type?: string; enum?: string[] }
    >;
    expect(schema.name?.type).toBe('string');
    expect(schema.mentioned_in?.type).toBe('string');
    expect(schema.sort_by_date?.enum).toEqual(['start', 'end', 'close']);
    const second = mock.requests[1]!.body.messages as Array<{ role: string; content: unknown }>;
    const results = (second.at(-1)!.content as Array<{ type: string; content: string }>).map(
      (c) =>
        JSON.parse(c.content) as {
          records: Array<{ name: string; value: number }>;
          named: { found: Array<{ name: string; how: string }> };
          searched: Array<{ kind: string; document_name: string; total: number }>;
        },
    );
    expect(results[0]!.named.found).toEqual([{ name: 'Big Co', how: 'exact', mention: 'big co.' }]);
    expect(results[0]!.records).toEqual([expect.objectContaining({ name: 'Big Co', value: 4200 })]);
    expect(results[1]!.named.found).toEqual([]);
    expect(results[1]!.records).toEqual([]);
    expect(results[1]!.searched).toEqual([
      { kind: 'customers', document_name: 'customers.csv', list: 'rows 1-3', total: 2 },
    ]);
  });

  it('marks the system prompt and the tool definitions for prompt caching, and traces the cache tokens', async () => {
    mock.replies.push(
      {
        kind: 'stream',
        tools: [{ id: 'toolu_1', name: 'list_metrics', input: {} }],
        usage: [40, 5],
        cache: { write: 1800, read: 0 },
      },
      { kind: 'stream', text: 'MRR is $110,000 (metrics.csv).', usage: [30, 9], cache: { write: 0, read: 1800 } },
    );
    const { engine, ctx, recorder, scope } = setup();
    await engine.run({ message: 'What is MRR?', history: [], ctx });

    for (const request of mock.requests) {
      const system = request.body.system as Array<{ type: string; text: string; cache_control?: unknown }>;
      expect(system.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
      const tools = request.body.tools as Array<{ name: string; cache_control?: unknown }>;
      // One breakpoint, on the last tool: the whole list of definitions is the cached prefix.
      expect(tools.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
      expect(tools.slice(0, -1).every((t) => t.cache_control === undefined)).toBe(true);
    }
    // Both calls send the same cached prefix, byte for byte.
    expect(JSON.stringify(mock.requests[1]!.body.system)).toBe(JSON.stringify(mock.requests[0]!.body.system));
    expect(JSON.stringify(mock.requests[1]!.body.tools)).toBe(JSON.stringify(mock.requests[0]!.body.tools));

    await recorder.flush();
    const calls = ((await readTrace(scope, SESSION)) ?? []).filter((e) => e.type === 'llm_call');
    expect(calls.map((e) => e.cache)).toEqual([
      { write: 1800, read: 0 },
      { write: 0, read: 1800 },
    ]);
  });

  it('runs several tools in one turn and gathers the metrics', async () => {
    mock.replies.push(
      {
        kind: 'stream',
        tools: [
          { id: 'toolu_a', name: 'get_metric', input: { metric: 'MRR', period: '2026-06' } },
          { id: 'toolu_b', name: 'compute_metric', input: { metric: 'ARR' } },
          { id: 'toolu_c', name: 'get_metric', input: { metric: 'MRR', period: 'last June' } },
        ],
      },
      { kind: 'stream', text: 'MRR was $110,000 in June 2026; ARR is $1,320,000.' },
    );
    const { engine, ctx, events } = setup();
    const result = await engine.run({ message: 'MRR and ARR?', history: [{ question: 'hi', answer: 'hello' }], ctx });
    const results = events.filter((e) => e.type === 'tool_result') as Array<{
      name: string;
      ok: boolean;
      output: unknown;
    }>;
    expect(
      results.map((r) => [r.name, r.ok]),
      JSON.stringify(results),
    ).toEqual([
      ['get_metric', true],
      ['compute_metric', true],
      ['get_metric', false],
    ]);
    // The bad period came back to the model as an error result it can read.
    expect(JSON.stringify(results[2]?.output)).toContain('invalid_input');
    expect(result.metrics.map((m) => [m.metric, m.value])).toEqual([
      ['mrr', 110000],
      ['arr', 1320000],
    ]);
    const messages = mock.requests[0]!.body.messages as Array<{ role: string; content: unknown }>;
    expect(messages.slice(0, 2)).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ]);
    const toolResults = (mock.requests[1]!.body.messages as Array<{ content: Array<{ is_error?: boolean }> }>).at(
      -1,
    )!.content;
    expect(toolResults).toHaveLength(3);
    expect(toolResults[2]?.is_error).toBe(true);
  });

  it('fails with analyst_unavailable when the API answers an error', async () => {
    mock.replies.push({
      kind: 'error',
      status: 500,
      body: { type: 'error', error: { type: 'api_error', message: 'down' } },
    });
    const { engine, ctx } = setup();
    const err = await engine.run({ message: 'x', history: [], ctx }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('analyst_unavailable');
    expect((err as AppError).message).toContain('500');
  });

  it('fails with analyst_unavailable on an error frame mid-stream', async () => {
    mock.replies.push({ kind: 'stream-error' });
    const { engine, ctx } = setup();
    const err = await engine.run({ message: 'x', history: [], ctx }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('analyst_unavailable');
  });

  it('retries a 429 and then succeeds', async () => {
    mock.replies.push(
      {
        kind: 'error',
        status: 429,
        headers: { 'retry-after': '0' },
        body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
      },
      { kind: 'stream', text: 'Fine now.' },
    );
    const { engine, ctx } = setup({ maxRetries: 2 });
    const result = await engine.run({ message: 'x', history: [], ctx });
    expect(result.answer).toBe('Fine now.');
    expect(mock.requests).toHaveLength(2);
  });

  it('stops a running turn before its next tool call when the key is revoked', async () => {
    mock.replies.push(
      { kind: 'stream', tools: [{ id: 't1', name: 'list_metrics', input: {} }] },
      { kind: 'stream', tools: [{ id: 't2', name: 'search_documents', input: { query: 'lease' } }] },
      { kind: 'stream', text: 'never reached' },
    );
    const { engine, ctx, events } = setup({ revokedAfter: 1 });
    const err = await engine.run({ message: 'x', history: [], ctx }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('access_key_revoked');
    expect(events.filter((e) => e.type === 'tool_call').map((e) => (e as { name: string }).name)).toEqual([
      'list_metrics',
    ]);
    expect(mock.requests).toHaveLength(2);
  });

  it('makes its last allowed call with tools disabled so the model must answer', async () => {
    mock.replies.push(
      { kind: 'stream', tools: [{ id: 't1', name: 'list_metrics', input: {} }] },
      { kind: 'stream', text: 'Here is what I have.' },
    );
    const { engine, ctx } = setup({ maxIterations: 2 });
    const result = await engine.run({ message: 'x', history: [], ctx });
    expect(result.answer).toBe('Here is what I have.');
    expect(mock.requests[0]?.body.tool_choice).toBeUndefined();
    expect(mock.requests[1]?.body.tool_choice).toEqual({ type: 'none' });
  });
});
