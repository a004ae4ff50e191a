import { z } from 'zod';
import { matchName, namesMentioned } from '../../documents/records/match.ts';
import { defaultDate, queryRecordList, type RecordResult } from '../../documents/records/query.ts';
import type { RecordKind, RecordList } from '../../documents/records/types.ts';
import { resolvePeriod } from '../../graph/engine/periods.ts';
import type { Citation } from '../types.ts';
import { defineTool, PeriodInput } from './define.ts';
import type { ToolPorts } from './ports.ts';

/**
 * One tool for every list of entities (customers, deals) rather than one per kind: the questions are
 * the same operations over rows (filter, rank by a value, top N, count, sum, average, group by a
 * field), the fields are the same roles (name, value, dates, status, plan, segment, region, owner,
 * type), and a model picks one tool with a `kind` more reliably than it tells two look-alikes apart.
 */
export interface QueryRecordsOutput extends RecordResult {
  kind: RecordKind;
  document_id: string;
  document_name: string;
  /** The list's table (`Customers!A1:H40`) and how many entities it has in all. */
  list: string;
  total: number;
  /**
   * The list's columns and the role each plays (name, mrr, arr, amount, seats, start, end, close, plan,
   * reason …); a value column's currency, and `per_unit` when it is a price per unit (the figures are it
   * times the quantity); what a `seats` (quantity) column counts (`unit`: seat, user, branch).
   */
  columns: Array<{ header: string; role: string; currency?: string; per_unit?: boolean; unit?: string }>;
  /**
   * Set when every row of the list is a customer who has left (a cancellations or churn export), with
   * why it reads so: its records are lost customers, never the current ones.
   */
  lost?: string;
  /** Rows of the table that are not entities (a totals row), with where they are. */
  skipped: RecordList['skipped'];
  /** The filters applied, as a person reads them (`plan = Enterprise`, `started in Q2 2026`). */
  filters: string[];
  /** The period the spec resolved to, counted from the list's own last date (`2026-Q2`, `Q2 2026`). */
  period?: string;
  period_label?: string;
  /** A fiscal period was asked and no fiscal-year start is known: it was read as the calendar year. */
  fiscal_start_unknown?: boolean;
  op: string;
  /** Other lists of this kind that were not used (newest document's list is). */
  other_lists: string[];
  /**
   * With `name` or `mentioned_in`: every list the name was looked for in (its kind, document and size),
   * so "not in your customer list" can say which lists those are.
   */
  searched?: Array<{ kind: RecordKind; document_name: string; list: string; total: number }>;
  /**
   * With op `win_rate`: deals won over deals closed (won or lost) among the rows that match the filters
   * and period; open deals are not closed. `percent` is null when nothing closed or the list says nothing
   * about which deals were won or lost (`outcome_known` false). One owner for both engines.
   */
  win_rate?: { won: number; lost: number; closed: number; percent: number | null; outcome_known: boolean; by?: string };
  sources: Citation[];
}

const Text = z.string().trim().min(1).max(120);

