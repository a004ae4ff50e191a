import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../src/documents/types.ts';
import { multipart } from '../documents/fixtures.ts';
import { buildTestApp, errorCode, type TestApp } from '../server/helpers.ts';

/**
 * Odd files a partner really has: password-protected Office files (real ones, saved encrypted by
 * Office: test/fixtures/office/README.md), CSV exports in Windows-1252 / Latin-1 / UTF-16.
 */
const OFFICE = path.join(import.meta.dirname, '../fixtures/office');

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await buildTestApp();
  key = (await t.createTenant('Odd Files')).key;
});
afterAll(async () => {
  await t.close();
});

async function upload(filename: string, content: Buffer | string) {
  const { payload, headers } = multipart([{ filename, content }]);
  return t.asTenant(key, { method: 'POST', url: '/api/documents?wait=true', payload, headers });
}

const documents = async () =>
  ((await t.asTenant(key, { method: 'GET', url: '/api/documents' })).json() as { documents: DocumentRecord[] })
    .documents;

describe('password-protected Office files', () => {
  it.each([
    ['budget.xlsx', 'example_password.xlsx'],
    ['review.docx', 'example_password.docx'],
    ['memo.docx', 'ecma376standard_password.docx'],
  ])('%s (%s) → 422 encrypted_document, nothing stored', async (name, fixture) => {
    const before = (await documents()).length;
    const res = await upload(name, fs.readFileSync(path.join(OFFICE, fixture)));
    expect(res.statusCode, res.body).toBe(422);
    expect(errorCode(res)).toBe('encrypted_document');
    expect(res.json().error.message).toMatch(/password-protected/);
    expect((await documents()).length).toBe(before);
  });

  it('an old binary .xls renamed .xlsx (OLE2, not encrypted) is still a 415 mismatch', async () => {
    const res = await upload('old.xlsx', fs.readFileSync(path.join(OFFICE, 'plain.xls')));
    expect(res.statusCode).toBe(415);
    expect(errorCode(res)).toBe('unsupported_type');
  });
});

const charsetOf = (contentType: unknown) => /charset=([\w-]+)/.exec(String(contentType))?.[1] ?? 'missing';

describe('CSV character sets', () => {
  const csv =
    'Période;Chiffre d’affaires (€);Coût des ventes;Clients\n2026-01;120000;45000;10\n2026-02;125000;46000;12\n';
  const latin1 = 'Période,Coût des ventes,Clients\n2026-01,45000,10\n2026-02,46000,12\n';

  it.each([
    ['windows-1252', csv, iconv.encode(csv, 'windows-1252')],
    ['latin-1', latin1, iconv.encode(latin1, 'latin1')],
    ['utf-16 with BOM', csv, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csv, 'utf-16le')])],
    ['utf-16 without BOM', csv, iconv.encode(csv, 'utf-16le')],
    ['utf-8 with BOM', csv, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)])],
  ])('%s: ready, the accented header read right', async (_label, text, bytes) => {
    const res = await upload(`export-${Math.random().toString(36).slice(2)}.csv`, bytes);
    expect(res.statusCode, res.body).toBe(201);
    const doc = (res.json() as { documents: DocumentRecord[] }).documents[0]!;
    expect(doc.status).toBe('ready');
    const detail = (await t.asTenant(key, { method: 'GET', url: `/api/documents/${doc.id}` })).json();
    const header = detail.preview.tables[0].header as string[];
    expect(header).toEqual(text.split('\n')[0]!.split(text.includes(';') ? ';' : ','));
    expect(JSON.stringify(detail)).not.toContain('\uFFFD');
    // The download gives back the original bytes, labelled with the character set they are in.
    const download = await t.asTenant(key, { method: 'GET', url: `/api/documents/${doc.id}/file` });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);
    expect(iconv.decode(download.rawPayload, charsetOf(download.headers['content-type'])).replace(/^\uFEFF/, '')).toBe(
      text,
    );
  });

  it('binary bytes named .csv are still refused', async () => {
    const res = await upload('x.csv', Buffer.from([0, 1, 2, 3, 255, 254, 7, 8, 0, 0, 200, 3, 4, 5, 0, 9]));
    expect(res.statusCode).toBe(415);
  });
});

describe('a scanned (image-only) PDF', () => {
  it('is ready, with a visible warning that no text was found', async () => {
    const { PDFDocument, rgb } = await import('pdf-lib');
    const pdf = await PDFDocument.create();
    const page = pdf.addPage([300, 400]);
    // A drawn "scan": shapes, no text.
    page.drawRectangle({ x: 20, y: 20, width: 260, height: 360, color: rgb(0.9, 0.9, 0.85) });
    page.drawRectangle({ x: 40, y: 300, width: 200, height: 8, color: rgb(0.2, 0.2, 0.2) });
    const res = await upload('scan.pdf', Buffer.from(await pdf.save()));
    expect(res.statusCode, res.body).toBe(201);
    const doc = (res.json() as { documents: DocumentRecord[] }).documents[0]!;
    expect(doc.status).toBe('ready');
    expect(doc.warning).toBe('No text found — a scanned PDF? OCR is not supported.');
    const listed = (await documents()).find((d) => d.id === doc.id);
    expect(listed?.warning).toBe(doc.warning);
  });

  it('a PDF with text has no warning', async () => {
    const { makePdf } = await import('../documents/fixtures.ts');
    const res = await upload('memo.pdf', await makePdf([['Runway memo: 18 months.']]));
    expect((res.json() as { documents: DocumentRecord[] }).documents[0]!.warning ?? null).toBeNull();
  });
});
