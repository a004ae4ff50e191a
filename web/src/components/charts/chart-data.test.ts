import { describe, expect, it } from 'vitest';
import { formatMetric, niceTicks } from '../../../../src/lib/metric-format.ts';
import type { AnswerMetric } from '../../lib/api-types.ts';
import { benchmarkCaption, chartModel, shortPeriod } from './chart-data.ts';

const base: AnswerMetric = {
  metric: 'nrr',
  name: 'Net revenue retention',
  unit: 'percent',
  value: 102.1,
  period: '2026-Q2',
  series: [],
};

describe('chart model', () => {
  it('draws a band when both ends are known, with the median as a line, inside round ticks', () => {
    const m = chartModel({
      ...base,
      series: [
        { period: '2026-Q1', value: 99 },
        { period: '2026-Q2', value: 102.1 },
      ],
      benchmark: { low: 100, median: 104, high: 120 },
    });
    expect(m.band).toEqual({ low: 100, high: 120 });
    expect(m.lines).toEqual([{ value: 104, label: 'median' }]);
    expect(m.domain[0]).toBeLessThanOrEqual(99);
    expect(m.domain[1]).toBeGreaterThanOrEqual(120);
    expect(m.ticks).toEqual([90, 100, 110, 120]);
    expect(m.data.map((d) => d.label)).toEqual(['Q1 26', 'Q2 26']);
  });

  it('keeps a churn chart in percent points: the 1.06% answer, a 3.5% median, nothing above 100%', () => {
    const m = chartModel({
      metric: 'logo_churn',
      name: 'Logo churn',
      unit: 'percent',
      value: 1.0593,
      period: '2026-05',
      series: [
        { period: '2026-04', value: 0.8772 },
        { period: '2026-05', value: 1.0593 },
        { period: '2026-06', value: 0.813 },
      ],
      benchmark: { median: 3.5, label: 'median' },
    });
    expect(m.ticks).toEqual([0, 1, 2, 3, 4]);
    expect(Math.max(...m.ticks)).toBeLessThanOrEqual(100);
    expect(m.ticks.map((t) => formatMetric(t, 'percent', { compact: true }))).toEqual(['0%', '1%', '2%', '3%', '4%']);
    expect(formatMetric(1.0593, 'percent')).toBe('1.06%');
  });

  it('gives round money ticks ($250K steps), not odd values', () => {
    const { ticks } = niceTicks([855_296, 1_095_472], 'currency');
    for (const t of ticks) expect(t % 50_000).toBe(0);
    expect(ticks.map((t) => formatMetric(t, 'currency', { compact: true }))).toEqual([
      '$800K',
      '$900K',
      '$1M',
      '$1.1M',
    ]);
  });

  it('never puts a percent axis above 100% when no value is', () => {
    const { ticks } = niceTicks([91, 99.5], 'percent');
    expect(Math.max(...ticks)).toBe(100);
  });

  it('falls back to the latest value, and to a threshold line when only one end is known', () => {
    const m = chartModel({ ...base, benchmark: { high: 120, label: 'top quartile' } });
    expect(m.data).toEqual([{ period: '2026-Q2', label: 'Q2 26', value: 102.1 }]);
    expect(m.band).toBeNull();
    expect(m.lines).toEqual([{ value: 120, label: 'high' }]);
    expect(m.domain[1]).toBeGreaterThanOrEqual(120);
  });

  it('captions only the figures the source gives', () => {
    const fmt = (v: number) => `${v}%`;
    expect(benchmarkCaption({ high: 120 }, fmt)).toBe('high 120%');
    expect(benchmarkCaption({ low: 90, median: null, high: 120 }, fmt)).toBe('p25 90% · p75 120%');
    expect(benchmarkCaption({}, fmt)).toBe('no figures');
    expect(shortPeriod('2026-06')).toBe('Jun 26');
  });
});
