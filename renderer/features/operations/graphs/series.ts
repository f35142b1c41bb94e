/**
 * From the RRD rows `operations.rrd` answers to the charts a page draws:
 * which metrics go on which chart, in which unit, with their summaries.
 * Pure, so the shaping is tested without a canvas. Rows that lack a value
 * stay null (uPlot draws a gap), never zero: a guest that was off did not
 * use 0 % CPU.
 */
import type { RrdSeries } from '../../../../shared/domain/operations';
import type { ValueUnit } from './units';

/** The charts, by the name their test id and caption use. */
export type ChartGroup = 'cpu' | 'memory' | 'network' | 'disk' | 'load';

/** One line of a chart: the RRD metric it draws and the message key of its legend label. */
interface LineSpec {
  metric: string;
  label: string;
}

interface ChartSpec {
  group: ChartGroup;
  unit: ValueUnit;
  lines: LineSpec[];
  /** Drawn only when the cluster sends one of its metrics (a node's disk IO); otherwise always, empty when it has no data. */
  optional?: boolean;
}

function line(metric: string, label = metric): LineSpec {
  return { metric, label };
}

function memoryChart(used: string, total: string): ChartSpec {
  return { group: 'memory', unit: 'bytes', lines: [line(used, 'memUsed'), line(total, 'memTotal')] };
}

/** Traffic and disk IO per second: the same metrics for a guest and a node. */
const networkChart: ChartSpec = { group: 'network', unit: 'bytesPerSecond', lines: [line('netin', 'netIn'), line('netout', 'netOut')] };
const diskChart: ChartSpec = { group: 'disk', unit: 'bytesPerSecond', lines: [line('diskread', 'diskRead'), line('diskwrite', 'diskWrite')] };

/** A guest's charts: CPU as a share of its vCPUs (PVE's `cpu` already is), memory used against its size, traffic and disk IO per second. */
export const guestCharts: readonly ChartSpec[] = [
  { group: 'cpu', unit: 'percent', lines: [line('cpu')] },
  memoryChart('mem', 'maxmem'),
  networkChart,
  diskChart,
];

/**
 * A node's charts: CPU of all its cores (with IO delay), load average, memory, traffic, and disk IO where the cluster records it.
 * No KSM chart: the node RRD pvestatd feeds has no KSM column (the page shows the current figure instead).
 */
export const nodeCharts: readonly ChartSpec[] = [
  { group: 'cpu', unit: 'percent', lines: [line('cpu'), line('iowait', 'ioDelay')] },
  { group: 'load', unit: 'number', lines: [line('loadavg', 'load')] },
  memoryChart('memused', 'memtotal'),
  networkChart,
  { ...diskChart, optional: true },
];

/** Latest, mean and largest of the values a line has; nulls are left out, not counted as zero. */
export interface LineSummary {
  latest: number;
  average: number;
  max: number;
}

export interface ChartLine {
  metric: string;
  label: string;
  values: (number | null)[];
  /** Undefined when the line has no value in the period. */
  summary: LineSummary | undefined;
}

export interface ShapedChart {
  group: ChartGroup;
  unit: ValueUnit;
  /** Unix seconds, the same array for every chart of a page. */
  times: number[];
  lines: ChartLine[];
  /** No line has a single value in the period: the chart says so instead of drawing an empty frame. */
  empty: boolean;
  /** The largest value over all lines, for the value axis. */
  max: number | undefined;
}

/** A value PVE sent, or null: non-finite values (RRD's NaN) are gaps too. */
function cleaned(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

export function summarize(values: readonly (number | null)[]): LineSummary | undefined {
  let latest: number | undefined;
  let sum = 0;
  let count = 0;
  let max = -Infinity;
  for (const value of values) {
    if (value === null) continue;
    latest = value;
    sum += value;
    count++;
    max = Math.max(max, value);
  }
  return latest === undefined ? undefined : { latest, average: sum / count, max };
}

/**
 * The charts of `specs` with the rows of `rrd`, in the order of the specs.
 * A line whose metric PVE did not send is left out; an optional chart none
 * of whose metrics were sent is left out whole.
 */
export function shapeCharts(rrd: RrdSeries, specs: readonly ChartSpec[]): ShapedChart[] {
  const rows = rrd.time.length;
  const charts: ShapedChart[] = [];
  for (const spec of specs) {
    const sent = spec.lines.filter(({ metric }) => rrd.metrics[metric] !== undefined);
    if (spec.optional === true && sent.length === 0) continue;
    const lines = sent.map(({ metric, label }): ChartLine => {
      const column = rrd.metrics[metric] ?? [];
      const values = Array.from({ length: rows }, (_, row) => cleaned(column[row]));
      return { metric, label, values, summary: summarize(values) };
    });
    const maxima = lines.flatMap(({ summary }) => (summary === undefined ? [] : [summary.max]));
    charts.push({
      group: spec.group,
      unit: spec.unit,
      times: rrd.time,
      lines,
      empty: maxima.length === 0,
      max: maxima.length === 0 ? undefined : Math.max(...maxima),
    });
  }
  return charts;
}

/** The time span every chart of a page shows, so their time axes line up; undefined without rows. */
export function timeRange(times: readonly number[]): [number, number] | undefined {
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined) return undefined;
  // One row still needs a span uPlot can draw: a minute around it.
  return first === last ? [first - 30, last + 30] : [first, last];
}
