import { TOTAL_LABEL } from '../tables/build.ts';
import { rowLocator } from '../tables/locate.ts';
import { readPeriod } from '../tables/periods.ts';
import { currencyIn, scaleIn } from '../tables/units.ts';
import type { CellValue, ParsedDocument, ParsedTable } from '../types.ts';
import type {
  EntityRecord,
  RecordColumn,
  RecordKind,
  RecordList,
  RecordListSpec,
  RecordRole,
  TextRole,
  ValueRole,
} from './types.ts';

/**
 * Which tables are lists of entities, by the roles of their headers: a name column (customer,
 * account, client, deal …) and at least one column a question can rank, filter or date them by
 * (MRR, ARR, amount, plan, status, start or close date …). Headers are matched on their words, so
 * "Account Name", "customer_name", "Client" and "Logo" are all a name column and "MRR ($)",
 * "Monthly fee" and "Monthly recurring revenue" all MRR. A table whose rows are periods (a month
 * column, periods across the header) is never a list.
 */

type Words = string[];
const words = (s: string): Words =>
  s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
/** Every phrase of `phrases` (space-separated words) appears in `w` as consecutive words. */
function has(w: Words, phrases: readonly string[]): boolean {
  return phrases.some((p) => {
    const pw = p.split(' ');
    for (let i = 0; i + pw.length <= w.length; i++) if (pw.every((x, j) => w[i + j] === x)) return true;
    return false;
  });
}

// The words of each role, as exports and spreadsheets write headers.
const OWNER = [
  'owner',
  'rep',
  'sales rep',
  'ae',
  'csm',
  'account manager',
  'account executive',
  'salesperson',
  'seller',
  'sold by',
  'closed by',
  'signed by',
  'assigned to',
  'manager',
];
const ID = ['id', 'uuid', 'number', 'no', 'code', 'ref', 'reference', 'email', 'domain', 'website', 'url'];
const NAME = [
  'customer',
  'customers',
  'account',
  'company',
  'client',
  'organisation',
  'organization',
  'org',
  'name',
  'logo',
  'business',
  'merchant',
  'tenant',
  'deal',
  'opportunity',
  'opp',
  'prospect',
];
const END_DATE = [
  'churn',
  'churned',
  'cancel',
  'cancelled',
  'canceled',
  'cancellation',
  'end',
  'ended',
  'terminated',
  'termination',
  'lost',
  'left',
];
/** An end date's header that says the customer left (not a contract's end, which may lie ahead). */
const LEFT_HEADER = [
  'churn',
  'churned',
  'cancel',
  'canceled',
  'cancelled',
  'cancellation',
  'terminated',
  'termination',
  'lost',
  'left',
];
const CLOSE_DATE = ['close', 'closed', 'won', 'booked', 'booking', 'expected close'];
const START_DATE = [
  'start',
  'started',
  'signup',
  'sign',
  'signed',
  'since',
  'joined',
  'created',
  'onboarded',
  'activated',
  'activation',
  'acquired',
  'subscribed',
  'first',
  'live',
  'go live',
  'contract start',
];
const DATE_WORDS = ['date', 'day', 'month', 'on', 'at', 'when'];
const MRR = ['mrr', 'monthly', 'per month', 'month', 'mo', 'pm'];
const ARR = ['arr', 'annual', 'annually', 'yearly', 'per year', 'year', 'acv', 'yr', 'pa'];
const AMOUNT = [
  'amount',
  'value',
  'size',
  'tcv',
  'booking',
  'bookings',
  'price',
  'revenue',
  'contract',
  'total',
  'deal',
  'fee',
  'billing',
  'billed',
  'spend',
  'usd',
  'eur',
  'gbp',
];
// A subscription export's `quantity` is how many units the plan is billed for (seats, users, branches).
const SEATS = ['seats', 'users', 'licenses', 'licences', 'seat count', 'user count', 'quantity', 'qty', 'units'];
/** What a quantity counts, when its header names it. */
const UNIT_NOUNS: Record<string, string> = {
  seats: 'seat',
  users: 'user',
  licenses: 'license',
  licences: 'licence',
  seat: 'seat',
  user: 'user',
};
/** A value header that is a price per unit: times the quantity, it is what the record pays. */
const PER_UNIT = ['unit', 'each', 'per unit', 'per seat', 'per user', 'per licence', 'per license', 'unit price'];
const TEXT: Array<[TextRole, string[]]> = [
  ['reason', ['reason', 'reasons', 'why', 'churn reason', 'cancellation reason', 'loss reason', 'lost reason']],
  ['stage', ['stage', 'pipeline stage', 'deal stage', 'phase']],
  ['status', ['status', 'active', 'churned', 'outcome', 'result']],
  ['plan', ['plan', 'tier', 'package', 'edition', 'product', 'subscription', 'pricing', 'sku', 'license type']],
  ['segment', ['segment', 'size', 'vertical', 'industry', 'cohort', 'category', 'market segment', 'company size']],
  ['region', ['region', 'country', 'geo', 'geography', 'territory', 'location', 'market', 'city', 'continent']],
  ['type', ['type', 'deal type', 'kind', 'motion', 'new or expansion', 'new/expansion', 'source']],
];
/** Headers of tables that are about metrics or line items, never entities. */
const NOT_ENTITY = [
  'metric',
  'kpi',
  'line item',
  'item',
  'measure',
  'description',
  'month',
  'period',
  'quarter',
  'year',
  'week',
];

