import { AsyncLocalStorage } from 'node:async_hooks';
import { changeOf } from '../../graph/engine/series.ts';
import type { Unit } from '../../graph/types.ts';
import { withCurrency } from '../../lib/metric-format.ts';

/**
 * How the local engine writes figures: $1,095,472 · 102.11% · 0.44x · 9.11 months · 516.
 * The tools give percents in points (NRR 102.11 means 102.11%: src/analyst/wiring.ts); `fraction`
 * is for the rare value known to be a fraction.
 */
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const two = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * The currency of the turn being answered: the company's (list_metrics `currency`, decided by the graph
 * from what its documents state), so that every amount of an answer is written in it — €1,200 for a
 * company whose documents are in euros. `null`: the documents state several, so no symbol is written.
 */
const turnCurrency = new AsyncLocalStorage<string | null>();

/** Answer a turn with its amounts written in `currency` (ISO 4217; `null`: several, no symbol). */
export function inCurrency<T>(currency: string | null, answer: () => T): T {
  return turnCurrency.run(currency, answer);
}

export function formatCurrency(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 1000 || Number.isInteger(abs) ? int.format(Math.round(abs)) : two.format(abs);
  return withCurrency(value < 0 ? '-' : '', digits, turnCurrency.getStore());
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? int.format(value) : two.format(value);
}

export function formatValue(value: number, unit: Unit, opts: { fraction?: boolean } = {}): string {
  switch (unit) {
    case 'currency':
      return formatCurrency(value);
    case 'percent':
      return `${two.format(opts.fraction ? value * 100 : value)}%`;
    case 'ratio':
      return `${two.format(value)}x`;
    case 'months':
      return `${two.format(value)} months`;
    case 'count':
      return Number.isInteger(value) ? int.format(value) : two.format(value);
    default:
      return formatNumber(value);
  }
}

/** A difference between two values of the same unit: +$52,000 · +1.25 pts · -3. */
export function formatDelta(delta: number, unit: Unit): string {
  const sign = delta > 0 ? '+' : delta < 0 ? '-' : '±';
  const abs = Math.abs(delta);
  if (unit === 'percent') return `${sign}${two.format(abs)} pts`;
  return `${sign}${formatValue(abs, unit)}`;
}

/** The percent change from `from` to `to` (`+34.45%`), by the graph's arithmetic of a change (changeOf); none from 0. */
export function formatChange(from: number, to: number): string | undefined {
  const pct = changeOf(from, to, 'number').change_pct;
  if (pct === null) return undefined;
  return `${pct >= 0 ? '+' : '-'}${two.format(Math.abs(pct))}%`;
}

/** A metric name inside a sentence: `net revenue retention`, but `MRR`, `ARR growth (YoY)`, `CAC payback` stay. */
export function lowerName(name: string): string {
  return !name || /^[A-Z]{2}|^[A-Z]&/.test(name) ? name : name[0]!.toLowerCase() + name.slice(1);
}
