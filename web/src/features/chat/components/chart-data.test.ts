import { describe, expect, it } from 'vitest';
import type { AnswerMetric } from '../../../lib/api-types.ts';
import { benchmarkCaption, chartModel } from './chart-data.ts';

const base: AnswerMetric = {
  metric: 'nrr',
  name: 'Net revenue retention',
  unit: 'percent',
  value: 102.1,
  period: '2026-Q2',
  series: [],
};

describe('chart model', () => {
  it('draws a band when both ends are known, with the median as a line, inside the y-range', () => {
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
    expect(m.domain[0]).toBeLessThan(99);
    expect(m.domain[1]).toBeGreaterThan(120);
  });

  it('falls back to the latest value, and to a threshold line when only one end is known', () => {
    const m = chartModel({ ...base, benchmark: { high: 120, label: 'top quartile' } });
    expect(m.data).toEqual([{ period: '2026-Q2', value: 102.1 }]);
    expect(m.band).toBeNull();
    expect(m.lines).toEqual([{ value: 120, label: 'high' }]);
    expect(m.domain[1]).toBeGreaterThan(120);
  });

  it('captions only the figures the source gives', () => {
    const fmt = (v: number) => `${v}%`;
    expect(benchmarkCaption({ high: 120 }, fmt)).toBe('high 120%');
    expect(benchmarkCaption({ low: 90, median: null, high: 120 }, fmt)).toBe('low 90% · high 120%');
    expect(benchmarkCaption({}, fmt)).toBe('no figures');
  });
});
