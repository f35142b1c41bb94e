import { createHash } from 'node:crypto';

export type Timeframe = 'hour' | 'day' | 'week' | 'month' | 'year' | 'decade';
export type ConsolidationFunction = 'AVERAGE' | 'MAX';

export interface RrdLayout {
  step: number;
  rows: number;
}

/**
 * Resolution (seconds) and row count of each timeframe (pve-cluster
 * PVE/RRD.pm `create_rrd_data`): PVE 9's `pve-*-9.0` files, and before them
 * the `pve2` files, which stop at a year (`decade` reads the year).
 */
export const RRD_LAYOUTS: Record<8 | 9, Record<Timeframe, RrdLayout>> = {
  9: {
    hour: { step: 60, rows: 60 },
    day: { step: 60, rows: 1440 },
    week: { step: 1800, rows: 336 },
    month: { step: 1800, rows: 1440 },
    year: { step: 21600, rows: 1440 },
    decade: { step: 604800, rows: 570 },
  },
  8: {
    hour: { step: 60, rows: 60 },
    day: { step: 1800, rows: 70 },
    week: { step: 10800, rows: 70 },
    month: { step: 43200, rows: 70 },
    year: { step: 604800, rows: 70 },
    decade: { step: 604800, rows: 70 },
  },
};

export type Row = Record<string, number>;

interface Sample {
  time: number;
  values: Row;
}

/**
 * Round-robin data for one guest or node: real samples recorded while the
 * lab runs (kept for 8 days at the collector's 10 s pace, then thinned), and
 * deterministic plausible history for the time before the lab started.
 */
export class RrdSeries {
  private readonly samples: Sample[] = [];

  constructor(
    private readonly history: ((time: number) => Row | undefined) | undefined,
    private readonly since: number,
  ) {}

  record(time: number, values: Row): void {
    this.samples.push({ time, values });
    const horizon = time - 8 * 86400;
    while ((this.samples[0]?.time ?? time) < horizon) this.samples.shift();
  }

  /** PVE's rrddata: the layout's rows ending with the last complete step, each the AVERAGE or MAX of its step; metrics without data are left out. */
  rows(layout: RrdLayout, cf: ConsolidationFunction, now = Date.now() / 1000): Row[] {
    const { step, rows: count } = layout;
    // rrdtool fetch from `count` steps back to the last complete step, as create_rrd_data asks it.
    const first = Math.floor(now / step) * step - count * step;
    // One pass over the samples: a day at one-minute steps has 1440 buckets and up to 8 days of samples.
    const buckets = new Map<number, Sample[]>();
    for (const s of this.samples) {
      if (s.time < first) continue;
      const index = Math.floor((s.time - first) / step);
      const bucket = buckets.get(index);
      if (bucket) bucket.push(s);
      else buckets.set(index, [s]);
    }
    const rows: Row[] = [];
    for (let i = 0; i < count; i++) {
      const start = first + i * step;
      const row: Row = { time: start };
      const inBucket = buckets.get(i);
      if (inBucket) {
        const keys = new Set(inBucket.flatMap((s) => Object.keys(s.values)));
        for (const key of keys) {
          const values = inBucket.map((s) => s.values[key]).filter((v): v is number => v !== undefined);
          row[key] = cf === 'MAX' ? Math.max(...values) : values.reduce((a, b) => a + b, 0) / values.length;
        }
      } else if (this.history && start < this.since) {
        Object.assign(row, this.history(start));
      }
      rows.push(row);
    }
    // PVE drops the newest row when it holds nothing but its time.
    if (Object.keys(rows[rows.length - 1] ?? {}).length === 1) rows.pop();
    return rows;
  }
}

/** A stable pseudo-random number in [0, 1) for (key, time): history must not change between calls. */
export function noise(key: string, time: number): number {
  const h = createHash('md5').update(`${key}:${time}`).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

/** Office-hours load curve: busier 8:00–18:00 on weekdays. */
export function dailyLoad(time: number): number {
  const date = new Date(time * 1000);
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
  const weekday = date.getUTCDay() >= 1 && date.getUTCDay() <= 5;
  const office = hour >= 8 && hour <= 18 ? Math.sin(((hour - 8) / 10) * Math.PI) : 0;
  return 0.15 + (weekday ? 0.85 : 0.3) * office;
}

export function guestHistory(vmid: number, maxcpu: number, maxmem: number, maxdisk: number): (time: number) => Row {
  const base = 0.05 + noise(`base${vmid}`, 0) * 0.3;
  return (time) => {
    const load = dailyLoad(time) * (0.7 + 0.6 * noise(`cpu${vmid}`, time));
    return {
      maxcpu,
      cpu: Math.min(1, base * load * 2),
      maxmem,
      mem: Math.round(maxmem * (0.35 + 0.3 * noise(`mem${vmid}`, Math.floor(time / 86400)) + 0.1 * load)),
      maxdisk,
      disk: 0,
      netin: Math.round(2e5 * load * noise(`ni${vmid}`, time)),
      netout: Math.round(4e5 * load * noise(`no${vmid}`, time)),
      diskread: Math.round(1e6 * load * noise(`dr${vmid}`, time)),
      diskwrite: Math.round(5e5 * load * noise(`dw${vmid}`, time)),
    };
  };
}

export function nodeHistory(node: string, maxcpu: number, memtotal: number, roottotal: number): (time: number) => Row {
  return (time) => {
    const load = dailyLoad(time) * (0.8 + 0.4 * noise(`n${node}`, time));
    return {
      maxcpu,
      cpu: 0.1 + 0.5 * load,
      iowait: 0.01 * load,
      loadavg: maxcpu * 0.6 * load,
      memtotal,
      memused: Math.round(memtotal * (0.4 + 0.3 * load)),
      swaptotal: 0,
      swapused: 0,
      roottotal,
      rootused: Math.round(roottotal * 0.3),
      netin: Math.round(3e6 * load),
      netout: Math.round(5e6 * load),
    };
  };
}
