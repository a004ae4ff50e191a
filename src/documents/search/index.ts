/**
 * The documents' full-text search: the `SearchIndex` interface and its backends. The service and the
 * parse worker get an index from `createSearchIndex(spec)`; the spec is plain data so a worker can
 * build the same backend as the server.
 */
import { SqliteSearchIndex } from './sqlite.ts';
import type { SearchIndex } from './types.ts';

export { ftsQuery, queryTerms, STOP_WORDS, snippet } from './query.ts';
export { DEFAULT_MAX_HANDLES, SEARCH_DB_FILE, SqliteSearchIndex, searchDbFile } from './sqlite.ts';
export type { SearchHit, SearchIndex, SearchIndexStats } from './types.ts';

/** Which backend (structured-clonable: it is sent to the parse workers). */
export type SearchIndexSpec = { kind: 'sqlite'; maxHandles?: number };

export function createSearchIndex(spec: SearchIndexSpec = { kind: 'sqlite' }): SearchIndex {
  switch (spec.kind) {
    case 'sqlite':
      return new SqliteSearchIndex(spec.maxHandles === undefined ? {} : { maxHandles: spec.maxHandles });
  }
}
