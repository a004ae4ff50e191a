/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the command line), prints one
 * table and writes the figures to `bench/results/latest.json` (the path the README names).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchRow } from './types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

// The machine may be shared: its load before and after is written with the figures.
const loadBefore = os.loadavg();
const results: Record<string, BenchRow[]> = {};
for (const file of files) {
  const suite = file.replace(/\.bench\.ts$/, '');
  process.stderr.write(`running ${suite} …\n`);
  const mod = (await import(path.join(here, file))) as { default: Bench };
  results[suite] = await mod.default();
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3));
const lines = [['suite', 'figure', 'value', 'baseline', 'ratio', 'goal', 'ok'].join(' | ')];
for (const [suite, rows] of Object.entries(results)) {
  for (const r of rows) {
    lines.push(
      [
        suite,
        r.name,
        `${fmt(r.value)} ${r.unit}`,
        r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)} ${r.unit}` : '',
        r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
        r.goal ?? '',
        r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
      ].join(' | '),
    );
  }
}
console.log(lines.join('\n'));

const out = path.join(here, 'results', 'latest.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
const previous = fs.existsSync(out)
  ? (JSON.parse(fs.readFileSync(out, 'utf8')) as { suites?: Record<string, BenchRow[]> })
  : {};
const merged = { ...(previous.suites ?? {}), ...results };
// Suites not run this time keep their earlier figures; the load is this run's (the suites in `ran`).
const written = {
  written_at: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  ran: Object.keys(results),
  load_average: { before: loadBefore.map(round2), after: os.loadavg().map(round2) },
  suites: merged,
};
fs.writeFileSync(out, `${JSON.stringify(written, null, 2)}\n`);
console.log(
  `\nload average (1, 5, 15 min): before ${loadBefore.map(round2).join(', ')}, after ${os.loadavg().map(round2).join(', ')} on ${os.cpus().length} cpus`,
);
console.log(`\nresults written to ${path.relative(process.cwd(), out)}`);
