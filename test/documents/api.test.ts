import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../src/documents/types.ts';
import { tenantScope } from '../../src/store/paths.ts';
import { buildTestApp, errorCode, type TestApp } from '../server/helpers.ts';
import { makeDocx, makeEncryptedPdf, makePdf, makeXlsx, multipart, zip } from './fixtures.ts';

let t: TestApp;
let keyA: string;
let keyB: string;
const NORTHWIND = path.join(__dirname, '../fixtures/northwind');

beforeAll(async () => {
  t = await buildTestApp({ env: { MAX_UPLOAD_MB: '1' } });
  keyA = (await t.createTenant('Alpha')).key;
  keyB = (await t.createTenant('Beta')).key;
});
afterAll(async () => {
  await t.close();
});

type Files = Parameters<typeof multipart>[0];

async function upload(key: string, files: Files, wait = true) {
  const { payload, headers } = multipart(files);
  return t.asTenant(key, { method: 'POST', url: `/api/documents${wait ? '?wait=true' : ''}`, payload, headers });
}

async function uploadOk(key: string, files: Files): Promise<DocumentRecord[]> {
  const res = await upload(key, files);
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { documents: DocumentRecord[] }).documents;
}

const get = (key: string, url: string) => t.asTenant(key, { method: 'GET', url });
const search = async (key: string, q: string) =>
  (await get(key, `/api/search?q=${encodeURIComponent(q)}`)).json() as {
    results: Array<{ document_id: string; document_name: string; locator: string; snippet: string; score: number }>;
  };

