import { addMonths, formatPeriod, monthsOf, quarterOfMonth } from '../../lib/periods.ts';
import { type Aggregation, METRICS_BY_ID } from '../catalog.ts';
import { movementsFor } from '../roll-forward.ts';
import type { SourceRef, Unit } from '../types.ts';
import type { DataPoint, MetricData } from './data.ts';
import type { ResolvedPeriod } from './periods.ts';

/**
 * A component's value over a period, combining what the documents give: an exact point for the period
 * (a P&L's quarter column), else the months combined by the catalog aggregation (sum / last / first /
 * avg), else whole quarters where months are missing. Standard substitutions fill gaps: MRR from ARR / 12
 * (and the next month's starting MRR), starting MRR from the previous month's ending MRR, customers at
 * start from the previous month's customers, gross margin from gross profit / revenue, net burn from a
 * cash-flow sheet's net cash flow (sign reversed) or the fall in cash; a balance at the end of a quarter or year from the next period's opening balance (`Opening
 * MRR`, `Beginning customers`) and an opening balance from the closing balance of the period before.
 */
export interface InputRef {
  metric: string;
  period: string;
  /** In display units (percent points for percents). */
  value: number;
  unit: Unit;
  source: SourceRef | null;
  /** Every point combined, when more than one (a quarter summed from its months). */
  sources?: SourceRef[];
  /** How a substitute was obtained (`ARR / 12`). */
  via?: string;
  /** A value no document writes, derived by an identity: said with the figure (`Read as: …`). */
  reading?: string;
}

export interface Missing {
  metric: string;
  periods: string[];
}

export type Got = { ok: true; value: number; unit: Unit; inputs: InputRef[] } | { ok: false; missing: Missing[] };

export function aggregationOf(data: MetricData, metric: string): Aggregation {
  const def = METRICS_BY_ID.get(metric);
  if (def && def.kind === 'component') return def.aggregation;
  if (metric === 'arr') return 'last';
  return unitOf(data, metric) === 'percent' ? 'avg' : 'sum';
}

export function unitOf(data: MetricData, metric: string): Unit {
  const def = METRICS_BY_ID.get(metric);
  if (def) return def.unit;
  const first = data.series.get(metric)?.values().next().value as DataPoint | undefined;
  return first?.unit ?? 'number';
}

export const display = (unit: Unit, v: number) => (unit === 'percent' ? v * 100 : v);

function ref(p: DataPoint, via?: string): InputRef {
  const r: InputRef = {
    metric: p.metric,
    period: p.period,
    value: display(p.unit, p.value),
    unit: p.unit,
    source: p.source,
  };
  if (via) r.via = via;
  return r;
}

type One = { value: number; inputs: InputRef[] };

