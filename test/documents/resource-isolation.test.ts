/**
 * Issue 12 on a real server process: one tenant's large uploads must not slow, freeze or crash the
 * server for another. The files are made here (prose-like text of 8–23 MB). Bounds are generous so
 * a busy CI machine passes; they catch the pathological case (the 27 s stall, the crash, the crash
 * loop, the 42 s wait). `npm run bench` measures the real figures (bench/isolation.bench.ts).
 */
import fs from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import {
  auth,
  bigText,
  listDocs,
  makeDataDir,
  makeTenants,
  type ServerProcess,
  sampleLatency,
  settle,
  startServer,
  upload,
} from './server-process.ts';

const MB = 1024 * 1024;
let servers: ServerProcess[] = [];
let dirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
  await Promise.all(dirs.map((d) => fs.promises.rm(d, { recursive: true, force: true })));
  dirs = [];
});

async function setup(names: string[], env: Record<string, string> = {}) {
  const dir = await makeDataDir();
  dirs.push(dir);
  const keys = await makeTenants(dir, names);
  const server = await startServer(dir, env);
  servers.push(server);
  // Warm both tenants' paths (a first request anywhere pays for JIT and caches).
  for (const key of keys) await listDocs(server, key);
  return { dir, keys, server };
}

describe('one tenant cannot slow, freeze or crash the server for the others', () => {
  test('during a 23 MB upload another tenant keeps answering quickly; the document becomes searchable', async () => {
    const { keys, server } = await setup(['Heavy', 'Light']);
    const [heavy, light] = keys as [string, string];
    // Made before sampling starts (making it would stall this process, not the server).
    const big = Buffer.from(bigText(23 * MB));
    const probe = sampleLatency(server, light);
    const res = await upload(server, heavy, [{ name: 'big.txt', content: big }]);
    expect(res.status).toBe(201);
    const docs = await settle(server, heavy, 90_000);
    const latency = await probe.stop();
    expect(docs.map((d) => d.status)).toEqual(['ready']);
    expect(latency.n).toBeGreaterThan(20);
    // The stall this guards against was 27 s; on a quiet machine p99 is tens of ms (see the bench).
    expect(latency.p99).toBeLessThan(1_000);
    expect(latency.max).toBeLessThan(3_000);
    expect(server.peakRssMb()).toBeLessThan(1_500);
    const search = await fetch(`${server.url}/api/search?q=renewal%20forecast`, { headers: auth(heavy) });
    expect(((await search.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
    // And nothing of it for the other tenant.
    const other = await fetch(`${server.url}/api/search?q=renewal%20forecast`, { headers: auth(light) });
    expect(((await other.json()) as { results: unknown[] }).results).toEqual([]);
  }, 150_000);

  test("another tenant's small file is ready at once behind a backlog", async () => {
    const { keys, server } = await setup(['Heavy', 'Light']);
    const [heavy, light] = keys as [string, string];
    const backlog = [1, 2, 3, 4].map((i) => ({ name: `heavy-${i}.txt`, content: bigText(8 * MB, i) }));
    expect((await upload(server, heavy, backlog)).status).toBe(201);
    const t0 = performance.now();
    const small = await upload(server, light, [
      { name: 'kpis.csv', content: 'Month,MRR\n2026-01,1000\n2026-02,1100\n' },
    ]);
    expect(small.status).toBe(201);
    let light1 = await listDocs(server, light);
    while (light1[0]?.status === 'processing' && performance.now() - t0 < 30_000) {
      await new Promise((r) => setTimeout(r, 100));
      light1 = await listDocs(server, light);
    }
    const waited = performance.now() - t0;
    expect(light1[0]?.status).toBe('ready');
    // It did not wait for the backlog: the heavy tenant still has documents to read.
    expect((await listDocs(server, heavy)).some((d) => d.status === 'processing')).toBe(true);
    expect(waited).toBeLessThan(10_000);
  }, 150_000);

  test('ten 17 MB files in one request: up and answering throughout, bounded memory, each ready or failed with a code', async () => {
    const { keys, server } = await setup(['Heavy', 'Light']);
    const [heavy, light] = keys as [string, string];
    const files = Array.from({ length: 10 }, (_, i) => ({ name: `part-${i}.txt`, content: bigText(17 * MB, i + 1) }));
    const res = await upload(server, heavy, files);
    expect(res.status).toBe(201);
    expect(res.body.documents).toHaveLength(10);
    let docs = await listDocs(server, heavy);
    const until = performance.now() + 300_000;
    while (docs.some((d) => d.status === 'processing') && performance.now() < until) {
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      expect((await fetch(`${server.url}/api/me`, { headers: auth(light) })).status).toBe(200);
      expect(server.rssMb()).toBeLessThan(1_500);
      await new Promise((r) => setTimeout(r, 500));
      docs = await listDocs(server, heavy);
    }
    for (const d of docs) {
      expect(['ready', 'failed']).toContain(d.status);
      if (d.status === 'failed') expect(d.error?.code).toMatch(/^[a-z_]+$/);
    }
    expect(server.peakRssMb()).toBeLessThan(1_500);
    expect(server.proc.exitCode).toBeNull();
  }, 360_000);

  test('SIGKILL during heavy processing: healthy again in < 15 s, interrupted documents retried once in the background, none left processing', async () => {
    const { dir, keys, server } = await setup(['Heavy', 'Light']);
    const [heavy, light] = keys as [string, string];
    const files = [1, 2, 3].map((i) => ({ name: `part-${i}.txt`, content: bigText(12 * MB, i) }));
    expect((await upload(server, heavy, files)).status).toBe(201);
    // Kill while parsing is under way (a fast machine finishes the first file within a second or two).
    await new Promise((r) => setTimeout(r, 300));
    expect((await listDocs(server, heavy)).filter((d) => d.status === 'processing').length).toBeGreaterThan(0);

    await server.stop('SIGKILL');
    const t0 = performance.now();
    const again = await startServer(dir);
    servers.push(again);
    expect((await fetch(`${again.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${again.url}/api/me`, { headers: auth(light) })).status).toBe(200);
    // Listing never waits on (or starts) reprocessing.
    const l0 = performance.now();
    await listDocs(again, heavy);
    expect(performance.now() - l0).toBeLessThan(2_000);
    expect(performance.now() - t0).toBeLessThan(15_000);

    const final = await settle(again, heavy, 240_000);
    expect(final).toHaveLength(3);
    for (const d of final) {
      expect(['ready', 'failed']).toContain(d.status);
      if (d.status === 'failed') expect(d.error?.code).toMatch(/^[a-z_]+$/);
    }
    expect(again.peakRssMb()).toBeLessThan(1_500);
  }, 300_000);
});
