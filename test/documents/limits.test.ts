import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { ParsePool } from '../../src/documents/parse/pool.ts';
import { createDocumentService, type DocumentService, type UploadFile } from '../../src/documents/service.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { type TenantScope, tenantScope } from '../../src/store/paths.ts';
import { buildTestApp, errorCode, TEST_ADMIN_SECRET, type TestApp } from '../server/helpers.ts';
import { multipart } from './fixtures.ts';

let root: string;
let scope: TenantScope;
const services: DocumentService[] = [];
const clock = fixedClock('2026-07-01T10:00:00Z');

function service(opts: Partial<Parameters<typeof createDocumentService>[0]> = {}): DocumentService {
  const s = createDocumentService({ config: { maxUploadMb: 25 }, clock, ...opts });
  services.push(s);
  return s;
}

async function* files(list: Array<[string, Buffer | string]>): AsyncGenerator<UploadFile> {
  for (const [filename, content] of list) yield { filename, stream: Readable.from([Buffer.from(content)]) };
}

const entries = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

beforeEach(async () => {
  root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-limits-'));
  scope = tenantScope(root, 'acme_AAAA1111');
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  await fs.promises.rm(root, { recursive: true, force: true });
});

describe('limits of one document', () => {
  it('more text than a document may hold → failed document_too_large, nothing of it kept', async () => {
    const docs = service({ limits: { maxTextChars: 1_000 } });
    const [doc] = await docs.upload(scope, files([['long.txt', `${'Contoso renewal forecast. '.repeat(100)}\n`]]));
    await docs.whenIdle(scope);
    const after = await docs.getDocument(scope, doc!.id);
    expect([after.status, after.error?.code]).toEqual(['failed', 'document_too_large']);
    expect(after.error?.message).toMatch(/characters/);
    expect(await docs.search(scope, 'Contoso', 5)).toEqual([]);
    expect(entries(path.join(scope.documentsDir, doc!.id))).toEqual(['original']);
  });

  it('more table cells than a document may hold → failed document_too_large', async () => {
    const docs = service({ limits: { maxTableCells: 30 } });
    const rows = ['Month,MRR,Customers'];
    for (let i = 1; i <= 12; i++) rows.push(`2026-${String(i).padStart(2, '0')},${1000 + i},${10 + i}`);
    const [doc] = await docs.upload(scope, files([['kpis.csv', rows.join('\n')]]));
    await docs.whenIdle(scope);
    const after = await docs.getDocument(scope, doc!.id);
    expect([after.status, after.error?.code]).toEqual(['failed', 'document_too_large']);
    expect(await docs.getPoints(scope)).toEqual([]);
  });
});

describe('limits of one tenant', () => {
  it('TENANT_QUOTA_MB: an upload that would go over it → 413 quota_exceeded, nothing stored; usage reports it', async () => {
    const docs = service({ config: { maxUploadMb: 25, tenantQuotaMb: 1 } });
    const [first] = await docs.upload(scope, files([['a.txt', `${'a'.repeat(600 * 1024)}\n`]]));
    await docs.whenIdle(scope);
    expect((await docs.getDocument(scope, first!.id)).status).toBe('ready');
    const before = await docs.usage(scope);
    expect(before.quota_bytes).toBe(1024 * 1024);
    expect(before.stored_bytes).toBeGreaterThan(600 * 1024);
    await expect(docs.upload(scope, files([['b.txt', `${'b'.repeat(600 * 1024)}\n`]]))).rejects.toMatchObject({
      status: 413,
      code: 'quota_exceeded',
    });
    expect((await docs.listDocuments(scope)).map((d) => d.name)).toEqual(['a.txt']);
    expect(entries(path.join(scope.documentsDir, '.incoming'))).toEqual([]);
    // Several files in one upload count together: one refused → none stored.
    await expect(
      docs.upload(
        scope,
        files([
          ['c.txt', `${'c'.repeat(200 * 1024)}\n`],
          ['d.txt', `${'d'.repeat(300 * 1024)}\n`],
        ]),
      ),
    ).rejects.toMatchObject({ code: 'quota_exceeded' });
    expect(await docs.listDocuments(scope)).toHaveLength(1);
    // Room again once a document is deleted.
    await docs.deleteDocument(scope, first!.id);
    expect((await docs.upload(scope, files([['b.txt', `${'b'.repeat(600 * 1024)}\n`]])))[0]!.status).toBe('processing');
  });

  it('MAX_UPLOADS_IN_FLIGHT: one upload too many at once → 429 too_many_uploads; others are not affected', async () => {
    const docs = service({ config: { maxUploadsInFlight: 1, maxUploadMb: 25 } });
    const slow = new PassThrough();
    slow.write('Month,MRR\n');
    const first = docs.upload(
      scope,
      (async function* () {
        yield { filename: 'slow.csv', stream: slow };
      })(),
    );
    await new Promise((r) => setTimeout(r, 50));
    await expect(docs.upload(scope, files([['b.txt', 'Second upload.\n']]))).rejects.toMatchObject({
      status: 429,
      code: 'too_many_uploads',
    });
    // Another tenant is not held back by this one's uploads.
    const other = tenantScope(root, 'beta_BBBB2222');
    expect(await docs.upload(other, files([['c.txt', 'Other tenant.\n']]))).toHaveLength(1);
    slow.end('2026-01,100\n');
    expect(await first).toHaveLength(1);
    expect(await docs.upload(scope, files([['b.txt', 'Second upload.\n']]))).toHaveLength(1);
  });
});

