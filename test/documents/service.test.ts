import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteSearchIndex } from '../../src/documents/search/index.ts';
import { createDocumentService, type DocumentService, type UploadFile } from '../../src/documents/service.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { type TenantScope, tenantScope } from '../../src/store/paths.ts';
import { makePdf } from './fixtures.ts';

let root: string;
let scope: TenantScope;
const services: DocumentService[] = [];
const clock = fixedClock('2026-07-01T10:00:00Z');

function service(pool?: { timeoutMs?: number; maxOldGenerationSizeMb?: number }): DocumentService {
  const s = createDocumentService({ config: { maxUploadMb: 25 }, clock, ...(pool ? { pool } : {}) });
  services.push(s);
  return s;
}

async function* files(list: Array<[string, Buffer | string]>): AsyncGenerator<UploadFile> {
  for (const [filename, content] of list) yield { filename, stream: Readable.from([Buffer.from(content)]) };
}

beforeEach(async () => {
  root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-docs-'));
  scope = tenantScope(root, 'acme_AAAA1111');
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  await fs.promises.rm(root, { recursive: true, force: true });
});

describe('document service', () => {
  it('time-boxes parsing: a document that takes too long fails with document_too_complex', async () => {
    const docs = service({ timeoutMs: 5 });
    const pdf = await makePdf(Array.from({ length: 30 }, (_, i) => [`Page ${i + 1} of a long report`]));
    const [doc] = await docs.upload(scope, files([['long.pdf', pdf]]));
    await docs.whenIdle(scope);
    const after = await docs.getDocument(scope, doc!.id);
    expect(after.status).toBe('failed');
    expect(after.error?.code).toBe('document_too_complex');
    expect(await docs.search(scope, 'report', 5)).toEqual([]);
  });

  it('bounds memory: a document that needs more heap than allowed fails with document_too_complex', async () => {
    const docs = service({ maxOldGenerationSizeMb: 32 });
    const rows = ['Month,A,B,C,D,E'];
    for (let i = 0; i < 120_000; i++) rows.push(`2026-01,${i},x${i},${i * 2},${i % 7},hello world ${i}`);
    const [doc] = await docs.upload(scope, files([['big.csv', rows.join('\n')]]));
    await docs.whenIdle(scope);
    const after = await docs.getDocument(scope, doc!.id);
    expect([after.status, after.error?.code]).toEqual(['failed', 'document_too_complex']);
  });

  it('rebuilds a missing or damaged search index from the documents, and drops stale entries', async () => {
    const first = service();
    const [a, b] = await first.upload(
      scope,
      files([
        ['a.md', '# Plans\n\nHire six engineers for the data platform.\n'],
        ['b.txt', 'Seattle board meeting in August.\n'],
      ]),
    );
    await first.whenIdle(scope);
    const dbFile = path.join(scope.documentsDir, 'search.sqlite');
    expect(fs.existsSync(dbFile)).toBe(true);
    await first.close();

    const removeDb = () => {
      for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
    };
    removeDb();
    const second = service();
    expect((await second.search(scope, 'engineers', 5))[0]).toMatchObject({
      document_id: a!.id,
      document_name: 'a.md',
      locator: 'Plans ¶1',
    });
    await second.close();

    removeDb();
    await fs.promises.writeFile(dbFile, 'this is not a database, it is a damaged file '.repeat(200));
    const third = service();
    expect((await third.search(scope, 'Seattle', 5))[0]).toMatchObject({
      document_id: b!.id,
      document_name: 'b.txt',
      locator: 'line 1',
    });
    await third.close();

    // Stale: the index holds a document that is no longer there.
    const raw = new SqliteSearchIndex();
    await raw.add(scope, { id: 'doc_gone000000000', name: 'gone.txt' }, [{ locator: 'line 1', text: 'Seattle ghost' }]);
    await raw.close();
    const fourth = service();
    expect((await fourth.search(scope, 'Seattle', 5)).map((h) => h.document_name)).toEqual(['b.txt']);
    const check = new SqliteSearchIndex();
    expect(await check.documentIds(scope)).toEqual([a!.id, b!.id].sort());
    await check.close();
  });

  it('migrates an existing tenant from search-index.json on first use, then removes the old file', async () => {
    const first = service();
    const [doc] = await first.upload(scope, files([['notes.txt', 'Contoso renewal is due in March.\n']]));
    await first.whenIdle(scope);
    await first.close();
    // The layout of earlier versions: no search.sqlite, a minisearch JSON, passages in extracted.json.
    const dbFile = path.join(scope.documentsDir, 'search.sqlite');
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
    const legacy = path.join(scope.documentsDir, 'search-index.json');
    await fs.promises.writeFile(legacy, JSON.stringify({ version: 2, docs: {}, passages: {}, index: {} }));
    const extractedFile = path.join(scope.documentsDir, doc!.id, 'extracted.json');
    const old = JSON.parse(await fs.promises.readFile(extractedFile, 'utf8')) as Record<string, unknown>;
    old.passages = [{ locator: 'line 1', text: 'Contoso renewal is due in March (as indexed before).' }];
    await fs.promises.writeFile(extractedFile, JSON.stringify(old));

    const second = service();
    const hits = await second.search(scope, 'Contoso renewal', 5);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ document_id: doc!.id, locator: 'line 1' });
    expect(hits[0]!.snippet).toContain('as indexed before');
    expect(fs.existsSync(legacy)).toBe(false);
    expect(fs.existsSync(dbFile)).toBe(true);
  });

  it('retries a document left processing once, in the background only, then fails it with a code', async () => {
    const first = service();
    const [doc] = await first.upload(scope, files([['c.txt', 'Fabrikam renewal in September.\n']]));
    await first.whenIdle(scope);
    await first.close();
    // Simulate a crash mid-processing: the record says processing, nothing is indexed.
    const indexPath = path.join(scope.documentsDir, 'index.json');
    const setStatus = async (status: string, attempts: number) => {
      const index = JSON.parse(await fs.promises.readFile(indexPath, 'utf8')) as {
        documents: Array<{ status: string; attempts?: number }>;
      };
      index.documents[0]!.status = status;
      index.documents[0]!.attempts = attempts;
      await fs.promises.writeFile(indexPath, JSON.stringify(index));
    };
    await setStatus('processing', 1);
    const raw = new SqliteSearchIndex();
    await raw.remove(scope, doc!.id);
    await raw.close();

    const second = service();
    // Requests never start the reprocessing.
    expect((await second.listDocuments(scope))[0]!.status).toBe('processing');
    await second.whenIdle(scope);
    expect((await second.getDocument(scope, doc!.id)).status).toBe('processing');
    expect(await second.recoverInterrupted(root)).toEqual({ retried: 1, failed: 0 });
    await second.whenIdle(scope);
    expect((await second.getDocument(scope, doc!.id)).status).toBe('ready');
    expect(await second.search(scope, 'Fabrikam', 5)).toHaveLength(1);
    await second.close();

    // Interrupted again during its retry: failed with a code, nothing of it searchable.
    await setStatus('processing', 2);
    const third = service();
    expect(await third.recoverInterrupted(root)).toEqual({ retried: 0, failed: 1 });
    const after = await third.getDocument(scope, doc!.id);
    expect([after.status, after.error?.code]).toEqual(['failed', 'processing_interrupted']);
    expect(await third.search(scope, 'Fabrikam', 5)).toEqual([]);
  });

  it('a document deleted while it is processed leaves nothing behind', async () => {
    const docs = service();
    const [doc] = await docs.upload(scope, files([['d.csv', 'Month,MRR\n2026-01,100\n2026-02,110\n']]));
    await docs.deleteDocument(scope, doc!.id);
    await docs.whenIdle(scope);
    expect(await docs.listDocuments(scope)).toEqual([]);
    expect(await docs.getPoints(scope)).toEqual([]);
    expect(await docs.search(scope, 'MRR', 5)).toEqual([]);
    expect(fs.existsSync(path.join(scope.documentsDir, doc!.id))).toBe(false);
  });
});
