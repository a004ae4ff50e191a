import { describe, expect, it } from 'vitest';
import { formatChange, formatDelta, formatValue, inCurrency, lowerName } from '../../../src/analyst/local/format.ts';

describe('amounts in the company’s currency', () => {
  it.each([
    ['EUR', 43_000, '€43,000'],
    ['EUR', -1_200, '€-1,200'],
    ['GBP', 12.5, '£12.50'],
    ['USD', -695_345, '-$695,345'],
    ['CHF', 5_000, '5,000 CHF'],
    [null, 5_000, '5,000'],
  ] as const)('%s %d → %s', (currency, value, expected) => {
    expect(inCurrency(currency, () => formatValue(value, 'currency'))).toBe(expected);
  });

  it('writes dollars outside a turn, as before', () => {
    expect(formatValue(1_200, 'currency')).toBe('$1,200');
  });
});

describe('how figures are written', () => {
  it.each([
    [1_095_472, 'currency', '$1,095,472'],
    [-695_345, 'currency', '-$695,345'],
    [12.5, 'currency', '$12.50'],
    [102.1136, 'percent', '102.11%'],
    [0.4419, 'ratio', '0.44x'],
    [9.1123, 'months', '9.11 months'],
    [516, 'count', '516'],
    [45.5, 'count', '45.50'],
    [1234.567, 'number', '1,234.57'],
  ] as const)('%d %s → %s', (value, unit, expected) => {
    expect(formatValue(value, unit)).toBe(expected);
  });

  it('writes deltas and relative changes with their sign', () => {
    expect(formatDelta(52_000, 'currency')).toBe('+$52,000');
    expect(formatDelta(-0.55, 'percent')).toBe('-0.55 pts');
    expect(formatChange(100, 85.5)).toBe('-14.50%');
    expect(formatChange(0, 5)).toBeUndefined();
  });

  it('keeps acronyms when a name goes inside a sentence', () => {
    expect(lowerName('Net revenue retention')).toBe('net revenue retention');
    expect(lowerName('MRR')).toBe('MRR');
    expect(lowerName('R&D spend')).toBe('R&D spend');
  });
});
