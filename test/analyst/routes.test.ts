import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/analyst/types.ts';
import { AppError } from '../../src/lib/errors.ts';
import { type AnalystTestApp, buildAnalystApp, sseEvents } from './app.ts';

/** A scripted engine: a plan, one tool call, an LLM call, two deltas, an answer. */
const scripted = (opts: { beforeTool?: () => Promise<void>; fail?: AppError } = {}): Engine => ({
  name: 'local',
  async run({ message, history, ctx }) {
    ctx.emit({ type: 'plan', text: `search for "${message}"` });
    await opts.beforeTool?.();
    const r = await ctx.callTool('list_metrics', {});
    ctx.emit({ type: 'llm_call', model: 'fake-1', duration_ms: 2, tokens: { input: 30, output: 12 } });
    if (opts.fail) throw opts.fail;
    ctx.emit({ type: 'delta', text: 'Answer ' });
    ctx.emit({ type: 'delta', text: `#${history.length + 1}` });
    return {
      answer: `Answer #${history.length + 1}`,
      citations: [{ document_id: 'doc_x00000001', document_name: 'x.csv', locator: 'row 2' }],
      metrics: [],
      tokens: { input: 30, output: r.ok ? 12 : 0 },
    };
  },
});

const json = { 'content-type': 'application/json', accept: 'application/json' };
const sse = { 'content-type': 'application/json', accept: 'text/event-stream' };

