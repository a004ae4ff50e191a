import fs from 'node:fs';
import path from 'node:path';
import MiniSearch, { type AsPlainObject } from 'minisearch';
import { readJson, writeFileAtomic } from '../store/atomic.ts';
import { KeyedMutex } from '../store/lock.ts';
import type { TenantScope } from '../store/paths.ts';
import type { Passage } from './passages.ts';

export interface SearchHit {
  document_id: string;
  document_name: string;
  locator: string;
  snippet: string;
  score: number;
}

/** Where the index learns which documents should be in it (for rebuilding a missing or stale one). */
export interface PassageSource {
  readyDocuments(scope: TenantScope): Promise<Array<{ id: string; name: string }>>;
  passages(scope: TenantScope, id: string): Promise<Passage[]>;
}

interface IndexedPassage {
  id: string;
  document_id: string;
  document_name: string;
  locator: string;
  text: string;
  heading: string;
}

/** Passage id → [document id, locator, text]: kept beside the index, read only for the top hits. */
type Stored = Record<string, [string, string, string]>;

interface IndexFile {
  version: number;
  docs: Record<string, { name: string; count: number }>;
  passages: Stored;
  index: AsPlainObject;
}

interface Loaded {
  mini: MiniSearch<IndexedPassage>;
  docs: Record<string, { name: string; count: number }>;
  passages: Map<string, [string, string, string]>;
}

const VERSION = 2;
export const SEARCH_INDEX_FILE = 'search-index.json';

/** Words too common to rank by (and to spend time scoring every passage for). */
const STOP_WORDS = new Set(
  'a an and are as at be by did do does for from had has have how i in is it its of on or our that the this to was we were what when where which who why will with you your'.split(
    ' ',
  ),
);

const OPTIONS = {
  fields: ['text', 'heading', 'document_name'],
  processTerm: (term: string) => {
    const t = term.toLowerCase();
    return STOP_WORDS.has(t) ? null : t;
  },
  // Nothing stored in the index: a broad query matches thousands of passages and each stored field
  // would be copied into every result; the top hits are looked up in `passages` instead.
  storeFields: [],
  searchOptions: {
    boost: { text: 2, heading: 1, document_name: 0.5 },
    prefix: (term: string) => term.length >= 4,
    fuzzy: (term: string) => (term.length >= 6 ? 0.15 : false),
    combineWith: 'OR' as const,
  },
  autoVacuum: false,
};

const fileOf = (scope: TenantScope) => path.join(scope.documentsDir, SEARCH_INDEX_FILE);

/**
 * One BM25 index (minisearch) per tenant over its ready documents' passages, kept in memory and
 * persisted to `documents/search-index.json` (atomic write). Missing, unreadable or stale (its
 * document set differs from the ready documents) → rebuilt from the documents' extracted passages.
 * Updates are serialized per tenant.
 */
export class SearchIndex {
  private readonly mutex = new KeyedMutex();
  private readonly cache = new Map<string, Loaded>();

  constructor(private readonly source: PassageSource) {}

  async add(scope: TenantScope, documentId: string, documentName: string, passages: Passage[]): Promise<void> {
    await this.mutex.run(scope.tenantId, async () => {
      const loaded = await this.load(scope, documentId);
      if (loaded.docs[documentId]) discardDoc(loaded, documentId);
      addDoc(loaded, documentId, documentName, passages);
      await persist(scope, loaded);
    });
  }

  async remove(scope: TenantScope, documentId: string): Promise<void> {
    await this.mutex.run(scope.tenantId, async () => {
      const loaded = await this.load(scope, documentId);
      if (!loaded.docs[documentId]) return;
      discardDoc(loaded, documentId);
      await persist(scope, loaded);
    });
  }

