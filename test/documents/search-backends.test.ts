import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PgSearchIndex, type SearchIndex, SqliteSearchIndex } from '../../src/documents/search/index.ts';
import { type TenantScope, tenantScope } from '../../src/store/paths.ts';
import { DATABASE_URL, hasPostgres, testDatabase } from '../storage/pg-helpers.ts';

/**
 * The SearchIndex contract (src/documents/search/types.ts) held to each backend: SQLite FTS5 files
 * (the embedded default) and PostgreSQL full-text search (`DATABASE_URL`). On PostgreSQL, `open()`
 * twice stands for two instances (two pools) on one database.
 */
let root: string;
let a: TenantScope;
let b: TenantScope;
let database: ReturnType<typeof testDatabase> | undefined;
const opened: SearchIndex[] = [];

beforeEach(async () => {
  root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-search-'));
  a = tenantScope(root, 'acme_AAAA1111');
  b = tenantScope(root, 'beta_BBBB2222');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((i) => i.close()));
  await database?.drop();
  database = undefined;
  await fs.promises.rm(root, { recursive: true, force: true });
});

const backends = [
  { name: 'sqlite', available: true, open: (): SearchIndex => new SqliteSearchIndex({ maxHandles: 2 }) },
  {
    name: 'postgres',
    available: hasPostgres,
    open: (): SearchIndex => {
      database ??= testDatabase();
      return new PgSearchIndex({ url: DATABASE_URL, schema: database.schema });
    },
  },
];

const p = (locator: string, text: string, heading?: string) =>
  heading ? { locator, text, heading } : { locator, text };

describe.each(backends)('$name search index', ({ available, open }) => {
  const index = () => {
    const i = open();
    opened.push(i);
    return i;
  };

  it.skipIf(!available)(
    'ranks the passage matching more (and rarer) words first; stems, prefixes, stop words',
    async () => {
      const idx = index();
      await idx.add(a, { id: 'doc_plan000001', name: 'plan.md' }, [
        p('Plans ¶1', 'Hire six engineers for the data platform in Seattle.', 'Plans'),
        p('Plans ¶2', 'The office move is planned for the autumn.', 'Plans'),
        p('Plans ¶3', 'Engineers asked for a new office coffee machine.', 'Plans'),
      ]);
      await idx.add(a, { id: 'doc_memo000001', name: 'memo.txt' }, [p('line 1', 'Seattle board meeting in August.')]);
      const hits = await idx.search(a, 'engineers Seattle platform', 10);
      expect(hits[0]?.locator).toBe('Plans ¶1');
      expect(hits.map((h) => h.locator).sort()).toEqual(['Plans ¶1', 'Plans ¶3', 'line 1']);
      expect(hits[0]).toMatchObject({ document_id: 'doc_plan000001', document_name: 'plan.md' });
      expect(hits[0]?.snippet).toContain('Seattle');
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect((await idx.search(a, 'engineering', 10)).map((h) => h.locator).sort()).toEqual(['Plans ¶1', 'Plans ¶3']);
      expect((await idx.search(a, 'meet', 10)).map((h) => h.locator)).toEqual(['line 1']);
      expect(await idx.search(a, 'the of and', 10)).toEqual([]);
      expect(await idx.search(a, '   ', 10)).toEqual([]);
      expect(await idx.search(a, 'NEAR( "Seattle* OR AND - & | ! :*', 10)).not.toHaveLength(0);
      expect(await idx.search(a, 'Seattle', 1)).toHaveLength(1);
    },
  );

  it.skipIf(!available)('a word in the text outranks the same word only in the document name', async () => {
    const idx = index();
    await idx.add(a, { id: 'doc_name000001', name: 'hosting costs.csv' }, [p('A1', 'Quarterly totals by vendor.')]);
    await idx.add(a, { id: 'doc_text000001', name: 'notes.md' }, [p('¶1', 'Our hosting bill rose in August.')]);
    const hits = await idx.search(a, 'hosting', 10);
    expect(hits.map((h) => h.document_id)).toEqual(['doc_text000001', 'doc_name000001']);
  });

  it.skipIf(!available)('replaces, removes, keeps tenants apart; ids and stats', async () => {
    const idx = index();
    await idx.add(a, { id: 'doc_a00000001', name: 'a.txt' }, [p('line 1', 'Contoso renewal in March.')]);
    await idx.add(b, { id: 'doc_b00000001', name: 'b.txt' }, [p('line 1', 'Contoso churned in May.')]);
    expect((await idx.search(a, 'Contoso', 5)).map((h) => h.document_id)).toEqual(['doc_a00000001']);
    expect((await idx.search(b, 'Contoso', 5)).map((h) => h.document_id)).toEqual(['doc_b00000001']);
    await idx.add(a, { id: 'doc_a00000001', name: 'a.txt' }, [p('line 3', 'Fabrikam signed.')]);
    expect(await idx.search(a, 'Contoso', 5)).toEqual([]);
    expect((await idx.search(a, 'Fabrikam', 5)).map((h) => h.locator)).toEqual(['line 3']);
    await idx.add(a, { id: 'doc_a00000002', name: 'c.txt' }, [p('line 1', 'More.'), p('line 2', 'Even more.')]);
    expect(await idx.documentIds(a)).toEqual(['doc_a00000001', 'doc_a00000002']);
    const stats = await idx.stats(a);
    expect(stats).toMatchObject({ documents: 2, passages: 3 });
    expect(stats.bytes).toBeGreaterThan(0);
    await idx.remove(a, 'doc_a00000001');
    await idx.remove(a, 'doc_unknown0001');
    expect(await idx.documentIds(a)).toEqual(['doc_a00000002']);
    expect(await idx.documentIds(b)).toEqual(['doc_b00000001']);
  });

  it.skipIf(!available)('a large document is added and removed whole', async () => {
    const idx = index();
    const passages = Array.from({ length: 3000 }, (_, i) =>
      p(`line ${i + 1}`, `Row ${i} of the ledger, account ${i * 7}.`),
    );
    passages.push(p('line 3001', 'The needle: Zanzibar expansion.'));
    await idx.add(a, { id: 'doc_big0000001', name: 'big.txt' }, passages);
    expect((await idx.stats(a)).passages).toBe(3001);
    expect((await idx.search(a, 'Zanzibar', 5)).map((h) => h.locator)).toEqual(['line 3001']);
    await idx.remove(a, 'doc_big0000001');
    expect(await idx.search(a, 'Zanzibar', 5)).toEqual([]);
  });
});

describe.skipIf(!hasPostgres)('PostgreSQL search index across instances', () => {
  it('what one instance adds, another finds; concurrent adds of many documents all land', async () => {
    database = testDatabase();
    const one = new PgSearchIndex({ url: DATABASE_URL, schema: database.schema });
    const two = new PgSearchIndex({ url: DATABASE_URL, schema: database.schema });
    opened.push(one, two);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? one : two).add(a, { id: `doc_c${String(i).padStart(8, '0')}`, name: `f${i}.txt` }, [
          p('line 1', `Quarterly revenue note number ${i}.`),
        ]),
      ),
    );
    expect(await one.documentIds(a)).toHaveLength(20);
    expect(await two.search(a, 'revenue', 50)).toHaveLength(20);
  });
});