describe('upload, process, read, search, download', () => {
  let docs: DocumentRecord[];

  beforeAll(async () => {
    const { payload, headers } = multipart([
      { filename: 'kpis.csv', content: 'Month,MRR,Customers\n2026-01,1000,10\n2026-02,1200,12\n' },
      { filename: 'book.xlsx', content: await makeXlsx() },
      { filename: 'update.md', content: '# Update\n\nContoso Retail renewed for two years.\n' },
      { filename: 'review.docx', content: makeDocx() },
      { filename: 'memo.pdf', content: await makePdf([['Runway memo'], ['Fabrikam renewal is in September.']]) },
      { filename: 'notes.txt', content: 'Tailspin Toys asked for SSO.\n' },
      {
        filename: 'data.json',
        content: JSON.stringify({ owner: 'Northwind finance', rows: [{ month: '2026-01', arr: 12000 }] }),
      },
      { filename: 'costs.tsv', content: 'Month\tAWS hosting\n2026-01\t$9,950\n' },
    ]);
    const res = await t.asTenant(keyA, { method: 'POST', url: '/api/documents', payload, headers });
    expect(res.statusCode, res.body).toBe(201);
    docs = (res.json() as { documents: DocumentRecord[] }).documents;
    expect(docs).toHaveLength(8);
    expect(docs.every((d) => d.status === 'processing')).toBe(true);
    await t.services.documents.whenIdle(tenantScope(t.dataDir, keyA));
  });

  it('processes every format to ready and lists newest first', async () => {
    const list = (await get(keyA, '/api/documents')).json() as { documents: DocumentRecord[] };
    expect(list.documents.map((d) => [d.name, d.status])).toEqual([...docs].reverse().map((d) => [d.name, 'ready']));
    const formats = Object.fromEntries(list.documents.map((d) => [d.name, d.format]));
    expect(formats).toMatchObject({ 'kpis.csv': 'csv', 'book.xlsx': 'xlsx', 'review.docx': 'docx', 'memo.pdf': 'pdf' });
    expect(list.documents.find((d) => d.name === 'memo.pdf')?.pages).toBe(2);
    expect(list.documents.find((d) => d.name === 'book.xlsx')?.sheets).toEqual(['KPIs', 'P&L', 'Notes']);
  });

  it('shows a detail with a preview and the metrics found', async () => {
    const xlsx = docs.find((d) => d.name === 'book.xlsx')!;
    const res = await get(keyA, `/api/documents/${xlsx.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      document: DocumentRecord;
      preview: { tables: Array<{ locator: string; header: string[] }> };
      metrics: Array<{ metric: string; periods: number; latest: { period: string; value: number } }>;
    };
    expect(body.document.metrics).toContain('gross_margin');
    expect(body.preview.tables[0]).toMatchObject({
      locator: 'KPIs!A4:E7',
      header: ['Month', 'MRR', 'Gross margin', 'New logos', 'Total'],
    });
    expect(body.metrics.find((m) => m.metric === 'gross_margin')).toMatchObject({
      periods: 3,
      latest: { period: '2026-03', value: 80.1 },
    });
  });

  it('finds passages of every format with document, name and locator', async () => {
    expect((await search(keyA, 'Contoso')).results[0]).toMatchObject({
      document_name: 'update.md',
      locator: 'Update ¶1',
    });
    expect((await search(keyA, 'Fabrikam renewal')).results[0]).toMatchObject({
      document_name: 'memo.pdf',
      locator: 'page 2',
    });
    expect((await search(keyA, 'Tailspin')).results[0]).toMatchObject({
      document_name: 'notes.txt',
      locator: 'line 1',
    });
    expect((await search(keyA, 'AWS hosting')).results.map((r) => r.document_name)).toEqual(
      expect.arrayContaining(['costs.tsv', 'book.xlsx', 'review.docx']),
    );
    const limited = await get(keyA, '/api/search?q=hosting&limit=1');
    expect((limited.json() as { results: unknown[] }).results).toHaveLength(1);
    expect((await search(keyA, '')).results).toEqual([]);
  });

  it('downloads the original bytes as an attachment', async () => {
    const pdf = docs.find((d) => d.name === 'memo.pdf')!;
    const res = await get(keyA, `/api/documents/${pdf.id}/file`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="memo.pdf"; filename*=UTF-8''memo.pdf`);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.length).toBe(pdf.size);
  });

  it('returns the existing document for the same bytes', async () => {
    const again = await uploadOk(keyA, [
      { filename: 'renamed.csv', content: 'Month,MRR,Customers\n2026-01,1000,10\n2026-02,1200,12\n' },
    ]);
    expect(again[0]!.id).toBe(docs.find((d) => d.name === 'kpis.csv')!.id);
    const list = (await get(keyA, '/api/documents')).json() as { documents: DocumentRecord[] };
    expect(list.documents).toHaveLength(8);
  });

  it('keeps tenants apart: another tenant sees 404 on every document route and no passages', async () => {
    const id = docs[0]!.id;
    for (const url of [`/api/documents/${id}`, `/api/documents/${id}/file`]) {
      const res = await get(keyB, url);
      expect(res.statusCode, url).toBe(404);
      expect(errorCode(res)).toBe('document_not_found');
    }
    expect((await t.asTenant(keyB, { method: 'DELETE', url: `/api/documents/${id}` })).statusCode).toBe(404);
    expect((await search(keyB, 'Contoso')).results).toEqual([]);
    expect(((await get(keyB, '/api/documents')).json() as { documents: unknown[] }).documents).toEqual([]);
    for (const bad of ['..%2F..%2Fetc', 'DOC_UPPER', 'x']) {
      expect((await get(keyA, `/api/documents/${bad}`)).statusCode, bad).toBe(404);
    }
    expect((await get(keyA, '/api/documents')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/documents' })).statusCode).toBe(401);
  });

  it('delete removes the file, its passages and its facts', async () => {
    const md = docs.find((d) => d.name === 'update.md')!;
    const csv = docs.find((d) => d.name === 'kpis.csv')!;
    const scope = tenantScope(t.dataDir, keyA);
    expect(JSON.stringify(await t.services.graph.getState(scope))).toContain(csv.id);
    for (const doc of [md, csv]) {
      const res = await t.asTenant(keyA, { method: 'DELETE', url: `/api/documents/${doc.id}` });
      expect(res.json()).toEqual({ deleted: true, id: doc.id });
      expect(fs.existsSync(path.join(scope.documentsDir, doc.id))).toBe(false);
      expect((await get(keyA, `/api/documents/${doc.id}`)).statusCode).toBe(404);
    }
    expect((await search(keyA, 'Contoso')).results.map((r) => r.document_name)).toEqual(['review.docx']);
    const points = await t.services.documents.getPoints(scope);
    expect(points.some((p) => p.source.document_id === csv.id)).toBe(false);
    expect(JSON.stringify(await t.services.graph.getState(scope))).not.toContain(csv.id);
  });
});

describe('bad input: a clear 4xx, nothing half-written', () => {
  const listOf = async (key: string) =>
    ((await get(key, '/api/documents')).json() as { documents: DocumentRecord[] }).documents;
  let key: string;
  beforeAll(async () => {
    key = (await t.createTenant('Gamma')).key;
  });

  it('refuses empty, oversized, mismatched and too many files before storing anything', async () => {
    const cases: Array<[Files, number, string]> = [
      [[{ filename: 'empty.csv', content: '' }], 400, 'empty_file'],
      [[{ filename: 'big.txt', content: Buffer.alloc(1024 * 1024 + 10, 'a') }], 413, 'file_too_large'],
      [[{ filename: 'fake.pdf', content: 'not a pdf' }], 415, 'unsupported_type'],
      [[{ filename: 'binary.csv', content: Buffer.from([0, 1, 2, 3, 0xff]) }], 415, 'unsupported_type'],
      [[{ filename: 'tool.exe', content: 'MZ' }], 415, 'unsupported_type'],
      [
        [
          { filename: 'a.txt', content: 'good' },
          { filename: 'b.exe', content: 'bad' },
        ],
        415,
        'unsupported_type',
      ],
      [Array.from({ length: 11 }, (_, i) => ({ filename: `f${i}.txt`, content: `file ${i}` })), 413, 'too_many_files'],
      [[], 400, 'no_files'],
    ];
    for (const [files, status, code] of cases) {
      const res = await upload(key, files, false);
      expect(res.statusCode, `${code}: ${res.body}`).toBe(status);
      expect(errorCode(res)).toBe(code);
    }
    const json = await t.asTenant(key, { method: 'POST', url: '/api/documents', payload: { file: 'x' } });
    expect([json.statusCode, errorCode(json)]).toEqual([415, 'unsupported_media_type']);
    expect(await listOf(key)).toEqual([]);
    const incoming = path.join(tenantScope(t.dataDir, key).documentsDir, '.incoming');
    expect(fs.existsSync(incoming) ? await fs.promises.readdir(incoming) : []).toEqual([]);
  });

  it('marks unreadable documents failed with a code, and leaves no passages or points', async () => {
    const pdf = await makePdf([['Zebra unicorn text']]);
    const cases: Array<[string, Buffer | string, number, string]> = [
      ['cut.pdf', pdf.subarray(0, 300), 422, 'unreadable_document'],
      ['locked.pdf', await makeEncryptedPdf(), 422, 'encrypted_document'],
      ['huge-line.csv', `a,b\n"${'x'.repeat(1_000_100)}",1\n`, 422, 'line_too_long'],
      ['bad.json', '{"zebra": ', 422, 'unreadable_document'],
    ];
    for (const [filename, content, status, code] of cases) {
      const res = await upload(key, [{ filename, content }]);
      expect(res.statusCode, filename).toBe(status);
      expect(errorCode(res)).toBe(code);
    }
    const bomb = zip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<w/>'), claimSize: 400 * 1024 * 1024 },
    ]);
    const res = await upload(key, [{ filename: 'bomb.xlsx', content: bomb }]);
    expect([res.statusCode, errorCode(res)]).toEqual([422, 'archive_too_large']);

    const docs = await listOf(key);
    expect(docs.map((d) => [d.name, d.status, d.error?.code])).toEqual([
      ['bad.json', 'failed', 'unreadable_document'],
      ['huge-line.csv', 'failed', 'line_too_long'],
      ['locked.pdf', 'failed', 'encrypted_document'],
      ['cut.pdf', 'failed', 'unreadable_document'],
    ]);
    // The same failed bytes again: a fresh attempt replaces the failed record.
    const retry = await upload(key, [{ filename: 'cut-again.pdf', content: pdf.subarray(0, 300) }]);
    expect(errorCode(retry)).toBe('unreadable_document');
    expect((await listOf(key)).map((d) => d.name)).toEqual([
      'cut-again.pdf',
      'bad.json',
      'huge-line.csv',
      'locked.pdf',
    ]);
    expect((await search(key, 'zebra')).results).toEqual([]);
    expect(await t.services.documents.getPoints(tenantScope(t.dataDir, key))).toEqual([]);
  });

  it('stores hostile file names as cleaned metadata only', async () => {
    const docs = await uploadOk(key, [
      { filename: '../../../etc/evil.txt', content: 'one' },
      { filename: 'nul\u0000byte.md', content: 'two' },
      { filename: '<img src=x onerror=alert(1)>.txt', content: 'three' },
    ]);
    expect(docs.map((d) => d.name)).toEqual(['evil.txt', 'nulbyte.md', '_img src=x onerror=alert(1)_.txt']);
    const dir = tenantScope(t.dataDir, key).documentsDir;
    for (const d of docs) expect(fs.readFileSync(path.join(dir, d.id, 'original'), 'utf8').length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(t.dataDir, 'etc'))).toBe(false);
  });
});

