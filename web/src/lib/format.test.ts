import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDate,
  formatDateTime,
  formatDuration,
  formatMetricValue,
  formatRelative,
  pluralize,
} from './format.ts';

describe('formatters', () => {
  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('formats dates in UTC and says "never" for missing ones', () => {
    expect(formatDate('2026-01-02T23:30:00Z')).toBe('Jan 2, 2026');
    expect(formatDate(null)).toBe('never');
    expect(formatDate('not a date', '—')).toBe('—');
    expect(formatDateTime('2026-01-02T15:30:00Z')).toBe('Jan 2, 15:30 UTC');
  });

  it('formats relative times', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    expect(formatRelative('2026-01-10T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2026-01-10T11:55:00Z', now)).toBe('5 min ago');
    expect(formatRelative('2026-01-10T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative('2026-01-08T12:00:00Z', now)).toBe('2 d ago');
    expect(formatRelative('2025-10-01T12:00:00Z', now)).toBe('Oct 1, 2025');
    expect(formatRelative(null, now)).toBe('never');
  });

  it('formats metric values by unit', () => {
    expect(formatMetricValue(1_250_000, 'currency')).toBe('$1.3M');
    expect(formatMetricValue(48_500, 'currency')).toBe('$48.5K');
    expect(formatMetricValue(-950, 'currency')).toBe('-$950');
    // The company's currency, as the API gives it: euros before the digits, a code without a symbol after.
    expect(formatMetricValue(48_500, 'currency', 'EUR')).toBe('€48.5K');
    expect(formatMetricValue(-950, 'currency', 'EUR')).toBe('€-950');
    expect(formatMetricValue(1_250_000, 'currency', 'CHF')).toBe('1.3M CHF');
    // Several currencies in the documents: no symbol rather than a wrong one.
    expect(formatMetricValue(48_500, 'currency', null)).toBe('48.5K');
    // A currency never touches a percent.
    expect(formatMetricValue(1.0593, 'percent', 'EUR')).toBe('1.06%');
    // Percent points, never fractions: logo churn 1.06 is 1.06%, not 106%.
    expect(formatMetricValue(1.0593, 'percent')).toBe('1.06%');
    expect(formatMetricValue(0.5, 'percent')).toBe('0.5%');
    expect(formatMetricValue(112, 'percent')).toBe('112%');
    expect(formatMetricValue(1.5, 'ratio')).toBe('1.5x');
    expect(formatMetricValue(14.2, 'months')).toBe('14.2 mo');
    expect(formatMetricValue(1234, 'count')).toBe('1,234');
    expect(formatMetricValue(Number.NaN, 'count')).toBe('—');
  });

  it('formats durations and counts', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(1520)).toBe('1.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(undefined)).toBe('—');
    expect(pluralize(1, 'document')).toBe('1 document');
    expect(pluralize(3, 'query', 'queries')).toBe('3 queries');
  });
});
