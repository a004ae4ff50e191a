import { buildTable, type RawCell } from '../tables/build.ts';
import type { ParsedDocument, ParsedTable, TextBlock } from '../types.ts';
import { LIMITS, unreadable } from './limits.ts';
import { clean } from './text-blocks.ts';

/**
 * JSON: every array of objects becomes a table (keys → columns, located `$.path, row N, column "k"`);
 * other scalar values become text blocks (`$.path`), so the numbers and words are searchable.
 */
export function parseJson(text: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw unreadable(`The file is not valid JSON: ${(err as Error).message}`);
  }
  const blocks: TextBlock[] = [];
  const tables: ParsedTable[] = [];
  walk(value, '$', 0, blocks, tables);
  return { format: 'json', blocks, tables };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function walk(value: unknown, path: string, depth: number, blocks: TextBlock[], tables: ParsedTable[]): void {
  if (depth > LIMITS.maxJsonDepth || blocks.length > 50_000) return;
  if (Array.isArray(value)) {
    const objects = value.filter(isRecord);
    if (objects.length > 0 && objects.length >= value.length * 0.8) {
      const table = tableOf(objects, path);
      if (table) tables.push(table);
      return;
    }
    for (const [i, v] of value.slice(0, 10_000).entries()) walk(v, `${path}[${i}]`, depth + 1, blocks, tables);
    return;
  }
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      const key = /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
      if (v !== null && typeof v !== 'object') {
        blocks.push({ text: clean(`${k}: ${String(v)}`), locator: `${path}${key}` });
      } else walk(v, `${path}${key}`, depth + 1, blocks, tables);
    }
    return;
  }
  if (value !== null && value !== undefined) blocks.push({ text: clean(String(value)), locator: path });
}

function tableOf(items: Record<string, unknown>[], path: string): ParsedTable | undefined {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const item of items.slice(0, 1_000)) {
    for (const k of Object.keys(item)) {
      if (!seen.has(k) && keys.length < LIMITS.maxColumns) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  const rows = items.slice(0, LIMITS.maxTableRows).map((item) => keys.map((k) => rawOf(item[k])));
  const grid: RawCell[][] = [keys, ...rows];
  return buildTable(grid, {
    prefix: `${path}, `,
    rowNumbers: grid.map((_, i) => i),
  });
}

function rawOf(v: unknown): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v).slice(0, 500);
}
