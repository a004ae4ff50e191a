import { formatPeriod } from '../lib/periods.ts';
import { METRICS_BY_ID, normalizeLabel } from './catalog.ts';
import { checkRollForward, identityHolds, type RollForwardCheck } from './roll-forward.ts';
import type { MetricPoint } from './types.ts';

/**
 * What the balance column of a cash-flow sheet is, decided by its content rather than its header.
 *
 * A cash-flow sheet kept by hand or exported from a bank feed writes its balance as `Closing balance`,
 * `Balance c/f` or `Bank balance at month end` beside the month's `Net cash flow`; only some of those
 * headers say "cash". Cash rolls forward: the balance at the end of a month = the balance a month before
 * + that month's net cash flow. A currency series of the same table that satisfies the identity in most
 * months is the cash balance whatever its header says, and each point says so. An opening balance does
 * not hold (it is the month before's closing), nor does a receipts or payments column, so neither is read
 * as cash. A table that already names its cash balance is left alone.
 *
 * Used by document extraction on the points of one table (documents/extract-metrics.ts), after the signs
 * are read.
 */

/** A header that names a flow or a total of one, never a balance. */
const FLOW_HEADER =
  /\b(?:cumulative|ytd|year to date|to date|running|change|movement|net|receipts|payments|inflows?|outflows?|received|paid)\b/i;
/** Money in and money out, as a cash sheet without a net line heads them: `Receipts`, `Cash in`, `Total payments`. */
const INFLOW = /^(?:total )?(?:cash )?(?:receipts|inflows?|money in|cash in|received)$/;
const OUTFLOW = /^(?:total )?(?:cash )?(?:payments|outflows?|money out|cash out|paid out|paid)$/;

export function readCashBalance(points: MetricPoint[]): MetricPoint[] {
  const bySeries = new Map<string, MetricPoint[]>();
  for (const p of points) bySeries.set(p.metric, [...(bySeries.get(p.metric) ?? []), p]);
  if (bySeries.has('cash')) return points;
  const net = netCashFlow(bySeries);
  if (!net) return points;
  let best: { metric: string; check: RollForwardCheck } | undefined;
  for (const [metric, series] of bySeries) {
    if (!candidate(metric, series)) continue;
    // The one flow's rounding, twice when it is worked out from receipts less payments. A cash balance
    // may start from zero (a new company), so it is checked for the identity alone.
    const check = checkRollForward(
      new Map(series.map((p) => [p.period, p.value])),
      new Map([['net_cash_flow', net]]),
      (step) => 3 * step * (net.from ? 2 : 1),
    );
    if (identityHolds(check) && (!best || check.held.length > best.check.held.length)) best = { metric, check };
  }
  if (!best) return points;
  const { metric } = best;
  const { held, checked } = best.check;
  const label = bySeries.get(metric)![0]!.label;
  const broken = checked.filter((p) => !held.includes(p));
  const exceptions = broken.length
    ? `; not in ${broken.slice(0, 3).map(formatPeriod).join(', ')}${broken.length > 3 ? ' …' : ''}`
    : '';
  const flow = net.from ? `${net.from} in that period` : 'its net cash flow';
  const note = `Read as: cash balance at the end of the period ("${label}" equals the period before plus ${flow} in ${held.length} of ${checked.length} periods${exceptions})`;
  return points.map((p) =>
    p.metric === metric ? { ...p, metric: 'cash', unit: 'currency', note: p.note ? `${note}; ${p.note}` : note } : p,
  );
}

/**
 * The table's net cash flow by period: its own `net_cash_flow` line, else money in less money out when it
 * has exactly one line of each (`Receipts`, `Payments`) — then `from` says so for the note. Only used to
 * test a balance; the burn then comes from the fall in that cash (graph/engine/values.ts), never from a
 * figure no document writes.
 */
function netCashFlow(bySeries: Map<string, MetricPoint[]>): (Map<string, number> & { from?: string }) | undefined {
  const stated = bySeries.get('net_cash_flow');
  if (stated) return new Map(stated.map((p) => [p.period, p.value]));
  const named = (re: RegExp) =>
    [...bySeries.values()].filter((s) => s[0]!.metric.startsWith('item:') && re.test(normalizeLabel(s[0]!.label)));
  const ins = named(INFLOW);
  const outs = named(OUTFLOW);
  if (ins.length !== 1 || outs.length !== 1) return undefined;
  // Payments written as negative numbers (`-£1,234.56`) are subtracted already.
  const negative = outs[0]!.every((p) => p.value <= 0);
  const out = new Map(outs[0]!.map((p) => [p.period, negative ? -p.value : p.value]));
  const net: Map<string, number> & { from?: string } = new Map();
  for (const p of ins[0]!) {
    const paid = out.get(p.period);
    if (paid !== undefined) net.set(p.period, p.value - paid);
  }
  net.from = `"${ins[0]![0]!.label}" less "${outs[0]![0]!.label}"`;
  return net;
}

/** A series that could be a balance in money: a line item, or a catalog currency balance; not a flow. */
function candidate(metric: string, series: MetricPoint[]): boolean {
  const flow = (label: string) =>
    FLOW_HEADER.test(label) || [INFLOW, OUTFLOW].some((re) => re.test(normalizeLabel(label)));
  if (metric === 'net_cash_flow' || series.some((p) => flow(p.label))) return false;
  const def = METRICS_BY_ID.get(metric);
  if (def) return def.unit === 'currency' && def.kind === 'component' && def.aggregation === 'last';
  return series.every((p) => p.unit === 'currency' || p.unit === 'number');
}
