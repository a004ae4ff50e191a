import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPassages } from '../../src/documents/passages.ts';
import { ftsQuery, queryTerms, SqliteSearchIndex, searchDbFile } from '../../src/documents/search/index.ts';
import { type TenantScope, tenantScope } from '../../src/store/paths.ts';

let root: string;
let a: TenantScope;
let b: TenantScope;
let index: SqliteSearchIndex;

beforeEach(async () => {
  root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-fts-'));
  a = tenantScope(root, 'acme_AAAA1111');
  b = tenantScope(root, 'beta_BBBB2222');
  index = new SqliteSearchIndex({ maxHandles: 2 });
});
afterEach(async () => {
  await index.close();
  await fs.promises.rm(root, { recursive: true, force: true });
});

const p = (locator: string, text: string, heading?: string) =>
  heading ? { locator, text, heading } : { locator, text };

describe('SQLite FTS5 search index', () => {
  it('ranks by BM25: the passage that matches more and rarer words comes first', async () => {
    await index.add(a, { id: 'doc_plan000001', name: 'plan.md' }, [
      p('Plans ¶1', 'Hire six engineers for the data platform in Seattle.', 'Plans'),
      p('Plans ¶2', 'The office move is planned for the autumn.', 'Plans'),
      p('Plans ¶3', 'Engineers asked for a new office coffee machine.', 'Plans'),
    ]);
    await index.add(a, { id: 'doc_memo000001', name: 'memo.txt' }, [p('line 1', 'Seattle board meeting in August.')]);
    const hits = await index.search(a, 'engineers Seattle platform', 10);
    expect(hits.map((h) => h.locator)[0]).toBe('Plans ¶1');
    expect(hits.map((h) => h.locator).sort()).toEqual(['Plans ¶1', 'Plans ¶3', 'line 1']);
    expect(hits[0]).toMatchObject({ document_id: 'doc_plan000001', document_name: 'plan.md' });
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    // Stems and prefixes: "engineering" finds "engineers", "meet" finds "meeting".
    expect((await index.search(a, 'engineering', 10)).map((h) => h.locator).sort()).toEqual(['Plans ¶1', 'Plans ¶3']);
    expect((await index.search(a, 'meet', 10)).map((h) => h.locator)).toEqual(['line 1']);
    expect(await index.search(a, 'the of and', 10)).toEqual([]);
    expect(await index.search(a, '   ', 10)).toEqual([]);
    // Query syntax is never read as FTS5 operators.
    expect(await index.search(a, 'NEAR( "Seattle* OR AND -', 10)).not.toHaveLength(0);
    expect(await index.search(a, 'Seattle', 1)).toHaveLength(1);
  });

  it('replaces, removes and keeps tenants apart, each in its own file', async () => {
    await index.add(a, { id: 'doc_a00000001', name: 'a.txt' }, [p('line 1', 'Contoso renewal in March.')]);
    await index.add(b, { id: 'doc_b00000001', name: 'b.txt' }, [p('line 1', 'Contoso churned in May.')]);
    expect((await index.search(a, 'Contoso', 5)).map((h) => h.document_id)).toEqual(['doc_a00000001']);
    expect((await index.search(b, 'Contoso', 5)).map((h) => h.document_id)).toEqual(['doc_b00000001']);
    expect(fs.existsSync(searchDbFile(a))).toBe(true);
    expect(searchDbFile(a).startsWith(a.documentsDir)).toBe(true);

    await index.add(a, { id: 'doc_a00000001', name: 'a.txt' }, [p('line 3', 'Fabrikam signed.')]);
    expect(await index.search(a, 'Contoso', 5)).toEqual([]);
    expect((await index.search(a, 'Fabrikam', 5))[0]!.locator).toBe('line 3');
    expect(await index.stats(a)).toMatchObject({ documents: 1, passages: 1 });

    await index.remove(a, 'doc_a00000001');
    await index.remove(a, 'doc_unknown0001');
    expect(await index.search(a, 'Fabrikam', 5)).toEqual([]);
    expect(await index.documentIds(a)).toEqual([]);
    expect((await index.search(b, 'Contoso', 5)).map((h) => h.document_id)).toEqual(['doc_b00000001']);
  });

  it('bounds open databases with an LRU, and an evicted tenant reopens transparently', async () => {
    const c = tenantScope(root, 'corp_CCCC3333');
    for (const [s, word] of [
      [a, 'alpha'],
      [b, 'bravo'],
      [c, 'charlie'],
    ] as const) {
      await index.add(s, { id: 'doc_x00000001', name: 'x.txt' }, [p('line 1', `word ${word}`)]);
    }
    expect(index.openHandles).toBe(2);
    expect(await index.search(a, 'alpha', 5)).toHaveLength(1);
    expect(index.openHandles).toBe(2);
  });

  it('a large document is added and removed in batches that leave the event loop free', async () => {
    const passages = Array.from({ length: 6000 }, (_, i) =>
      p(`line ${i * 5 + 1}`, `${'forecast pipeline renewal margin '.repeat(20)} unique${i}`),
    );
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 2);
    await index.add(a, { id: 'doc_big0000001', name: 'big.txt' }, passages);
    expect((await index.search(a, 'unique5999', 5))[0]!.locator).toBe('line 29996');
    await index.remove(a, 'doc_big0000001');
    clearInterval(timer);
    expect(await index.search(a, 'forecast', 5)).toEqual([]);
    // 6,000 passages (4 MB) at once would hold the loop for about a second; batches keep each turn short.
    expect(maxGap).toBeLessThan(400);
  });

  it('builds quoted, prefix-aware queries without stop words', () => {
    expect(queryTerms('What is the ARR of Contoso in Q3?')).toEqual(['arr', 'contoso', 'q3']);
    expect(ftsQuery(queryTerms('hosting "costs" AWS'))).toBe('"hosting"* OR "costs"* OR "aws"');
  });
});

describe('passages', () => {
  it('joins many short paragraphs into passages of up to 1,500 characters, located by the first', () => {
    const blocks = Array.from({ length: 12_000 }, (_, i) => ({
      text: `Paragraph ${i} says something short.`,
      locator: `line ${i * 2 + 1}`,
    }));
    const passages = buildPassages({ format: 'txt', blocks, tables: [] });
    expect(passages.length).toBeLessThan(blocks.length / 20);
    expect(passages[0]!.locator).toBe('line 1');
    expect(passages.every((x) => x.text.length <= 1500)).toBe(true);
    expect(passages.map((x) => x.text).join('\n')).toBe(blocks.map((x) => x.text).join('\n'));
    // A few blocks stay one passage each.
    expect(buildPassages({ format: 'txt', blocks: blocks.slice(0, 3), tables: [] })).toHaveLength(3);
  });

  it('more text passages than a document may hold → 422 document_too_large', () => {
    const blocks = Array.from({ length: 30 }, (_, i) => ({ text: `Block ${i}`, locator: `line ${i}` }));
    expect(() => buildPassages({ format: 'txt', blocks, tables: [] }, 10)).toThrow(
      expect.objectContaining({ status: 422, code: 'document_too_large' }),
    );
  });
});
