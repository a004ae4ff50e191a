import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractMetrics } from '../../src/documents/extract-metrics.ts';
import { parseDocument } from '../../src/documents/parse/index.ts';
import { buildPassages } from '../../src/documents/passages.ts';
import { cellLocator } from '../../src/documents/tables/locate.ts';
import { makePlacedPdf, type PlacedText } from './fixtures.ts';

/**
 * Tables drawn on a PDF page (parse/pdf-tables.ts): a PDF has no table structure, only text placed on the
 * page, so a table is read from where its cells stand. Layouts here are drawn with pdf-lib the way a
 * designed update draws them: labels flush left, figures flush right under left-aligned column headers.
 */
let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-pdf-tables-'));
});
afterAll(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function parse(name: string, pdf: Buffer) {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, pdf);
  const parsed = await parseDocument(file, 'pdf');
  return { parsed, points: extractMetrics(parsed, { document_id: 'doc_pdf01', document_name: name }) };
}

/** Rows of a table from `top` down: the first column flush left at 60, the others flush right at their edges. */
function table(rows: string[][], top: number, edges = [300, 400, 500]): PlacedText[] {
  return rows.flatMap((row, r) =>
    row.flatMap((text, c): PlacedText[] => {
      if (!text) return [];
      const y = top - r * 16;
      if (c === 0) return [{ text, x: 60, y, bold: r === 0 }];
      // The header names its column from the column's left; figures end at its right edge.
      return r === 0 ? [{ text, x: edges[c - 1]! - 45, y, bold: true }] : [{ text, x: edges[c - 1]!, y, right: true }];
    }),
  );
}

describe('a KPI table in a PDF', () => {
  it('is read as a typed table with its quarter columns, k / M amounts and percents', async () => {
    const pdf = await makePlacedPdf([
      { text: 'Quarterly scorecard', x: 60, y: 720, size: 13, bold: true },
      ...table(
        [
          ['Metric', 'Q2 FY25', 'Q1 FY25', 'Q4 FY24'],
          ['Total revenue', '$1,480k', '$1,395k', '$1.31M'],
          ['Gross margin %', '71.2%', '70.4%', '69.9%'],
          ['Ending cash', '$9.35M', '$9.76M', '$10.1M'],
          ['Paying customers', '412', '398', '381'],
        ],
        696,
      ),
      { text: 'Revenue grew again this quarter, helped by two enterprise renewals.', x: 60, y: 600 },
    ]);
    const { parsed, points } = await parse('scorecard.pdf', pdf);
    expect(parsed.tables).toHaveLength(1);
    const t = parsed.tables[0]!;
    expect(t.title).toBe('Quarterly scorecard');
    expect(t.header).toEqual(['Metric', 'Q2 FY25', 'Q1 FY25', 'Q4 FY24']);
    expect(t.rows).toEqual([
      ['Total revenue', 1_480_000, 1_395_000, 1_310_000],
      ['Gross margin %', 71.2, 70.4, 69.9],
      ['Ending cash', 9_350_000, 9_760_000, 10_100_000],
      ['Paying customers', 412, 398, 381],
    ]);
    expect(t.orientation).toBe('wide');
    expect(cellLocator(t, 0, 1)).toBe('page 1 table 1, row 2, column "Q2 FY25"');
    // The metric extraction reads it as it reads any other document's table: fiscal quarters as such.
    const at = (metric: string, period: string) => points.find((p) => p.metric === metric && p.period === period);
    expect(at('revenue', 'FY2025-Q2')).toMatchObject({ value: 1_480_000, currency: 'USD' });
    expect(at('gross_margin', 'FY2025-Q1')).toMatchObject({ value: 70.4, unit: 'percent' });
    expect(at('cash', 'FY2024-Q4')?.value).toBe(10_100_000);
    expect(at('customers', 'FY2025-Q2')?.value).toBe(412);
    // The rows are searchable as table rows; the paragraph after the table is no row's text, nor under one.
    const passages = buildPassages(parsed);
    expect(passages).toContainEqual({
      locator: 'page 1 table 1, row 2',
      heading: 'Quarterly scorecard',
      text: 'Total revenue; Q2 FY25: 1480000; Q1 FY25: 1395000; Q4 FY24: 1310000',
    });
    const paragraph = parsed.blocks.find((b) => b.text.startsWith('Revenue grew again this quarter'));
    expect(paragraph?.heading).toBe('Quarterly scorecard');
    expect(parsed.blocks.some((b) => b.text.includes('$1,480k') || b.heading?.includes('$'))).toBe(false);
  });

  it('leaves a cell the table does not fill empty, never taking the next column’s figure', async () => {
    const pdf = await makePlacedPdf(
      table(
        [
          ['', 'Q2 FY25', 'Q1 FY25', 'Q4 FY24'],
          ['Bookings', '$620k', '$580k', '$540k'],
          ['Net burn', '$410k', '', '$455k'],
          ['Headcount', '48', '46', '44'],
        ],
        700,
      ),
    );
    const { parsed, points } = await parse('gaps.pdf', pdf);
    expect(parsed.tables[0]!.rows[1]).toEqual(['Net burn', 410_000, null, 455_000]);
    const burn = points
      .filter((p) => p.metric === 'net_burn')
      .map((p) => [p.period, p.value])
      .sort();
    expect(burn).toEqual([
      ['FY2024-Q4', 455_000],
      ['FY2025-Q2', 410_000],
    ]);
  });

  it('does not read a paragraph with figures, words set apart or two text columns as a table', async () => {
    const words = 'Cash at the end of the quarter was $9.35M and net burn $410k , down from $455k .'.split(' ');
    let x = 60;
    const wordByWord: PlacedText[] = words.map((w) => {
      const run = { text: w, x, y: 600 };
      x += w.length * 5.2 + 3; // about a word space apart, as generators that write one word per run set them
      return run;
    });
    const pdf = await makePlacedPdf([
      { text: 'Revenue was $1,480k in Q2 FY25, up from $1,395k in Q1 FY25 and $1.31M', x: 60, y: 700 },
      { text: 'in Q4 FY24. Gross margin reached 71.2% (70.4% the quarter before), and we', x: 60, y: 686 },
      { text: 'ended with 412 paying customers, 14 more than in Q1 FY25.', x: 60, y: 672 },
      ...wordByWord,
      // A two-column layout of prose: lines side by side, not cells.
      { text: 'We signed 14 new customers in the', x: 60, y: 500 },
      { text: 'The board approved the FY26 budget', x: 330, y: 500 },
      { text: 'quarter, 3 of them on annual plans', x: 60, y: 486 },
      { text: 'of $4.2M and a hiring plan for 12', x: 330, y: 486 },
      { text: 'worth $310k in total.', x: 60, y: 472 },
      { text: 'people across 3 teams.', x: 330, y: 472 },
    ]);
    const { parsed, points } = await parse('prose.pdf', pdf);
    expect(parsed.tables).toEqual([]);
    expect(points).toEqual([]);
    expect(parsed.blocks.map((b) => b.text).join(' ')).toContain('Revenue was $1,480k in Q2 FY25');
  });
});
