import { addMonths, formatPeriod } from '../../lib/periods.ts';
import { lineItemId, METRICS_BY_ID, metricForLabel } from '../catalog.ts';
import { movementsFor } from '../roll-forward.ts';
import type { Unit } from '../types.ts';
import { dataSpan, type OutsideData, outsideData } from './coverage.ts';
import { type MetricData, pointAt } from './data.ts';
import { month, type PeriodSpec, type ResolvedPeriod, resolvePeriod, shiftPeriod } from './periods.ts';
import { display, type InputRef, type Missing, periodValue, unitOf } from './values.ts';

/**
 * Derived metrics with the conventions of the Northwind evaluation (docs: test/fixtures/northwind/README.md).
 * For a period P of one or more months:
 * - ARR = ending MRR × 12; net new MRR = new + expansion (+ reactivation) − contraction − churned (else
 *   ending − starting MRR), or the net movement a document states for the period, which comes first;
 * - NRR = (starting MRR + expansion − contraction − churned over P) / starting MRR; GRR likewise without expansion;
 * - logo churn = churned customers over P / customers at the start of P (for one month: the monthly rate;
 *   for longer periods the churn of the whole period, not an average of monthly rates);
 * - CAC = S&M over P / new customers over P; CAC payback = S&M / (new MRR × average gross margin of P);
 * - burn multiple = net burn over P / ((ending MRR − starting MRR of P) × 12);
 * - magic number = net new ARR over P / S&M of the period of the same length just before P;
 * - quick ratio = (new + expansion (+ reactivation)) / (contraction + churned); reactivation counts where the
 *   data has a reactivation series, and NRR and GRR never count it (the MRR of customers who had left is no
 *   retention of the customers there at the start);
 * - ARR growth YoY = ending MRR at the end of P / ending MRR twelve months earlier − 1;
 * - Rule of 40 = ARR growth YoY (%) + FCF margin (%) over the twelve months ending at the end of P,
 *   FCF margin = −net burn / revenue (or free cash flow / revenue when that is what is given);
 * - ARPA = MRR / customers at the end of P; LTV = ARPA × gross margin / monthly logo churn (over P);
 *   LTV:CAC = LTV / CAC; runway = cash at the end of P / average monthly net burn of the last three months;
 * - ARR per FTE = ARR / headcount; S&M, R&D, G&A as % of revenue over P.
 * A derived metric that cannot be computed falls back to a value a document reports for exactly that period.
 */
export interface ComputeOk {
  ok: true;
  metric: string;
  name: string;
  period: string;
  period_label: string;
  /** In display units: percent points for percents (102.11), months, ratios, currency. */
  value: number;
  unit: Unit;
  formula: string;
  inputs: InputRef[];
  note?: string;
  /**
   * How the documents' own conventions were read where they decided the figure: a churn column written
   * as negative numbers, a fiscal quarter label. To be said with the answer.
   */
  readings?: string[];
}

export interface ComputeFail {
  ok: false;
  metric: string;
  /** The period the spec resolved to, when it resolved. */
  period?: string;
  period_label?: string;
  missing: Missing[];
  message: string;
  /** `implausible`: the inputs gave a value the metric cannot take (GRR above 100%): a reading error, not an answer. */
  problem?: 'implausible';
  /** The period lies wholly before or after the data (coverage.ts): said as where the data is. */
  outside?: OutsideData;
}

export type ComputeResult = ComputeOk | ComputeFail;

class Collector {
  inputs: InputRef[] = [];
  missing: Missing[] = [];
  problem: string | undefined;
  readings = new Set<string>();
  constructor(readonly data: MetricData) {}

  get(metric: string, period: ResolvedPeriod): number {
    const got = periodValue(this.data, metric, period);
    if (got.ok) {
      this.inputs.push(...got.inputs);
      this.read(got.inputs, period);
      return got.value;
    }
    for (const m of got.missing) {
      const have = this.missing.find((x) => x.metric === m.metric);
      if (have) have.periods = [...new Set([...have.periods, ...m.periods])];
      else this.missing.push({ ...m });
    }
    return Number.NaN;
  }

