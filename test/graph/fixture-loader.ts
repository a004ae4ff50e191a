import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { lineItemId, metricForLabel } from '../../src/graph/catalog.ts';
import type { MetricPoint, Unit } from '../../src/graph/types.ts';
import { parsePeriod } from '../../src/lib/periods.ts';

/**
 * A tiny test-local extractor (the documents part has the real one): long CSVs (periods in rows) and
 * wide sheets (periods in columns) → MetricPoints, header names mapped through the shared catalog.
 */
export const NORTHWIND = path.join(import.meta.dirname, '..', 'fixtures', 'northwind');

function metricOf(label: string): { metric: string; unit: Unit } {
  const def = metricForLabel(label);
  if (def) return { metric: def.id, unit: def.unit };
  return { metric: lineItemId(label), unit: /%|pct|percent|margin/i.test(label) ? 'percent' : 'currency' };
}

export function longCsvPoints(text: string, documentId: string, documentName: string): MetricPoint[] {
  const rows = parse(text, { skip_empty_lines: true }) as string[][];
  const [header, ...body] = rows as [string[], ...string[][]];
  const points: MetricPoint[] = [];
  body.forEach((row, r) => {
    const period = parsePeriod(row[0] ?? '');
    if (!period) return;
    header.slice(1).forEach((label, i) => {
      const raw = row[i + 1];
      if (raw === undefined || raw === '') return;
      const { metric, unit } = metricOf(label);
      points.push({
        metric,
        label,
        period,
        value: Number(raw.replace(/[$,%]/g, '')),
        unit,
        source: { document_id: documentId, document_name: documentName, locator: `row ${r + 2}, column "${label}"` },
      });
    });
  });
  return points;
}

/** A wide table: first column line items, first row periods. */
export function wideRowsPoints(
  rows: Array<Array<string | number | null>>,
  documentId: string,
  documentName: string,
  sheet = 'Sheet1',
): MetricPoint[] {
  const [header, ...body] = rows as [Array<string | number | null>, ...Array<Array<string | number | null>>];
  const periods = header.map((h) => (h === null ? undefined : parsePeriod(h)));
  const points: MetricPoint[] = [];
  body.forEach((row, r) => {
    const label = String(row[0] ?? '').trim();
    if (!label) return;
    const { metric, unit } = metricOf(label);
    row.forEach((cell, c) => {
      const period = periods[c];
      if (c === 0 || !period || cell === null || cell === '') return;
      const value = typeof cell === 'number' ? cell : Number(String(cell).replace(/[$,%]/g, ''));
      if (!Number.isFinite(value)) return;
      const col = String.fromCharCode(65 + c);
      points.push({
        metric,
        label,
        period,
        value,
        unit,
        source: { document_id: documentId, document_name: documentName, locator: `${sheet}!${col}${r + 2}` },
      });
    });
  });
  return points;
}

export async function xlsxPoints(file: string, documentId: string): Promise<MetricPoint[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const points: MetricPoint[] = [];
  wb.eachSheet((ws) => {
    const rows: Array<Array<string | number | null>> = [];
    ws.eachRow((row) => {
      const values = (row.values as unknown[])
        .slice(1)
        .map((v) => (typeof v === 'number' || typeof v === 'string' ? v : null));
      rows.push(values);
    });
    points.push(...wideRowsPoints(rows, documentId, path.basename(file), ws.name));
  });
  return points;
}

export async function northwindPoints(): Promise<{ csv: MetricPoint[]; xlsx: MetricPoint[] }> {
  const csvName = 'northwind_metrics_2024-2026.csv';
  const csv = longCsvPoints(fs.readFileSync(path.join(NORTHWIND, csvName), 'utf8'), 'doc_csv', csvName);
  const xlsx = await xlsxPoints(path.join(NORTHWIND, 'northwind_pnl_fy2026.xlsx'), 'doc_xlsx');
  return { csv, xlsx };
}
