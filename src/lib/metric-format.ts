/**
 * One formatter for a metric value by its unit, shared by the web app (answers' charts, the metrics
 * overview, tooltips) and the server (the steps a partner reads). Percentages are stored as percent
 * points everywhere (logo churn 1.06 means 1.06%, NRR 102.11 means 102.11%): nothing here multiplies
 * by 100.
 *
 * `compact` is for axis ticks and cards ($1.1M, 1.1%); the default is the exact form answers use
 * ($1,095,472, 1.06%). `currency` is the company's (the API's `currency`: €1,095,472 for a company in
 * euros); without it amounts are in US dollars.
 */
export interface FormatOptions {
  compact?: boolean;
  currency?: string | null;
}

export type MetricUnit = 'currency' | 'count' | 'percent' | 'ratio' | 'months' | 'number' | (string & {});

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** The symbols written before an amount; any other currency is written as its code after it (`1,200 CHF`). */
const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };

/**
 * How an amount in `currency` (ISO 4217) is written around its digits: `$`/`€` before, a code without a
 * symbol after. `undefined` is the company's default, US dollars (the graph's `currencyOf` says USD
 * when no document states one); `null` means the documents state several, so no symbol is written.
 */
export function currencyAffixes(currency: string | null | undefined): { before: string; after: string } {
  if (currency === undefined) return { before: '$', after: '' };
  if (currency === null) return { before: '', after: '' };
  const symbol = CURRENCY_SYMBOLS[currency];
  return symbol ? { before: symbol, after: '' } : { before: '', after: ` ${currency}` };
}

/** An amount's digits with its currency: -$1,200 as ever; any other symbol keeps the sign beside the digits (€-1,200). */
export function withCurrency(sign: string, digits: string, currency: string | null | undefined): string {
  const { before, after } = currencyAffixes(currency);
  return before === '$' ? `${sign}$${digits}` : `${before}${sign}${digits}${after}`;
}
const upTo2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const upTo1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function compactMoney(abs: number): string {
  if (abs >= 1e9) return `${upTo1.format(abs / 1e9)}B`;
  if (abs >= 1e6) return `${upTo1.format(abs / 1e6)}M`;
  if (abs >= 1e3) return `${upTo1.format(abs / 1e3)}K`;
  return upTo1.format(abs);
}

export function formatMetric(
  value: number | null | undefined,
  unit: MetricUnit | undefined,
  { compact = false, currency }: FormatOptions = {},
): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  switch (unit) {
    case 'currency':
      if (compact) return withCurrency(sign, compactMoney(abs), currency);
      return withCurrency(
        sign,
        abs >= 1000 || Number.isInteger(abs) ? int.format(Math.round(abs)) : upTo2.format(abs),
        currency,
      );
    case 'percent':
      return `${sign}${(compact && abs >= 10 ? upTo1 : upTo2).format(abs)}%`;
    case 'ratio':
      return `${sign}${upTo2.format(abs)}x`;
    case 'months':
      return `${sign}${upTo1.format(abs)} mo`;
    case 'count':
      return compact && abs >= 10_000 ? `${sign}${compactMoney(abs)}` : `${sign}${int.format(abs)}`;
    default:
      return compact && abs >= 10_000 ? `${sign}${compactMoney(abs)}` : `${sign}${upTo2.format(abs)}`;
  }
}

/** A change between two values of one unit: `+$52K`, `+€52K`, `+0.25 pts` (percent), `-3`. */
export function formatMetricDelta(delta: number, unit: MetricUnit | undefined, currency?: string | null): string {
  if (!Number.isFinite(delta)) return '—';
  const sign = delta > 0 ? '+' : delta < 0 ? '-' : '±';
  if (unit === 'percent') return `${sign}${upTo2.format(Math.abs(delta))} pts`;
  return `${sign}${formatMetric(Math.abs(delta), unit, { compact: true, currency })}`;
}

/** The step of a "nice" axis: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * Round axis ticks covering [min, max] (about `count` intervals), and the domain they span.
 * Percent axes never go below 0 when the data does not, nor above 100 when the data does not.
 */
export function niceTicks(
  values: number[],
  unit?: MetricUnit,
  count = 4,
): { ticks: number[]; domain: [number, number] } {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { ticks: [0, 1], domain: [0, 1] };
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  // Money and counts read better from zero when the series is not far from it.
  if (min > 0 && (unit === 'currency' || unit === 'count') && min < max * 0.35) min = 0;
  const step = niceStep(max - min, count);
  let lo = Math.floor(min / step + 1e-9) * step;
  let hi = Math.ceil(max / step - 1e-9) * step;
  if (Math.min(...finite) >= 0 && lo < 0) lo = 0;
  if (unit === 'percent' && Math.max(...finite) <= 100 && hi > 100) hi = 100;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  if (hi === lo) hi = lo + step;
  return { ticks, domain: [ticks[0] ?? lo, ticks.at(-1) ?? hi] };
}
