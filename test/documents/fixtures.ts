import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { PDFDocument, PDFHexString, PDFName, StandardFonts } from 'pdf-lib';

/** Test fixtures built in code: each format with known text and tables, and the bad inputs. */

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Lie about the uncompressed size in the headers (a zip bomb's signature). */
  claimSize?: number;
}

/** A minimal zip writer (deflate), enough for DOCX/XLSX fixtures and zip bombs. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const compressed = zlib.deflateRawSync(e.data);
    const crc = zlib.crc32(e.data);
    const size = e.claimSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const xml = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${s}`);
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

function para(text: string, style?: string): string {
  const pPr = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : '';
  return `<w:p>${pPr}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
}

function table(rows: string[][]): string {
  const trs = rows.map((r) => `<w:tr>${r.map((c) => `<w:tc>${para(c)}</w:tc>`).join('')}</w:tr>`).join('');
  return `<w:tbl>${trs}</w:tbl>`;
}

/** A Word document: a heading, two paragraphs, a second heading and a wide table. */
export function makeDocx(): Buffer {
  const body = [
    para('Quarterly review', 'Heading1'),
    para('Revenue grew strongly thanks to the Contoso Retail expansion.'),
    para('Hosting costs on AWS rose with usage.'),
    para('Operating expenses', 'Heading1'),
    table([
      ['Line item', 'Jan 2026', 'Feb 2026', 'Mar 2026'],
      ['AWS hosting', '$12,400', '$13,100', '$13,900'],
      ['Headcount', '41', '42', '44'],
    ]),
  ].join('');
  return zip([
    {
      name: '[Content_Types].xml',
      data: xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
    },
    {
      name: 'word/_rels/document.xml.rels',
      data: xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
      ),
    },
    {
      name: 'word/styles.xml',
      data: xml(
        `<w:styles ${W}><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>`,
      ),
    },
    { name: 'word/document.xml', data: xml(`<w:document ${W}><w:body>${body}</w:body></w:document>`) },
  ]);
}

/** A PDF with one line list per page. */
export async function makePdf(pages: string[][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([612, 792]);
    lines.forEach((line, i) => {
      page.drawText(line, { x: 50, y: 740 - i * 16, size: 11, font });
    });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A run of text placed on a PDF page: its left edge, or its right edge with `right` (a figure set flush right). */
export interface PlacedText {
  text: string;
  x: number;
  y: number;
  size?: number;
  bold?: boolean;
  right?: boolean;
}

/** A one-page PDF with every run where it is placed (what a designed update or slide export draws). */
export async function makePlacedPdf(runs: PlacedText[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([612, 792]);
  for (const r of runs) {
    const f = r.bold ? bold : font;
    const size = r.size ?? 10;
    const x = r.right ? r.x - f.widthOfTextAtSize(r.text, size) : r.x;
    page.drawText(r.text, { x, y: r.y, size, font: f });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A PDF whose trailer asks for a password (standard security handler; no password opens it). */
export async function makeEncryptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText('secret', { x: 20, y: 100 });
  const encrypt = doc.context.obj({ Filter: 'Standard', V: 1, R: 2, Length: 40, P: -4 });
  encrypt.set(PDFName.of('O'), PDFHexString.of('ab'.repeat(32)));
  encrypt.set(PDFName.of('U'), PDFHexString.of('cd'.repeat(32)));
  doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of('01'.repeat(16)), PDFHexString.of('01'.repeat(16))]);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/**
 * A workbook with a long sheet under two title rows (month as date serials, currency-formatted MRR,
 * percent-formatted gross margin, a formula) and a wide sheet with date-cell headers.
 */
export async function makeXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const kpi = wb.addWorksheet('KPIs');
  kpi.getCell('A1').value = 'Acme Corp — monthly KPIs';
  kpi.getCell('A2').value = 'Prepared by finance';
  kpi.addRow([]);
  kpi.getRow(4).values = ['Month', 'MRR', 'Gross margin', 'New logos', 'Total'];
  const months = [46023, 46054, 46082]; // 2026-01-01, 2026-02-01, 2026-03-01 as Excel serials
  const mrr = [100000, 104500, 110250];
  const gm = [0.782, 0.79, 0.801];
  months.forEach((m, i) => {
    const r = kpi.getRow(5 + i);
    r.getCell(1).value = m;
    r.getCell(2).value = mrr[i]!;
    r.getCell(2).numFmt = '"$"#,##0';
    r.getCell(3).value = gm[i]!;
    r.getCell(3).numFmt = '0.0%';
    r.getCell(4).value = 5 + i;
    r.getCell(5).value = { formula: `B${5 + i}+D${5 + i}`, result: mrr[i]! + 5 + i };
  });
  const pl = wb.addWorksheet('P&L');
  pl.addRow([
    'Line item',
    new Date(Date.UTC(2026, 0, 31)),
    new Date(Date.UTC(2026, 1, 28)),
    new Date(Date.UTC(2026, 2, 31)),
  ]);
  pl.addRow(['AWS hosting', 12400, 13100, 13900]);
  pl.addRow(['Research & Development', 150000, 152000, 155000]);
  const notes = wb.addWorksheet('Notes');
  notes.getCell('A1').value = 'Numbers are unaudited.';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** `multipart/form-data` for `app.inject`. */
export function multipart(files: Array<{ filename: string; content: Buffer | string; field?: string }>): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----opsorch${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'file'}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