  async search(scope: TenantScope, query: string, limit: number): Promise<SearchHit[]> {
    const q = query.trim().slice(0, 500);
    if (!q) return [];
    const loaded = this.cache.get(scope.tenantId) ?? (await this.mutex.run(scope.tenantId, () => this.load(scope)));
    const results = loaded.mini.search(q);
    const hits: SearchHit[] = [];
    for (const r of results) {
      if (hits.length >= limit) break;
      const stored = loaded.passages.get(String(r.id));
      if (!stored) continue;
      const [documentId, locator, text] = stored;
      hits.push({
        document_id: documentId,
        document_name: loaded.docs[documentId]?.name ?? '',
        locator,
        snippet: snippet(text, r.terms),
        score: Math.round(r.score * 1000) / 1000,
      });
    }
    return hits;
  }

  /** Forget the in-memory copy (tests; another process changed the files). */
  forget(scope: TenantScope): void {
    this.cache.delete(scope.tenantId);
  }

  /** Callers hold the tenant's mutex. `pending`: a document being added or removed right now. */
  private async load(scope: TenantScope, pending?: string): Promise<Loaded> {
    const cached = this.cache.get(scope.tenantId);
    if (cached) return cached;
    const ready = await this.source.readyDocuments(scope);
    let loaded: Loaded | undefined;
    try {
      const file = await readJson<IndexFile>(fileOf(scope));
      if (file && file.version === VERSION) {
        const want = new Set(ready.map((d) => d.id).filter((id) => id !== pending));
        const have = Object.keys(file.docs).filter((id) => id !== pending);
        if (have.length === want.size && have.every((id) => want.has(id))) {
          loaded = {
            mini: MiniSearch.loadJS<IndexedPassage>(file.index, OPTIONS),
            docs: file.docs,
            passages: new Map(Object.entries(file.passages)),
          };
        }
      }
    } catch {
      // Unreadable: rebuilt below from the documents themselves.
    }
    if (!loaded) {
      loaded = { mini: new MiniSearch<IndexedPassage>(OPTIONS), docs: {}, passages: new Map() };
      for (const doc of ready) {
        if (doc.id === pending) continue;
        const passages = await this.source.passages(scope, doc.id).catch(() => []);
        addDoc(loaded, doc.id, doc.name, passages);
      }
      await fs.promises.mkdir(scope.documentsDir, { recursive: true });
      await persist(scope, loaded);
    }
    this.cache.set(scope.tenantId, loaded);
    return loaded;
  }
}

function addDoc(loaded: Loaded, documentId: string, documentName: string, passages: Passage[]): void {
  const indexed = passages.map((p, i) => toIndexed(documentId, documentName, p, i));
  loaded.mini.addAll(indexed);
  for (const p of indexed) loaded.passages.set(p.id, [documentId, p.locator, p.text]);
  loaded.docs[documentId] = { name: documentName, count: passages.length };
}

function discardDoc(loaded: Loaded, documentId: string): void {
  const count = loaded.docs[documentId]?.count ?? 0;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${documentId}:${i}`;
    if (loaded.mini.has(id)) ids.push(id);
    loaded.passages.delete(id);
  }
  loaded.mini.discardAll(ids);
  delete loaded.docs[documentId];
}

function toIndexed(documentId: string, documentName: string, p: Passage, i: number): IndexedPassage {
  return {
    id: `${documentId}:${i}`,
    document_id: documentId,
    document_name: documentName,
    locator: p.locator,
    text: p.text,
    heading: p.heading ?? '',
  };
}

async function persist(scope: TenantScope, loaded: Loaded): Promise<void> {
  const file: IndexFile = {
    version: VERSION,
    docs: loaded.docs,
    passages: Object.fromEntries(loaded.passages),
    index: loaded.mini.toJSON(),
  };
  // The index can be large: written without indentation (still atomically).
  await writeFileAtomic(fileOf(scope), JSON.stringify(file));
}

const SNIPPET = 220;

/** About 220 characters of the passage around the first matched term. */
export function snippet(text: string, terms: string[]): string {
  if (text.length <= SNIPPET) return text;
  const lower = text.toLowerCase();
  const at = terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0);
  const first = at.length ? Math.min(...at) : 0;
  const start = Math.max(0, Math.min(first - 60, text.length - SNIPPET));
  const end = Math.min(text.length, start + SNIPPET);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}
