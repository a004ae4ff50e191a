/**
 * Resource isolation (issue 12), on a real server process with files made here:
 * - another tenant's GET /api/me latency (p50, p99, max) during one tenant's 23 MB text upload —
 *   goal p99 < 150 ms, max < 500 ms;
 * - a small file's time to ready behind another tenant's backlog (four 8 MB files) — goal < 5 s;
 * - the 300th upload (`?wait=true`, to ready) against the 10th, medians of ten around each — goal ≤ 2.5×;
 * - RSS before and after a 250-file corpus (Markdown, text, CSV, JSON; idle again) — goal < +150 MB.
 */
import fs from 'node:fs';
import {
  bigText,
  listDocs,
  makeDataDir,
  makeTenants,
  type ServerProcess,
  sampleLatency,
  settle,
  startServer,
  upload,
} from '../test/documents/server-process.ts';
import type { BenchRow } from './types.ts';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function corpusFile(i: number): { name: string; content: string } {
  const words = bigText(2_000 + (i % 7) * 1_500, i + 11);
  switch (i % 4) {
    case 0:
      return { name: `memo-${i}.md`, content: `# Memo ${i}\n\n${words.replace(/\n\n/g, '\n\n## Part\n\n')}` };
    case 1:
      return { name: `notes-${i}.txt`, content: words };
    case 2: {
      const rows = ['Month,MRR,Customers,Churn'];
      for (let m = 0; m < 24; m++)
        rows.push(
          `${2024 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')},${1000 + m * i},${10 + m},${(m % 5) + 1}%`,
        );
      return { name: `kpis-${i}.csv`, content: rows.join('\n') };
    }
    default:
      return {
        name: `data-${i}.json`,
        content: JSON.stringify({
          company: `Co ${i}`,
          rows: Array.from({ length: 12 }, (_, m) => ({
            month: `2025-${String(m + 1).padStart(2, '0')}`,
            arr: 12_000 + m * i,
          })),
        }),
      };
  }
}

async function idleRss(server: ServerProcess): Promise<number> {
  // Workers end after 10 s idle; give the collector a moment too.
  await sleep(12_000);
  return server.rssMb();
}

export default async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = await makeDataDir('opsorch-bench-iso-');
  const [heavy, light, many, corpus] = await makeTenants(dir, ['Heavy', 'Light', 'Many', 'Corpus']);
  let server = await startServer(dir);
  try {
    for (const k of [heavy, light, many, corpus]) await listDocs(server, k!);

    // 1. RSS around a 250-file corpus (first, on a fresh process).
    const before = await idleRss(server);
    for (let b = 0; b < 25; b++) {
      const files = Array.from({ length: 10 }, (_, j) => corpusFile(b * 10 + j));
      const res = await upload(server, corpus!, files);
      if (res.status !== 201) throw new Error(`corpus upload ${b}: ${res.status}`);
      await settle(server, corpus!, 120_000);
    }
    const peakCorpus = server.peakRssMb();
    const after = await idleRss(server);
    rows.push({
      name: 'RSS idle after a 250-file corpus',
      value: after,
      unit: 'MB',
      baseline: { name: 'idle before', value: before },
      ratio: after / before,
      goal: '< before + 150 MB',
      pass: after < before + 150,
    });
    rows.push({ name: 'RSS peak during the corpus', value: peakCorpus, unit: 'MB' });

    // 2. Another tenant's latency during a 23 MB upload.
    // Made before sampling starts (making it would stall this process, not the server).
    const big = Buffer.from(bigText(23 * MB));
    const probe = sampleLatency(server, light!);
    const res = await upload(server, heavy!, [{ name: 'big.txt', content: big }]);
    const docs = await settle(server, heavy!, 120_000);
    const lat = await probe.stop();
    if (res.status !== 201 || docs[0]?.status !== 'ready')
      throw new Error(`23 MB upload: ${res.status} ${docs[0]?.status}`);
    rows.push({ name: 'other tenant p50 during a 23 MB upload', value: lat.p50, unit: 'ms' });
    rows.push({
      name: 'other tenant p99 during a 23 MB upload',
      value: lat.p99,
      unit: 'ms',
      goal: '< 150 ms',
      pass: lat.p99 < 150,
    });
    rows.push({
      name: 'other tenant max during a 23 MB upload',
      value: lat.max,
      unit: 'ms',
      goal: '< 500 ms',
      pass: lat.max < 500,
    });
    rows.push({
      name: 'RSS peak during the 23 MB document',
      value: server.peakRssMb(),
      unit: 'MB',
      goal: '< 1,500 MB',
      pass: server.peakRssMb() < 1500,
    });

    // 3. A small file behind another tenant's backlog.
    const backlog = [1, 2, 3, 4].map((i) => ({
      name: `heavy-${i}.txt`,
      content: Buffer.from(bigText(8 * MB, i + 100)),
    }));
    await upload(server, heavy!, backlog);
    const t0 = performance.now();
    await upload(server, light!, [{ name: 'kpis.csv', content: 'Month,MRR\n2026-01,1000\n2026-02,1100\n' }]);
    let small = await listDocs(server, light!);
    while (small[0]?.status === 'processing' && performance.now() - t0 < 60_000) {
      await sleep(50);
      small = await listDocs(server, light!);
    }
    const toReady = performance.now() - t0;
    rows.push({
      name: 'small file ready behind a backlog',
      value: toReady,
      unit: 'ms',
      goal: '< 5,000 ms',
      pass: toReady < 5000 && small[0]?.status === 'ready',
    });
    await settle(server, heavy!, 180_000);

    // 4. Upload cost against the documents a tenant already holds (fresh process: nothing cached).
    await server.stop('SIGTERM');
    server = await startServer(dir);
    await listDocs(server, many!);
    const times: number[] = [];
    for (let i = 1; i <= 300; i++) {
      const md = `# Update ${i}\n\nCustomer ${i} renewed; pipeline w${i}x grew.\n\n${bigText(6_000, i)}`;
      const u0 = performance.now();
      const r = await upload(server, many!, [{ name: `update-${i}.md`, content: md }], true);
      times.push(performance.now() - u0);
      if (r.status !== 201) throw new Error(`upload ${i}: ${r.status}`);
    }
    const at10 = median(times.slice(5, 15));
    const at300 = median(times.slice(290, 300));
    rows.push({
      name: '300th upload (to ready)',
      value: at300,
      unit: 'ms',
      baseline: { name: '10th upload', value: at10 },
      ratio: at300 / at10,
      goal: '≤ 2.5× the 10th',
      pass: at300 <= 2.5 * at10,
    });
    return rows;
  } finally {
    await server.stop();
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
