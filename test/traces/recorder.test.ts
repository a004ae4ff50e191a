import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { tenantScope } from '../../src/store/paths.ts';
import { createTurnRecorder } from '../../src/traces/recorder.ts';
import { appendTraceEvent, listTraces, readTrace } from '../../src/traces/store.ts';
import { tempDir } from '../analyst/fakes.ts';

const KEY = 'acme_A1B2C3D4';
const SESSION = 'ses_tracetest0001';

describe('decision traces', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('appends a turn as whole JSON lines in recording order, stamped with ts, session and turn', async () => {
    const scope = tenantScope(tmp.dir, KEY);
    const seen: string[] = [];
    const recorder = createTurnRecorder({
      scope,
      sessionId: SESSION,
      turn: 2,
      clock: fixedClock('2026-01-10T12:00:00Z'),
      observers: [
        {
          event: (e) => {
            seen.push(e.type);
            if (e.type === 'plan') throw new Error('observer bug');
          },
          end: () => undefined,
        },
      ],
    });
    recorder.record({ type: 'user_message', input: 'What was MRR?' });
    recorder.record({ type: 'plan', output: 'get MRR' });
    recorder.record({ type: 'tool_call', id: 'call_1', name: 'get_metric', input: { metric: 'mrr' } });
    recorder.record({
      type: 'tool_result',
      id: 'call_1',
      name: 'get_metric',
      ok: true,
      output: { v: 1 },
      duration_ms: 3,
    });
    recorder.record({
      type: 'answer',
      output: { answer: 'MRR was 1' },
      tokens: { input: 0, output: 0 },
      engine: 'local',
    });
    await recorder.flush();

    const file = scope.traceFile(SESSION);
    expect(file.endsWith(`${KEY}/traces/session_${SESSION}.jsonl`)).toBe(true);
    const lines = (await fs.promises.readFile(file, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    const events = lines.filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.type)).toEqual(['user_message', 'plan', 'tool_call', 'tool_result', 'answer']);
    expect(events.every((e) => e.ts === '2026-01-10T12:00:00Z' && e.session_id === SESSION && e.turn === 2)).toBe(true);
    // A failing observer (the exporter) never stops the trace.
    expect(seen).toHaveLength(5);
  });

  it('skips a torn last line when reading and repairs it before the next append', async () => {
    const scope = tenantScope(tmp.dir, KEY);
    const base = { ts: '2026-01-10T12:00:00Z', session_id: SESSION, turn: 1 };
    await appendTraceEvent(scope, { ...base, type: 'user_message', input: 'q1' });
    // A writer killed mid-append leaves half a line.
    await fs.promises.appendFile(scope.traceFile(SESSION), '{"ts":"2026-01-10T12:00:00Z","type":"ans');
    expect((await readTrace(scope, SESSION))?.map((e) => e.type)).toEqual(['user_message']);

    await appendTraceEvent(scope, { ...base, type: 'answer', output: { answer: 'a1' } });
    const text = await fs.promises.readFile(scope.traceFile(SESSION), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(text).not.toContain('"type":"ans"');
    expect((await readTrace(scope, SESSION))?.map((e) => e.type)).toEqual(['user_message', 'answer']);
  });

  it('lists sessions with counts, newest first; an unknown or malformed session id has no trace', async () => {
    const scope = tenantScope(tmp.dir, KEY);
    await appendTraceEvent(scope, {
      ts: '2026-01-01T00:00:00Z',
      session_id: 'ses_older000000001',
      turn: 1,
      type: 'user_message',
    });
    await appendTraceEvent(scope, {
      ts: '2026-01-02T00:00:00Z',
      session_id: 'ses_newer000000001',
      turn: 1,
      type: 'user_message',
    });
    await appendTraceEvent(scope, {
      ts: '2026-01-03T00:00:00Z',
      session_id: 'ses_newer000000001',
      turn: 1,
      type: 'answer',
    });
    const list = await listTraces(scope);
    expect(list).toEqual([
      {
        session_id: 'ses_newer000000001',
        events: 2,
        started_at: '2026-01-02T00:00:00Z',
        last_at: '2026-01-03T00:00:00Z',
      },
      {
        session_id: 'ses_older000000001',
        events: 1,
        started_at: '2026-01-01T00:00:00Z',
        last_at: '2026-01-01T00:00:00Z',
      },
    ]);
    expect(await readTrace(scope, 'ses_unknown0000001')).toBeUndefined();
    expect(await readTrace(scope, '../../etc/passwd')).toBeUndefined();
    expect(await listTraces(tenantScope(tmp.dir, 'beta_E5F6G7H8'))).toEqual([]);
  });
});