  /** The notes of the points an input was made of (a quarter summed from months carries theirs). */
  read(inputs: InputRef[], period: ResolvedPeriod): void {
    for (const input of inputs) {
      if (input.reading) this.readings.add(input.reading);
      for (const p of new Set([input.period, period.id, ...period.months])) {
        const note = pointAt(this.data, input.metric, p)?.note;
        if (note) this.readings.add(note);
      }
    }
  }

  div(a: number, b: number, what: string): number {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
    if (b === 0) {
      this.problem ??= `${what} is zero`;
      return Number.NaN;
    }
    return a / b;
  }
}

interface Formula {
  formula: string;
  /** The formula as said when the data has reactivation MRR, which it then counts (roll-forward.ts). */
  formulaWith?: string;
  run(c: Collector, p: ResolvedPeriod): number;
}

/** The MRR movements of the roll-forward identity that this company's data has (reactivation only if given). */
const movements = (c: Collector) => movementsFor((id) => c.data.series.has(id));
const formulaText = (f: Formula, data: MetricData) =>
  f.formulaWith && data.series.has('reactivation_mrr') ? f.formulaWith : f.formula;

const end = (p: ResolvedPeriod) => month(p.months.at(-1)!);
const ctxOf = (data: MetricData) => ({ latestMonth: data.latestMonth, fiscalStartMonth: data.fiscalStartMonth });

const netNewArr = (c: Collector, p: ResolvedPeriod) => (c.get('mrr', end(p)) - c.get('starting_mrr', p)) * 12;
const monthlyChurn = (c: Collector, p: ResolvedPeriod) =>
  c.div(c.get('churned_customers', p), c.get('customers_start', p), 'customers at start') / p.months.length;
const arpa = (c: Collector, p: ResolvedPeriod) => c.div(c.get('mrr', end(p)), c.get('customers', end(p)), 'customers');
const ltv = (c: Collector, p: ResolvedPeriod) =>
  c.div(arpa(c, p) * c.get('gross_margin', p), monthlyChurn(c, p), 'logo churn');
const cac = (c: Collector, p: ResolvedPeriod) =>
  c.div(c.get('sales_marketing', p), c.get('new_customers', p), 'new customers');
/** Rule of 40 is a trailing-twelve-month measure: the twelve months ending where P ends. */
const ttmEnding = (c: Collector, p: ResolvedPeriod) => (p.months.length === 12 ? p : ttm(c.data, p.months.at(-1)!));
const growth = (c: Collector, p: ResolvedPeriod) => {
  const m = p.months.at(-1)!;
  const earlier = month(addMonths(m, -12));
  return c.div(c.get('mrr', month(m)), c.get('mrr', earlier), 'MRR twelve months earlier') - 1;
};

function ttm(data: MetricData, last: string): ResolvedPeriod {
  const r = resolvePeriod(ctxOf(data), { trailing: 12, end: last });
  return r.ok ? r.period : month(last);
}