export const queryRecordsTool = (ports: ToolPorts) =>
  defineTool({
    name: 'query_records',
    description:
      'Answers questions about the entities of an uploaded list — customers (accounts, clients) or deals ' +
      '(opportunities, bookings): the largest by MRR/ARR/amount, the top N, how many match a filter (plan, ' +
      'segment, region, owner, status, a period of their start/close/churn date), the sum or average of their ' +
      'values, or a field grouped (which owner signed the most deals); one named entity and its fields (MRR, ' +
      'customer-since date, owner, region …) with `name` (matched loosely: case, punctuation, "Ltd"/"Inc", a ' +
      'typo, part of the name) — `named.found` is empty when no record has that name. Cites the document and ' +
      'rows. Use it, not get_metric, for "who is our largest customer", "biggest deal", "customers on plan X", ' +
      '"how much does <customer> pay us", "who owns the <account> deal". A list with `lost` set is a ' +
      'cancellations or churn export — every row a customer who left: use it for lost customers (status ' +
      '"churned", "biggest customer we lost", "how many cancelled because of price" with `reason`), never for ' +
      'current ones ("our largest customer"); a question about current customers prefers a list without `lost`.',
    input: z.object({
      kind: z.enum(['customers', 'deals']).optional().describe('Which list; omit for the first list found'),
      op: z
        .enum(['list', 'count', 'sum', 'avg', 'group', 'win_rate'])
        .optional()
        .describe(
          '"list" (ranked, default), "count", "sum" / "avg" of the value, "group" by group_by, "win_rate" (deals won ' +
            'over deals closed, won or lost, in the period; open deals not counted; status is ignored)',
        ),
      by: z.enum(['mrr', 'arr', 'amount']).optional().describe('The value to rank, sum or average by'),
      order: z.enum(['desc', 'asc']).optional().describe('Default "desc" (largest first)'),
      limit: z.number().int().min(1).max(100).optional().describe('How many rows or groups to return (default 10)'),
      status: z.enum(['active', 'churned', 'won', 'lost', 'open']).optional(),
      plan: Text.optional(),
      segment: Text.optional(),
      region: Text.optional(),
      owner: Text.optional(),
      type: Text.optional().describe('e.g. "new" or "expansion"'),
      stage: Text.optional(),
      reason: Text.optional().describe(
        'Why a customer left or a deal was lost: matched on the words or on the cause ("price" matches "Too expensive")',
      ),
      name: Text.optional().describe('One customer, account or deal by name, as the user wrote it'),
      mentioned_in: z
        .string()
        .trim()
        .min(1)
        .max(500)
        .optional()
        .describe('A text (the question): only the records whose names it mentions'),
      sort_by_date: z
        .enum(['start', 'end', 'close'])
        .optional()
        .describe('Rank by this date instead of the value; order "asc" gives the earliest (with us the longest)'),
      period: PeriodInput.optional().describe(
        'Only rows whose date falls in this period; relative periods ("current_quarter") count from the list\'s last date',
      ),
      date: z
        .enum(['start', 'end', 'close'])
        .optional()
        .describe('Which date "period" applies to: start (signed), end (churned), close (a deal closed)'),
      group_by: z.enum(['owner', 'plan', 'segment', 'region', 'status', 'type', 'stage', 'reason', 'name']).optional(),
      group_rank: z.enum(['count', 'value']).optional().describe('Rank groups by row count (default) or summed value'),
      document_id: z.string().trim().max(80).optional(),
    }),
    async run(ctx, input): Promise<QueryRecordsOutput> {
      const lists = (await ports.documents.records(ctx.scope)).filter(
        (l) =>
          (input.kind === undefined || l.kind === input.kind) &&
          (input.document_id === undefined || l.document_id === input.document_id),
      );
      // A name asked for: the list of the kind asked that has it (an exact name before a typo or a part of one).
      const nameAsked = input.name !== undefined || input.mentioned_in !== undefined;
      // Current customers are not ranked from a list of lost ones while another list has them; the
      // customers who left are asked of the list that holds only them first.
      const lostLists = lists.filter((l) => l.lost);
      const kept = lists.filter((l) => !l.lost);
      const current = input.status === 'churned' ? [...lostLists, ...kept] : [...kept, ...lostLists];
      const list =
        (nameAsked && input.document_id === undefined ? bestNamed(lists, input.name, input.mentioned_in) : undefined) ??
        current[0];
      if (!list) {
        const what = input.kind === 'deals' ? 'deals' : input.kind === 'customers' ? 'customers' : 'customers or deals';
        throw Object.assign(new Error(`No uploaded document has a list of ${what}.`), { code: 'no_records' });
      }
      // The period is the graph's spec, resolved with the company's fiscal year and anchored to the last
      // date of the list's own date column ("this quarter" of a deals export is the quarter of its last deal).
      // A win rate counts won and lost deals: the status asked (if any) is not a filter of it.
      const winRate = input.op === 'win_rate';
      const status = winRate ? undefined : input.status;
      const dateRole = input.date ?? defaultDate(list, winRate ? 'won' : status);
      let resolved: { id: string; label: string; months: string[] } | undefined;
      let fiscalUnknown = false;
      if (input.period !== undefined) {
        // Relative periods count from the latest month of the tenant's data, as every metric answer does
        // (periods.ts): "last quarter" is the same quarter whether it is asked of the MRR or of the deals.
        // Deals closed after the metrics end are data too; an open deal's expected close date is not.
        const tenant = await ports.graph.periodContext?.(ctx.scope);
        const fiscalStartMonth = tenant?.fiscalStartMonth ?? (await ports.graph.fiscalStartMonth?.(ctx.scope)) ?? 1;
        const own = listLatestMonth(list, dateRole);
        const latestMonth = [tenant?.latestMonth, own]
          .filter((m): m is string => !!m)
          .sort()
          .at(-1);
        const r = resolvePeriod({ latestMonth, fiscalStartMonth }, input.period);
        if (!r.ok) throw Object.assign(new Error(r.message), { code: 'period_not_found' });
        resolved = r.period;
        // A fiscal period with no fiscal-year start known: read as the calendar year, and said so.
        const fiscal =
          typeof input.period === 'string'
            ? /^fy/i.test(input.period)
            : 'fiscal' in input.period && input.period.fiscal === true;
        if (fiscal && fiscalStartMonth === 1) fiscalUnknown = true;
      }
      const months = resolved?.months;
      const where = Object.fromEntries(
        (['plan', 'segment', 'region', 'owner', 'type', 'stage', 'reason'] as const).flatMap((k) =>
          input[k] ? [[k, input[k]]] : [],
        ),
      );
      const op = input.op ?? 'list';
      const query = {
        where,
        ...(months ? { months } : {}),
        date: dateRole,
        ...(input.by ? { by: input.by } : {}),
        ...(input.order ? { order: input.order } : {}),
        ...(input.limit ? { limit: input.limit } : {}),
        ...(input.group_by ? { groupBy: input.group_by } : {}),
        ...(input.group_rank ? { groupRank: input.group_rank } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.mentioned_in !== undefined && input.name === undefined ? { mentionedIn: input.mentioned_in } : {}),
        ...(input.sort_by_date ? { sortDate: input.sort_by_date } : {}),
      };
      const result = queryRecordList(list, {
        ...query,
        op: winRate ? 'count' : (op as Exclude<typeof op, 'win_rate'>),
        ...(winRate ? { status: 'won' as const } : status ? { status } : {}),
      });
      const lost = winRate ? queryRecordList(list, { ...query, op: 'count', status: 'lost' }) : undefined;
      const filters = [
        ...(result.named && result.named.found.length > 0
          ? [`name = ${[...new Set(result.named.found.map((f) => f.name))].join(' or ')}`]
          : []),
        ...Object.entries(where).map(([k, v]) => `${k} = ${v}`),
        ...(status ? [`status: ${status}`] : []),
        ...(resolved && result.date ? [`${result.date.header} in ${resolved.label}`] : []),
      ];
      const cited =
        op === 'group'
          ? (result.groups ?? []).slice(0, 3).flatMap((g) => g.locators.slice(0, 4))
          : [...result.records.slice(0, op === 'list' ? 10 : 5), ...(lost?.records.slice(0, 5) ?? [])].flatMap(
              (r) => r.locators,
            );
      const sources: Citation[] = [
        ...cited.slice(0, 12).map((locator) => ({
          document_id: list.document_id,
          document_name: list.document_name,
          locator,
        })),
      ];
      if (sources.length === 0)
        sources.push({ document_id: list.document_id, document_name: list.document_name, locator: list.locator });
      return {
        ...result,
        kind: list.kind,
        document_id: list.document_id,
        document_name: list.document_name,
        list: list.locator,
        total: list.records.length,
        columns: list.columns.map((c) => ({
          header: c.header,
          role: c.role,
          ...(c.currency ? { currency: c.currency } : {}),
          ...(c.perUnit ? { per_unit: true } : {}),
          ...(c.unit ? { unit: c.unit } : {}),
        })),
        ...(list.lost ? { lost: list.lost } : {}),
        skipped: list.skipped,
        filters,
        ...(resolved ? { period: resolved.id, period_label: resolved.label } : {}),
        ...(fiscalUnknown ? { fiscal_start_unknown: true } : {}),
        op,
        ...(lost ? { win_rate: winRateOf(list, result.count, lost.count) } : {}),
        other_lists: lists.filter((l) => l !== list).map((l) => `${l.document_name} (${l.locator})`),
        ...(nameAsked
          ? {
              searched: (input.document_id === undefined ? lists : [list]).map((l) => ({
                kind: l.kind,
                document_name: l.document_name,
                list: l.locator,
                total: l.records.length,
              })),
            }
          : {}),
        sources,
      };
    },
  });

