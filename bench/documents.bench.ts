/**
 * Documents: ingestion of a generated 10 MB CSV and a 100-page PDF, end to end through the document
 * service (stream to disk, detect, parse in the worker, type, extract, index), against the bare
 * parser alone (csv-parse; poppler's `pdftotext` where installed) — goal ≤ 2×; and search p95 over
 * 10,000 passages in one tenant — goal < 10 ms.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createDocumentService, type DocumentService } from '../src/documents/service.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { type TenantScope, tenantScope } from '../src/store/paths.ts';
import type { BenchRow } from './types.ts';

const WORDS =
  'revenue churn expansion hosting payroll renewal contract pipeline forecast runway margin customer enterprise seats pricing discount invoice support onboarding security compliance roadmap hiring board investor quarter annual budget'.split(
    ' ',
  );

/** A synthetic vocabulary with a Zipf-like spread (a few common words, many rare ones), like prose. */
function zipfText(seed: number, words: number): string {
  let x = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const rank = Math.floor(3000 ** ((x % 10_000) / 10_000));
    out.push(rank >= 20 && rank < 20 + WORDS.length ? WORDS[rank - 20]! : `w${rank.toString(36)}x`);
  }
  return out.join(' ');
}

function makeCsv(targetBytes: number): string {
  const header = 'Date,Account,Region,Plan,MRR,Seats,Discount,Invoice total,Hosting cost,Support tickets\n';
  const lines: string[] = [header];
  let size = header.length;
  let i = 0;
  while (size < targetBytes) {
    const d = new Date(Date.UTC(2020, 0, 1) + (i % 2000) * 86_400_000).toISOString().slice(0, 10);
    const line = `${d},Account ${i % 5000},${['EMEA', 'NA', 'APAC'][i % 3]},${['Starter', 'Growth', 'Enterprise'][i % 3]},"$${(1000 + (i % 977) * 13).toLocaleString('en-US')}",${i % 250},${i % 30}%,${(i * 7.31) % 100000},${(i * 3.7) % 5000},${i % 40}\n`;
    lines.push(line);
    size += line.length;
    i++;
  }
  return lines.join('');
}

async function makeBigPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([612, 792]);
    for (let l = 0; l < 45; l++) {
      const words = Array.from({ length: 12 }, (_, w) => WORDS[(p * 31 + l * 7 + w) % WORDS.length]).join(' ');
      page.drawText(`${p + 1}.${l + 1} ${words}`, { x: 40, y: 750 - l * 16, size: 10, font });
    }
  }
  return Buffer.from(await doc.save());
}

async function* one(filename: string, file: string) {
  yield { filename, stream: fs.createReadStream(file) };
}

async function ingest(docs: DocumentService, scope: TenantScope, filename: string, file: string): Promise<number> {
  const t0 = performance.now();
  const [doc] = await docs.upload(scope, one(filename, file));
  await docs.whenIdle(scope);
  const elapsed = performance.now() - t0;
  const record = await docs.getDocument(scope, doc!.id);
  if (record.status !== 'ready') throw new Error(`${filename}: ${record.error?.message}`);
  return elapsed;
}

async function bareCsv(file: string): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const _record of fs.createReadStream(file).pipe(parse({ relax_column_count: true }))) n++;
  if (n === 0) throw new Error('no rows');
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const ratioRow = (name: string, value: number, baseName: string, base: number): BenchRow => ({
  name,
  value,
  unit: 'ms',
  baseline: { name: baseName, value: base },
  ratio: value / base,
  goal: '≤ 2× the bare parser',
  pass: value / base <= 2,
});

export default async function bench(): Promise<BenchRow[]> {
  const root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-bench-docs-'));
  const clock = fixedClock('2026-07-01T10:00:00Z');
  const docs = createDocumentService({ config: { maxUploadMb: 25 }, clock, pool: { timeoutMs: 120_000 } });
  const rows: BenchRow[] = [];
  try {
    // Warm the parse worker (a running server keeps it warm).
    const warm = path.join(root, 'warm.csv');
    await fs.promises.writeFile(warm, 'Month,MRR\n2026-01,1\n');
    await ingest(docs, tenantScope(root, 'warm_AAAA0000'), 'warm.csv', warm);

    const csv = path.join(root, 'big.csv');
    await fs.promises.writeFile(csv, makeCsv(10 * 1024 * 1024));
    const bare = median([await bareCsv(csv), await bareCsv(csv), await bareCsv(csv)]);
    const ours: number[] = [];
    for (let i = 0; i < 3; i++) ours.push(await ingest(docs, tenantScope(root, `csv${i}_AAAA0000`), 'big.csv', csv));
    rows.push(ratioRow('ingest 10 MB CSV', median(ours), 'csv-parse alone', bare));

    const pdf = path.join(root, 'big.pdf');
    await fs.promises.writeFile(pdf, await makeBigPdf(100));
    const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
    const oursPdf: number[] = [];
    for (let i = 0; i < 3; i++) oursPdf.push(await ingest(docs, tenantScope(root, `pdf${i}_AAAA0000`), 'big.pdf', pdf));
    if (hasPdftotext) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        spawnSync('pdftotext', [pdf, path.join(root, 'out.txt')]);
        times.push(performance.now() - t0);
      }
      rows.push(ratioRow('ingest 100-page PDF', median(oursPdf), 'pdftotext', median(times)));
    } else {
      rows.push({ name: 'ingest 100-page PDF (pdftotext not installed)', value: median(oursPdf), unit: 'ms' });
    }

    // 10,000 passages: a text file of 10,000 paragraphs of 150 words (too long to share a passage).
    const scope = tenantScope(root, 'search_AAAA0000');
    const txt = path.join(root, 'notes.txt');
    const paras = Array.from({ length: 10_000 }, (_, i) => zipfText(i + 1, 150));
    await fs.promises.writeFile(txt, paras.join('\n\n'));
    await ingest(docs, scope, 'notes.txt', txt);
    const queries = [
      'hosting wa1x',
      'renewal contract w4fx',
      'runway',
      'enterprise seats pricing',
      'w3kx board quarter',
      'churn w2sx',
    ];
    for (const q of queries) await docs.search(scope, q, 10);
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await docs.search(scope, queries[i % queries.length]!, 10);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p95 = times[Math.floor(times.length * 0.95)]!;
    rows.push({ name: 'search p95 at 10,000 passages', value: p95, unit: 'ms', goal: '< 10 ms', pass: p95 < 10 });
    return rows;
  } finally {
    await docs.close();
    await fs.promises.rm(root, { recursive: true, force: true });
  }
}