describe('Northwind', () => {
  it('yields the metric series of the CSV and the quarterly P&L of the XLSX, with locators', async () => {
    const key = (await t.createTenant('Northwind')).key;
    const names = ['northwind_metrics_2024-2026.csv', 'northwind_pnl_fy2026.xlsx', 'northwind_board_update_q2_2026.md'];
    const docs = await uploadOk(
      key,
      names.map((filename) => ({ filename, content: fs.readFileSync(path.join(NORTHWIND, filename)) })),
    );
    expect(docs.map((d) => d.status)).toEqual(['ready', 'ready', 'ready']);
    const points = await t.services.documents.getPoints(tenantScope(t.dataDir, key));
    const at = (metric: string, period: string) => points.find((p) => p.metric === metric && p.period === period);
    for (const metric of [
      'starting_mrr',
      'new_mrr',
      'expansion_mrr',
      'contraction_mrr',
      'churned_mrr',
      'mrr',
      'customers',
      'new_customers',
      'churned_customers',
      'customers_start',
      'revenue',
      'sales_marketing',
      'gross_margin',
      'net_burn',
      'headcount',
      'cash',
    ]) {
      const series = points.filter((p) => p.metric === metric && p.source.document_name.endsWith('.csv'));
      expect(series, metric).toHaveLength(24);
    }
    expect(at('mrr', '2026-06')).toMatchObject({
      value: 1095472,
      unit: 'currency',
      source: { document_name: 'northwind_metrics_2024-2026.csv', locator: 'row 25, column "ending_mrr"' },
    });
    expect(at('customers', '2026-06')?.value).toBe(516);
    expect(at('gross_margin', '2024-07')).toMatchObject({ value: 78.2, unit: 'percent' });
    expect(at('research_development', '2026-Q1')).toMatchObject({
      value: 1534000,
      source: { document_name: 'northwind_pnl_fy2026.xlsx', locator: 'P&L FY2026!D6' },
    });
    expect(at('operating_income', '2026-Q2')).toMatchObject({ value: -695345, source: { locator: 'P&L FY2026!E8' } });
    const hit = (await search(key, 'largest customer')).results[0];
    expect(hit).toMatchObject({ document_name: 'northwind_board_update_q2_2026.md', locator: 'Highlights ¶2' });
    expect(hit?.snippet).toContain('Contoso Retail');
    const tables = await t.services.documents.getTables(tenantScope(t.dataDir, key));
    expect(tables.map((x) => x.table.locator).sort()).toEqual(['P&L FY2026!A1:E8', 'rows 1-25']);
  });
});
