import { z } from 'zod';
import { isEntityList } from '../../documents/extract-metrics.ts';
import { cellLocator } from '../../documents/tables/locate.ts';
import { readPeriod } from '../../documents/tables/periods.ts';
import type { CellValue, ParsedTable } from '../../documents/types.ts';
import { normalizeLabel } from '../../graph/catalog.ts';
import { calendarPeriod } from '../../graph/engine/data.ts';
import { resolvePeriod } from '../../graph/engine/periods.ts';
import { comparePeriods, monthsOf } from '../../lib/periods.ts';
import type { Citation } from '../types.ts';
import { defineTool, PeriodId } from './define.ts';
import type { TableRef, ToolPorts } from './ports.ts';

export interface TablePoint {
  period: string;
  value: number;
  locator: string;
}

export interface QueryTableOutput {
  /** The line item's label as the table writes it. */
  item: string;
  document_id: string;
  document_name: string;
  op: 'value' | 'sum' | 'avg' | 'max' | 'min';
  period: string;
  /** null for `op: "value"` over several cells. */
  value: number | null;
  /** The period of the max / min cell. */
  value_period?: string;
  points: TablePoint[];
  sources: Citation[];
}

export interface TableMatch {
  ref: TableRef;
  label: string;
  points: TablePoint[];
  exact: boolean;
}

/**
 * Output: `{item, document_id, document_name, op, period, value, value_period?, points, sources}` —
 * the line item's cells straight from an uploaded table (with their cell locators), reduced by `op`.
 * `op: "value"` over several cells gives `value: null` and the cells (ask for sum/avg/max/min).
 */
export const queryTableTool = (ports: ToolPorts) =>
  defineTool({
    name: 'query_table',
    description:
      'Reads a line item (a row or column label such as "AWS hosting" or "Cancellations") from the uploaded ' +
      'tables: its value in a period, or the sum, average, max or min over a range of periods, with the cells used.',
    input: z.object({
      item: z.string().trim().min(1).max(200).describe('The line item as labelled in the table'),
      period: PeriodId.optional().describe('A month, quarter, year or range; omit for every period'),
      op: z.enum(['value', 'sum', 'avg', 'max', 'min']).optional().describe('Default "value"'),
      document_id: z.string().trim().max(80).optional().describe('Restrict to one document'),
    }),
    async run(ctx, input): Promise<QueryTableOutput> {
      // A budget or forecast table's line is the plan, never what happened (get_metric with plan reads it).
      const tables = (await ports.documents.tables(ctx.scope)).filter(
        (t) => !t.plan && (input.document_id === undefined || t.document_id === input.document_id),
      );
      // Periods are read with the company's fiscal year: a `Q3 FY26` column of a February year is August –
      // October, and `FY2026` asked is that year's months, as every metric answer reads them.
      const tenant = await ports.graph.periodContext?.(ctx.scope);
      const fiscalStartMonth = tenant?.fiscalStartMonth ?? (await ports.graph.fiscalStartMonth?.(ctx.scope)) ?? 1;
      const { match, ambiguous } = lineItemMatch(tables, input.item, fiscalStartMonth);
      if (ambiguous) {
        throw Object.assign(
          new Error(
            `"${input.item}" is part of several lines (${ambiguous.map((l) => `"${l}"`).join(', ')}) and no total of them; name one.`,
          ),
          { code: 'item_ambiguous' },
        );
      }
      if (!match) {
        throw Object.assign(new Error(`No table has a line item named "${input.item}".`), { code: 'item_not_found' });
      }
      const asked = input.period
        ? resolvePeriod({ latestMonth: tenant?.latestMonth, fiscalStartMonth }, input.period)
        : undefined;
      const points = input.period
        ? pointsWithin(match.points, input.period, asked?.ok ? asked.period.months : undefined)
        : match.points;
      if (points.length === 0) {
        throw Object.assign(
          new Error(
            `"${match.label}" has no value for ${input.period} (it covers ${match.points[0]?.period} to ${match.points.at(-1)?.period}).`,
          ),
          { code: 'period_not_found' },
        );
      }
      const op = input.op ?? 'value';
      const reduced = reduce(points, op);
      return {
        item: match.label,
        document_id: match.ref.document_id,
        document_name: match.ref.document_name,
        op,
        period: input.period ?? `${points[0]?.period}..${points.at(-1)?.period}`,
        value: reduced.value,
        ...(reduced.period ? { value_period: reduced.period } : {}),
        points,
        sources: (reduced.point ? [reduced.point] : points).slice(0, 12).map((p) => ({
          document_id: match.ref.document_id,
          document_name: match.ref.document_name,
          locator: p.locator,
        })),
      };
    },
  });

