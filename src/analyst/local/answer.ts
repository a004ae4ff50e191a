import { METRICS_BY_ID, metricForLabel, normalizeLabel } from '../../graph/catalog.ts';
import type { ResolvedPeriod } from '../../graph/engine/periods.ts';
import type { Unit } from '../../graph/types.ts';
import { formatPeriod } from '../../lib/periods.ts';
import type { Citation } from '../types.ts';
import type { Comparison, Figure, Input } from './calls.ts';
import { formatValue, lowerName } from './format.ts';

/**
 * Markdown pieces of a local-engine answer. The figure always comes first (a reader — and the
 * evaluation — looks at the first numbers), then how it was computed, the benchmark, the sources.
 */

/** Metrics that describe a moment computed from trailing data: "as of June 2026". */
const AS_OF = new Set(['arr_growth_yoy', 'runway', 'ltv', 'ltv_cac']);

/** A period as a sentence names it: `in Q2 2026`, `at the end of June 2026`, `over the last 12 months`. */
export function periodPhrase(period: ResolvedPeriod, metricId: string): string {
  const balance =
    METRICS_BY_ID.get(metricId)?.aggregation === 'last' && METRICS_BY_ID.get(metricId)?.kind === 'component';
  const balanceLike = balance || metricId === 'arr' || metricId === 'arpa';
  if (AS_OF.has(metricId) && period.kind === 'month') return `as of ${period.label}`;
  if (period.trailing) return `over the last ${period.trailing} months`;
  if (period.kind === 'range')
    return period.label.includes('–')
      ? `from ${formatPeriod(period.start)} to ${formatPeriod(period.end)}`
      : `in ${period.label}`;
  if (balanceLike) return `at the end of ${period.label}`;
  return `in ${period.label}`;
}

export function rangeLabel(period: ResolvedPeriod): string {
  if (period.kind !== 'range') return period.label;
  return `${formatPeriod(period.start)} – ${formatPeriod(period.end)}`;
}

/**
 * A label for any period string a tool returned (`2026-Q2` → `Q2 2026`, `FY2026-Q3` → `Q3 FY2026`,
 * `2025-07..2026-06` → `July 2025 – June 2026`).
 */
export function labelOf(period: string): string {
  const r = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/.exec(period);
  if (r) return `${formatPeriod(r[1]!)} – ${formatPeriod(r[2]!)}`;
  const fiscal = /^FY(\d{4})-Q([1-4])$/.exec(period);
  if (fiscal) return `Q${fiscal[2]} FY${fiscal[1]}`;
  return /^(\d{4}-\d{2}|\d{4}-Q[1-4]|\d{4}|FY\d{4})$/.test(period) ? formatPeriod(period) : period;
}

/** The unit of an input, from the catalog (inputs do not carry one). */
function inputUnit(input: Input): Unit {
  const def = METRICS_BY_ID.get(input.metric) ?? metricForLabel(input.name ?? '');
  return def?.unit ?? 'currency';
}

export function howComputed(figure: Figure): string[] {
  const reported = figure.formula !== undefined && /^as reported/i.test(figure.formula);
  const only = figure.inputs[0];
  if (reported && figure.inputs.length === 1 && only) {
    // A figure read straight from a document: where it is, not a formula.
    const where = only.source ? ` in ${sourceText(only.source)}` : '';
    return [
      '',
      `Reported${where}: ${only.name || only.metric} (${labelOf(only.period)}) ${formatValue(only.value, inputUnit(only))}.`,
    ];
  }
  const lines: string[] = [];
  if (figure.formula && !/^as reported/i.test(figure.formula)) lines.push(`- Formula: ${figure.formula}`);
  else if (figure.formula) lines.push(`- ${capitalize(figure.formula)}`);
  for (const input of figure.inputs.slice(0, 8)) {
    const where = input.source ? ` — ${sourceText(input.source)}` : '';
    lines.push(
      `- ${input.name || input.metric} (${labelOf(input.period)}): ${formatValue(input.value, inputUnit(input))}${where}`,
    );
  }
  if (lines.length === 0) return [];
  return ['', '**How it was computed**', ...lines];
}

