import { addMonths, formatPeriod, periodKind } from '../lib/periods.ts';
import { METRICS_BY_ID } from './catalog.ts';
import type { MetricPoint } from './types.ts';

/**
 * What a balance column of an MRR movements table is, decided by its content rather than its header.
 *
 * MRR rolls forward: ending MRR of a period = ending MRR of the period before + new + expansion −
 * contraction − churned. A billing export may head its month-end MRR `Subscription revenue`, `Recurring
 * revenue` or `Balance`; the catalog reads such a header as revenue (or a line item), and every MRR-based
 * metric (ARR, NRR, GRR, burn multiple, ARPA) is then missing. When a series of the same table satisfies
 * the identity with the table's own movements in most periods, it is month-end MRR whatever its header
 * says, and each point says so. A revenue column that does not roll forward (a P&L's recognised revenue)
 * stays what its header says.
 *
 * Used by document extraction on the points of one table (documents/extract-metrics.ts), after the signs
 * of the movements have been read (a churn column of negative numbers is already an amount lost).
 */

/**
 * The MRR movements of the identity, each with the sign it moves MRR by — the one list every use of the
 * identity reads (this relabelling, the engine's derived opening and closing MRR, net new MRR, the quick
 * ratio). Reactivation (MRR won back from former customers, a column of ChartMogul-style exports) is
 * `optional`: most exports have no such column, and a company whose data has none reactivated nothing
 * anyone recorded; one whose data has it moves MRR by it like any other gain.
 */
export const MRR_MOVEMENTS: ReadonlyArray<{ id: string; sign: 1 | -1; optional?: true }> = [
  { id: 'new_mrr', sign: 1 },
  { id: 'expansion_mrr', sign: 1 },
  { id: 'reactivation_mrr', sign: 1, optional: true },
  { id: 'contraction_mrr', sign: -1 },
  { id: 'churned_mrr', sign: -1 },
];

/** The movements that apply to data with these series: every required one, and an optional one it has. */
export function movementsFor(has: (metric: string) => boolean): ReadonlyArray<{ id: string; sign: 1 | -1 }> {
  return MRR_MOVEMENTS.filter((m) => !m.optional || has(m.id));
}

const GAINS = MRR_MOVEMENTS.filter((m) => m.sign > 0).map((m) => m.id);
const LOSSES = MRR_MOVEMENTS.filter((m) => m.sign < 0).map((m) => m.id);
const MOVEMENTS = new Set<string>(MRR_MOVEMENTS.map((m) => m.id));

/** A balance that is already named as MRR (or its opening value): the table has its MRR, nothing to decide. */
const BALANCES = new Set(['mrr', 'starting_mrr', 'arr']);

/** Fewest periods in which the identity must hold (with MRR actually moving) before a column is read as MRR. */
const MIN_HOLDING = 3;
/** Share of the periods that can be checked in which it must hold: "most", allowing a corrected month. */
const MIN_SHARE = 0.75;

export interface RollForwardCheck {
  /** Periods where the column, the one before and the movements were all known. */
  checked: string[];
  /** Those where the identity held within rounding. */
  held: string[];
  /** Those where MRR moved by more than rounding and the identity held: evidence it is not a constant. */
  moving: number;
  /**
   * Periods whose value is just that period's own movements (a balance starting from zero): the mark of a
   * running total of net new MRR (`Cumulative net new`, `Net MRR added YTD`), which rolls forward too but
   * is not MRR.
   */
  restarts: number;
}

/**
 * Relabel, in one table's points, a currency series that rolls forward with the table's MRR movements as
 * MRR (`mrr`), each point noting the reading. Points are returned unchanged when the table has no
 * movements, already names its MRR, or no column satisfies the identity.
 */
export function readRollForward(points: MetricPoint[]): MetricPoint[] {
  const bySeries = new Map<string, MetricPoint[]>();
  for (const p of points) bySeries.set(p.metric, [...(bySeries.get(p.metric) ?? []), p]);
  if ([...bySeries.keys()].some((m) => BALANCES.has(m))) return points;
  const movements = new Map<string, Map<string, number>>();
  for (const id of MOVEMENTS) {
    const s = bySeries.get(id);
    if (s) movements.set(id, new Map(s.map((p) => [p.period, p.value])));
  }
  // A table of MRR movements: something gained and something lost.
  if (!GAINS.some((g) => movements.has(g)) || !LOSSES.some((l) => movements.has(l))) return points;

  let best: { metric: string; check: RollForwardCheck } | undefined;
  for (const [metric, series] of bySeries) {
    if (MOVEMENTS.has(metric) || !candidate(metric, series)) continue;
    const check = checkRollForward(new Map(series.map((p) => [p.period, p.value])), movements);
    if (!holds(check)) continue;
    if (!best || check.held.length > best.check.held.length) best = { metric, check };
  }
  if (!best) return points;
  const { metric, check } = best;
  const label = bySeries.get(metric)![0]!.label;
  const note = rollForwardNote(label, check, [...movements.keys()]);
  return points.map((p) =>
    p.metric === metric ? { ...p, metric: 'mrr', unit: 'currency', note: p.note ? `${note}; ${p.note}` : note } : p,
  );
}

