import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/analyst/types.ts';
import { createLangfuseExporter, tenantLabel } from '../../src/traces/langfuse.ts';
import { type AnalystTestApp, buildAnalystApp } from '../analyst/app.ts';

interface Received {
  url: string;
  authorization: string | undefined;
  body: string;
}

async function startCollector(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const engine: Engine = {
  name: 'claude',
  model: 'claude-test',
  async run({ ctx }) {
    await ctx.callTool('list_metrics', {});
    ctx.emit({
      type: 'llm_call',
      model: 'claude-test',
      duration_ms: 4,
      tokens: { input: 11, output: 7 },
      cache: { write: 1831, read: 0 },
    });
    ctx.emit({
      type: 'llm_call',
      model: 'claude-test',
      duration_ms: 3,
      tokens: { input: 5, output: 2 },
      cache: { write: 0, read: 1831 },
    });
    return { answer: 'Forty-two.', citations: [], metrics: [], tokens: { input: 11, output: 7 } };
  },
};

const log = {
  warnings: [] as string[],
  warn(_o: object, msg: string) {
    this.warnings.push(msg);
  },
};
const json = { 'content-type': 'application/json', accept: 'application/json' };

describe('Langfuse export', () => {
  let t: AnalystTestApp | undefined;
  let collector: Awaited<ReturnType<typeof startCollector>> | undefined;
  afterEach(async () => {
    await t?.close();
    await collector?.close();
    t = undefined;
    collector = undefined;
  });

  it('exports one trace per turn with the project auth, tenant and session; feedback becomes a score', async () => {
    collector = await startCollector();
    const exporter = createLangfuseExporter(
      { publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', baseUrl: collector.url },
      log,
    );
    t = await buildAnalystApp({ engine, langfuse: exporter });
    const key = await t.createTenant('Acme Corp');
    const res = await t.asTenant(key, {
      method: 'POST',
      url: '/api/chat',
      headers: json,
      payload: { message: 'Meaning?' },
    });
    expect(res.statusCode).toBe(200);
    const sid = (res.json() as { session_id: string }).session_id;
    await exporter.shutdown();

    const exports = collector.received.filter((r) => r.url === '/api/public/otel/v1/traces');
    expect(exports.length).toBeGreaterThan(0);
    const expectedAuth = `Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`;
    expect(exports.every((r) => r.authorization === expectedAuth)).toBe(true);
    const body = exports.map((r) => r.body).join('\n');
    expect(body).toContain('resourceSpans');
    expect(body).toContain(sid);
    expect(body).toContain(tenantLabel(key));
    expect(body).toContain('acme_corp');
    expect(body).toContain('list_metrics');
    expect(body).toContain('claude-test');
    // Each generation's usage carries the prompt-cache tokens under Anthropic's names (priced as cached).
    const usages = [
      ...body.matchAll(/"langfuse\.observation\.usage_details","value":\{"stringValue":"((?:[^"\\]|\\.)*)"/g),
    ].map((m) => JSON.parse(JSON.parse(`"${m[1]}"`) as string) as Record<string, number>);
    expect(usages).toEqual(
      expect.arrayContaining([
        { input: 11, output: 7, cache_creation_input_tokens: 1831, cache_read_input_tokens: 0 },
        { input: 5, output: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 1831 },
      ]),
    );
    // The access key itself never leaves the server.
    expect(body).not.toContain(key);

    // Feedback is posted as a score on the turn's trace.
    const fb = await t.asTenant(key, {
      method: 'POST',
      url: '/api/feedback',
      headers: json,
      payload: { session_id: sid, turn: 1, rating: 'up', comment: 'great' },
    });
    expect(fb.statusCode).toBe(200);
    const score = collector.received.find((r) => r.url === '/api/public/scores');
    expect(score?.authorization).toBe(expectedAuth);
    expect(JSON.parse(score?.body ?? '{}')).toMatchObject({ name: 'user_feedback', value: 1, comment: 'great' });
    expect(JSON.parse(score?.body ?? '{}').traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('with the endpoint down the chat still answers and feedback still saves', async () => {
    collector = await startCollector();
    const deadUrl = collector.url;
    await collector.close();
    collector = undefined;
    const exporter = createLangfuseExporter({ publicKey: 'pk', secretKey: 'sk', baseUrl: deadUrl }, log, {
      exportMode: 'immediate',
      timeoutSeconds: 1,
    });
    t = await buildAnalystApp({ engine, langfuse: exporter });
    const key = await t.createTenant();
    const res = await t.asTenant(key, {
      method: 'POST',
      url: '/api/chat',
      headers: json,
      payload: { message: 'Meaning?' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ answer: 'Forty-two.' });
    const sid = (res.json() as { session_id: string }).session_id;
    const fb = await t.asTenant(key, {
      method: 'POST',
      url: '/api/feedback',
      headers: json,
      payload: { session_id: sid, turn: 1, rating: 'down' },
    });
    expect(fb.statusCode).toBe(200);
    await expect(exporter.shutdown()).resolves.toBeUndefined();
    // The failure was logged, not thrown.
    expect(log.warnings).toContain('Langfuse export failed');
    expect(log.warnings).toContain('Langfuse score export failed');
  });
});
