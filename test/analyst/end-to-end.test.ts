import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tenantScope } from '../../src/store/paths.ts';
import { type AnalystTestApp, buildAnalystApp, sseEvents } from './app.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/northwind');

async function* files(names: string[]) {
  for (const name of names) yield { filename: name, stream: fs.createReadStream(path.join(FIXTURES, name)) };
}

/**
 * The whole path with the real services and the default engine (no key → local): documents uploaded,
 * a question asked over HTTP, an answer with a source, and the turn's decision trace.
 */
describe('chat end to end with the default engine', () => {
  let t: AnalystTestApp;
  afterEach(async () => {
    await t?.close();
  });

  it('answers a metric question from uploaded documents with a source and a trace', async () => {
    t = await buildAnalystApp();
    expect(t.services.analyst.engine.name).toBe('local');
    const key = await t.createTenant('Northwind Analytics');
    const scope = tenantScope(t.dataDir, key);
    await t.services.documents.upload(scope, files(['northwind_metrics_2024-2026.csv']));
    await t.services.documents.whenIdle(scope);

    const res = await t.asTenant(key, {
      method: 'POST',
      url: '/api/chat',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      payload: { message: 'What was our MRR at the end of June 2026?' },
    });
    expect(res.statusCode).toBe(200);
    const events = sseEvents(res.body);
    expect(events.map((e) => e.event).at(-1)).toBe('done');
    const answer = events.find((e) => e.event === 'answer')?.data as {
      answer: string;
      citations: unknown[];
      engine: string;
      session_id: string;
    };
    expect(answer.engine).toBe('local');
    expect(answer.answer.replace(/[,\s]/g, '')).toMatch(/1095472|1\.10M|1\.1M/);
    expect(answer.citations.length).toBeGreaterThan(0);

    const trace = (await t.asTenant(key, { method: 'GET', url: `/api/traces/${answer.session_id}` })).json() as {
      events: Array<{ type: string }>;
    };
    const types = trace.events.map((e) => e.type);
    expect(types[0]).toBe('user_message');
    expect(types).toContain('tool_call');
    expect(types.at(-1)).toBe('answer');
  }, 20_000);
});
