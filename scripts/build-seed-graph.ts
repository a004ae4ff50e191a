import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSeedGraph } from '../src/graph/seed-build.ts';
import type { BenchmarkRow } from '../src/graph/seed-types.ts';
import { writeFileAtomic } from '../src/store/atomic.ts';

/**
 * `npm run seed:build [-- <path/to/saas_benchmarks.json>]`
 *
 * Copies the benchmark source (the JSON and the Markdown beside it) into `data/benchmarks/` when a path is
 * given or when the copy is missing, then builds `data/seed_graph.json` from the copy — so nothing at run
 * time depends on a folder outside the project.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const copyDir = path.join(root, 'data', 'benchmarks');
const copyJson = path.join(copyDir, 'saas_benchmarks.json');
const defaultSource = path.resolve(root, '..', 'shared', 'data', 'saas_benchmarks.json');

async function main(): Promise<void> {
  const given = process.argv[2];
  const source = given ? path.resolve(given) : fs.existsSync(copyJson) ? undefined : defaultSource;
  if (source) {
    if (!fs.existsSync(source)) throw new Error(`benchmark source not found: ${source}`);
    await writeFileAtomic(copyJson, await fs.promises.readFile(source));
    const md = source.replace(/\.json$/, '.md');
    if (fs.existsSync(md))
      await writeFileAtomic(path.join(copyDir, 'saas_benchmarks.md'), await fs.promises.readFile(md));
    console.log(`copied ${source} → ${path.relative(root, copyJson)}`);
  }
  const rows = JSON.parse(await fs.promises.readFile(copyJson, 'utf8')) as BenchmarkRow[];
  if (!Array.isArray(rows)) throw new Error(`${copyJson} is not a JSON array of benchmark rows`);
  const graph = buildSeedGraph(rows, 'data/benchmarks/saas_benchmarks.json');
  const out = path.join(root, 'data', 'seed_graph.json');
  await writeFileAtomic(out, `${JSON.stringify(graph, null, 1)}\n`);
  // Checked-in files: readable by everyone (the atomic writer creates private files).
  for (const f of [out, copyJson, path.join(copyDir, 'saas_benchmarks.md')])
    if (fs.existsSync(f)) await fs.promises.chmod(f, 0o644);
  const verified = graph.benchmarks.filter((b) => b.verified).length;
  console.log(
    `wrote ${path.relative(root, out)}: ${graph.metrics.length} metrics, ${graph.segments.length} segments, ` +
      `${graph.benchmarks.length} benchmarks (${verified} verified), ${graph.edges.length} edges, version ${graph.version}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
