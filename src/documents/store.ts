import fs from 'node:fs';
import path from 'node:path';
import type { MetricPoint } from '../graph/types.ts';
import { notFound } from '../lib/errors.ts';
import { readJson, writeJsonAtomic } from '../store/atomic.ts';
import { ID_PATTERN, type TenantScope } from '../store/paths.ts';
import type { Passage } from './passages.ts';
import type { DocumentRecord, ParsedDocument } from './types.ts';

/**
 * Files of the documents part, inside the tenant folder:
 * `documents/index.json` (metadata, newest first) · `documents/<id>/original` (the upload, byte for
 * byte) · `documents/<id>/extracted.json` (blocks, typed tables, points, passages) ·
 * `documents/search-index.json` · `documents/.incoming/` (uploads being received).
 */
export interface Extracted {
  document_id: string;
  parsed: ParsedDocument;
  points: MetricPoint[];
  passages: Passage[];
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
    points: path.join(dir, 'points.json'),
  };
}

export const incomingDir = (scope: TenantScope) => path.join(scope.documentsDir, '.incoming');

export async function readRecords(scope: TenantScope): Promise<DocumentRecord[]> {
  const file = await readJson<IndexFile>(path.join(scope.documentsDir, INDEX_FILE));
  return file?.documents ?? [];
}

export async function writeRecords(scope: TenantScope, documents: DocumentRecord[]): Promise<void> {
  const sorted = [...documents].sort((a, b) => b.uploaded_at.localeCompare(a.uploaded_at));
  await writeJsonAtomic(path.join(scope.documentsDir, INDEX_FILE), { documents: sorted } satisfies IndexFile);
}

export async function readExtracted(scope: TenantScope, id: string): Promise<Extracted | undefined> {
  return readJson<Extracted>(docPaths(scope, id).extracted);
}

export async function removeDir(dir: string): Promise<void> {
  await fs.promises.rm(dir, { recursive: true, force: true });
}