const FORMULAS: Record<string, Formula[]> = {
  arr: [{ formula: 'ending MRR × 12', run: (c, p) => c.get('mrr', end(p)) * 12 }],
  net_new_mrr: [
    {
      formula: 'new + expansion − contraction − churned MRR',
      formulaWith: 'new + expansion + reactivation − contraction − churned MRR',
      run: (c, p) => movements(c).reduce((sum, { id, sign }) => sum + sign * c.get(id, p), 0),
    },
    { formula: 'ending MRR − starting MRR', run: (c, p) => c.get('mrr', end(p)) - c.get('starting_mrr', p) },
  ],
  net_new_arr: [{ formula: '(ending MRR − starting MRR) × 12', run: netNewArr }],
  starting_arr: [{ formula: 'starting MRR × 12', run: (c, p) => c.get('starting_mrr', p) * 12 }],
  new_arr: [{ formula: 'new MRR × 12', run: (c, p) => c.get('new_mrr', p) * 12 }],
  expansion_arr: [{ formula: 'expansion MRR × 12', run: (c, p) => c.get('expansion_mrr', p) * 12 }],
  contraction_arr: [{ formula: 'contraction MRR × 12', run: (c, p) => c.get('contraction_mrr', p) * 12 }],
  churned_arr: [{ formula: 'churned MRR × 12', run: (c, p) => c.get('churned_mrr', p) * 12 }],
  nrr: [
    {
      formula: '(starting MRR + expansion − contraction − churned) / starting MRR',
      run: (c, p) => {
        const s = c.get('starting_mrr', p);
        return c.div(
          s + c.get('expansion_mrr', p) - c.get('contraction_mrr', p) - c.get('churned_mrr', p),
          s,
          'starting MRR',
        );
      },
    },
  ],
  grr: [
    {
      formula: '(starting MRR − contraction − churned) / starting MRR',
      run: (c, p) => {
        const s = c.get('starting_mrr', p);
        return c.div(s - c.get('contraction_mrr', p) - c.get('churned_mrr', p), s, 'starting MRR');
      },
    },
  ],
  logo_churn: [
    {
      formula: 'churned customers / customers at the start of the period',
      run: (c, p) => c.div(c.get('churned_customers', p), c.get('customers_start', p), 'customers at start'),
    },
    {
      // Quarterly-only data: customers at the start of a quarter = customers at the end of the quarter before.
      formula: 'churned customers / customers at the end of the period before',
      run: (c, p) =>
        c.div(
          c.get('churned_customers', p),
          c.get('customers', shiftPeriod(ctxOf(c.data), p, -p.months.length)),
          'customers at start',
        ),
    },
  ],
  arr_growth_yoy: [{ formula: 'ending MRR / ending MRR twelve months earlier − 1', run: growth }],
  cac: [{ formula: 'S&M spend / new customers', run: cac }],
  cac_payback: [
    {
      formula: 'S&M spend / (new MRR × average gross margin)',
      run: (c, p) =>
        c.div(c.get('sales_marketing', p), c.get('new_mrr', p) * c.get('gross_margin', p), 'new MRR × gross margin'),
    },
  ],
  burn_multiple: [
    {
      formula: 'net burn / net new ARR, net new ARR = (ending MRR − starting MRR) × 12',
      run: (c, p) => c.div(c.get('net_burn', p), netNewArr(c, p), 'net new ARR'),
    },
  ],
  magic_number: [
    {
      formula: 'net new ARR of the period / S&M spend of the previous period of the same length',
      run: (c, p) =>
        c.div(netNewArr(c, p), c.get('sales_marketing', shiftPeriod(ctxOf(c.data), p, -p.months.length)), 'S&M spend'),
    },
  ],
  quick_ratio: [
    {
      formula: '(new + expansion) / (contraction + churned)',
      formulaWith: '(new + expansion + reactivation) / (contraction + churned)',
      run: (c, p) => {
        const moved = (sign: number) =>
          movements(c)
            .filter((m) => m.sign === sign)
            .reduce((sum, { id }) => sum + c.get(id, p), 0);
        return c.div(moved(1), moved(-1), 'contraction + churned MRR');
      },
    },
  ],
  fcf_margin: [
    { formula: '−net burn / revenue', run: (c, p) => c.div(-c.get('net_burn', p), c.get('revenue', p), 'revenue') },
    {
      formula: 'free cash flow / revenue',
      run: (c, p) => c.div(c.get('free_cash_flow', p), c.get('revenue', p), 'revenue'),
    },
  ],
  rule_of_40: [
    {
      formula: 'ARR growth YoY (%) + FCF margin (%) over the trailing twelve months, FCF margin = −net burn / revenue',
      run: (c, p) => {
        const t = ttmEnding(c, p);
        return growth(c, t) + c.div(-c.get('net_burn', t), c.get('revenue', t), 'revenue');
      },
    },
    {
      formula:
        'ARR growth YoY (%) + FCF margin (%) over the trailing twelve months, FCF margin = free cash flow / revenue',
      run: (c, p) => {
        const t = ttmEnding(c, p);
        return growth(c, t) + c.div(c.get('free_cash_flow', t), c.get('revenue', t), 'revenue');
      },
    },
  ],
  arpa: [{ formula: 'ending MRR / customers at the end of the period', run: arpa }],
  ltv: [{ formula: 'ARPA × average gross margin / average monthly logo churn', run: ltv }],
  ltv_cac: [{ formula: 'LTV / CAC', run: (c, p) => c.div(ltv(c, p), cac(c, p), 'CAC') }],
  runway: [
    {
      formula:
        'cash at the end of the period / average monthly net burn of the last three months (or the latest month)',
      run: (c, p) => {
        const last = p.months.at(-1)!;
        const r = resolvePeriod(ctxOf(c.data), { trailing: 3, end: last });
        // Three months when known, else the latest month alone.
        const three = r.ok && periodValue(c.data, 'net_burn', r.period).ok ? r.period : month(last);
        const burn = c.get('net_burn', three) / three.months.length;
        if (burn <= 0) {
          c.problem ??= 'net burn is not positive (the company is not burning cash), so runway is unlimited';
          return Number.NaN;
        }
        return c.div(c.get('cash', end(p)), burn, 'net burn');
      },
    },
  ],
  arr_per_fte: [
    {
      formula: 'ARR / headcount',
      run: (c, p) => c.div(c.get('mrr', end(p)) * 12, c.get('headcount', end(p)), 'headcount'),
    },
  ],
  sm_pct_revenue: [pctOfRevenue('sales_marketing', 'S&M spend / revenue')],
  rd_pct_revenue: [pctOfRevenue('research_development', 'R&D spend / revenue')],
  ga_pct_revenue: [pctOfRevenue('general_administrative', 'G&A spend / revenue')],
};

