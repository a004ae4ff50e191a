import { buildTable, type RawCell } from '../tables/build.ts';
import { typeCell } from '../tables/numbers.ts';
import { readPeriod } from '../tables/periods.ts';
import type { ParsedDocument, ParsedTable, TextBlock } from '../types.ts';
import { LIMITS, unreadable } from './limits.ts';
import { clean } from './text-blocks.ts';

/**
 * JSON: tables and text blocks. Metrics APIs and BI tools export a time series in a few shapes, and
 * each becomes the one typed table a CSV of the same figures gives (a period column, one column per
 * metric), so extraction reads them alike:
 * - an array of objects (`[{month, mrr, customers}]`): keys → columns; a nested object's fields are
 *   columns of their own (`{date, metrics: {mrr}}` → `mrr`);
 * - an object keyed by metric, each an array of `{date, value}` (ProfitWell, ChartMogul-style
 *   `{"mrr": [{"date": "2025-01", "value": 1200}]}`): one column per metric beside one period column;
 * - parallel arrays (`{"dates": [...], "mrr": [...]}`);
 * - an object keyed by period (`{"2025-01": {"mrr": 1200}}`).
 * Wherever they sit (`data`, `metrics`, `results` …). Tables are located `$.path`, cells
 * `$.path, row N, column "k"` (row N = the Nth item, or the Nth period of a merged series). Numbers
 * written as strings are typed as a CSV's cells are; an amount in cents says so in its key
 * (`mrr_cents`), read by the table's scale (tables/units.ts); a date key's Unix timestamp is its ISO day.
 * Other scalar values become text blocks
 * (`$.path`), so the numbers and words are searchable. Invalid JSON is 422 `unreadable_document`.
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
  walk(withDates(value, 0), '$', 0, blocks, tables);
  return { format: 'json', blocks, tables };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const childPath = (path: string, k: string) =>
  `${path}${/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}`;

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
    const series = seriesTable(value, path);
    if (series) tables.push(series.table);
    const byPeriod = series ? undefined : periodKeyedTable(value, path);
    if (byPeriod) {
      tables.push(byPeriod);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      if (series?.used.has(k)) continue;
      if (v !== null && typeof v !== 'object') {
        blocks.push({ text: clean(`${k}: ${String(v)}`), locator: childPath(path, k) });
      } else walk(v, childPath(path, k), depth + 1, blocks, tables);
    }
    return;
  }
  if (value !== null && value !== undefined) blocks.push({ text: clean(String(value)), locator: path });
}

/** Unix time in seconds or milliseconds, 2000–2100. */
const EPOCH_S = [946_684_800, 4_102_444_800] as const;

/**
 * Dates written as Unix timestamps (`"date": 1735689600`, `"timestamp": 1735689600000`, as billing APIs
 * write them) as the ISO day they are (UTC), under a key named as a date only: any other number stays a
 * figure.
 */
function withDates(value: unknown, depth: number): unknown {
  if (depth > LIMITS.maxJsonDepth + 2) return value;
  if (Array.isArray(value)) return value.length > 100_000 ? value : value.map((v) => withDates(v, depth + 1));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'number' && Number.isInteger(v) && DATE_KEY.test(k)) {
      const ms =
        v >= EPOCH_S[0] && v <= EPOCH_S[1]
          ? v * 1000
          : v >= EPOCH_S[0] * 1000 && v <= EPOCH_S[1] * 1000
            ? v
            : undefined;
      out[k] = ms === undefined ? v : new Date(ms).toISOString().slice(0, 10);
    } else out[k] = withDates(v, depth + 1);
  }
  return out;
}

/** A value that reads as a figure: a number, or a string a CSV cell would type as one (`"1,234.50"`, `"$12"`). */
function isFigure(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'string') return false;
  const kind = typeCell(v).kind;
  return kind === 'number' || kind === 'currency' || kind === 'percent';
}

