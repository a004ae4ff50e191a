import type { TenantScope } from '../../store/paths.ts';
import type { Passage } from '../passages.ts';

export interface SearchHit {
  document_id: string;
  document_name: string;
  locator: string;
  snippet: string;
  /** Higher is better (BM25). Comparable within one answer, not across tenants or backends. */
  score: number;
  /** The whole passage (up to 2,000 characters): the analyst quotes a sentence the snippet may cut. */
  text?: string;
}

export interface SearchIndexStats {
  documents: number;
  passages: number;
  /** Bytes the index takes on disk (or in the database) for this tenant. */
  bytes: number;
}

/**
 * A tenant's full-text index over its ready documents' passages. Every method takes the tenant
 * first and touches only that tenant's index. Implementations: SQLite FTS5, one file per tenant
 * (`sqlite.ts`); a PostgreSQL full-text backend can sit behind the same interface.
 *
 * Contract (the tests in test/documents/search-index.test.ts hold each backend to it):
 * - `add` replaces the document's passages (adding it if new); its cost is the document's, not the
 *   tenant's. A document becomes visible to `search` only once all its passages are in, so a failed
 *   or interrupted add never shows half a document (call `remove` to clean up after a failure).
 * - `remove` of an unknown document is a no-op.
 * - `search` ranks by BM25 over the passage text (weight 2), its heading (1) and the document name
 *   (0.5), matches any of the query's words (stop words dropped, words of 4+ letters also as a
 *   prefix), and returns at most `limit` hits, best first. An empty query returns nothing.
 * - No call blocks the event loop for long: large adds and removes work in bounded batches.
 */
export interface SearchIndex {
  add(scope: TenantScope, doc: { id: string; name: string }, passages: Passage[]): Promise<void>;
  remove(scope: TenantScope, documentId: string): Promise<void>;
  search(scope: TenantScope, query: string, limit: number): Promise<SearchHit[]>;
  /** One document's passages in order, at most `limit` (the analyst reads a document the user names). */
  passages(scope: TenantScope, documentId: string, limit: number): Promise<Passage[]>;
  /** Ids of the documents in the index (to find a missing or stale entry). */
  documentIds(scope: TenantScope): Promise<string[]>;
  stats(scope: TenantScope): Promise<SearchIndexStats>;
  /** Close whatever this tenant holds open (before its folder is exported, moved or purged). */
  release(scope: TenantScope): Promise<void>;
  /** Close everything (server shutdown, end of a test, end of a worker's job). */
  close(): Promise<void>;
}