const DEAL_WORDS = [
  'deal',
  'deals',
  'opportunity',
  'opportunities',
  'opp',
  'opps',
  'pipeline',
  'bookings',
  'crm',
  'won',
];
const CUSTOMER_WORDS = [
  'customer',
  'customers',
  'client',
  'clients',
  'account',
  'accounts',
  'logos',
  'subscribers',
  'subscriptions',
  'roster',
];

const isDateText = (v: CellValue) => typeof v === 'string' && readPeriod(v) !== undefined;

/**
 * Words of a document's name or title that say its rows are customers who left — not "churn" alone: a
 * "churn analysis" may list every customer.
 */
const CHURN_CONTEXT = [
  'churned',
  'canceled',
  'cancelled',
  'cancels',
  'cancellation',
  'cancellations',
  'terminated',
  'terminations',
  'leavers',
  'lost customers',
  'lost accounts',
  'lost clients',
];
/** The statuses of a subscription or account, as billing systems write them (`state`: active, expired …). */
const STATUS_VALUE =
  /^(active|inactive|live|trial|trialing|in trial|future|paused|past[ _]due|unpaid|canceled|cancelled|expired|lapsed|churned|terminated|ended|former|suspended|closed|open|pending)$/i;

/** A column's content: mostly numbers, mostly dates, or words; and how many distinct values. */
function profile(table: ParsedTable, c: number) {
  let present = 0;
  let numbers = 0;
  let dates = 0;
  const distinct = new Set<string>();
  for (const row of table.rows) {
    const v = row[c];
    if (v === null || v === undefined || v === '') continue;
    present++;
    if (typeof v === 'number') numbers++;
    else if (isDateText(v)) dates++;
    distinct.add(String(v).trim().toLowerCase());
  }
  const statuses = distinct.size > 0 && [...distinct].every((v) => STATUS_VALUE.test(v));
  return { present, numbers, dates, distinct: distinct.size, statuses };
}

function roleOf(header: string, p: ReturnType<typeof profile>, type: string): RecordRole | 'id' | undefined {
  const w = words(header);
  if (w.length === 0 || p.present === 0) return undefined;
  const dated = type === 'period' || p.dates >= p.present * 0.8;
  const numeric = !dated && p.numbers >= p.present * 0.8 && type !== 'percent';
  if (dated) {
    if (has(w, END_DATE)) return 'end';
    if (has(w, CLOSE_DATE)) return 'close';
    if (has(w, START_DATE) || has(w, DATE_WORDS)) return 'start';
    return undefined;
  }
  if (numeric) {
    if (has(w, SEATS)) return 'seats';
    if (has(w, ['mrr', 'monthly recurring revenue'])) return 'mrr';
    if (has(w, ['arr', 'acv', 'annual recurring revenue', 'annual contract value'])) return 'arr';
    if (has(w, ['tcv', 'total contract value'])) return 'amount';
    if (has(w, MRR) && !has(w, ['months', 'term'])) return 'mrr';
    if (has(w, ARR) && !has(w, ['years', 'term'])) return 'arr';
    if (has(w, AMOUNT) || type === 'currency') return 'amount';
    return undefined;
  }
  if (has(w, ID) && !has(w, ['name'])) return 'id';
  // "State" is a subscription's status when its values are statuses (active, expired), else a place.
  if (has(w, ['state']) && p.statuses) return 'status';
  if (has(w, OWNER)) return 'owner';
  for (const [role, list] of TEXT) if (has(w, list)) return role;
  if (has(w, NAME)) return 'name';
  return undefined;
}

