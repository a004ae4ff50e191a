/**
 * The documents' full-text search: the `SearchIndex` interface and its backends. The service and the
 * parse worker get an index from `createSearchIndex(spec)`; the spec is plain data so a worker can
 * build the same backend as the server.
 */
import { PgSearchIndex } from './postgres.ts';
import { SqliteSearchIndex } from './sqlite.ts';
import type { SearchIndex } from './types.ts';

export { PgSearchIndex } from './postgres.ts';
export { ftsQuery, queryTerms, STOP_WORDS, snippet } from './query.ts';
export { DEFAULT_MAX_HANDLES, SEARCH_DB_FILE, SqliteSearchIndex, searchDbFile } from './sqlite.ts';
export type { SearchHit, SearchIndex, SearchIndexStats } from './types.ts';

/** Which backend (structured-clonable: it is sent to the parse workers). */
export type SearchIndexSpec =
  | { kind: 'sqlite'; maxHandles?: number }
  /** PostgreSQL full-text search (`DATABASE_URL`): each process (and parse worker) opens its own small pool. */
  | { kind: 'postgres'; url: string; schema: string };

export function createSearchIndex(spec: SearchIndexSpec = { kind: 'sqlite' }): SearchIndex {
  switch (spec.kind) {
    case 'sqlite':
      return new SqliteSearchIndex(spec.maxHandles === undefined ? {} : { maxHandles: spec.maxHandles });
    case 'postgres':
      return new PgSearchIndex({ url: spec.url, schema: spec.schema });
  }
}
