import fs from 'node:fs';
import path from 'node:path';
import type { TenantScope } from '../store/paths.ts';

export interface DiskUsage {
  documents: number;
  sessions: number;
  bytes: number;
}

/**
 * What a tenant has on disk: documents (entries of `documents/index.json` when the documents module
 * keeps one, otherwise the entries of `documents/`), sessions (`traces/session_*.jsonl`) and the total
 * size of the folder. A missing folder (e.g. purged) is all zeros.
 */
export async function diskUsageOf(scope: TenantScope): Promise<DiskUsage> {
  return {
    documents: await countDocuments(scope.documentsDir),
    sessions: (await list(scope.tracesDir)).filter((n) => /^session_.+\.jsonl$/.test(n)).length,
    bytes: await folderBytes(scope.dir),
  };
}

async function countDocuments(dir: string): Promise<number> {
  try {
    const parsed = JSON.parse(await fs.promises.readFile(path.join(dir, 'index.json'), 'utf8')) as unknown;
    if (Array.isArray(parsed)) return parsed.length;
    const docs = (parsed as { documents?: unknown })?.documents;
    if (Array.isArray(docs)) return docs.length;
    if (docs && typeof docs === 'object') return Object.keys(docs).length;
  } catch {
    // No index (or one we cannot read): fall back to counting entries.
  }
  return (await list(dir)).filter((n) => !n.startsWith('.') && n !== 'index.json').length;
}

async function list(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch {
    return [];
  }
}

async function folderBytes(dir: string): Promise<number> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) total += await folderBytes(full);
    else if (e.isFile()) total += (await fs.promises.stat(full).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