/** Every table of the document that reads as a list of customers or deals. */
export function recogniseRecordLists(doc: ParsedDocument, documentName = ''): RecordListSpec[] {
  const out: RecordListSpec[] = [];
  doc.tables.forEach((table, t) => {
    const spec = recogniseTable(table, t, documentName);
    if (spec) out.push(spec);
  });
  return out;
}

export function recogniseTable(table: ParsedTable, index: number, documentName = ''): RecordListSpec | undefined {
  if (table.orientation === 'wide' || table.rows.length === 0) return undefined;
  const columns: RecordColumn[] = [];
  const taken = new Set<RecordRole>();
  const candidates = table.header.map((header, c) => {
    const p = profile(table, c);
    return { header, c, p, role: roleOf(header, p, table.columnTypes[c] ?? 'text') };
  });
  // A header about metrics or periods ("Metric", "Month") in the first text column: not a list of entities.
  const firstText = candidates.find((x) => x.p.present > 0 && x.p.numbers < x.p.present * 0.8);
  if (!firstText || has(words(firstText.header), NOT_ENTITY)) return undefined;
  // The name column: a header naming entities, with (almost) one value per row and no periods in it.
  const names = candidates.filter(
    (x) => x.role === 'name' && x.p.dates < x.p.present * 0.5 && x.p.distinct >= Math.max(2, x.p.present * 0.6),
  );
  const context = words(`${documentName} ${table.title ?? ''} ${table.sheet ?? ''}`);
  let name = names.find((x) => !has(words(x.header), ['deal', 'opportunity', 'opp'])) ?? names[0];
  if (names.length > 1) {
    // "Deal name" beside "Account": a deal list is named by its account (what a partner asks for).
    const account = names.find((x) => has(words(x.header), ['account', 'customer', 'company', 'client']));
    name = account ?? name;
  }
  // Another header ("Logo", "Who") in the first column of a document about customers or deals.
  if (
    !name &&
    firstText.role === undefined &&
    (has(context, DEAL_WORDS) || has(context, CUSTOMER_WORDS)) &&
    firstText.p.dates === 0 &&
    firstText.p.distinct >= Math.max(2, firstText.p.present * 0.9)
  ) {
    name = firstText;
  }
  if (!name) return undefined;
  columns.push({ column: name.c, header: name.header, role: 'name' });
  taken.add('name');
  // Of several end dates ("Current Period End", "Canceled At", "Ended At" in a Stripe export), the one
  // that says the customer left: a billing period's end is when it renews, not when it churned.
  const ends = candidates.filter((x) => x.role === 'end');
  const left = ends.find((x) => has(words(x.header), LEFT_HEADER)) ?? ends[0];
  for (const x of candidates) {
    if (x.role === 'end' && x !== left) continue;
    if (x.c === name.c || !x.role || x.role === 'id' || x.role === 'name' || taken.has(x.role)) continue;
    columns.push({ column: x.c, header: x.header, role: x.role });
    taken.add(x.role);
  }
  // A list needs something to rank, filter or date its entities by.
  if (columns.length < 2) return undefined;
  const seats = columns.find((c) => c.role === 'seats');
  if (seats) {
    const unit = unitOf(table, seats, columns);
    if (unit) seats.unit = unit;
    const price = columns.find((c) => c.role === 'mrr' || c.role === 'arr' || c.role === 'amount');
    if (price && has(words(price.header), PER_UNIT)) price.perUnit = true;
  }
  const headerWords = words(table.header.join(' '));
  const dealScore =
    (taken.has('stage') ? 2 : 0) +
    (taken.has('close') ? 2 : 0) +
    (has(words(name.header), ['deal', 'opportunity', 'opp']) ? 2 : 0) +
    (has(headerWords, ['deal', 'opportunity']) ? 1 : 0) +
    (has(context, DEAL_WORDS) ? 2 : 0);
  const customerScore =
    (taken.has('mrr') || taken.has('arr') ? 2 : 0) +
    (taken.has('plan') ? 1 : 0) +
    (taken.has('start') || taken.has('end') ? 1 : 0) +
    (has(context, CUSTOMER_WORDS) ? 2 : 0);
  const kind: RecordKind = dealScore > customerScore ? 'deals' : 'customers';
  // A deal's one date ("Date", "Signed") is when it closed.
  const start = columns.find((c) => c.role === 'start');
  if (kind === 'deals' && start && !taken.has('close')) start.role = 'close';
  const churnNamed = kind === 'customers' && has(context, CHURN_CONTEXT);
  return { kind, table: index, locator: table.locator, columns, ...(churnNamed ? { churnNamed } : {}) };
}

