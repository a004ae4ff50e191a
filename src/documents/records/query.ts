import { closestNames, matchName, type NameMatch, namesMentioned } from './match.ts';
import {
  type DateRole,
  type EntityRecord,
  type RecordKind,
  type RecordList,
  TEXT_ROLES,
  type TextRole,
  type ValueRole,
} from './types.ts';

/**
 * Questions over a record list, answered from its rows: filter (a text field, active/churned,
 * won/lost/open, a period of one of its dates), rank by a value, top N, count, sum, average, and
 * group by a field (the owner who signed the most deals). Pure: the analyst's `query_records` tool
 * picks the list and writes the citations.
 */
export type RecordStatus = 'active' | 'churned' | 'won' | 'lost' | 'open';
export type RecordOp = 'list' | 'count' | 'sum' | 'avg' | 'group';

export interface RecordQuery {
  /** Text fields that must match (case-insensitive; whole value first, then a value containing it). */
  where?: Partial<Record<TextRole, string>>;
  /** One entity by name, as a person writes it (match.ts: case, punctuation, suffixes, a typo, part of it). */
  name?: string;
  /** The entities a text names (a question): only those rows. */
  mentionedIn?: string;
  status?: RecordStatus;
  /** Only rows whose `date` falls in one of these months (`YYYY-MM`). */
  months?: string[];
  date?: DateRole;
  op: RecordOp;
  /** The value to rank, sum or average by (the list's best value column when absent). */
  by?: ValueRole;
  /** Rank by a date instead of the value (`asc`: the earliest first — the customer with us the longest). */
  sortDate?: DateRole;
  order?: 'desc' | 'asc';
  limit?: number;
  groupBy?: TextRole | 'name';
  /** Groups ranked by how many rows they have (default) or by the sum of their values. */
  groupRank?: 'count' | 'value';
}

export interface RankedRecord {
  name: string;
  value: number | null;
  /** The row(s) it comes from (two when a customer appears twice and its values are summed). */
  locators: string[];
  /** Every value of the row(s) by role (`value` is the one ranked by). */
  values: EntityRecord['values'];
  dates: EntityRecord['dates'];
  fields: EntityRecord['fields'];
}

export interface RecordGroup {
  key: string;
  count: number;
  sum: number | null;
  locators: string[];
}

