import fs from 'node:fs';
import path from 'node:path';
import type { MetricPoint } from '../graph/types.ts';
import { notFound } from '../lib/errors.ts';
import { readJson, writeJsonAtomic } from '../store/atomic.ts';
import { ID_PATTERN, type TenantScope } from '../store/paths.ts';
import type { Passage } from './passages.ts';
import type { RecordListSpec } from './records/types.ts';
import { pgMaterializeExtracted, pgReadRecords } from './store-pg.ts';
import type { DocumentRecord, ParsedDocument } from './types.ts';

/**
 * Files of the documents part, inside the tenant folder:
 * `documents/index.json` (metadata, newest first) · `documents/<id>/original` (the upload, byte for
 * byte) · `documents/<id>/extracted.json` (preview blocks, typed tables, points) ·
 * `documents/search.sqlite` (the search index) · `documents/.incoming/` (uploads being received).
 */
export interface Extracted {
  document_id: string;
  /** Blocks: the first 50 only (the preview); the whole text is in the search index. */
  parsed: ParsedDocument;
  points: MetricPoint[];
  /** Tables read as lists of customers or deals (absent in extractions made before record lists). */
  records?: RecordListSpec[];
  /** How many text blocks the document had. */
  blocks_total?: number;
  /** Only in extractions written before the SQLite index (read once, to migrate). */
  passages?: Passage[];
}

interface IndexFile {
  documents: DocumentRecord[];
}

export const INDEX_FILE = 'index.json';

export function docPaths(scope: TenantScope, id: string) {
  if (!ID_PATTERN.test(id)) throw notFound('No such document.', 'document_not_found');
  const dir = path.join(scope.documentsDir, id);
  return {
    dir,
    original: path.join(dir, 'original'),
    extracted: path.join(dir, 'extracted.json'),
    preview: path.join(dir, 'preview.json'),
    points: path.join(dir, 'points.json'),
  };
}

export const incomingDir = (scope: TenantScope) => path.join(scope.documentsDir, '.incoming');

export async function readRecords(scope: TenantScope): Promise<DocumentRecord[]> {
  if (scope.db) return pgReadRecords(scope);
  const file = await readJson<IndexFile>(path.join(scope.documentsDir, INDEX_FILE));
  return file?.documents ?? [];
}

/**
 * What the tenant's documents take on disk, as TENANT_QUOTA_MB counts it: each document's original
 * plus its extraction (`stored_bytes`, or the upload size while processing) plus the search index.
 */
export async function storedBytesOf(scope: TenantScope, docs?: DocumentRecord[]): Promise<number> {
  let total = 0;
  for (const d of docs ?? (await readRecords(scope))) total += d.stored_bytes ?? d.size;
  // The index file itself; its `-wal` journal is transient (folded back at checkpoints) and not counted.
  total += (await fs.promises.stat(path.join(scope.documentsDir, 'search.sqlite')).catch(() => undefined))?.size ?? 0;
  return total;
}

export async function writeRecords(scope: TenantScope, documents: DocumentRecord[]): Promise<void> {
  const sorted = [...documents].sort((a, b) => b.uploaded_at.localeCompare(a.uploaded_at));
  await writeJsonAtomic(path.join(scope.documentsDir, INDEX_FILE), { documents: sorted } satisfies IndexFile);
}

/**
 * A document's extraction never changes once written (ids are never reused), so extractions read are
 * kept in memory, least recently used dropped first, up to a budget in bytes of their files: the
 * analyst reads every ready document's tables, records or points on each question, and a count-based
 * cache smaller than a tenant's documents was emptied by each such pass (300 files read from disk per
 * question). Large ones are not kept.
 */
const CACHE_BUDGET_BYTES = 32 * 1024 * 1024;
const CACHE_MAX_BYTES = 4 * 1024 * 1024;
const cache = new Map<string, { extracted: Extracted; bytes: number }>();
let cachedBytes = 0;

function uncache(file: string): void {
  const entry = cache.get(file);
  if (!entry) return;
  cache.delete(file);
  cachedBytes -= entry.bytes;
}

export async function readExtracted(scope: TenantScope, id: string): Promise<Extracted | undefined> {
  const file = docPaths(scope, id).extracted;
  const hit = cache.get(file);
  if (hit) {
    cache.delete(file);
    cache.set(file, hit);
    return hit.extracted;
  }
  // With PostgreSQL this folder is a cache: an extraction made by another instance is fetched once.
  if (scope.db && !(await pgMaterializeExtracted(scope, id, file))) return undefined;
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat) return undefined;
  const extracted = await readJson<Extracted>(file);
  if (extracted && stat.size <= CACHE_MAX_BYTES) {
    uncache(file);
    cache.set(file, { extracted, bytes: stat.size });
    cachedBytes += stat.size;
    while (cachedBytes > CACHE_BUDGET_BYTES) uncache(cache.keys().next().value as string);
  }
  return extracted;
}

/** Drop a document's cached extraction (it was deleted or failed). */
export function forgetExtracted(scope: TenantScope, id: string): void {
  uncache(docPaths(scope, id).extracted);
}

export async function removeDir(dir: string): Promise<void> {
  await fs.promises.rm(dir, { recursive: true, force: true });
}
