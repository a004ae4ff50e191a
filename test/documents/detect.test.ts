import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/documents/detect.ts';
import { cleanDisplayName, contentDisposition } from '../../src/documents/names.ts';
import { parseDocument } from '../../src/documents/parse/index.ts';
import { typeCell } from '../../src/documents/tables/numbers.ts';
import { makeDocx, makeEncryptedPdf, makePdf, makeXlsx, zip } from './fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-detect-'));
});
afterAll(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: Buffer | string): Promise<string> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  await fs.promises.writeFile(file, content);
  return file;
}

const detect = async (name: string, content: Buffer | string) =>
  (await detectFormat(await write(name, content), name)).format;

describe('detectFormat', () => {
  it('agrees content and name for every accepted format', async () => {
    expect(await detect('a.pdf', await makePdf([['x']]))).toBe('pdf');
    expect(await detect('a.docx', makeDocx())).toBe('docx');
    expect(await detect('a.xlsx', await makeXlsx())).toBe('xlsx');
    expect(await detect('a.csv', 'a,b\n1,2\n')).toBe('csv');
    expect(await detect('a.TSV', 'a\tb\n')).toBe('tsv');
    expect(await detect('a.md', '# hi\n')).toBe('md');
    expect(await detect('a.txt', 'héllo wörld\n')).toBe('txt');
    expect(await detect('a.json', '{"a":1}')).toBe('json');
  });

  it('refuses a mismatch or another type with 415 unsupported_type', async () => {
    const cases: Array<[string, Buffer | string]> = [
      ['a.exe', 'MZ...'],
      ['noext', 'hello'],
      ['a.pdf', 'just text'],
      ['a.csv', await makePdf([['x']])],
      ['a.xlsx', makeDocx()],
      ['a.docx', await makeXlsx()],
      ['a.docx', zip([{ name: 'hello.txt', data: Buffer.from('hi') }])],
      ['data.csv', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x41, 0x42])],
      ['latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])],
    ];
    for (const [name, content] of cases) {
      await expect(detect(name, content), name).rejects.toMatchObject({ status: 415, code: 'unsupported_type' });
    }
  });

  it('refuses zip bombs before any parser runs', async () => {
    const base = [
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
    ];
    const bigClaim = zip([
      ...base,
      { name: 'word/media/huge.bin', data: Buffer.from('x'), claimSize: 300 * 1024 * 1024 },
    ]);
    await expect(detect('bomb.docx', bigClaim)).rejects.toMatchObject({ status: 422, code: 'archive_too_large' });
    const many = zip([
      ...base,
      ...Array.from({ length: 5_100 }, (_, i) => ({ name: `word/x${i}.xml`, data: Buffer.alloc(0) })),
    ]);
    await expect(detect('many.docx', many)).rejects.toMatchObject({ status: 422, code: 'archive_too_large' });
    const dense = zip([...base, { name: 'xl/zeros.bin', data: Buffer.alloc(20 * 1024 * 1024) }]);
    await expect(detect('dense.xlsx', dense)).rejects.toMatchObject({ status: 422, code: 'archive_too_large' });
    await expect(detect('cut.xlsx', (await makeXlsx()).subarray(0, 100))).rejects.toMatchObject({
      status: 422,
      code: 'unreadable_document',
    });
  });

  it('a password-protected PDF → 422 encrypted_document', async () => {
    const file = await write('locked.pdf', await makeEncryptedPdf());
    await expect(parseDocument(file, 'pdf')).rejects.toMatchObject({ status: 422, code: 'encrypted_document' });
  });
});

describe('names and cells', () => {
  it('cleans display names of path parts, control characters and markup', () => {
    expect(cleanDisplayName('../../etc/passwd.csv')).toBe('passwd.csv');
    expect(cleanDisplayName('C:\\Users\\me\\report.xlsx')).toBe('report.xlsx');
    expect(cleanDisplayName('evil\u0000name.txt')).toBe('evilname.txt');
    expect(cleanDisplayName('<script>alert(1)</script>.md')).toBe('script_.md');
    expect(cleanDisplayName('<img src=x onerror=alert(1)>.md')).toBe('_img src=x onerror=alert(1)_.md');
    expect(cleanDisplayName('..')).toBe('document');
    expect(cleanDisplayName(`${'a'.repeat(300)}.csv`)).toHaveLength(200);
    expect(cleanDisplayName(`${'a'.repeat(300)}.csv`).endsWith('.csv')).toBe(true);
    // A Notion export's page id is no part of the title: its digits would read as figures in an answer.
    expect(cleanDisplayName('Q2 Investor Letter 0b7e4c1d9a2f4e6b8c3d5a7f9e1b2c4d.md')).toBe('Q2 Investor Letter.md');
    expect(cleanDisplayName('Exports/Hiring notes 0B7E4C1D9A2F4E6B8C3D5A7F9E1B2C4D')).toBe('Hiring notes');
    // Not a Notion id: fewer digits, no space before it, or the whole name.
    expect(cleanDisplayName('Ledger 0b7e4c1d9a2f.md')).toBe('Ledger 0b7e4c1d9a2f.md');
    expect(cleanDisplayName('export_0b7e4c1d9a2f4e6b8c3d5a7f9e1b2c4d.csv')).toBe(
      'export_0b7e4c1d9a2f4e6b8c3d5a7f9e1b2c4d.csv',
    );
    expect(cleanDisplayName('0b7e4c1d9a2f4e6b8c3d5a7f9e1b2c4d.md')).toBe('0b7e4c1d9a2f4e6b8c3d5a7f9e1b2c4d.md');
    expect(contentDisposition('rapport é "x".pdf')).toBe(
      `attachment; filename="rapport _ _x_.pdf"; filename*=UTF-8''rapport%20%C3%A9%20%22x%22.pdf`,
    );
  });

  it('types numbers as people write them', () => {
    expect(typeCell('$1,234.50')).toEqual({ value: 1234.5, kind: 'currency', currency: 'USD' });
    expect(typeCell('(1,200)')).toEqual({ value: -1200, kind: 'number' });
    expect(typeCell('-12%')).toEqual({ value: -12, kind: 'percent' });
    expect(typeCell('€1.2M')).toEqual({ value: 1200000, kind: 'currency', currency: 'EUR' });
    expect(typeCell('1,200 GBP')).toEqual({ value: 1200, kind: 'currency', currency: 'GBP' });
    expect(typeCell('15k')).toEqual({ value: 15000, kind: 'number' });
    expect(typeCell('$(3.5k)')).toEqual({ value: -3500, kind: 'currency', currency: 'USD' });
    expect(typeCell('n/a')).toEqual({ value: null, kind: 'empty' });
    expect(typeCell('Q1 2026')).toEqual({ value: 'Q1 2026', kind: 'text' });
    expect(typeCell('1,2,3')).toEqual({ value: '1,2,3', kind: 'text' });
  });
});
