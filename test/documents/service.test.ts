import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

  it('rebuilds a missing, corrupt or stale search index from the documents', async () => {
    const first = service();
    await first.upload(
      scope,
      files([
        ['a.md', '# Plans\n\nHire six engineers for the data platform.\n'],
        ['b.txt', 'Seattle board meeting in August.\n'],
      ]),
    );
    await first.whenIdle(scope);
    const indexFile = path.join(scope.documentsDir, 'search-index.json');
    expect(fs.existsSync(indexFile)).toBe(true);

    await fs.promises.rm(indexFile);
    expect((await service().search(scope, 'engineers', 5))[0]).toMatchObject({
      document_name: 'a.md',
      locator: 'Plans ¶1',
    });

    await fs.promises.writeFile(indexFile, '{"version": 1, "docs": {');
    expect((await service().search(scope, 'Seattle', 5))[0]).toMatchObject({
      document_name: 'b.txt',
      locator: 'line 1',
    });

    // Stale: the index lists a document that is no longer there.
    const stale = JSON.parse(await fs.promises.readFile(indexFile, 'utf8')) as { docs: Record<string, unknown> };
    stale.docs.doc_gone000000000 = { name: 'gone.txt', count: 0 };
    await fs.promises.writeFile(indexFile, JSON.stringify(stale));
    const fresh = service();
    expect(await fresh.search(scope, 'Seattle', 5)).toHaveLength(1);
    const rebuilt = JSON.parse(await fs.promises.readFile(indexFile, 'utf8')) as { docs: Record<string, unknown> };
    expect(Object.keys(rebuilt.docs)).toHaveLength(2);
  });

  it('processes again documents left in processing by a previous run', async () => {
    const first = service();
    const [doc] = await first.upload(scope, files([['c.txt', 'Fabrikam renewal in September.\n']]));
    await first.whenIdle(scope);
    // Simulate a crash mid-processing: the record says processing, nothing is indexed.
    const indexPath = path.join(scope.documentsDir, 'index.json');
    const index = JSON.parse(await fs.promises.readFile(indexPath, 'utf8')) as { documents: Array<{ status: string }> };
    index.documents[0]!.status = 'processing';
    await fs.promises.writeFile(indexPath, JSON.stringify(index));
    await fs.promises.rm(path.join(scope.documentsDir, 'search-index.json'));

    const second = service();
    await second.whenIdle(scope);
    expect((await second.getDocument(scope, doc!.id)).status).toBe('ready');
    expect(await second.search(scope, 'Fabrikam', 5)).toHaveLength(1);
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