/** Won over closed; not known when no deal of the list says whether it was won or lost. */
function winRateOf(list: RecordList, won: number, lost: number): NonNullable<QueryRecordsOutput['win_rate']> {
  const known = list.records.some((r) => r.outcome !== undefined);
  const closed = won + lost;
  const by = list.columns.find((c) => c.role === 'stage' || c.role === 'status')?.header;
  return {
    won,
    lost,
    closed,
    percent: known && closed > 0 ? Math.round((won / closed) * 1000) / 10 : null,
    outcome_known: known,
    ...(by ? { by } : {}),
  };
}

/** The list whose records best match the name asked (exact before typo before part), if any does. */
function bestNamed(lists: RecordList[], name: string | undefined, text: string | undefined): RecordList | undefined {
  const rank = { exact: 0, typo: 1, contains: 2, partial: 3 } as const;
  let best: { list: RecordList; score: number } | undefined;
  for (const list of lists) {
    const names = [...new Set(list.records.map((r) => r.name))];
    const found = name !== undefined ? matchName(name, names) : namesMentioned(text ?? '', names);
    if (found.length === 0) continue;
    const score = Math.min(...found.map((f) => rank[f.how]));
    if (!best || score < best.score) best = { list, score };
  }
  return best?.list;
}

/**
 * The latest month a list records something that happened: the last date of a deal that has closed
 * (won or lost, or any deal of an export that gives no stage) — an open deal's expected close date is
 * a plan, not data — or the column's last date for customers.
 */
function listLatestMonth(list: RecordList, role: 'start' | 'end' | 'close'): string | undefined {
  const rows =
    list.kind === 'deals' && list.records.some((r) => r.outcome !== undefined)
      ? list.records.filter((r) => r.outcome === 'won' || r.outcome === 'lost')
      : list.records;
  return rows.reduce<string | undefined>((m, r) => {
    const d = r.dates[role]?.slice(0, 7);
    return d && (!m || d > m) ? d : m;
  }, undefined);
}
