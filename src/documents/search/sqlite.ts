import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { TenantScope } from '../../store/paths.ts';
import type { Passage } from '../passages.ts';
import { ftsQuery, queryTerms, snippet } from './query.ts';
import type { SearchHit, SearchIndex, SearchIndexStats } from './types.ts';

/** The tenant's index file, inside its folder (export and purge stay folder operations). */
export const SEARCH_DB_FILE = 'search.sqlite';
export const searchDbFile = (scope: TenantScope) => path.join(scope.documentsDir, SEARCH_DB_FILE);

/** Open databases kept at once (least recently used closed first): about 2 MB of page cache each. */
export const DEFAULT_MAX_HANDLES = 16;
/** Passages (or ~1 MB of text) written per transaction before the event loop gets a turn. */
const BATCH_PASSAGES = 300;
const BATCH_CHARS = 400_000;
/** After a remove: FTS5 merge work per step (pages) and steps at most. */
const MERGE_PAGES = 200;
const MERGE_STEPS = 50;

const RANK = 'bm25(2.0, 1.0, 0.5)';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, name TEXT NOT NULL, passages INTEGER NOT NULL, chars INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS passages (id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, locator TEXT NOT NULL, heading TEXT NOT NULL, name TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS passages_doc ON passages (doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (text, heading, name, content='', tokenize='porter unicode61 remove_diacritics 2');
`;

interface Handle {
  db: Database.Database;
  file: string;
  /** Calls in progress (a busy handle is never closed by the LRU). */
  busy: number;
  insertPassage: Database.Statement<[string, string, string, string, string]>;
  insertFts: Database.Statement<[number | bigint, string, string, string]>;
  upsertDoc: Database.Statement<[string, string, number, number]>;
  deleteDoc: Database.Statement<[string]>;
  deleteFts: Database.Statement<[number, string, string, string]>;
  deletePassage: Database.Statement<[number]>;
  rowsOf: Database.Statement<[string, number], { id: number; text: string; heading: string; name: string }>;
  /** The best rows by rank (FTS5 sorts inside the index: cheaper than joining every match first). */
  top: Database.Statement<[string, number], { id: number; rank: number }>;
  passage: Database.Statement<
    [number],
    { document_id: string; document_name: string; locator: string; text: string } | undefined
  >;
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * SQLite FTS5 through better-sqlite3: one database per tenant at `documents/search.sqlite` (WAL, so
 * searches read while a parse worker writes). Passage text lives in a plain table; the FTS5 table
 * is contentless (a row is removed by handing its indexed values back, which costs what adding did),
 * tokenized with Porter stemming over unicode61. Ranking is FTS5's `bm25()` with column weights.
 * Handles are kept in an LRU of `maxHandles`.
 */
export class SqliteSearchIndex implements SearchIndex {
  private readonly handles = new Map<string, Handle>();
  private readonly maxHandles: number;

  constructor(opts: { maxHandles?: number } = {}) {
    this.maxHandles = Math.max(1, opts.maxHandles ?? DEFAULT_MAX_HANDLES);
  }

  async add(scope: TenantScope, doc: { id: string; name: string }, passages: Passage[]): Promise<void> {
    await this.remove(scope, doc.id);
    await this.using(scope, async (h) => {
      let i = 0;
      let chars = 0;
      while (i < passages.length) {
        h.db.transaction(() => {
          let batchChars = 0;
          for (let n = 0; i < passages.length && n < BATCH_PASSAGES && batchChars < BATCH_CHARS; n++, i++) {
            const p = passages[i]!;
            const heading = p.heading ?? '';
            const { lastInsertRowid } = h.insertPassage.run(doc.id, p.locator, heading, doc.name, p.text);
            h.insertFts.run(lastInsertRowid, p.text, heading, doc.name);
            batchChars += p.text.length;
          }
          chars += batchChars;
        })();
        if (i < passages.length) await yieldNow();
      }
      // Visible to search only now (search joins on `docs`).
      h.upsertDoc.run(doc.id, doc.name, passages.length, chars);
    });
  }

  async remove(scope: TenantScope, documentId: string): Promise<void> {
    if (!fs.existsSync(searchDbFile(scope))) return;
    await this.using(scope, async (h) => {
      h.deleteDoc.run(documentId);
      for (;;) {
        const rows = h.rowsOf.all(documentId, BATCH_PASSAGES);
        if (!rows.length) break;
        h.db.transaction(() => {
          for (const r of rows) {
            // A contentless FTS5 row is deleted by giving back the values it was indexed with.
            h.deleteFts.run(r.id, r.text, r.heading, r.name);
            h.deletePassage.run(r.id);
          }
        })();
        await yieldNow();
      }
      // Fold the deletions into the index a bounded step at a time (a full 'optimize' would hold the
      // loop for as long as the whole index takes), then give the freed pages back to the disk.
      for (let step = 0; step < MERGE_STEPS; step++) {
        const before = h.db.prepare('SELECT total_changes() AS n').get() as { n: number };
        h.db.prepare("INSERT INTO fts (fts, rank) VALUES ('merge', ?)").run(MERGE_PAGES);
        const after = h.db.prepare('SELECT total_changes() AS n').get() as { n: number };
        await yieldNow();
        if (after.n - before.n <= 1) break;
      }
      while ((h.db.pragma('freelist_count', { simple: true }) as number) > 0) {
        h.db.pragma('incremental_vacuum(500)');
        await yieldNow();
      }
      h.db.pragma('wal_checkpoint(TRUNCATE)');
    });
  }

  async search(scope: TenantScope, query: string, limit: number): Promise<SearchHit[]> {
    const terms = queryTerms(query);
    if (!terms.length || !fs.existsSync(searchDbFile(scope))) return [];
    const want = Math.max(1, limit);
    return this.using(scope, async (h) => {
      const hits: SearchHit[] = [];
      // A few more than asked: rows of a document still being added (no `docs` row yet) are skipped.
      for (const { id, rank } of h.top.all(ftsQuery(terms), want * 2 + 10)) {
        const p = h.passage.get(id);
        if (!p) continue;
        hits.push({
          document_id: p.document_id,
          document_name: p.document_name,
          locator: p.locator,
          snippet: snippet(p.text, terms),
          text: p.text.length > 2000 ? p.text.slice(0, 2000) : p.text,
          // FTS5's bm25() is negative, lower is better.
          score: Number((-rank).toPrecision(4)),
        });
        if (hits.length >= want) break;
      }
      return hits;
    });
  }

  async passages(scope: TenantScope, documentId: string, limit: number): Promise<Passage[]> {
    if (!fs.existsSync(searchDbFile(scope))) return [];
    return this.using(scope, async (h) =>
      (
        h.db
          .prepare('SELECT locator, heading, text FROM passages WHERE doc_id = ? ORDER BY id LIMIT ?')
          .all(documentId, Math.max(1, limit)) as Array<{ locator: string; heading: string; text: string }>
      ).map((r) =>
        r.heading ? { locator: r.locator, heading: r.heading, text: r.text } : { locator: r.locator, text: r.text },
      ),
    );
  }

  async documentIds(scope: TenantScope): Promise<string[]> {
    if (!fs.existsSync(searchDbFile(scope))) return [];
    return this.using(scope, async (h) =>
      (h.db.prepare('SELECT id FROM docs ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id),
    );
  }

  async stats(scope: TenantScope): Promise<SearchIndexStats> {
    const file = searchDbFile(scope);
    if (!fs.existsSync(file)) return { documents: 0, passages: 0, bytes: 0 };
    const counts = await this.using(
      scope,
      async (h) =>
        h.db.prepare('SELECT count(*) AS documents, coalesce(sum(passages), 0) AS passages FROM docs').get() as {
          documents: number;
          passages: number;
        },
    );
    return { ...counts, bytes: dbBytes(file) };
  }

  async release(scope: TenantScope): Promise<void> {
    const file = searchDbFile(scope);
    const h = this.handles.get(file);
    if (h && h.busy === 0) {
      this.handles.delete(file);
      h.db.close();
    }
  }

  async close(): Promise<void> {
    for (const h of this.handles.values()) if (h.db.open) h.db.close();
    this.handles.clear();
  }

  /** Open handles (tests and the operator's stats). */
  get openHandles(): number {
    return this.handles.size;
  }

  private async using<T>(scope: TenantScope, fn: (h: Handle) => Promise<T>): Promise<T> {
    const h = this.open(scope);
    h.busy++;
    try {
      return await fn(h);
    } finally {
      h.busy--;
      this.evict();
    }
  }

  private open(scope: TenantScope): Handle {
    const file = searchDbFile(scope);
    const cached = this.handles.get(file);
    if (cached) {
      this.handles.delete(file);
      this.handles.set(file, cached);
      return cached;
    }
    fs.mkdirSync(scope.documentsDir, { recursive: true });
    let db: Database.Database;
    try {
      db = openDb(file);
    } catch (err) {
      // Not a database, or damaged: start afresh (the documents service re-adds what is missing).
      if (!isCorrupt(err)) throw err;
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      db = openDb(file);
    }
    const h: Handle = {
      db,
      file,
      busy: 0,
      insertPassage: db.prepare('INSERT INTO passages (doc_id, locator, heading, name, text) VALUES (?, ?, ?, ?, ?)'),
      insertFts: db.prepare('INSERT INTO fts (rowid, text, heading, name) VALUES (?, ?, ?, ?)'),
      upsertDoc: db.prepare(
        'INSERT INTO docs (id, name, passages, chars) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, passages = excluded.passages, chars = excluded.chars',
      ),
      deleteDoc: db.prepare('DELETE FROM docs WHERE id = ?'),
      deleteFts: db.prepare("INSERT INTO fts (fts, rowid, text, heading, name) VALUES ('delete', ?, ?, ?, ?)"),
      deletePassage: db.prepare('DELETE FROM passages WHERE id = ?'),
      rowsOf: db.prepare('SELECT id, text, heading, name FROM passages WHERE doc_id = ? LIMIT ?'),
      top: db.prepare('SELECT rowid AS id, rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?'),
      passage: db.prepare(
        'SELECT p.doc_id AS document_id, d.name AS document_name, p.locator AS locator, p.text AS text FROM passages p JOIN docs d ON d.id = p.doc_id WHERE p.id = ?',
      ),
    };
    this.handles.set(file, h);
    this.evict();
    return h;
  }

  private evict(): void {
    if (this.handles.size <= this.maxHandles) return;
    for (const [file, h] of this.handles) {
      if (this.handles.size <= this.maxHandles) return;
      if (h.busy > 0) continue;
      this.handles.delete(file);
      h.db.close();
    }
  }
}

function openDb(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 30000');
    // Only takes effect on a new file: lets `remove` hand freed pages back to the disk.
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -2000');
    db.exec(SCHEMA);
    // `rank` is BM25 with the column weights: text 2, heading 1, document name 0.5 (kept in the file).
    const rank = db.prepare("SELECT v FROM fts_config WHERE k = 'rank'").get() as { v: string } | undefined;
    if (rank?.v !== RANK) db.prepare("INSERT INTO fts (fts, rank) VALUES ('rank', ?)").run(RANK);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function isCorrupt(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

function dbBytes(file: string): number {
  let total = 0;
  for (const f of [file, `${file}-wal`]) total += fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0;
  return total;
}
