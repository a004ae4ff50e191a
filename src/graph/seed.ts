import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJson, writeFileAtomic } from '../store/atomic.ts';
import { globalPaths } from '../store/paths.ts';
import type { SeedGraph } from './seed-types.ts';

/** The seed graph shipped in the repository (`npm run seed:build` writes it). */
export const SHIPPED_SEED_GRAPH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'data',
  'seed_graph.json',
);

/**
 * Installs the shipped seed graph as `DATA_DIR/_global/seed_graph.json` when it is missing, unreadable as a
 * seed graph of an older schema, or built from other content (a different hash): the shipped file is the
 * truth and nothing else ever writes the installed one. Returns what is installed now.
 */
export async function installSeedGraph(
  dataDir: string,
  shippedFile = SHIPPED_SEED_GRAPH,
): Promise<{ file: string; installed: boolean; version: string }> {
  const shipped = await readJson<SeedGraph>(shippedFile, 'Rebuild it with `npm run seed:build`.');
  if (!shipped?.hash) throw new Error(`the shipped seed graph ${shippedFile} is missing; run \`npm run seed:build\``);
  const file = globalPaths(dataDir).seedGraphFile;
  let current: Pick<SeedGraph, 'hash' | 'schema_version'> | undefined;
  try {
    current = await readJson<SeedGraph>(file);
  } catch {
    // A damaged installed copy is replaced from the shipped one: it is derived data, never edited by hand.
    current = undefined;
  }
  if (current && current.hash === shipped.hash && current.schema_version >= shipped.schema_version) {
    return { file, installed: false, version: shipped.version };
  }
  await writeFileAtomic(file, await fs.promises.readFile(shippedFile));
  return { file, installed: true, version: shipped.version };
}

const cache = new Map<string, Readonly<SeedGraph>>();

/** Loads the installed seed graph once per file, deep-frozen so no caller can change it. */
export async function loadSeedGraph(file: string): Promise<Readonly<SeedGraph>> {
  const hit = cache.get(file);
  if (hit) return hit;
  const graph = await readJson<SeedGraph>(file, 'Restart the server to reinstall it from data/seed_graph.json.');
  if (!graph) throw new Error(`seed graph not installed at ${file}`);
  const frozen = deepFreeze(graph);
  cache.set(file, frozen);
  return frozen;
}

/** Install (if needed) and load: what the server calls at start. */
export async function openSeedGraph(dataDir: string, shippedFile = SHIPPED_SEED_GRAPH): Promise<Readonly<SeedGraph>> {
  const { file, installed } = await installSeedGraph(dataDir, shippedFile);
  if (installed) cache.delete(file);
  return loadSeedGraph(file);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
