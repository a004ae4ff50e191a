import { MIGRATIONS } from '../../storage/migrations.ts';
import { PgDatabase } from '../../storage/pg.ts';
import type { TenantScope } from '../../store/paths.ts';
import type { Passage } from '../passages.ts';
import { queryTerms, snippet } from './query.ts';
import type { SearchHit, SearchIndex, SearchIndexStats } from './types.ts';

/**
 * The search index on PostgreSQL full-text search (`DATABASE_URL`): one `search_passages` row per
 * passage, keyed by the tenant id, with a stored `tsvector` of the passage text (weight A), its
 * heading (B) and the document name (C), English stemming, under a GIN index. Ranking is
 * `ts_rank_cd` (cover density) with weights 1 : 0.5 : 0.25 — the file backend's BM25 column weights
 * 2 : 1 : 0.5 — normalised by the passage length (as BM25 is). The query is the file backend's: any
 * of the words, stop words dropped, words of 4+ letters also as a prefix.
 *
 * `add` replaces a document's passages in one transaction (inserted in batches of 500), so a search
 * on any instance sees all of a document or none of it. Works from a parse worker too: it holds its
 * own database handle and uses only the scope's tenant id.
 */
const BATCH = 500;

export class PgSearchIndex implements SearchIndex {
  private readonly ownsDb: boolean;
  readonly db: PgDatabase;

  constructor(db: PgDatabase | { url: string; schema: string }) {
    this.ownsDb = !(db instanceof PgDatabase);
    this.db = db instanceof PgDatabase ? db : new PgDatabase(db.url, db.schema, MIGRATIONS, 2);
  }

  async add(scope: TenantScope, doc: { id: string; name: string }, passages: Passage[]): Promise<void> {
    const db = this.db;
    await db.tx(async (client) => {
      await client.query(`DELETE FROM ${db.t('search_passages')} WHERE tenant_id = $1 AND document_id = $2`, [
        scope.tenantId,
        doc.id,
      ]);
      for (let start = 0; start < passages.length; start += BATCH) {
        const batch = passages.slice(start, start + BATCH);
        const params: unknown[] = [scope.tenantId, doc.id, doc.name];
        const values = batch.map((p, i) => {
          params.push(start + i, p.locator, p.heading ?? null, p.text);
          const n = params.length;
          return `($1, $2, $3, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
        });
        await client.query(
          `INSERT INTO ${db.t('search_passages')} (tenant_id, document_id, document_name, seq, locator, heading, text)
           VALUES ${values.join(', ')}`,
          params,
        );
      }
    });
  }

  async remove(scope: TenantScope, documentId: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.db.t('search_passages')} WHERE tenant_id = $1 AND document_id = $2`, [
      scope.tenantId,
      documentId,
    ]);
  }

  async search(scope: TenantScope, query: string, limit: number): Promise<SearchHit[]> {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    const tsquery = terms.map((t) => (t.length >= 4 ? `${t}:*` : t)).join(' | ');
    const { rows } = await this.db.query<{
      document_id: string;
      document_name: string;
      locator: string;
      text: string;
      score: number;
    }>(
      `SELECT document_id, document_name, locator, text,
              ts_rank_cd('{0.1, 0.25, 0.5, 1.0}', tsv, q, 1) AS score
         FROM ${this.db.t('search_passages')}, to_tsquery('english', $2) AS q
        WHERE tenant_id = $1 AND tsv @@ q
        ORDER BY score DESC, document_id, seq
        LIMIT $3`,
      [scope.tenantId, tsquery, limit],
    );
    return rows.map((r) => ({
      document_id: r.document_id,
      document_name: r.document_name,
      locator: r.locator,
      snippet: snippet(r.text, terms),
      score: Number(r.score),
      text: r.text.slice(0, 2000),
    }));
  }

  async passages(scope: TenantScope, documentId: string, limit: number): Promise<Passage[]> {
    const { rows } = await this.db.query<{ locator: string; heading: string | null; text: string }>(
      `SELECT locator, heading, text FROM ${this.db.t('search_passages')}
        WHERE tenant_id = $1 AND document_id = $2 ORDER BY seq LIMIT $3`,
      [scope.tenantId, documentId, Math.max(1, limit)],
    );
    return rows.map((r) =>
      r.heading ? { locator: r.locator, heading: r.heading, text: r.text } : { locator: r.locator, text: r.text },
    );
  }

  async documentIds(scope: TenantScope): Promise<string[]> {
    const { rows } = await this.db.query<{ document_id: string }>(
      `SELECT DISTINCT document_id FROM ${this.db.t('search_passages')} WHERE tenant_id = $1 ORDER BY document_id`,
      [scope.tenantId],
    );
    return rows.map((r) => r.document_id);
  }

  async stats(scope: TenantScope): Promise<SearchIndexStats> {
    const { rows } = await this.db.query<{ documents: number; passages: number; bytes: string }>(
      `SELECT count(DISTINCT document_id)::int AS documents, count(*)::int AS passages,
              COALESCE(sum(pg_column_size(text) + pg_column_size(tsv)), 0)::text AS bytes
         FROM ${this.db.t('search_passages')} WHERE tenant_id = $1`,
      [scope.tenantId],
    );
    const r = rows[0];
    return { documents: r?.documents ?? 0, passages: r?.passages ?? 0, bytes: Number(r?.bytes ?? 0) };
  }

  async release(): Promise<void> {}

  async close(): Promise<void> {
    if (this.ownsDb) await this.db.close();
  }
}