export interface RecordResult {
  /** The value column used (null: the list has none), with its currency and stated scale when known. */
  value: { role: ValueRole; header: string; currency?: string; scale?: string } | null;
  date: { role: DateRole; header: string } | null;
  /** Rows that matched the filters (distinct customers for a customer list). */
  count: number;
  sum: number | null;
  avg: number | null;
  records: RankedRecord[];
  groups?: RecordGroup[];
  /** The values each text field takes over the whole list (up to 50 each), to know what can be filtered on. */
  values: Partial<Record<TextRole, string[]>>;
  /** The first and last date of each date column over the whole list. */
  spans: Partial<Record<DateRole, { first: string; last: string }>>;
  /** The name asked for (`name` or the names `mentionedIn` gives), what it matched, and near misses when none. */
  named?: { asked: string; found: NameMatch[]; closest: string[] };
  notes: string[];
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const VALUE_ORDER: Record<RecordKind, ValueRole[]> = {
  customers: ['mrr', 'arr', 'amount'],
  deals: ['amount', 'arr', 'mrr'],
};
const VALUE_NAME: Record<ValueRole, string> = { mrr: 'MRR', arr: 'ARR', amount: 'amount' };

/** The date a period filter applies to when the question names none. */
export function defaultDate(list: RecordList, status?: RecordStatus): DateRole {
  const has = (r: DateRole) => list.columns.some((c) => c.role === r);
  if (status === 'churned' && has('end')) return 'end';
  if (list.kind === 'deals') return has('close') ? 'close' : 'start';
  return has('start') ? 'start' : has('end') ? 'end' : 'close';
}

/**
 * The causes a reason for leaving is written in, by the words people and billing systems use for each
 * (Recurly, Chargebee and churn surveys offer "Too expensive", "Missing features", "Switched to a
 * competitor"): "because of price" asks for the rows whose reason is "Too expensive".
 */
const REASON_TOPICS: string[][] = [
  ['price', 'pricing', 'prices', 'expensive', 'cost', 'costs', 'costly', 'cheaper', 'afford', 'affordable', 'budget'],
  ['feature', 'features', 'functionality', 'missing', 'capability', 'capabilities'],
  ['competitor', 'competitors', 'competition', 'switched', 'switch', 'provider', 'alternative', 'vendor', 'rival'],
  ['sold', 'merged', 'merger', 'acquired', 'acquisition', 'bought'],
  ['bankrupt', 'bankruptcy', 'insolvent', 'insolvency', 'closing', 'closed', 'shut', 'liquidation'],
  ['support', 'service'],
  ['usage', 'unused', 'using', 'value', 'adoption'],
  ['bug', 'bugs', 'reliability', 'downtime', 'outage', 'quality'],
];
const topicsOf = (text: string) => {
  const w = new Set(norm(text).split(' '));
  return REASON_TOPICS.filter((t) => t.some((x) => w.has(x)));
};

function matches(value: string | undefined, wanted: string, role?: TextRole): 'exact' | 'part' | 'topic' | undefined {
  if (value === undefined) return undefined;
  const v = norm(value);
  const w = norm(wanted);
  if (!w) return 'exact';
  if (v === w || v === `${w}s` || `${v}s` === w) return 'exact';
  if (` ${v} `.includes(` ${w} `)) return 'part';
  if (role === 'reason') {
    const asked = topicsOf(wanted);
    if (asked.length > 0 && topicsOf(value).some((t) => asked.includes(t))) return 'topic';
  }
  return undefined;
}

function statusOf(r: EntityRecord): RecordStatus | undefined {
  if (r.outcome) return r.outcome;
  if (r.churned !== undefined) return r.churned ? 'churned' : 'active';
  return undefined;
}

export function queryRecordList(list: RecordList, q: RecordQuery): RecordResult {
  const notes: string[] = [];
  const header = (role: string) => list.columns.find((c) => c.role === role)?.header;
  let rows = list.records;
  const named = nameFilter(list, q);
  if (named) {
    const keep = new Set(named.found.map((f) => f.name));
    rows = rows.filter((r) => keep.has(r.name));
  }
  for (const [role, wanted] of Object.entries(q.where ?? {}) as Array<[TextRole, string]>) {
    if (!wanted) continue;
    if (!header(role)) {
      notes.push(`The list has no ${role} column, so "${wanted}" could not be applied.`);
      rows = [];
      continue;
    }
    const field = (r: EntityRecord) => r.fields[role];
    // The best kind of match any row has: the whole value, else a value containing it, else (a reason) its cause.
    const how = rows.map((r) => matches(field(r), wanted, role));
    const best = (['exact', 'part', 'topic'] as const).find((k) => how.includes(k));
    rows = best ? rows.filter((_, i) => how[i] === best) : [];
  }
  if (q.status) {
    const known = rows.some((r) => statusOf(r) !== undefined);
    if (!known) notes.push(`The list says nothing about which rows are ${q.status}.`);
    rows = rows.filter((r) => statusOf(r) === q.status);
  }
  const dateRole = q.date ?? defaultDate(list, q.status);
  const dateHeader = header(dateRole);
  if (q.months) {
    if (!dateHeader) {
      notes.push(`The list has no ${dateRole} date, so it cannot be filtered by period.`);
      rows = [];
    } else {
      const months = new Set(q.months);
      rows = rows.filter((r) => {
        const d = r.dates[dateRole];
        return d !== undefined && months.has(d.slice(0, 7));
      });
    }
  }

  const available = VALUE_ORDER[list.kind].filter((v) => header(v));
  const by = q.by && header(q.by) ? q.by : available[0];
  if (q.by && by !== q.by) {
    // MRR asked, ARR given (or the other way round): the same ranking, said plainly.
    notes.push(
      by
        ? `The list gives ${VALUE_NAME[by]} ("${header(by)}"), not ${VALUE_NAME[q.by]}; figures are its ${VALUE_NAME[by]}.`
        : `The list has no ${VALUE_NAME[q.by]} column.`,
    );
  }
  const rowValue = (r: EntityRecord) => (by ? (r.values[by] ?? null) : null);
  const priced = list.columns.find((c) => c.role === by && c.perUnit);
  const quantity = list.columns.find((c) => c.role === 'seats');
  if (priced && quantity)
    notes.push(
      `"${priced.header}" is a price per ${quantity.unit ?? 'unit'}: each figure is it times "${quantity.header}".`,
    );

  // A customer written on two rows is one customer: its values are summed, and that is said.
  let ranked: RankedRecord[];
  if (list.kind === 'customers') {
    const byName = new Map<string, RankedRecord>();
    for (const r of rows) {
      const key = norm(r.name);
      const seen = byName.get(key);
      const v = rowValue(r);
      if (!seen) {
        byName.set(key, {
          name: r.name,
          value: v,
          locators: [r.locator],
          values: { ...r.values },
          dates: r.dates,
          fields: r.fields,
        });
        continue;
      }
      seen.locators.push(r.locator);
      seen.value = seen.value === null ? v : v === null ? seen.value : seen.value + v;
      for (const [role, x] of Object.entries(r.values) as Array<[keyof EntityRecord['values'], number]>)
        seen.values[role] = round((seen.values[role] ?? 0) + x);
    }
    ranked = [...byName.values()];
    const twice = ranked.filter((r) => r.locators.length > 1);
    if (twice.length > 0) {
      notes.push(
        `${twice
          .slice(0, 3)
          .map((r) => r.name)
          .join(
            ', ',
          )}${twice.length > 3 ? ` and ${twice.length - 3} more` : ''} appear${twice.length === 1 ? 's' : ''} on more than one row; ${by ? 'the rows are added up' : 'counted once'}.`,
      );
    }
  } else {
    ranked = rows.map((r) => ({
      name: r.name,
      value: rowValue(r),
      locators: [r.locator],
      values: r.values,
      dates: r.dates,
      fields: r.fields,
    }));
  }

  const values = ranked.map((r) => r.value).filter((v): v is number => v !== null);
  const sum = by && values.length > 0 ? round(values.reduce((s, v) => s + v, 0)) : null;
  const avg = sum !== null && values.length > 0 ? round(sum / values.length) : null;
  if (by && values.length < ranked.length && ranked.length > 0) {
    notes.push(`${ranked.length - values.length} of ${ranked.length} have no ${VALUE_NAME[by]} in the list.`);
  }
  const desc = (q.order ?? 'desc') === 'desc';
  const sortDate = q.sortDate;
  if (sortDate && !header(sortDate)) notes.push(`The list has no ${sortDate} date to rank by.`);
  const sorted = [...ranked].sort((a, b) => {
    if (sortDate) {
      const x = a.dates[sortDate];
      const y = b.dates[sortDate];
      if (x === undefined || y === undefined) return x === y ? a.name.localeCompare(b.name) : x === undefined ? 1 : -1;
      return (desc ? y.localeCompare(x) : x.localeCompare(y)) || a.name.localeCompare(b.name);
    }
    if (a.value === null && b.value === null) return a.name.localeCompare(b.name);
    if (a.value === null) return 1;
    if (b.value === null) return -1;
    return desc ? b.value - a.value : a.value - b.value;
  });
  const limit = Math.max(1, Math.min(q.limit ?? 10, 100));
  const result: RecordResult = {
    value: by ? valueColumn(list, by) : null,
    date: dateHeader ? { role: dateRole, header: dateHeader } : null,
    count: ranked.length,
    sum,
    avg,
    records: sorted.slice(0, limit),
    values: valuesOf(list),
    spans: spansOf(list),
    ...(named ? { named } : {}),
    notes,
  };
  if (q.op === 'group' && q.groupBy) {
    const role = q.groupBy;
    if (role !== 'name' && !header(role)) notes.push(`The list has no ${role} column to group by.`);
    const groups = new Map<string, RecordGroup & { has: boolean }>();
    for (const r of ranked) {
      const key = (role === 'name' ? r.name : r.fields[role])?.trim();
      if (!key) continue;
      const g = groups.get(norm(key)) ?? { key, count: 0, sum: 0, locators: [], has: false };
      g.count++;
      if (r.value !== null) {
        g.sum = round((g.sum ?? 0) + r.value);
        g.has = true;
      }
      g.locators.push(...r.locators);
      groups.set(norm(key), g);
    }
    result.groups = [...groups.values()]
      .map(({ has, ...g }) => ({ ...g, sum: has ? g.sum : null }))
      .sort((a, b) =>
        q.groupRank === 'value'
          ? (b.sum ?? 0) - (a.sum ?? 0) || b.count - a.count || a.key.localeCompare(b.key)
          : b.count - a.count || (b.sum ?? 0) - (a.sum ?? 0) || a.key.localeCompare(b.key),
      )
      .slice(0, limit);
  }
  return result;
}

function valueColumn(list: RecordList, role: ValueRole): NonNullable<RecordResult['value']> {
  const c = list.columns.find((x) => x.role === role);
  return {
    role,
    header: c?.header ?? role,
    ...(c?.currency ? { currency: c.currency } : {}),
    ...(c?.scale ? { scale: c.scale.words } : {}),
  };
}

/** The rows a name or a text's mentions pick out (match.ts), with near misses when none. */
function nameFilter(list: RecordList, q: RecordQuery): RecordResult['named'] | undefined {
  const asked = q.name ?? q.mentionedIn;
  if (asked === undefined) return undefined;
  const names = [...new Set(list.records.map((r) => r.name))];
  const found = q.name !== undefined ? matchName(q.name, names) : namesMentioned(asked, names);
  return { asked, found, closest: found.length === 0 && q.name !== undefined ? closestNames(q.name, names) : [] };
}

function valuesOf(list: RecordList): RecordResult['values'] {
  const out: RecordResult['values'] = {};
  for (const { role } of list.columns) {
    if (!(TEXT_ROLES as readonly string[]).includes(role)) continue;
    const seen = new Map<string, string>();
    for (const r of list.records) {
      const v = r.fields[role as TextRole];
      if (v && !seen.has(norm(v)) && seen.size < 50) seen.set(norm(v), v);
    }
    out[role as TextRole] = [...seen.values()];
  }
  return out;
}

function spansOf(list: RecordList): RecordResult['spans'] {
  const out: RecordResult['spans'] = {};
  for (const r of list.records) {
    for (const [role, d] of Object.entries(r.dates) as Array<[DateRole, string]>) {
      const s = out[role];
      if (!s) out[role] = { first: d, last: d };
      else {
        if (d < s.first) s.first = d;
        if (d > s.last) s.last = d;
      }
    }
  }
  return out;
}

const round = (n: number) => Math.round(n * 100) / 100;