/** Verdict words for a benchmark position (the metric engine's `position`), direction spelled out when lower is better. */
export function verdict(position: string, comparison: Comparison, higherIsBetter: boolean | undefined): string {
  const lowerBetter = higherIsBetter === false;
  const better = lowerBetter ? ', which is better' : '';
  const worse = lowerBetter ? ', which is worse' : '';
  switch (position) {
    case 'top_decile':
      return 'in the top decile';
    case 'top_quartile':
      return 'in the top quartile';
    case 'above_median':
      return `above the median${worse}`;
    case 'in_line_with_median':
      return 'in line with the median';
    case 'below_median':
      return `below the median${better}`;
    case 'below_bottom_quartile':
      return lowerBetter ? 'worse than the bottom quartile' : 'below the bottom quartile';
    case 'below_top_quartile':
      return 'below the top quartile';
    case 'below_top_decile':
      return 'below the top decile';
    case 'above_range':
      return `above the benchmark range${worse}`;
    case 'within_range':
      return 'in line with the benchmark range';
    case 'below_range':
      return `below the benchmark range${better}`;
    case 'best':
    case 'better':
    case 'good':
      return `at the "${position}" level — better than the "good" bar`;
    case 'below_good':
      return 'below the "good" level — worse than the bar';
    // Thresholds are bars (1x "amazing", 1.5x "great", 2x "good"): the Basis line names the one it meets.
    case 'meets_threshold':
      return 'better than a published threshold';
    case 'misses_threshold':
      return 'worse than every published threshold';
  }
  // Unknown position: compare with the median ourselves (a comparison, not a new figure).
  const { value, band } = comparison;
  if (value === null || band.median === undefined) return 'not placed against a benchmark (no matching figure)';
  if (Math.abs(value - band.median) <= Math.abs(band.median) * 0.02) return 'in line with the median';
  return value > band.median ? `above the median${worse}` : `below the median${better}`;
}

/** Positions worth a mention even when the question did not ask for benchmarks. */
export const TELLING_POSITIONS = new Set([
  'top_decile',
  'top_quartile',
  'below_bottom_quartile',
  'below_good',
  'misses_threshold',
]);

/** A benchmark figure in the metric's unit (the tools give both on the same scale). */
export function formatBand(bandValue: number, unit: Unit): string {
  return formatValue(bandValue, unit);
}

export function benchmarkLines(
  figureText: string,
  name: string,
  comparison: Comparison,
  higherIsBetter: boolean | undefined,
): string[] {
  const { band } = comparison;
  const parts: string[] = [];
  // Name each end of the band by the published statistic it came from (quartile, range end …).
  const statOf = (v: number | undefined, fallback: string) => {
    const f = comparison.figures.find((x) => v !== undefined && Math.abs(x.value - v) < 1e-9 && x.stat !== 'median');
    return f ? f.stat.replace(/_/g, ' ') : fallback;
  };
  const lowName = statOf(band.low, 'low');
  const highName = statOf(band.high, 'high');
  if (band.median !== undefined) parts.push(`median ${formatBand(band.median, comparison.unit)}`);
  if (band.low !== undefined) parts.push(`${lowName} ${formatBand(band.low, comparison.unit)}`);
  if (band.high !== undefined) parts.push(`${highName} ${formatBand(band.high, comparison.unit)}`);
  if (parts.length === 0) {
    for (const f of comparison.figures.slice(0, 3)) {
      parts.push(
        `${f.stat.replace(/_/g, ' ')} ${formatBand(f.value, comparison.unit)}${f.segment ? ` (${f.segment})` : ''}`,
      );
    }
  }
  const v = verdict(comparison.position, comparison, higherIsBetter);
  const lines = ['', '**Against benchmarks**'];
  const segment = band.label ? ` for ${band.label}` : '';
  lines.push(
    `- Our ${lowerName(name)} of ${figureText} is ${v}${parts.length ? ` (benchmarks${segment}: ${parts.join(', ')})` : ''}.`,
  );
  if (comparison.summary) lines.push(`- Basis: ${comparison.summary.replace(/\.$/, '')}.`);
  return lines;
}