describe('configuration of the limits', () => {
  it('has documented defaults and names a bad value', () => {
    const dir = root; // an empty folder: no .env
    expect(loadConfig({}, dir)).toMatchObject({
      tenantQuotaMb: 2048,
      maxUploadsInFlight: 20,
      parseWorkers: 2,
      parseTimeoutS: 20,
      parseWorkerHeapMb: 640,
    });
    expect(loadConfig({ TENANT_QUOTA_MB: '0', PARSE_WORKERS: '3' }, dir)).toMatchObject({
      tenantQuotaMb: 0,
      parseWorkers: 3,
    });
    for (const [name, value] of [
      ['TENANT_QUOTA_MB', 'lots'],
      ['MAX_UPLOADS_IN_FLIGHT', '0'],
      ['PARSE_WORKERS', '-1'],
      ['PARSE_TIMEOUT_S', '0'],
      ['PARSE_WORKER_HEAP_MB', '16'],
    ] as const) {
      expect(() => loadConfig({ [name]: value }, dir)).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value }, dir)).toThrow(name);
    }
  });
});

describe('fair processing', () => {
  it("serves tenants in turns: one tenant's backlog never holds every worker", async () => {
    const pool = new ParsePool({ size: 2, timeoutMs: 60_000 });
    const started: string[] = [];
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-pool-'));
    try {
      const job = async (tenant: string, i: number, text: string) => {
        const file = path.join(dir, `${tenant}-${i}.txt`);
        await fs.promises.writeFile(file, text);
        const result = await pool.run(tenant, {
          kind: 'parse',
          file,
          format: 'txt',
          ref: { document_id: `doc_${tenant}${i}xxxxxx`, document_name: `${i}.txt` },
          extractedFile: `${file}.json`,
          index: { spec: { kind: 'sqlite' }, dataDir: dir, tenantId: `${tenant}_AAAA1111` },
          limits: { maxTextChars: 1e8, maxPassages: 1e6, maxTableCells: 1e8 },
        });
        started.push(`${tenant}${i}`);
        return result;
      };
      const heavyText = `${'pipeline forecast renewal margin '.repeat(40)}\n\n`.repeat(3_000);
      const heavy = [1, 2, 3].map((i) => job('heavy', i, heavyText));
      await new Promise((r) => setTimeout(r, 20));
      const light = job('light', 1, 'One small note.\n');
      await light;
      // The light tenant's job did not wait for the heavy tenant's queue.
      expect(started.indexOf('light1')).toBeLessThan(2);
      expect(pool.load.running + pool.load.queued).toBeGreaterThan(0);
      await Promise.all(heavy);
    } finally {
      await pool.close();
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ env: { TENANT_QUOTA_MB: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('413 quota_exceeded with the error shape, and the quota in the admin view', async () => {
    const { key } = await t.createTenant('Quota Co');
    const { payload, headers } = multipart([{ filename: 'big.txt', content: `${'x'.repeat(1100 * 1024)}\n` }]);
    const res = await t.asTenant(key, { method: 'POST', url: '/api/documents', payload, headers });
    expect(res.statusCode).toBe(413);
    expect(errorCode(res)).toBe('quota_exceeded');
    const list = await t.asTenant(key, { method: 'GET', url: '/api/documents' });
    expect(list.json()).toEqual({ documents: [] });
    const admin = await t.app.inject({
      method: 'GET',
      url: `/api/admin/tenants/${key}`,
      headers: { 'x-admin-secret': TEST_ADMIN_SECRET },
    });
    expect(admin.json()).toMatchObject({ storage: { stored_bytes: 0, quota_bytes: 1024 * 1024, documents: 0 } });
  });
});
