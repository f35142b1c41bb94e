import { describe, expect, it } from 'vitest';
import { rrdSeries } from './rrd-series';

describe('rrdSeries', () => {
  it('turns rows into columns sorted by time, null where a row lacks a metric or holds no finite number', () => {
    const series = rrdSeries([{ time: 120, cpu: 0.5, netin: 'NaN' }, { time: 60, cpu: 0.25, netin: 1000, maxcpu: 2 }, { time: 180, cpu: null }, { cpu: 1 }]);
    expect(series).toEqual({
      time: [60, 120, 180],
      metrics: {
        cpu: [0.25, 0.5, null],
        maxcpu: [2, null, null],
        netin: [1000, null, null],
      },
    });
  });

  it('answers empty columns for no rows', () => {
    expect(rrdSeries([])).toEqual({ time: [], metrics: {} });
  });
});