function pctOfRevenue(metric: string, formula: string): Formula {
  return { formula, run: (c, p) => c.div(c.get(metric, p), c.get('revenue', p), 'revenue') };
}

/**
 * Derived metrics whose stated value, where a document gives it for the period, comes before the formula.
 * Net new MRR is a flow the document nets itself from every movement it records, including kinds no
 * formula here knows (reactivation in another column, FX, "other"); the formula is for data that does
 * not state it. Rates (NRR, churn) stay computed first: a document's rate may use another definition.
 */
const STATED_FIRST = new Set(['net_new_mrr']);

/** Metric ids the engine can derive. */
export const DERIVED_METRICS: readonly string[] = Object.keys(FORMULAS);

/**
 * Find a metric id from an id, a name or a line-item label (`NRR`, `net revenue retention`, `AWS hosting`).
 * Line items match `item:<slug>` series of the data.
 */
export function resolveMetricId(data: MetricData, query: string): string | undefined {
  const q = query.trim();
  if (METRICS_BY_ID.has(q) || data.series.has(q)) return q;
  const def = metricForLabel(q);
  if (def) return def.id;
  const item = lineItemId(q.replace(/^item:/, ''));
  if (data.series.has(item)) return item;
  // A label as written in a document (`AWS hosting`), or a unique item containing the words.
  const want = item.slice(5);
  const items = [...data.series.keys()].filter((k) => k.startsWith('item:') && k.slice(5).includes(want));
  return items.length === 1 ? items[0] : undefined;
}

/** The value of any metric — component, derived or line item — for a period spec. */
export function computeMetric(data: MetricData, metricQuery: string, spec?: PeriodSpec): ComputeResult {
  const metric = resolveMetricId(data, metricQuery) ?? metricQuery;
  const resolved = resolvePeriod(ctxOf(data), spec);
  if (!resolved.ok)
    return { ok: false, metric, missing: [], message: `cannot compute ${nameOf(metric, data)}: ${resolved.message}` };
  return computeFor(data, metric, resolved.period);
}