function reduce(points: TablePoint[], op: string): { value: number | null; period?: string; point?: TablePoint } {
  if (op === 'value') return points.length === 1 ? { value: points[0]!.value, point: points[0] } : { value: null };
  if (op === 'sum') return { value: round(points.reduce((s, p) => s + p.value, 0)) };
  if (op === 'avg') return { value: round(points.reduce((s, p) => s + p.value, 0) / points.length) };
  const pick = points.reduce((best, p) => ((op === 'max' ? p.value > best.value : p.value < best.value) ? p : best));
  return { value: pick.value, period: pick.period, point: pick };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * Cells whose period lies inside `period` (a month, quarter, year or `a..b` month range; `months`: the
 * months it resolved to with the company's fiscal year, when known).
 */
export function pointsWithin(points: TablePoint[], period: string, resolved?: string[]): TablePoint[] {
  const exact = points.filter((p) => p.period === period);
  if (exact.length > 0) return exact;
  const months = new Set(resolved ?? rangeMonths(period));
  return points.filter((p) => monthsOf(p.period).every((m) => months.has(m)));
}

function rangeMonths(period: string): string[] {
  const range = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/.exec(period);
  if (!range) return monthsOf(period);
  const out: string[] = [];
  const [start, end] = [range[1]!, range[2]!];
  for (let m = start; m <= end && out.length < 1200; ) {
    out.push(m);
    const [y, mo] = m.split('-').map(Number) as [number, number];
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  }
  return out;
}

/**
 * The best table line for `item`: an exact label match first, then a label that contains it. Among lines
 * that only contain it, a `Total …` line is the whole the others are parts of (`Total revenue` for
 * "revenue"); lines of different names and no total (`Subscription revenue`, `Services revenue`) are each
 * a part, so none is the line asked for: `ambiguous` lists them and no line is returned.
 */
export function lineItemMatch(
  tables: TableRef[],
  item: string,
  fiscalStartMonth = 1,
): { match?: TableMatch; ambiguous?: string[] } {
  const wanted = normalizeLabel(item);
  if (!wanted) return {};
  let best: TableMatch | undefined;
  const partial = new Map<string, TableMatch>();
  for (const ref of tables) {
    for (const candidate of lineItems(ref.table, fiscalStartMonth)) {
      const label = normalizeLabel(candidate.label);
      const exact = label === wanted;
      if (!exact && !(label.includes(wanted) || (wanted.includes(label) && label.length >= 4))) continue;
      if (candidate.points.length === 0) continue;
      const match = { ref, label: candidate.label, points: candidate.points, exact };
      if (!exact) {
        const had = partial.get(label);
        if (!had || match.points.length > had.points.length) partial.set(label, match);
      }
      if (!best || (exact && !best.exact) || (exact === best.exact && match.points.length > best.points.length)) {
        best = match;
      }
    }
  }
  if (!best || best.exact || partial.size < 2) return best ? { match: best } : {};
  const totals = [...partial].filter(([label]) => /^total /.test(label));
  if (totals.length === 1) return { match: totals[0]![1] };
  return { ambiguous: [...partial.values()].map((m) => m.label) };
}

/** Every labelled numeric line of a table with the periods it covers, whatever the layout. */
function lineItems(table: ParsedTable, fiscalStartMonth: number): Array<{ label: string; points: TablePoint[] }> {
  // A fiscal quarter (`Q3 FY26`) is its months in the company's year (graph/engine/data.ts), never the
  // calendar quarter of the same number.
  const periodOf = (c: CellValue | string | undefined): string | undefined => {
    const p = readPeriod(typeof c === 'number' ? c : cellText(c));
    return p === undefined ? undefined : calendarPeriod(p, fiscalStartMonth).period;
  };
  const headerPeriods = table.header.map((h) => periodOf(h) ?? null);
  const periodColumns = headerPeriods.filter((p) => p !== null).length;
  if (table.orientation === 'wide' || periodColumns >= 2) {
    // Periods across the header, one line item per row, labelled by its first text cell.
    const labelColumn = table.header.findIndex((_, i) => headerPeriods[i] === null);
    return table.rows.map((row, r) => ({
      label: cellText(row[Math.max(labelColumn, 0)]),
      points: sortPoints(
        row.flatMap((cell, c) => {
          const period = headerPeriods[c];
          return period && typeof cell === 'number' ? [{ period, value: cell, locator: cellLocator(table, r, c) }] : [];
        }),
      ),
    }));
  }
  // Periods down a column, one line item per numeric column.
  const periodColumn = table.columnTypes.indexOf('period');
  // A list of customers or deals with a date each is no time series (extract-metrics.ts decides).
  if (periodColumn >= 0 && isEntityList(table, periodColumn)) return [];
  const pc = periodColumn >= 0 ? periodColumn : (table.rows[0]?.findIndex((c) => periodOf(cellText(c))) ?? -1);
  if (pc < 0) return [];
  const periods = table.rows.map((row) => periodOf(cellText(row[pc])) ?? null);
  return table.header.flatMap((label, c) => {
    if (c === pc) return [];
    const points = table.rows.flatMap((row, r) => {
      const cell = row[c];
      const period = periods[r];
      return period && typeof cell === 'number' ? [{ period, value: cell, locator: cellLocator(table, r, c) }] : [];
    });
    return [{ label, points: sortPoints(points) }];
  });
}

function cellText(cell: CellValue | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell);
}

function sortPoints(points: TablePoint[]): TablePoint[] {
  return points.sort((a, b) => comparePeriods(a.period, b.period));
}
