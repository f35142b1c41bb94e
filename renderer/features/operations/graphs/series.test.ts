import { describe, expect, it } from 'vitest';
import { guestCharts, nodeCharts, shapeCharts, summarize, timeRange } from './series';

describe('shapeCharts', () => {
  it('keeps the rows a metric lacks as null gaps, never zeros', () => {
    const charts = shapeCharts({ time: [60, 120, 180], metrics: { cpu: [0.5, null, 0.25], netin: [100, Number.NaN, 300] } }, guestCharts);
    const cpu = charts.find((chart) => chart.group === 'cpu');
    const network = charts.find((chart) => chart.group === 'network');
    expect(cpu?.lines[0]?.values).toEqual([0.5, null, 0.25]);
    expect(network?.lines.map((line) => line.metric)).toEqual(['netin']);
    expect(network?.lines[0]?.values).toEqual([100, null, 300]);
  });

  it('says a chart is empty when none of its lines has a value, and keeps it', () => {
    const charts = shapeCharts({ time: [60, 120], metrics: { mem: [null, null], maxmem: [null, null] } }, guestCharts);
    expect(charts.map((chart) => chart.group)).toEqual(['cpu', 'memory', 'network', 'disk']);
    expect(charts.every((chart) => chart.empty)).toBe(true);
  });

  it('gives every chart the same time array and the unit of its values', () => {
    const time = [60, 120];
    const charts = shapeCharts({ time, metrics: { cpu: [0.1, 0.2], memused: [1024, 2048], memtotal: [4096, 4096], loadavg: [0.5, 1.5] } }, nodeCharts);
    expect(charts.every((chart) => chart.times === time)).toBe(true);
    expect(Object.fromEntries(charts.map((chart) => [chart.group, chart.unit]))).toEqual({
      cpu: 'percent',
      load: 'number',
      memory: 'bytes',
      network: 'bytesPerSecond',
    });
    expect(charts.find((chart) => chart.group === 'memory')?.max).toBe(4096);
  });

  it('draws a node disk IO chart only when the cluster sends disk metrics', () => {
    const without = shapeCharts({ time: [60], metrics: { cpu: [0.1] } }, nodeCharts);
    const withDisk = shapeCharts({ time: [60], metrics: { cpu: [0.1], diskread: [5], diskwrite: [null] } }, nodeCharts);
    expect(without.some((chart) => chart.group === 'disk')).toBe(false);
    expect(withDisk.find((chart) => chart.group === 'disk')?.lines.map((line) => line.values)).toEqual([[5], [null]]);
  });

  it('pads a short column with nulls to the number of rows', () => {
    const [cpu] = shapeCharts({ time: [60, 120, 180], metrics: { cpu: [0.3] } }, guestCharts);
    expect(cpu?.lines[0]?.values).toEqual([0.3, null, null]);
  });
});

describe('summarize', () => {
  it('gives the latest, mean and largest of the values, leaving gaps out', () => {
    expect(summarize([1, null, 3, 2, null])).toEqual({ latest: 2, average: 2, max: 3 });
  });

  it('has nothing to say without a value', () => {
    expect(summarize([null, null])).toBeUndefined();
    expect(summarize([])).toBeUndefined();
  });
});

describe('timeRange', () => {
  it('spans the first to the last row', () => {
    expect(timeRange([60, 120, 180])).toEqual([60, 180]);
  });

  it('widens a single row to a drawable minute and has none without rows', () => {
    expect(timeRange([600])).toEqual([570, 630]);
    expect(timeRange([])).toBeUndefined();
  });
});