export function computeFor(data: MetricData, metric: string, period: ResolvedPeriod): ComputeResult {
  const def = METRICS_BY_ID.get(metric);
  const name = nameOf(metric, data);
  const unit = def?.unit ?? unitOf(data, metric);
  const formulas = FORMULAS[metric];
  const ok = (value: number, formula: string, inputs: InputRef[], note?: string, readings?: Set<string>): ComputeOk => {
    const r: ComputeOk = {
      ok: true,
      metric,
      name,
      period: period.id,
      period_label: period.label,
      value: round(unit, display(unit, value)),
      unit,
      formula,
      inputs,
    };
    if (note) r.note = note;
    if (readings?.size) r.readings = [...readings];
    return r;
  };
  let implausibleText: string | undefined;
  /** A value outside what the metric can be, or a negative input that cannot be negative: a reading error. */
  const sane = (value: number, c: Collector): boolean => {
    const why = implausible(metric, value, c.inputs, data);
    if (why) implausibleText ??= why;
    return !why;
  };

  if (!formulas) {
    if (!def && !data.series.has(metric)) {
      return {
        ok: false,
        metric,
        period: period.id,
        missing: [{ metric, periods: [period.id] }],
        message: `no metric or line item called "${metric}" in the documents`,
      };
    }
    const c = new Collector(data);
    const v = c.get(metric, period);
    if (!c.missing.length) {
      // A month's value no document writes but a substitute gives (starting MRR from the month before, or
      // derived by the roll-forward identity) says how it was obtained instead of "as reported".
      const via = period.months.length === 1 ? c.inputs.find((i) => i.via)?.via : ratioOfSums(metric, c.inputs);
      if (sane(v, c)) return ok(v, via ?? aggregationText(data, metric, period), c.inputs, undefined, c.readings);
      return implausibleFail(metric, name, period, implausibleText!);
    }
    return fail(metric, name, period, c.missing, data);
  }

  // A value the documents report for exactly this period (a board deck's "NRR 112%"), with its readings.
  const reportedValue = (note: string): ComputeOk | undefined => {
    const reported = periodValue(data, metric, period);
    if (!reported.ok || !data.series.has(metric)) return undefined;
    const rc = new Collector(data);
    rc.inputs = reported.inputs;
    rc.read(reported.inputs, period);
    if (!sane(reported.value, rc)) return undefined;
    return ok(reported.value, 'as reported in the document', reported.inputs, note, rc.readings);
  };
  if (STATED_FIRST.has(metric)) {
    const stated = reportedValue('the net movement the document states, which counts every movement it records');
    if (stated) return stated;
  }

  let firstFail: Collector | undefined;
  for (const f of formulas) {
    const c = new Collector(data);
    const v = f.run(c, period);
    if (!c.missing.length && !c.problem && Number.isFinite(v)) {
      if (sane(v, c)) return ok(v, formulaText(f, data), c.inputs, undefined, c.readings);
      continue;
    }
    firstFail ??= c;
  }
  const reported = reportedValue(
    implausibleText
      ? 'not computed: the computed value was a reading error'
      : 'not computed: the components are missing',
  );
  if (reported) return reported;
  if (implausibleText) return implausibleFail(metric, name, period, implausibleText);
  if (!firstFail) return fail(metric, name, period, [], data);
  const c = firstFail!;
  if (c.problem && !c.missing.length) {
    return {
      ok: false,
      metric,
      period: period.id,
      missing: [],
      message: `cannot compute ${name} for ${period.label}: ${c.problem}`,
    };
  }
  return fail(metric, name, period, c.missing, data);
}

/** Metrics and inputs that cannot be negative (a count, a balance, a loss read as an amount). */
const NON_NEGATIVE = new Set([
  'mrr',
  'starting_mrr',
  'new_mrr',
  'expansion_mrr',
  'contraction_mrr',
  'churned_mrr',
  'customers',
  'customers_start',
  'new_customers',
  'churned_customers',
  'cash',
  'headcount',
  'revenue',
]);

/**
 * Why a value cannot be the answer, if it cannot: gross retention above 100% or below 0, net retention
 * below 0, a logo churn rate outside 0–100%, or an input that cannot be negative (churned MRR, customers).
 * `value` is in engine units (fractions for percents).
 */