/** A period as an export writes it: a date or month string, or a bare year (never another number: `45000` is MRR, not a date serial). */
const isPeriodValue = (v: unknown) =>
  (typeof v === 'string' && readPeriod(v) !== undefined) ||
  (typeof v === 'number' && Number.isInteger(v) && v > 1900 && v < 2101);

const DATE_KEY =
  /(?:^|[_\s-]|[a-z](?=[A-Z]))(?:date|month|period|time|timestamp|day|week|quarter|year)|^(?:date|month|period|time|timestamp|day|week|quarter|year)/i;

/** A point's figure under a key that names no metric. */
const VALUE_KEY = /^(?:value|values|val|v|y|amount|count|total|number|figure|metric|metric_value|data|result|sum)$/i;

/** Most of the values read as periods (at least two of them). */
function mostlyPeriods(values: unknown[]): boolean {
  const present = values.filter((v) => v !== null && v !== undefined && v !== '');
  return present.length >= 2 && present.filter(isPeriodValue).length >= present.length * 0.8;
}

/**
 * The period key and the one figure key of an array of `{date, value}` items (other keys, such as a
 * currency code, are left out); undefined when the items are not one series of unnamed figures.
 */
function pointSeries(
  value: unknown,
): { periodKey: string; valueKey: string; items: Record<string, unknown>[] } | undefined {
  if (!Array.isArray(value) || value.length < 2) return undefined;
  const items = value.filter(isRecord);
  if (items.length < value.length * 0.8) return undefined;
  const keys = [...new Set(items.slice(0, 200).flatMap((item) => Object.keys(item)))];
  // A key named as a date first (`date`, `month`, `period_start`), so a column of years-like figures is never the period.
  const ordered = [...keys.filter((k) => DATE_KEY.test(k)), ...keys.filter((k) => !DATE_KEY.test(k))];
  const periodKey = ordered.find((k) => mostlyPeriods(items.map((item) => item[k])));
  if (!periodKey) return undefined;
  const figures = keys.filter((k) => {
    if (k === periodKey) return false;
    const vs = items.map((item) => item[k]).filter((v) => v !== null && v !== undefined && v !== '');
    return vs.length >= items.length * 0.8 && vs.every(isFigure);
  });
  // The figure's key names no metric (`value`, `amount`): the series' own key does. A figure under a name of
  // its own (`[{month, mrr}]`) is a table's column, named by it.
  if (figures.length !== 1 || !VALUE_KEY.test(figures[0]!)) return undefined;
  // A point is a period and a figure, perhaps with a word or two (`currency: "usd"`); items with more to
  // them (`{month, mrr, metrics: {…}}`) are rows of a table of their own.
  const others = keys.filter((k) => k !== periodKey && k !== figures[0]);
  if (others.some((k) => items.some((item) => typeof item[k] === 'object' && item[k] !== null))) return undefined;
  return { periodKey, valueKey: figures[0]!, items };
}

/**
 * An object whose members are series — arrays of `{date, value}` keyed by metric, or arrays of figures
 * beside one array of periods — merged into one table: the period column, then one column per metric,
 * each period one row (in the order the periods first appear). `used`: the members it took.
 */