/**
 * What a quantity column counts: the noun its header names ("Seats"), else the unit the plan or the
 * price says it is billed per ("Pro (per branch)", "Price per seat") — the most common one.
 */
function unitOf(table: ParsedTable, seats: RecordColumn, columns: RecordColumn[]): string | undefined {
  const own = words(seats.header).find((w) => UNIT_NOUNS[w]);
  if (own) return UNIT_NOUNS[own];
  const counts = new Map<string, number>();
  const said = (text: string) => {
    for (const m of text.toLowerCase().matchAll(/\bper\s+([a-z]{3,})\b/g)) {
      const noun = m[1]!.replace(/(?<=[a-z]{3})s$/, '');
      if (['month', 'year', 'annum', 'week', 'day', 'unit', 'quarter'].includes(noun)) continue;
      counts.set(noun, (counts.get(noun) ?? 0) + 1);
    }
  };
  for (const c of columns) {
    if (c.role === 'plan')
      for (const row of table.rows) if (typeof row[c.column] === 'string') said(row[c.column] as string);
    if (c.role === 'mrr' || c.role === 'arr' || c.role === 'amount') said(c.header.replace(/_/g, ' '));
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

const CHURNED = /\b(churn(ed)?|cancel+ed|cancel+ation|lost|inactive|terminated|ended|former|closed|expired|lapsed)\b/i;
const WON = /\b(won|closed[ -]?won|signed|booked|win)\b/i;
const LOST = /\b(lost|closed[ -]?lost|dead|disqualified|churned)\b/i;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');
function day(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2100) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 ? `${y}-${pad2(m)}-${pad2(d)}` : undefined;
}
const monthNo = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

/**
 * The day (`YYYY-MM-DD`) a date cell gives — ISO, `25 Apr 2025`, `Apr 25, 2025`, `25-Apr-2025`,
 * `2025/04/25`, `25/04/2025` when the day is over 12 (so the order is not in doubt) — else its month
 * (`YYYY-MM`), as the table's period reader reads it.
 */
export function dateOf(v: CellValue): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/.exec(t))) {
      const d = day(Number(m[1]), Number(m[2]), Number(m[3]));
      if (d) return d;
    }
    if ((m = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4})$/i.exec(t)) && monthNo(m[2]!) > 0) {
      const d = day(Number(m[3]), monthNo(m[2]!), Number(m[1]));
      if (d) return d;
    }
    if ((m = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i.exec(t)) && monthNo(m[1]!) > 0) {
      const d = day(Number(m[3]), monthNo(m[1]!), Number(m[2]));
      if (d) return d;
    }
    if ((m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t))) {
      const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const d = a > 12 ? day(y, b, a) : b > 12 ? day(y, a, b) : undefined;
      if (d) return d;
    }
  }
  const period = readPeriod(v);
  return period && /^\d{4}-\d{2}$/.test(period) ? period : undefined;
}