export function implausible(metric: string, value: number, inputs: InputRef[], data?: MetricData): string | undefined {
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  // The most specific reason first: the input that cannot be what the document gave.
  for (const i of inputs) {
    if (NON_NEGATIVE.has(i.metric) && i.value < 0) {
      const where = i.source ? ` (${i.source.document_name}, ${i.source.locator})` : '';
      return `${nameOf(i.metric, data)} for ${fmt(i.period)} is ${i.value}${where}, and it cannot be negative`;
    }
  }
  if (metric === 'grr' && (value > 1 + 1e-9 || value < 0))
    return `gross revenue retention came out at ${pct(value)}, and it can only be between 0% and 100%`;
  if (metric === 'nrr' && value < 0)
    return `net revenue retention came out at ${pct(value)}, and it cannot be negative`;
  if (metric === 'logo_churn' && (value < 0 || value > 1))
    return `logo churn came out at ${pct(value)}, and it can only be between 0% and 100%`;
  if (NON_NEGATIVE.has(metric) && value < 0)
    return `${nameOf(metric, data)} came out negative (${value}), which it cannot be`;
  return undefined;
}

function implausibleFail(metric: string, name: string, period: ResolvedPeriod, why: string): ComputeFail {
  return {
    ok: false,
    metric,
    period: period.id,
    period_label: period.label,
    missing: [],
    problem: 'implausible',
    message: `cannot state ${name} for ${period.label}: ${why} — the documents were read in a way that gives an impossible figure, so it is not an answer`,
  };
}

function fail(
  metric: string,
  name: string,
  period: ResolvedPeriod,
  missing: Missing[],
  data?: MetricData,
): ComputeFail {
  const need = missing.map((m) => `${nameOf(m.metric)} for ${m.periods.map(fmt).join(', ')}`).join('; ');
  // A period before (or after) everything the documents give: say where the data is, not only what is missing.
  const outside = data ? outsideData(period.months, dataSpan(data)) : undefined;
  const where =
    outside?.position === 'before'
      ? ` (${period.label} is before the data starts: the documents begin in ${formatPeriod(outside.first)})`
      : outside?.position === 'after'
        ? ` (${period.label} is after the data ends: the documents end in ${formatPeriod(outside.last)})`
        : '';
  return {
    ok: false,
    metric,
    period: period.id,
    period_label: period.label,
    missing,
    ...(outside ? { outside } : {}),
    message: `cannot compute ${name} for ${period.label}: need ${need}${where}`,
  };
}

const fmt = (p: string) => (p.includes('..') ? p.replace('..', ' to ') : formatPeriod(p));

/** A metric's display name; a line item keeps the label its document gave it (`AWS hosting`) when `data` has it. */
export function nameOf(metric: string, data?: MetricData): string {
  const known = METRICS_BY_ID.get(metric)?.name;
  if (known) return known;
  const label = data?.series.get(metric)?.values().next().value?.label;
  if (label) return label;
  return metric.startsWith('item:') ? metric.slice(5).replace(/_/g, ' ') : metric;
}

/** A margin over several months taken from the period's sums (values.ts), said as such rather than as an average. */
function ratioOfSums(metric: string, inputs: InputRef[]): string | undefined {
  const vias = new Set(inputs.map((i) => i.via));
  const [via] = vias;
  return metric === 'gross_margin' && vias.size === 1 && via ? `${via}, each summed over the period` : undefined;
}

function aggregationText(data: MetricData, metric: string, period: ResolvedPeriod): string {
  if (period.months.length === 1) return 'as reported';
  const def = METRICS_BY_ID.get(metric);
  const agg = def?.kind === 'component' ? def.aggregation : unitOf(data, metric) === 'percent' ? 'avg' : 'sum';
  return agg === 'sum'
    ? 'sum over the period'
    : agg === 'avg'
      ? 'average over the period'
      : agg === 'last'
        ? 'value at the end of the period'
        : 'value at the start of the period';
}

function round(unit: Unit, v: number): number {
  const digits = unit === 'currency' || unit === 'count' ? 2 : 4;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