function seriesTable(
  obj: Record<string, unknown>,
  path: string,
): { table: ParsedTable; used: Set<string> } | undefined {
  const columns: Array<{ name: string; values: Map<string, unknown> }> = [];
  const periods = new Map<string, unknown>();
  const used = new Set<string>();
  let periodHeader: string | undefined;
  const add = (name: string, pairs: Array<[unknown, unknown]>) => {
    const values = new Map<string, unknown>();
    for (const [p, v] of pairs) {
      const key = readPeriod(p as string | number) ?? String(p);
      if (!periods.has(key)) periods.set(key, p);
      if (!values.has(key)) values.set(key, v);
    }
    columns.push({ name, values });
    used.add(name);
  };
  for (const [k, v] of Object.entries(obj)) {
    const s = pointSeries(v);
    if (!s) continue;
    periodHeader ??= s.periodKey;
    add(
      k,
      s.items.map((item) => [item[s.periodKey], item[s.valueKey]]),
    );
  }
  // Parallel arrays: one array of periods, the others of figures as long as it.
  if (columns.length === 0) {
    const entries = Object.entries(obj).filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
    const dates = entries.find(([, vs]) => mostlyPeriods(vs));
    if (dates) {
      for (const [k, vs] of entries) {
        if (k === dates[0] || vs.length !== dates[1].length || !vs.some(isFigure)) continue;
        if (!vs.every((v) => v === null || isFigure(v))) continue;
        add(
          k,
          dates[1].map((p, i) => [p, vs[i]]),
        );
      }
      if (columns.length > 0) {
        periodHeader = dates[0];
        used.add(dates[0]);
      }
    }
  }
  if (columns.length === 0 || !periodHeader) return undefined;
  const rows: RawCell[][] = [...periods].map(([key, raw]) => [
    rawOf(raw),
    ...columns.map((c) => rawOf(c.values.get(key))),
  ]);
  const grid: RawCell[][] = [[periodHeader, ...columns.map((c) => c.name)], ...rows.slice(0, LIMITS.maxTableRows)];
  const table = buildTable(grid, { prefix: `${path}, `, rowNumbers: grid.map((_, i) => i) });
  return table ? { table, used } : undefined;
}

/** An object keyed by period (`{"2025-01": {"mrr": 1200}, …}`): one row per period. */
function periodKeyedTable(obj: Record<string, unknown>, path: string): ParsedTable | undefined {
  const entries = Object.entries(obj);
  if (entries.length < 2 || !mostlyPeriods(entries.map(([k]) => k))) return undefined;
  if (!entries.every(([, v]) => isRecord(v) || v === null)) return undefined;
  const items = entries.map(([k, v]) => ({ period: k, ...(isRecord(v) ? v : {}) }));
  return tableOf(items, path);
}

/**
 * An array of objects as a table. A nested object's scalar fields are columns too, named by their own
 * key when no other column has it (`{date, metrics: {mrr}}` → `mrr`), else by the path (`eu.mrr`).
 */
function tableOf(items: Record<string, unknown>[], path: string): ParsedTable | undefined {
  const flat = items.map((item) => flatten(item));
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const item of flat.slice(0, 1_000)) {
    for (const k of item.keys()) {
      if (!seen.has(k) && keys.length < LIMITS.maxColumns) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  const leaf = (k: string) => k.slice(k.lastIndexOf('\u0000') + 1);
  const leafCount = new Map<string, number>();
  for (const k of keys) leafCount.set(leaf(k), (leafCount.get(leaf(k)) ?? 0) + 1);
  const header = keys.map((k) => (leafCount.get(leaf(k)) === 1 ? leaf(k) : k.split('\u0000').join('.')));
  const rows = flat.slice(0, LIMITS.maxTableRows).map((item) => keys.map((k) => rawOf(item.get(k))));
  const grid: RawCell[][] = [header, ...rows];
  return buildTable(grid, {
    prefix: `${path}, `,
    rowNumbers: grid.map((_, i) => i),
  });
}

/** An object's scalar fields, nested objects' fields keyed by their path (`a\0b`), two levels down at most. */
function flatten(item: Record<string, unknown>, prefix = '', depth = 0, out = new Map<string, unknown>()) {
  for (const [k, v] of Object.entries(item)) {
    const key = prefix ? `${prefix}\u0000${k}` : k;
    if (isRecord(v) && depth < 2 && Object.keys(v).length <= 50) flatten(v, key, depth + 1, out);
    else out.set(key, v);
  }
  return out;
}

function rawOf(v: unknown): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v).slice(0, 500);
}