/**
 * The identity checked period by period: ending = ending of the period before + new + expansion −
 * contraction − churned, the losses as amounts (positive). A movement series the table does not have at
 * all counts as zero; a period where a series it has is blank is not checked.
 */
export function checkRollForward(
  balance: ReadonlyMap<string, number>,
  movements: ReadonlyMap<string, ReadonlyMap<string, number>>,
  // Rounding: each of up to seven written figures may be off by half its last digit; a larger relative
  // slack for exports that round each movement separately. A balance with one flow passes its own.
  toleranceOf: (step: number, gross: number) => number = (step, gross) => Math.max(3 * step, 0.005 * gross),
): RollForwardCheck {
  const step = granularity([...balance.values(), ...[...movements.values()].flatMap((m) => [...m.values()])]);
  const checked: string[] = [];
  const held: string[] = [];
  let moving = 0;
  let restarts = 0;
  for (const [period, end] of [...balance].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const before = previousPeriod(period);
    const start = before === undefined ? undefined : balance.get(before);
    let net = 0;
    let gross = 0;
    let known = true;
    for (const [id, series] of movements) {
      const v = series.get(period);
      if (v === undefined) {
        known = false;
        break;
      }
      net += LOSSES.includes(id) ? -v : v;
      gross += Math.abs(v);
    }
    if (!known) continue;
    const tolerance = toleranceOf(step, gross);
    if (gross > 0 && Math.abs(end - net) <= tolerance) restarts++;
    if (start === undefined) continue;
    checked.push(period);
    if (Math.abs(end - (start + net)) <= tolerance) {
      held.push(period);
      if (Math.abs(net) > tolerance) moving++;
    }
  }
  return { checked, held, moving, restarts };
}

/** MRR rolls forward with its movements, and is no running total of them (a balance starting from zero). */
export function holds(check: RollForwardCheck): boolean {
  return check.restarts === 0 && identityHolds(check);
}

/** The identity held in enough periods, most of those checked, and not only in periods without movement. */
export function identityHolds(check: RollForwardCheck): boolean {
  return (
    check.held.length >= MIN_HOLDING &&
    check.moving >= MIN_HOLDING &&
    check.held.length >= Math.ceil(MIN_SHARE * check.checked.length)
  );
}

function rollForwardNote(label: string, check: RollForwardCheck, movements: string[]): string {
  const names = movements.map((id) => METRICS_BY_ID.get(id)?.name.replace(/ MRR$/, '').toLowerCase() ?? id);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
  const unit = check.checked.every((p) => periodKind(p) === 'month') ? 'months' : 'periods';
  const broken = check.checked.filter((p) => !check.held.includes(p));
  const exceptions = broken.length
    ? `; not in ${broken.slice(0, 3).map(formatPeriod).join(', ')}${broken.length > 3 ? ' …' : ''}`
    : '';
  return (
    `Read as: ${unit === 'months' ? 'month' : 'period'}-end MRR ("${label}" equals the ${unit === 'months' ? 'month' : 'period'} before plus ` +
    `${list} MRR in ${check.held.length} of ${check.checked.length} ${unit}${exceptions})`
  );
}

/** A header that names a flow or a running total, never a balance: `Cumulative net new`, `MRR added YTD`. */
const FLOW_HEADER =
  /\b(?:cumulative|cum|ytd|qtd|year to date|to date|running|added|net new|change|growth|delta|variance)\b/i;

/** A series that could be a balance in currency: not a count, rate or ratio the catalog knows, nor a flow. */
function candidate(metric: string, series: MetricPoint[]): boolean {
  if (series.some((p) => FLOW_HEADER.test(p.label))) return false;
  const def = METRICS_BY_ID.get(metric);
  if (def) return def.unit === 'currency' && def.kind === 'component';
  return series.every((p) => p.unit === 'currency' || p.unit === 'number');
}

/** The period before: the previous month or quarter (other periods are not rolled forward). */
export function previousPeriod(period: string): string | undefined {
  const kind = periodKind(period);
  if (kind === 'month') return addMonths(period, -1);
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!q) return undefined;
  const [year, n] = [Number(q[1]), Number(q[2])];
  return n === 1 ? `${year - 1}-Q4` : `${year}-Q${n - 1}`;
}

/** The coarsest power of ten every value is a multiple of (1 for whole dollars, 100 for `$000` with one decimal). */
export function granularity(values: number[]): number {
  let step = 0.01;
  for (const candidateStep of [0.1, 1, 10, 100, 1000]) {
    if (values.every((v) => Math.abs(v / candidateStep - Math.round(v / candidateStep)) < 1e-6)) step = candidateStep;
    else break;
  }
  return step;
}