describe('chat, sessions, traces, feedback and questionnaire routes', () => {
  let t: AnalystTestApp;
  afterEach(async () => {
    await t?.close();
  });

  it('answers in JSON, keeps the session with its turns, counts a query, and traces the turn in order', async () => {
    t = await buildAnalystApp({ engine: scripted() });
    const key = await t.createTenant('Acme');
    const res = await t.asTenant(key, {
      method: 'POST',
      url: '/api/chat',
      headers: json,
      payload: { message: 'What is MRR?' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      session_id: string;
      turn: number;
      answer: string;
      engine: string;
      citations: unknown[];
    };
    expect(body).toMatchObject({ turn: 1, answer: 'Answer #1', engine: 'local' });
    expect(body.citations).toHaveLength(1);

    const again = await t.asTenant(key, {
      method: 'POST',
      url: '/api/chat',
      headers: json,
      payload: { message: 'And ARR?', session_id: body.session_id },
    });
    expect(again.json()).toMatchObject({ session_id: body.session_id, turn: 2, answer: 'Answer #2' });

    const tenant = await t.services.tenants.get(key);
    expect(tenant?.query_count).toBe(2);
    expect(tenant?.tokens).toEqual({ input: 60, output: 24 });

    const list = (await t.asTenant(key, { method: 'GET', url: '/api/sessions' })).json() as { sessions: unknown[] };
    expect(list.sessions).toEqual([
      {
        id: body.session_id,
        title: 'What is MRR?',
        created_at: '2026-01-10T12:00:00Z',
        updated_at: '2026-01-10T12:00:00Z',
        turns: 2,
      },
    ]);
    const one = (await t.asTenant(key, { method: 'GET', url: `/api/sessions/${body.session_id}` })).json() as {
      turns: Array<{ question: string; answer: string; feedback: unknown }>;
    };
    expect(one.turns.map((x) => [x.question, x.answer, x.feedback])).toEqual([
      ['What is MRR?', 'Answer #1', null],
      ['And ARR?', 'Answer #2', null],
    ]);
    // Stored as a session file in the tenant's folder.
    expect(fs.existsSync(path.join(t.dataDir, key, 'sessions', `${body.session_id}.json`))).toBe(true);

    const trace = (await t.asTenant(key, { method: 'GET', url: `/api/traces/${body.session_id}` })).json() as {
      events: Array<{ type: string; turn: number; session_id: string; ts: string }>;
    };
    expect(trace.events.filter((e) => e.turn === 1).map((e) => e.type)).toEqual([
      'user_message',
      'plan',
      'tool_call',
      'tool_result',
      'llm_call',
      'answer',
    ]);
    expect(trace.events.every((e) => e.session_id === body.session_id && e.ts === '2026-01-10T12:00:00Z')).toBe(true);
    const traces = (await t.asTenant(key, { method: 'GET', url: '/api/traces' })).json() as { sessions: unknown[] };
    expect(traces.sessions).toEqual([
      {
        session_id: body.session_id,
        title: 'What is MRR?',
        events: 12,
        started_at: '2026-01-10T12:00:00Z',
        last_at: '2026-01-10T12:00:00Z',
      },
    ]);

    const renamed = await t.asTenant(key, {
      method: 'PATCH',
      url: `/api/sessions/${body.session_id}`,
      headers: json,
      payload: { title: 'MRR questions' },
    });
    expect(renamed.json()).toMatchObject({ session: { id: body.session_id, title: 'MRR questions' } });
  });

  it('streams session, step, delta, answer and done over SSE', async () => {
    t = await buildAnalystApp({ engine: scripted() });
    const key = await t.createTenant();
    const res = await t.asTenant(key, { method: 'POST', url: '/api/chat', headers: sse, payload: { message: 'Hi' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = sseEvents(res.body);
    expect(events.map((e) => e.event)).toEqual(['session', 'step', 'step', 'step', 'delta', 'delta', 'answer', 'done']);
    expect(events[0]?.data).toMatchObject({ turn: 1 });
    expect(events.slice(1, 4).map((e) => e.data.type)).toEqual(['plan', 'tool_call', 'tool_result']);
    // Told in the partner's words; the tool's name stays in `name` for API clients and the trace.
    expect(events[2]?.data).toMatchObject({
      name: 'list_metrics',
      summary: 'Looking at the metrics in your documents',
    });
    expect(events[3]?.data.summary).toMatch(/^Found \d+ metrics? in your documents$/);
    expect(events[6]?.data).toMatchObject({ answer: 'Answer #1', session_id: events[0]?.data.session_id });

    // The steps are kept with the turn: a reopened conversation shows the same ones.
    const session = await t.asTenant(key, { method: 'GET', url: `/api/sessions/${events[0]?.data.session_id}` });
    const turn = (session.json() as { turns: Array<{ steps?: unknown[] }> }).turns[0];
    expect(turn?.steps).toEqual([
      { type: 'plan', summary: 'search for "Hi"' },
      { type: 'tool_result', summary: String(events[3]?.data.summary), ok: true },
    ]);
    expect(JSON.stringify(turn?.steps)).not.toContain('list_metrics');
    expect(events[6]?.data).toMatchObject({ answer: 'Answer #1', session_id: events[0]?.data.session_id });
  });

  it('ends the stream with error access_key_revoked when the key is revoked mid-turn', async () => {
    let key = '';
    t = await buildAnalystApp({
      engine: scripted({
        beforeTool: async () => {
          await t.services.tenants.revoke(key, { via: 'cli' });
        },
      }),
    });
    key = await t.createTenant();
    const res = await t.asTenant(key, { method: 'POST', url: '/api/chat', headers: sse, payload: { message: 'Hi' } });
    const events = sseEvents(res.body);
    expect(events.map((e) => e.event)).toEqual(['session', 'step', 'error']);
    expect(events.at(-1)?.data).toMatchObject({ code: 'access_key_revoked' });
    const trace = await t.services.analyst.sessions.get(
      (await import('../../src/store/paths.ts')).tenantScope(t.dataDir, key),
      String(events[0]?.data.session_id),
    );
    expect(trace?.turns[0]?.error?.code).toBe('access_key_revoked');
  });

  it('reports an engine failure as an error event (SSE) and a status with code (JSON)', async () => {
    t = await buildAnalystApp({
      engine: scripted({ fail: new AppError(502, 'analyst_unavailable', 'Claude is down') }),
    });
    const key = await t.createTenant();
    const streamed = sseEvents(
      (await t.asTenant(key, { method: 'POST', url: '/api/chat', headers: sse, payload: { message: 'Hi' } })).body,
    );
    expect(streamed.at(-1)).toEqual({
      event: 'error',
      data: { code: 'analyst_unavailable', message: 'Claude is down' },
    });
    const res = await t.asTenant(key, { method: 'POST', url: '/api/chat', headers: json, payload: { message: 'Hi' } });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ error: { code: 'analyst_unavailable' } });
    const sid = String(streamed[0]?.data.session_id);
    const trace = (await t.asTenant(key, { method: 'GET', url: `/api/traces/${sid}` })).json() as {
      events: Array<{ type: string; output?: unknown }>;
    };
    expect(trace.events.at(-1)).toMatchObject({ type: 'error', output: { code: 'analyst_unavailable' } });
  });

  it('refuses before the turn: 429 budget_exceeded, 400 for a bad body, 404 for an unknown session', async () => {
    t = await buildAnalystApp({ engine: scripted(), env: { DAILY_TOKEN_BUDGET: '40' } });
    const key = await t.createTenant();
    expect(
      (await t.asTenant(key, { method: 'POST', url: '/api/chat', headers: json, payload: { message: 'one' } }))
        .statusCode,
    ).toBe(200);
    for (const headers of [json, sse]) {
      const res = await t.asTenant(key, { method: 'POST', url: '/api/chat', headers, payload: { message: 'two' } });
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ error: { code: 'budget_exceeded' } });
      expect(res.headers['retry-after']).toBe(String(12 * 3600));
    }
    for (const payload of [{}, { message: '' }, { message: 'x', tenant: 'other' }, { message: 'x', session_id: 7 }]) {
      const res = await t.asTenant(key, { method: 'POST', url: '/api/chat', headers: json, payload });
      expect(res.statusCode).toBe(400);
    }
    const unknown = await t.asTenant(key, {
      method: 'POST',
      url: '/api/chat',
      headers: sse,
      payload: { message: 'x', session_id: 'ses_doesnotexist01' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('keeps sessions, traces and feedback of each tenant apart: another tenant’s session id is 404 everywhere', async () => {
    t = await buildAnalystApp({ engine: scripted() });
    const a = await t.createTenant('Acme');
    const b = await t.createTenant('Beta');
    const sid = (
      (
        await t.asTenant(a, { method: 'POST', url: '/api/chat', headers: json, payload: { message: 'secret plan' } })
      ).json() as {
        session_id: string;
      }
    ).session_id;

    const attempts = [
      { method: 'GET' as const, url: `/api/sessions/${sid}` },
      { method: 'PATCH' as const, url: `/api/sessions/${sid}`, headers: json, payload: { title: 'mine' } },
      { method: 'GET' as const, url: `/api/traces/${sid}` },
      {
        method: 'POST' as const,
        url: '/api/feedback',
        headers: json,
        payload: { session_id: sid, turn: 1, rating: 'down' },
      },
      { method: 'POST' as const, url: '/api/chat', headers: json, payload: { message: 'x', session_id: sid } },
      { method: 'POST' as const, url: '/api/chat', headers: sse, payload: { message: 'x', session_id: sid } },
    ];
    for (const req of attempts) {
      const res = await t.asTenant(b, req);
      expect(res.statusCode, `${req.method} ${req.url}`).toBe(404);
      expect(res.body).not.toContain('secret plan');
    }
    expect((await t.asTenant(b, { method: 'GET', url: '/api/sessions' })).json()).toEqual({ sessions: [] });
    expect((await t.asTenant(b, { method: 'GET', url: '/api/traces' })).json()).toEqual({ sessions: [] });
    expect((await t.asTenant(a, { method: 'GET', url: '/api/traces/..%2F..%2Fetc' })).statusCode).toBe(404);
    // Nothing was written for A by B's attempts.
    const own = (await t.asTenant(a, { method: 'GET', url: `/api/sessions/${sid}` })).json() as {
      session: { title: string };
      turns: Array<{ feedback: unknown }>;
    };
    expect(own.session.title).toBe('secret plan');
    expect(own.turns[0]?.feedback).toBeNull();
    // Without a key, nothing at all.
    expect((await t.app.inject({ method: 'GET', url: '/api/sessions' })).statusCode).toBe(401);
  });

  it('stores feedback on the turn and in the trace', async () => {
    t = await buildAnalystApp({ engine: scripted() });
    const key = await t.createTenant();
    const sid = (
      (
        await t.asTenant(key, { method: 'POST', url: '/api/chat', headers: json, payload: { message: 'q' } })
      ).json() as {
        session_id: string;
      }
    ).session_id;
    const res = await t.asTenant(key, {
      method: 'POST',
      url: '/api/feedback',
      headers: json,
      payload: { session_id: sid, turn: 1, rating: 'down', comment: 'Wrong quarter' },
    });
    expect(res.json()).toEqual({ ok: true });
    const missingTurn = await t.asTenant(key, {
      method: 'POST',
      url: '/api/feedback',
      headers: json,
      payload: { session_id: sid, turn: 9, rating: 'up' },
    });
    expect(missingTurn.statusCode).toBe(404);
    expect(
      (
        await t.asTenant(key, {
          method: 'POST',
          url: '/api/feedback',
          headers: json,
          payload: { session_id: sid, turn: 1, rating: 'meh' },
        })
      ).statusCode,
    ).toBe(400);

    const session = (await t.asTenant(key, { method: 'GET', url: `/api/sessions/${sid}` })).json() as {
      turns: Array<{ feedback: unknown }>;
    };
    expect(session.turns[0]?.feedback).toEqual({ rating: 'down', comment: 'Wrong quarter' });
    const trace = (await t.asTenant(key, { method: 'GET', url: `/api/traces/${sid}` })).json() as {
      events: Array<{ type: string; turn: number; output: unknown }>;
    };
    expect(trace.events.at(-1)).toMatchObject({
      type: 'feedback',
      turn: 1,
      output: { rating: 'down', comment: 'Wrong quarter' },
    });
    const summary = await t.services.analyst.feedbackSummary(
      (await import('../../src/store/paths.ts')).tenantScope(t.dataDir, key),
    );
    expect(summary).toMatchObject({ up: 0, down: 1, comments: [{ comment: 'Wrong quarter' }] });
  });

  it('offers the questionnaire after the fifth query until answered or dismissed', async () => {
    t = await buildAnalystApp({ engine: scripted() });
    const key = await t.createTenant();
    const get = async () => (await t.asTenant(key, { method: 'GET', url: '/api/questionnaire' })).json();
    expect(await get()).toEqual({ answers: null, offered: false });
    for (let i = 0; i < 5; i++) await t.services.tenants.recordQuery(key);
    expect(await get()).toEqual({ answers: null, offered: true });
    const saved = await t.asTenant(key, {
      method: 'POST',
      url: '/api/questionnaire',
      headers: json,
      payload: { first_impression: 'Fast', recommend: '9', recommend_why: 'Saves time', missing: '' },
    });
    expect(saved.json()).toEqual({
      answers: { first_impression: 'Fast', recommend: '9', recommend_why: 'Saves time' },
      offered: false,
    });
    expect(fs.existsSync(path.join(t.dataDir, key, 'questionnaire.json'))).toBe(true);
    expect(
      (await t.asTenant(key, { method: 'POST', url: '/api/questionnaire', headers: json, payload: { nope: 1 } }))
        .statusCode,
    ).toBe(400);

    const other = await t.createTenant();
    for (let i = 0; i < 6; i++) await t.services.tenants.recordQuery(other);
    const dismissed = await t.asTenant(other, {
      method: 'POST',
      url: '/api/questionnaire',
      headers: json,
      payload: { dismissed: true },
    });
    expect(dismissed.json()).toEqual({ answers: null, offered: false });
  });

  it('stops the turn when the SSE client goes away (Stop): saved as turn_cancelled, no tool runs, no query counted', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let toolRan = false;
    const engine = scripted({ beforeTool: () => gate });
    t = await buildAnalystApp({
      engine: {
        ...engine,
        run: (turn) =>
          engine.run({
            ...turn,
            ctx: {
              ...turn.ctx,
              emit: turn.ctx.emit,
              callTool: async (name, input) => {
                const r = await turn.ctx.callTool(name, input);
                toolRan ||= r.ok;
                return r;
              },
            },
          }),
      },
    });
    const key = await t.createTenant();
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    // A real client that reads the first event and then drops the connection.
    const first = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        `${address}/api/chat`,
        { method: 'POST', headers: { ...sse, authorization: `Bearer ${key}` } },
        (res) => {
          res.once('data', (chunk) => {
            req.destroy();
            resolve(String(chunk));
          });
        },
      );
      req.on('error', (err) => {
        if (!req.destroyed) reject(err);
      });
      req.end(JSON.stringify({ message: 'Hi' }));
    });
    const sid = String(sseEvents(first)[0]?.data.session_id);
    const scope0 = (await import('../../src/store/paths.ts')).tenantScope(t.dataDir, key);
    for (let i = 0; i < 50; i++) {
      const s = await t.services.analyst.sessions.get(scope0, sid);
      if (s?.turns[0]?.completed_at) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    await new Promise((r) => setTimeout(r, 50));
    const scope = (await import('../../src/store/paths.ts')).tenantScope(t.dataDir, key);
    for (let i = 0; i < 50; i++) {
      const s = await t.services.analyst.sessions.get(scope, sid);
      if (s?.turns[0]?.completed_at) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const saved = await t.services.analyst.sessions.get(scope, sid);
    expect(saved?.turns[0]).toMatchObject({ answer: '', error: { code: 'turn_cancelled' } });
    expect(toolRan).toBe(false);
    expect((await t.services.tenants.get(key))?.query_count).toBe(0);
  });
});