export function sourceText(c: Citation): string {
  if ('benchmark' in c) return `${c.publisher}, ${c.report} (${c.year})${c.url ? ` — ${c.url}` : ''}`;
  return `${c.document_name}${c.locator ? `, ${c.locator}` : ''}`;
}

export function sourcesSection(citations: Citation[]): string[] {
  if (citations.length === 0) return [];
  const docs = citations.filter((c) => !('benchmark' in c)).slice(0, 5);
  const benches = citations.filter((c) => 'benchmark' in c).slice(0, 3);
  return ['', '**Sources**', ...[...docs, ...benches].map((c) => `- ${sourceText(c)}`)];
}

/** What document supplies a metric, so a missing input becomes an actionable request. */
export function documentFor(metricText: string): string {
  const id = metricIdIn(metricText);
  const pnl = 'a P&L (income statement) with that line';
  switch (id) {
    case 'starting_mrr':
    case 'mrr':
    case 'new_mrr':
    case 'expansion_mrr':
    case 'contraction_mrr':
    case 'churned_mrr':
      return 'a monthly metrics export with MRR movements (starting, new, expansion, contraction, churned, ending MRR)';
    case 'customers':
    case 'customers_start':
    case 'new_customers':
    case 'churned_customers':
      return 'a metrics export with customer counts (customers at start and end, new and churned customers)';
    case 'sales_marketing':
      return 'a P&L or a metrics export with a sales & marketing spend column';
    case 'gross_margin':
      return 'a P&L (revenue and cost of revenue) or a metrics export with a gross margin column';
    case 'net_burn':
    case 'cash':
    case 'free_cash_flow':
      return 'a cash-flow statement or a metrics export with net burn and cash balance';
    case 'headcount':
      return 'a headcount report or a metrics export with a headcount column';
    case undefined:
      return 'a metrics export or financial statement that reports it';
    default:
      return pnl;
  }
}

/** The catalog metric a free-text "missing" entry names (`Sales & marketing spend for 2026-Q1`). */
export function metricIdIn(text: string): string | undefined {
  const head = text.split(/\s+(?:for|in|at|over)\s+/i)[0] ?? text;
  const direct = METRICS_BY_ID.get(head.trim()) ?? metricForLabel(head);
  if (direct) return direct.id;
  const norm = ` ${normalizeLabel(head)} `;
  for (const m of METRICS_BY_ID.values()) {
    if (norm.includes(` ${normalizeLabel(m.name)} `) || norm.includes(` ${m.id.replace(/_/g, ' ')} `)) return m.id;
  }
  return undefined;
}

/** Missing inputs, written the way a person asks for them. */
export function missingLines(missing: string[]): string[] {
  return missing.slice(0, 6).map((m) => {
    const pretty = m
      .replace(/\s*\([a-z0-9_:]+\)/g, '')
      .replace(
        /\b(\d{4}-\d{2})\.\.(\d{4}-\d{2})\b/g,
        (_, a: string, b: string) => `${formatPeriod(a)} – ${formatPeriod(b)}`,
      )
      .replace(/\b(\d{4}-\d{2}|\d{4}-Q[1-4])\b/g, (p) => formatPeriod(p));
    const id = metricIdIn(m);
    const name = id ? (METRICS_BY_ID.get(id)?.name ?? id) : undefined;
    const text = name && !normalizeLabel(pretty).includes(normalizeLabel(name)) ? `${name} (${pretty})` : pretty;
    return `- need ${lowerFirst(text)} — upload ${documentFor(m)}`;
  });
}

const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
const lowerFirst = (s: string) => (s && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);