/** A month's value, with substitutions; `undefined` when neither the month nor a substitute is known. */
export function monthValue(data: MetricData, metric: string, m: string, depth = 0): One | undefined {
  const p = data.series.get(metric)?.get(m);
  if (p) return { value: p.value, inputs: [ref(p)] };
  if (depth > 1) return undefined;
  const get = (id: string, month: string) => monthValue(data, id, month, depth + 1);
  const via = (one: One | undefined, value: (v: number) => number, how: string): One | undefined =>
    one && { value: value(one.value), inputs: one.inputs.map((i) => ({ ...i, via: how })) };
  switch (metric) {
    case 'mrr':
      return (
        via(data.series.get('arr')?.get(m) && get('arr', m), (v) => v / 12, 'ARR / 12') ??
        via(
          data.series.get('starting_mrr')?.get(addMonths(m, 1)) && get('starting_mrr', addMonths(m, 1)),
          (v) => v,
          'starting MRR of the next month',
        ) ??
        (depth === 0 ? closingFromMovements(data, m) : undefined)
      );
    case 'arr':
      return via(get('mrr', m), (v) => v * 12, 'MRR × 12');
    case 'starting_mrr':
      return (
        via(get('mrr', addMonths(m, -1)), (v) => v, 'ending MRR of the previous month') ??
        (depth === 0 ? openingFromMovements(data, m) : undefined)
      );
    case 'customers_start':
      return via(get('customers', addMonths(m, -1)), (v) => v, 'customers at the end of the previous month');
    case 'customers':
      return via(
        data.series.get('customers_start')?.get(addMonths(m, 1)) && get('customers_start', addMonths(m, 1)),
        (v) => v,
        'customers at the start of the next month',
      );
    case 'gross_margin': {
      const rev = get('revenue', m);
      const gp = get('gross_profit', m);
      if (rev && gp && rev.value !== 0)
        return {
          value: gp.value / rev.value,
          inputs: [...gp.inputs, ...rev.inputs].map((i) => ({ ...i, via: 'gross profit / revenue' })),
        };
      const cor = get('cost_of_revenue', m);
      if (rev && cor && rev.value !== 0) {
        return {
          value: (rev.value - cor.value) / rev.value,
          inputs: [...rev.inputs, ...cor.inputs].map((i) => ({ ...i, via: '(revenue − cost of revenue) / revenue' })),
        };
      }
      return undefined;
    }
    case 'net_burn': {
      // A cash-flow sheet's net cash flow is the burn with its sign turned: cash out is burn.
      const flow = data.series.get('net_cash_flow')?.get(m);
      if (flow) return { value: -flow.value, inputs: [ref(flow, 'net cash flow, sign reversed')] };
      const before = data.series.get('cash')?.get(addMonths(m, -1));
      const after = data.series.get('cash')?.get(m);
      if (before && after) {
        return { value: before.value - after.value, inputs: [ref(before, 'fall in cash'), ref(after, 'fall in cash')] };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The month's movements by the roll-forward identity (roll-forward.ts), each with its sign; none if one is missing. */
function movementsIn(data: MetricData, m: string): Array<{ p: DataPoint; sign: number }> | undefined {
  const moves = movementsFor((id) => data.series.has(id)).map(({ id, sign }) => ({
    p: data.series.get(id)?.get(m),
    sign,
  }));
  return moves.every((x) => x.p) ? (moves as Array<{ p: DataPoint; sign: number }>) : undefined;
}

/** How the identity's movements are named in a reading: "new, expansion, contraction and churned MRR". */
function movementWords(data: MetricData): string {
  const names = movementsFor((id) => data.series.has(id)).map(({ id }) =>
    (METRICS_BY_ID.get(id)?.name ?? id).replace(/ MRR$/, '').toLowerCase(),
  );
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)} MRR`;
}

/**
 * Starting MRR of a month no earlier month gives (the first month of the data), by the roll-forward
 * identity: starting = ending − (new + expansion (+ reactivation) − contraction − churned), from that month's
 * own ending MRR and all of its movements as the documents write them. It is an identity, not an estimate, and
 * the figure says it was derived. Nothing is derived for a month the data does not reach: the MRR of the
 * month before the data starts stays unknown (only an opening balance a document writes stands for it).
 */
function openingFromMovements(data: MetricData, m: string): One | undefined {
  const ending = data.series.get('mrr')?.get(m);
  if (!ending) return undefined;
  const moves = movementsIn(data, m);
  if (!moves) return undefined;
  const net = moves.reduce((sum, x) => sum + x.sign * x.p.value, 0);
  const how = `ending MRR less the month’s ${movementWords(data)}`;
  const reading =
    `Read as: starting MRR of ${formatPeriod(m)} derived, as its ending MRR less its net new MRR ` +
    `(${formatMoney(ending.value)} − ${formatMoney(net)}), since the documents give no MRR for ${formatPeriod(addMonths(m, -1))}`;
  return {
    value: ending.value - net,
    inputs: [ending, ...moves.map((x) => x.p)].map((p) => ({ ...ref(p, how), reading })),
  };
}

/**
 * Ending MRR of a month no later month gives (a billing export with `Beginning MRR` and movements but no
 * closing column), by the same identity: ending = starting + new + expansion (+ reactivation) − contraction
 * − churned, from that month's own starting MRR and all of its movements; said as derived.
 */
function closingFromMovements(data: MetricData, m: string): One | undefined {
  const starting = data.series.get('starting_mrr')?.get(m);
  if (!starting) return undefined;
  const moves = movementsIn(data, m);
  if (!moves) return undefined;
  const net = moves.reduce((sum, x) => sum + x.sign * x.p.value, 0);
  const how = `starting MRR plus the month’s ${movementWords(data)}`;
  const reading =
    `Read as: MRR at the end of ${formatPeriod(m)} derived, as its starting MRR plus its net new MRR ` +
    `(${formatMoney(starting.value)} + ${formatMoney(net)}), since the documents give no ending MRR for it`;
  return {
    value: starting.value + net,
    inputs: [starting, ...moves.map((x) => x.p)].map((p) => ({ ...ref(p, how), reading })),
  };
}

const formatMoney = (v: number) =>
  `${v < 0 ? '−' : ''}$${Math.abs(v).toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

/** The value of a component (or line item) over a period. */
export function periodValue(data: MetricData, metric: string, period: ResolvedPeriod): Got {
  const unit = unitOf(data, metric);
  const series = data.series.get(metric);
  for (const key of period.native) {
    const p = series?.get(key);
    if (p) return { ok: true, value: p.value, unit, inputs: [ref(p)] };
  }
  const agg = aggregationOf(data, metric);
  const months = period.months;
  if (agg === 'last' || agg === 'first') {
    const m = agg === 'last' ? months.at(-1)! : months[0]!;
    const one = monthValue(data, metric, m);
    if (one) return { ok: true, value: one.value, unit, inputs: one.inputs };
    // A quarter or year point that ends (starts) in that month stands for it.
    for (const key of containingKeys(data, m, agg)) {
      const p = series?.get(key);
      if (p) return { ok: true, value: p.value, unit, inputs: [ref(p)] };
    }
    // A balance at the end of a period is the opening balance of the next one (`Opening MRR` of Q2 is MRR
    // at the end of Q1), and the other way round — quarterly tables often give only one of the two.
    const other = agg === 'last' ? OPENING[metric] : CLOSING[metric];
    if (other) {
      const next = agg === 'last' ? addMonths(m, 1) : addMonths(m, -1);
      for (const key of containingKeys(data, next, agg === 'last' ? 'first' : 'last')) {
        const p = data.series.get(other)?.get(key);
        if (p) {
          const how = agg === 'last' ? `the opening balance of ${key}` : `the closing balance of ${key}`;
          return { ok: true, value: p.value, unit, inputs: [ref(p, how)] };
        }
      }
    }
    return { ok: false, missing: [{ metric, periods: [m] }] };
  }

  // Gross margin over months no document states it for is the period's gross profit over its revenue, not
  // the average of the months' margins: a month of larger revenue weighs more, as it does in the P&L.
  if (metric === 'gross_margin' && months.length > 1 && !months.some((m) => series?.get(m))) {
    const ratio = marginOfSums(data, period);
    if (ratio) return ratio;
  }
  let total = 0;
  let weight = 0;
  const used: InputRef[] = [];
  const missing: string[] = [];
  for (const chunk of chunksByQuarter(data, months)) {
    const values = chunk.map((m) => monthValue(data, metric, m));
    if (values.every(Boolean)) {
      for (const v of values as One[]) {
        total += v.value;
        weight += 1;
        used.push(...v.inputs);
      }
      continue;
    }
    const q = chunk.length === 3 ? quarterKey(data, chunk[0]!) : undefined;
    const qp = q ? series?.get(q) : undefined;
    if (qp) {
      total += agg === 'avg' ? qp.value * 3 : qp.value;
      weight += 3;
      used.push(ref(qp));
      continue;
    }
    chunk.forEach((m, i) => {
      if (!values[i]) missing.push(m);
    });
  }
  if (missing.length) {
    // Gross margin of a period can also come from that period's gross profit and revenue.
    if (metric === 'gross_margin') {
      const gp = periodValue(data, 'gross_profit', period);
      const rev = periodValue(data, 'revenue', period);
      if (gp.ok && rev.ok && rev.value !== 0) {
        const inputs = [...gp.inputs, ...rev.inputs].map((i) => ({ ...i, via: 'gross profit / revenue' }));
        return { ok: true, value: gp.value / rev.value, unit, inputs };
      }
    }
    // Net burn of a period is also the fall in cash over it, from the balance at the end of the period
    // before to the one at its end — all a table that gives cash only at quarter ends allows.
    if (metric === 'net_burn') {
      const before = periodValue(data, 'cash', oneMonth(addMonths(period.start, -1)));
      const after = periodValue(data, 'cash', oneMonth(period.end));
      if (before.ok && after.ok) {
        const inputs = [...before.inputs, ...after.inputs].map((i) => ({ ...i, via: 'fall in cash' }));
        return { ok: true, value: before.value - after.value, unit, inputs };
      }
    }
    return { ok: false, missing: [{ metric, periods: compactMonths(missing) }] };
  }
  const value = agg === 'avg' ? total / weight : total;
  return { ok: true, value, unit, inputs: [combine(metric, period.id, unit, display(unit, value), used)] };
}

/** Gross margin of a period from its summed gross profit (or revenue less cost of revenue) and revenue. */
function marginOfSums(data: MetricData, period: ResolvedPeriod): Got | undefined {
  const rev = periodValue(data, 'revenue', period);
  if (!rev.ok || rev.value === 0) return undefined;
  const gp = periodValue(data, 'gross_profit', period);
  if (gp.ok) {
    const inputs = [...gp.inputs, ...rev.inputs].map((i) => ({ ...i, via: 'gross profit / revenue' }));
    return { ok: true, value: gp.value / rev.value, unit: 'percent', inputs };
  }
  const cor = periodValue(data, 'cost_of_revenue', period);
  if (!cor.ok) return undefined;
  const inputs = [...rev.inputs, ...cor.inputs].map((i) => ({ ...i, via: '(revenue − cost of revenue) / revenue' }));
  return { ok: true, value: (rev.value - cor.value) / rev.value, unit: 'percent', inputs };
}

const oneMonth = (m: string): ResolvedPeriod => ({
  id: m,
  label: m,
  kind: 'month',
  months: [m],
  start: m,
  end: m,
  native: [m],
});

function combine(metric: string, period: string, unit: Unit, value: number, used: InputRef[]): InputRef {
  if (used.length === 1) return { ...used[0]!, period, value };
  const sources: SourceRef[] = [];
  const seen = new Set<string>();
  const vias = new Set<string>();
  for (const u of used) {
    if (u.via) vias.add(u.via);
    const s = u.source;
    if (!s) continue;
    const key = `${s.document_id}|${s.locator}`;
    if (!seen.has(key)) {
      seen.add(key);
      sources.push(s);
    }
  }
  const r: InputRef = { metric, period, value, unit, source: sources.at(-1) ?? null, sources };
  if (vias.size) r.via = [...vias].join('; ');
  return r;
}

/** The first month of the company's quarter holding `m`: its fiscal quarters, which are calendar ones for a January, April, July or October start. */
function quarterStartOf(data: MetricData, m: string): string {
  return addMonths(m, -((Number(m.slice(5, 7)) - data.fiscalStartMonth + 12) % 3));
}

/** The key a document's point for the company's quarter starting at `first` has: `2025-Q3`, or `2025-08..2025-10` (data.ts `calendarPoint`). */
function quarterKey(data: MetricData, first: string): string | undefined {
  if (quarterStartOf(data, first) !== first) return undefined;
  const q = quarterOfMonth(first);
  return monthsOf(q)[0] === first ? q : `${first}..${addMonths(first, 2)}`;
}

/** Months cut at the company's quarters, so a quarter the months do not give whole can come from its quarter point. */
function chunksByQuarter(data: MetricData, months: string[]): string[][] {
  const out: string[][] = [];
  for (const m of months) {
    const last = out.at(-1);
    if (last && quarterStartOf(data, last[0]!) === quarterStartOf(data, m)) last.push(m);
    else out.push([m]);
  }
  return out;
}

/** A balance and its opening counterpart (the value at the end of the period before). */
const OPENING: Record<string, string> = { mrr: 'starting_mrr', customers: 'customers_start' };
const CLOSING: Record<string, string> = { starting_mrr: 'mrr', customers_start: 'customers' };

/** Quarter / year keys whose last (or first) month is `m`. */
function containingKeys(data: MetricData, m: string, agg: 'last' | 'first'): string[] {
  const keys: string[] = [];
  const q = quarterOfMonth(m);
  const qMonths = monthsOf(q);
  if ((agg === 'last' ? qMonths.at(-1) : qMonths[0]) === m) keys.push(q);
  // The company's own quarter (a fiscal one that is no calendar quarter) that ends or starts in this month.
  const first = agg === 'last' ? addMonths(m, -2) : m;
  const own = quarterKey(data, first);
  if (own && own !== q) keys.push(own);
  const year = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  if (mo === (agg === 'last' ? 12 : 1)) keys.push(String(year));
  // The fiscal year (named after the calendar year it ends in) that ends or starts in this month.
  const fs = data.fiscalStartMonth;
  const fyLast = fs === 1 ? 12 : fs - 1;
  if (agg === 'last' && mo === fyLast) keys.push(`FY${year}`);
  if (agg === 'first' && mo === fs) keys.push(`FY${fs === 1 ? year : year + 1}`);
  return keys;
}

/** `2025-07`…`2025-09`, `2026-01` → `2025-07..2025-09`, `2026-01` (so a message stays short). */
export function compactMonths(months: string[]): string[] {
  const sorted = [...new Set(months)].sort();
  const out: string[] = [];
  let start = sorted[0];
  let prev = sorted[0];
  for (const m of [...sorted.slice(1), undefined]) {
    if (m && prev && addMonths(prev, 1) === m) {
      prev = m;
      continue;
    }
    if (start && prev) out.push(start === prev ? start : `${start}..${prev}`);
    start = m;
    prev = m;
  }
  return out;
}

/**
 * What a metric can be (display units: percent points for percents). A value outside is a reading
 * error — a movement signed the other way, a subtotal read as a month, a column taken for another —
 * never an answer (issue 11).
 */
const RANGES: Record<string, { min?: number; max?: number; why: string }> = {
  grr: { min: 0, max: 100, why: 'gross revenue retention is between 0% and 100%' },
  nrr: { min: 0, why: 'net revenue retention cannot be negative' },
  logo_churn: { min: 0, max: 100, why: 'logo churn is between 0% and 100% of the customers at the start' },
  gross_margin: { min: -100, max: 100, why: 'a gross margin is at most 100%' },
  starting_mrr: { min: 0, why: 'MRR cannot be negative' },
  mrr: { min: 0, why: 'MRR cannot be negative' },
  arr: { min: 0, why: 'ARR cannot be negative' },
  new_mrr: { min: 0, why: 'new MRR is an addition, never negative' },
  expansion_mrr: { min: 0, why: 'expansion MRR is never negative' },
  contraction_mrr: { min: 0, why: 'contraction is counted as a positive amount lost' },
  churned_mrr: { min: 0, why: 'churned MRR is counted as a positive amount lost' },
  customers_start: { min: 0, why: 'a customer count cannot be negative' },
  customers: { min: 0, why: 'a customer count cannot be negative' },
  new_customers: { min: 0, why: 'a count of new customers cannot be negative' },
  churned_customers: { min: 0, why: 'a count of churned customers is counted as positive' },
  headcount: { min: 0, why: 'headcount cannot be negative' },
  cash: { min: 0, why: 'a cash balance in the bank is not negative' },
  cac: { min: 0, why: 'acquisition cost cannot be negative' },
  arpa: { min: 0, why: 'revenue per account cannot be negative' },
  sm_pct_revenue: { min: 0, why: 'spend as a share of revenue cannot be negative' },
  rd_pct_revenue: { min: 0, why: 'spend as a share of revenue cannot be negative' },
  ga_pct_revenue: { min: 0, why: 'spend as a share of revenue cannot be negative' },
};

/** Why a value cannot be the metric's (undefined when it can). */
export function outOfRange(metric: string, value: number): string | undefined {
  const r = RANGES[metric];
  if (!r || !Number.isFinite(value)) return undefined;
  if ((r.min !== undefined && value < r.min - 1e-9) || (r.max !== undefined && value > r.max + 1e-9)) return r.why;
  return undefined;
}
