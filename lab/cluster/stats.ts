import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { hostCpuTimes } from './host-status';
import type { GuestRuntime, GuestSample } from '../contracts';
import { cpuCount, maxDisk, memoryBytes } from './guest-config';
import type { ClusterModel } from './model';
import { guestHistory, nodeHistory, RrdSeries, type Row } from './rrd';

interface LatestGuestSample extends GuestSample {
  time: number;
}

/**
 * PVE's pvestatd: every 10 s, samples each running guest through the
 * runtime (QMP / /proc of its QEMU) and the host, keeps the latest values for
 * /cluster/resources and status/current, and records RRD rows.
 */
export class StatsCollector {
  private readonly latest = new Map<number, LatestGuestSample>();
  private readonly previous = new Map<number, LatestGuestSample>();
  private readonly guestSeries = new Map<number, RrdSeries>();
  private readonly nodeSeries = new Map<string, RrdSeries>();
  private timer: NodeJS.Timeout | undefined;
  private lastCpuTimes = hostCpuTimes();
  private hostCpu = 0;
  private hostWait = 0;
  readonly since = Math.floor(Date.now() / 1000);

  constructor(
    private readonly model: ClusterModel,
    private readonly runtime: GuestRuntime,
    private readonly intervalMs = 10_000,
  ) {}

  start(): void {
    void this.collect();
    this.timer = setInterval(() => void this.collect(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  sampleOf(vmid: number): LatestGuestSample | undefined {
    return this.runtime.info(vmid) ? this.latest.get(vmid) : undefined;
  }

  hostCpuFraction(): number {
    return this.hostCpu;
  }

  /** The share of CPU time spent waiting for I/O over the last interval (Nodes.pm `status` `wait`). */
  hostIoWaitFraction(): number {
    return this.hostWait;
  }

  guestRrd(vmid: number): RrdSeries {
    let series = this.guestSeries.get(vmid);
    if (!series) {
      const guest = this.model.guests.get(vmid);
      const plausible = guest && !guest.synthetic && guest.config.template !== '1';
      const history = plausible ? guestHistory(vmid, cpuCount(guest.config), memoryBytes(guest.config), maxDisk(guest.config)) : undefined;
      series = new RrdSeries(history, this.since);
      this.guestSeries.set(vmid, series);
    }
    return series;
  }

  nodeRrd(node: string): RrdSeries {
    let series = this.nodeSeries.get(node);
    if (!series) {
      series = new RrdSeries(nodeHistory(node, cpus().length, totalmem(), 100 * 1024 ** 3), this.since);
      this.nodeSeries.set(node, series);
    }
    return series;
  }

  private async collect(): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const times = hostCpuTimes();
    const total = times.total - this.lastCpuTimes.total;
    this.hostCpu = total > 0 ? (times.used - this.lastCpuTimes.used) / total : 0;
    this.hostWait = total > 0 ? (times.iowait - this.lastCpuTimes.iowait) / total : 0;
    this.lastCpuTimes = times;
    for (const node of this.model.nodes) {
      if (!node.online) continue;
      const row: Row = {
        maxcpu: cpus().length,
        cpu: this.hostCpu,
        loadavg: loadavg()[0] ?? 0,
        memtotal: totalmem(),
        memused: totalmem() - freemem(),
        swaptotal: 0,
        swapused: 0,
      };
      this.nodeRrd(node.name).record(now, row);
    }
    for (const guest of this.model.guests.values()) {
      if (!this.runtime.info(guest.vmid)) continue;
      let sample: GuestSample | undefined;
      try {
        sample = await this.runtime.sample(guest.vmid);
      } catch {
        sample = undefined;
      }
      if (!sample) continue;
      const current = { ...sample, time: now };
      const before = this.latest.get(guest.vmid);
      if (before) this.previous.set(guest.vmid, before);
      this.latest.set(guest.vmid, current);
      const elapsed = before ? Math.max(1, now - before.time) : 0;
      const rate = (key: 'netin' | 'netout' | 'diskread' | 'diskwrite'): number | undefined =>
        before && elapsed > 0 ? Math.max(0, (current[key] - before[key]) / elapsed) : undefined;
      const row: Row = {
        maxcpu: cpuCount(guest.config),
        cpu: sample.cpu / Math.max(1, cpuCount(guest.config)),
        maxmem: memoryBytes(guest.config),
        mem: sample.mem,
        maxdisk: maxDisk(guest.config),
        disk: 0,
      };
      for (const key of ['netin', 'netout', 'diskread', 'diskwrite'] as const) {
        const value = rate(key);
        if (value !== undefined) row[key] = value;
      }
      this.guestRrd(guest.vmid).record(now, row);
    }
  }
}