/** The list's entities read from its table (totals and nameless rows left out, and said). */
export function readRecordList(
  spec: RecordListSpec,
  table: ParsedTable,
  doc: { document_id: string; document_name: string },
): RecordList {
  // A value column's currency and stated scale, read from the table (so a list stored before they were
  // read gets them too): "ARR (EUR)" is euros, "MRR ($000)" is thousands of dollars.
  const columns: RecordColumn[] = spec.columns.map((c) => {
    if (c.role !== 'mrr' && c.role !== 'arr' && c.role !== 'amount') return c;
    const currency = table.currencies?.[c.column] ?? currencyIn(c.header);
    const scale = scaleIn(c.header);
    return { ...c, ...(currency ? { currency } : {}), ...(scale && scale.factor !== 1 ? { scale } : {}) };
  });
  const factor = new Map(columns.map((c) => [c.column, c.scale?.factor ?? 1]));
  const quantityCol = spec.columns.find((c) => c.role === 'seats')?.column;
  const perUnit = new Set(spec.columns.filter((c) => c.perUnit).map((c) => c.column));
  const col = new Map(spec.columns.map((c) => [c.role, c.column]));
  const nameCol = col.get('name') ?? 0;
  const records: EntityRecord[] = [];
  const skipped: RecordList['skipped'] = [];
  table.rows.forEach((row, r) => {
    const locator = rowLocator(table, r);
    const raw = row[nameCol];
    const name = raw === null || raw === undefined ? '' : String(raw).trim();
    if (!name) {
      if (row.some((v) => v !== null && v !== '')) skipped.push({ locator, reason: 'no_name' });
      return;
    }
    if (TOTAL_LABEL.test(name) || /^all (customers|accounts|deals)\b/i.test(name)) {
      skipped.push({ locator, reason: 'total' });
      return;
    }
    const rec: EntityRecord = { name, locator, values: {}, dates: {}, fields: {} };
    for (const { role, column } of spec.columns) {
      const v = row[column];
      if (v === null || v === undefined || v === '') continue;
      if (role === 'mrr' || role === 'arr' || role === 'amount' || role === 'seats') {
        if (typeof v !== 'number') continue;
        // A price per unit is billed times the quantity: that product is what the record pays.
        const quantity = quantityCol === undefined ? undefined : row[quantityCol];
        const times = perUnit.has(column) && typeof quantity === 'number' ? quantity : 1;
        rec.values[role as ValueRole | 'seats'] = round2(v * times * (factor.get(column) ?? 1));
      } else if (role === 'start' || role === 'end' || role === 'close') {
        const d = dateOf(v);
        if (d) rec.dates[role] = d;
      } else if (role !== 'name') rec.fields[role] = String(v).trim();
    }
    const status = `${rec.fields.status ?? ''} ${rec.fields.stage ?? ''}`;
    if (spec.kind === 'customers') rec.churned = rec.dates.end !== undefined || CHURNED.test(rec.fields.status ?? '');
    else if (status.trim()) rec.outcome = LOST.test(status) ? 'lost' : WON.test(status) ? 'won' : 'open';
    records.push(rec);
  });
  const lost = spec.kind === 'customers' ? lostBecause(spec, records) : undefined;
  if (lost) for (const r of records) r.churned = true;
  return {
    kind: spec.kind,
    document_id: doc.document_id,
    document_name: doc.document_name,
    locator: spec.locator,
    columns,
    records,
    skipped,
    ...(lost ? { lost } : {}),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Why every row of a customer list is a customer who left, if it is so: each has a churn or
 * cancellation date, each status is a churned one (canceled, expired), or the document's name says it
 * is cancellations and no row's status says active. A roster with some active rows is never lost.
 */
function lostBecause(spec: RecordListSpec, records: EntityRecord[]): string | undefined {
  if (records.length === 0) return undefined;
  const header = (role: RecordRole) => spec.columns.find((c) => c.role === role)?.header;
  const end = header('end');
  const status = header('status');
  const activeRow = records.some((r) => r.fields.status !== undefined && !CHURNED.test(r.fields.status));
  if (activeRow) return undefined;
  if (end && has(words(end), LEFT_HEADER) && records.every((r) => r.dates.end !== undefined))
    return `every row has a “${end}” date`;
  if (status && records.every((r) => r.fields.status !== undefined)) {
    const values = [...new Set(records.map((r) => r.fields.status!.toLowerCase()))];
    return `every “${status}” is ${values.join(' or ')}`;
  }
  if (spec.churnNamed) return 'the document is named as a list of cancellations';
  return undefined;
}
