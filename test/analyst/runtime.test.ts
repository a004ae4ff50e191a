import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createToolContext } from '../../src/analyst/runtime.ts';
import { defineTool } from '../../src/analyst/tools/define.ts';
import type { EngineEvent, Tool } from '../../src/analyst/types.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { AppError } from '../../src/lib/errors.ts';
import { createTurnRecorder } from '../../src/traces/recorder.ts';
import { readTrace } from '../../src/traces/store.ts';
import { fakeTenant, scopeOf, tempDir } from './fakes.ts';

const KEY = 'acme_A1B2C3D4';
const SESSION = 'ses_runtimetest01';

const echo = defineTool({
  name: 'echo',
  description: 'echo',
  input: z.object({ text: z.string().min(1) }),
  async run(ctx, input) {
    return { text: input.text, tenant: ctx.tenant.key, turn: ctx.turn };
  },
});
const boom = defineTool({
  name: 'boom',
  description: 'throws',
  input: z.object({}),
  async run() {
    throw Object.assign(new Error('disk on fire'), { code: 'disk_error' });
  },
});
const slow = defineTool({
  name: 'slow',
  description: 'never ends',
  input: z.object({}),
  run: () => new Promise(() => {}),
});

describe('the tool runtime of a turn', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let flushers: Array<() => Promise<void>> = [];
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => {
    await Promise.allSettled(flushers.map((f) => f()));
    flushers = [];
    await tmp.cleanup();
  });

  function make(opts: { active?: () => boolean; limits?: Record<string, number> } = {}) {
    const scope = scopeOf(tmp.dir, KEY);
    const recorder = createTurnRecorder({
      scope,
      sessionId: SESSION,
      turn: 3,
      clock: fixedClock('2026-01-10T12:00:00Z'),
    });
    flushers.push(() => recorder.flush());
    const events: EngineEvent[] = [];
    const tools = new Map<string, Tool>([echo, boom, slow].map((t) => [t.name, t]));
    const ctx = createToolContext({
      tools,
      tenant: fakeTenant(KEY),
      scope,
      sessionId: SESSION,
      turn: 3,
      recorder,
      assertActive: async () => {
        if (opts.active && !opts.active()) throw new AppError(401, 'access_key_revoked', 'revoked');
      },
      onEvent: (e) => events.push(e),
      limits: opts.limits,
    });
    return { ctx, events, recorder, scope };
  }

  it('runs a tool with the tenant from the context and traces the call and its result', async () => {
    const { ctx, recorder, scope } = make();
    const result = await ctx.callTool('echo', { text: 'hi', tenant: 'beta_E5F6G7H8' });
    expect(result).toEqual({ ok: true, output: { text: 'hi', tenant: KEY, turn: 3 } });
    await recorder.flush();
    const trace = (await readTrace(scope, SESSION)) ?? [];
    expect(trace.map((e) => [e.type, e.name])).toEqual([
      ['tool_call', 'echo'],
      ['tool_result', 'echo'],
    ]);
    expect(trace[1]?.ok).toBe(true);
    expect(typeof trace[1]?.duration_ms).toBe('number');
  });

  it('turns every failure into a result the planner can read', async () => {
    const { ctx } = make({ limits: { toolTimeoutMs: 50 } });
    expect(await ctx.callTool('nope', {})).toMatchObject({ ok: false, error: { code: 'unknown_tool' } });
    expect(await ctx.callTool('echo', { text: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await ctx.callTool('echo', 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await ctx.callTool('boom', {})).toEqual({
      ok: false,
      error: { code: 'disk_error', message: 'disk on fire' },
    });
    expect(await ctx.callTool('slow', {})).toMatchObject({ ok: false, error: { code: 'tool_timeout' } });
  });

  it('caps tool calls and tokens per turn', async () => {
    const { ctx } = make({ limits: { maxToolCalls: 2, maxTurnTokens: 100 } });
    expect((await ctx.callTool('echo', { text: 'a' })).ok).toBe(true);
    expect((await ctx.callTool('echo', { text: 'b' })).ok).toBe(true);
    expect(await ctx.callTool('echo', { text: 'c' })).toMatchObject({
      ok: false,
      error: { code: 'tool_limit_reached' },
    });

    const second = make({ limits: { maxTurnTokens: 100 } });
    second.ctx.emit({ type: 'llm_call', model: 'm', duration_ms: 5, tokens: { input: 80, output: 30 } });
    expect(second.ctx.usage?.()).toEqual({ toolCalls: 0, tokens: 110 });
    expect(await second.ctx.callTool('echo', { text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'turn_token_limit' },
    });
  });

  it('stops the turn at the next tool call once the tenant is revoked', async () => {
    let active = true;
    const { ctx, events } = make({ active: () => active });
    expect((await ctx.callTool('echo', { text: 'a' })).ok).toBe(true);
    active = false;
    await expect(ctx.callTool('echo', { text: 'b' })).rejects.toMatchObject({ code: 'access_key_revoked' });
    // The revoked call never ran.
    expect(events.filter((e) => e.type === 'tool_call')).toHaveLength(1);
  });
});
