/**
 * Reading one spreadsheet-style cell as people write numbers: `$1,234.50`, `(1,200)` (negative),
 * `-12%`, `78.2 %`, `€1.2M`, `15k`, `1 234` — or, in a table written with decimal commas (German, Dutch,
 * French exports), `1.234,56`, `-312,4`, `12,5 %`. Anything else stays text.
 */
export type CellKind = 'number' | 'percent' | 'currency' | 'text' | 'empty';

export interface TypedCell {
  value: number | string | null;
  kind: CellKind;
  /** ISO 4217 code of the currency the cell is written in (`€1,200` → `EUR`), when its symbol says. */
  currency?: string;
}

/** The currency a symbol or code names: `$`, `US$`, `USD` → `USD`; `€`, `EUR` → `EUR`; `£`, `GBP` → `GBP`; `¥` → `JPY`. */
export function currencyOfSymbol(symbol: string): string | undefined {
  const s = symbol.trim().toLowerCase();
  if (s === '$' || s === 'us$' || s === 'usd') return 'USD';
  if (s === '€' || s === 'eur') return 'EUR';
  if (s === '£' || s === 'gbp') return 'GBP';
  if (s === '¥' || s === 'jpy') return 'JPY';
  return undefined;
}

const CURRENCY = /^(?:[$€£¥]|usd|eur|gbp|us\$)\s*/i;
const CURRENCY_SUFFIX = /\s*(?:[$€£¥]|usd|eur|gbp)$/i;
const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, mm: 1e6, b: 1e9, bn: 1e9 };

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
const CURRENCY_WORD = /^(?:usd|eur|gbp|us\$)/i;

/**
 * How a table writes the decimal mark: `point` (`1,234.56`) or `comma` (`1.234,56`). One cell cannot
 * say (`1,234` is either), so a table is read one way throughout (`decimalMarkOf`).
 */
export type DecimalMark = 'point' | 'comma';

export function typeCell(raw: string, mark: DecimalMark = 'point'): TypedCell {
  const s = raw.trim();
  if (!s || s === '-' || s === '—' || s === '–' || /^n\/?a$/i.test(s)) return { value: null, kind: 'empty' };
  if (s.length > 40) return { value: s, kind: 'text' };
  // Fast paths for the common cases (large CSVs type millions of cells): plain numbers, and words.
  if (PLAIN_NUMBER.test(s) && (mark === 'point' || !s.includes('.'))) return { value: Number(s), kind: 'number' };
  const first = s.charCodeAt(0) | 0x20;
  if (first >= 0x61 && first <= 0x7a && !CURRENCY_WORD.test(s)) return { value: s, kind: 'text' };
  let t = s;
  let negative = false;
  let currency = false;
  let code: string | undefined;
  let percent = false;
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1).trim();
  }
  if (t.startsWith('-') || t.startsWith('−')) {
    negative = !negative;
    t = t.slice(1).trim();
  } else if (t.startsWith('+')) t = t.slice(1).trim();
  const prefix = CURRENCY.exec(t);
  if (prefix) {
    currency = true;
    code = currencyOfSymbol(prefix[0]);
    t = t.replace(CURRENCY, '');
  }
  const suffixed = CURRENCY_SUFFIX.exec(t);
  if (suffixed) {
    currency = true;
    code ??= currencyOfSymbol(suffixed[0]);
    t = t.replace(CURRENCY_SUFFIX, '');
  }
  // A sign after the currency symbol: `$-1,200` or `$(1,200)`.
  if (t.startsWith('-') || t.startsWith('−')) {
    negative = !negative;
    t = t.slice(1).trim();
  } else if (/^\(.*\)$/.test(t)) {
    negative = !negative;
    t = t.slice(1, -1).trim();
  }
  if (t.endsWith('%')) {
    percent = true;
    t = t.slice(0, -1).trim();
  }
  let multiplier = 1;
  const suffix = /^(.*?\d)\s*(k|m|mm|b|bn)$/i.exec(t);
  if (suffix?.[1] && suffix[2]) {
    multiplier = SUFFIX[suffix[2].toLowerCase()] ?? 1;
    t = suffix[1];
  }
  let n: number;
  if (mark === 'comma') {
    // Thousands marked by dots or spaces, a decimal comma: `1.234.567`, `1 234,5`, `0,75`.
    if (!/^(?:\d{1,3}(?:[. \u00a0\u202f]\d{3})+|\d+)(?:,\d+)?$|^,\d+$/.test(t)) return { value: s, kind: 'text' };
    n = Number(t.replace(/[. \u00a0\u202f]/g, '').replace(',', '.')) * multiplier;
  } else {
    // Thousands separators: `1,234,567`, `1 234`, or plain digits with an optional decimal part.
    if (!/^(?:\d{1,3}(?:[, \u00a0\u202f]\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$/.test(t)) return { value: s, kind: 'text' };
    n = Number(t.replace(/[, \u00a0\u202f]/g, '')) * multiplier;
  }
  if (!Number.isFinite(n)) return { value: s, kind: 'text' };
  const value = negative ? -n : n;
  const kind: CellKind = percent ? 'percent' : currency ? 'currency' : 'number';
  return {
    value: multiplier === 1 ? value : round(value),
    kind,
    ...(kind === 'currency' && code ? { currency: code } : {}),
  };
}

/** Trim floating-point noise (0.782 * 100 = 78.20000000000001) without losing real precision. */
export function round(n: number): number {
  return Number.parseFloat(n.toPrecision(12));
}

/** A number with a decimal comma no point-writer would write: `1.234,56`, `1 234,56` (French), `48,5`, `0,1234`. */
const COMMA_DECIMAL = /^\d{1,3}(?:[. \u00a0\u202f]\d{3})+,\d+$|^\d+,(?:\d{1,2}|\d{4,})$/;
/** …and one with a decimal point no comma-writer would write: `1,234.56`, `48.5`, `0.1234`. */
const POINT_DECIMAL = /^\d{1,3}(?:,\d{3})+\.\d+$|^\d+\.(?:\d{1,2}|\d{4,})$/;

/**
 * The decimal mark a table's cells are written with: `comma` when more of them can only be read with a
 * decimal comma (`1.234,56`, `-312,4`) than with a decimal point (`1,234.56`, `12.5`); ambiguous cells
 * (`1,234`, `1.234`, `500`) say nothing, so an ordinary table stays `point`. Period-like cells (`03.2025`)
 * are left to the caller to skip.
 */
export function decimalMarkOf(cells: Iterable<string>): DecimalMark {
  let comma = 0;
  let point = 0;
  for (const raw of cells) {
    const t = raw
      .trim()
      .replace(/^[-−+(]+|[)%]+$/g, '')
      .replace(CURRENCY, '')
      .replace(CURRENCY_SUFFIX, '')
      .replace(/^[-−]/, '')
      .trim();
    if (!t || t.length > 24) continue;
    if (COMMA_DECIMAL.test(t)) comma++;
    else if (POINT_DECIMAL.test(t)) point++;
  }
  return comma > point ? 'comma' : 'point';
}
