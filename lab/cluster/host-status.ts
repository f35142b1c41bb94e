/**
 * What the host tells about itself, read the way pve-common's
 * PVE/ProcFSTools.pm reads it (`read_cpuinfo`, `read_meminfo`,
 * `read_loadavg`, `read_proc_uptime`, `read_proc_stat`) and pve-manager's
 * PVE/API2/Nodes.pm (`get_current_kernel_info`, `get_boot_mode_info`). Every
 * lab node runs on this host, so they all report it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, machine, release, totalmem, uptime, version } from 'node:os';

/** pve-common's read_cpuinfo: strings where Perl keeps the regex capture, numbers where it counts. */
export interface HostCpuInfo {
  user_hz: number;
  vendor: string;
  family: string | number;
  model: string;
  mhz: string | number;
  cpus: number;
  sockets: number;
  cores: number;
  flags: string;
  /** Perl's match result: `1`, or the empty string without vmx/svm. */
  hvm: string;
}

export interface HostMemory {
  memtotal: number;
  memfree: number;
  memavailable: number;
  swaptotal: number;
  swapfree: number;
  /** KSM: `/sys/kernel/mm/ksm/pages_sharing` × 4096, as read_meminfo computes it. */
  memshared: number;
}

export interface BootInfo {
  mode: 'efi' | 'legacy-bios';
  secureboot?: 0 | 1;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

let cpuInfoCache: HostCpuInfo | undefined;

/** read_cpuinfo (cached, as PVE caches it): first model/vendor/family/MHz/flags, sockets = distinct physical ids, cores = their `cpu cores` summed. */
export function hostCpuInfo(): HostCpuInfo {
  if (cpuInfoCache) return cpuInfoCache;
  const info: HostCpuInfo = { user_hz: 100, vendor: 'unknown', family: 0, model: 'unknown', mhz: 0, cpus: 0, sockets: 1, cores: 1, flags: '', hvm: '' };
  const text = readText('/proc/cpuinfo');
  if (text === undefined) {
    const host = cpus();
    cpuInfoCache = { ...info, model: host[0]?.model ?? 'unknown', cpus: host.length || 1, cores: host.length || 1 };
    return cpuInfoCache;
  }
  const coresPerSocket = new Map<string, number>();
  let socket = '0';
  for (const line of text.split('\n')) {
    const [rawKey = '', ...rest] = line.split(':');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join(':').trim();
    if (key === 'processor') info.cpus++;
    else if (key === 'model name' && info.model === 'unknown') info.model = value;
    else if (key === 'vendor_id' && info.vendor === 'unknown') info.vendor = value;
    else if (key === 'cpu family' && !info.family) info.family = value;
    else if (key === 'cpu mhz' && !info.mhz && /^\d+\.\d+$/.test(value)) info.mhz = value;
    else if (key === 'flags' && !info.flags) info.flags = value;
    else if (key === 'physical id') {
      socket = value;
      if (!coresPerSocket.has(socket)) coresPerSocket.set(socket, 1);
    } else if (key === 'cpu cores' && coresPerSocket.has(socket)) coresPerSocket.set(socket, Number(value));
  }
  info.hvm = /\s(vmx|svm)\s/.test(info.flags) ? '1' : '';
  info.sockets = coresPerSocket.size || 1;
  info.cores = [...coresPerSocket.values()].reduce((a, b) => a + b, 0) || 1;
  cpuInfoCache = info;
  return info;
}

/** read_meminfo's figures (kB lines × 1024); the os module's totals when /proc is not there. */
export function hostMemory(): HostMemory {
  const fields = new Map<string, number>();
  for (const match of (readText('/proc/meminfo') ?? '').matchAll(/^(\S+):\s+(\d+)\s*kB/gim))
    fields.set((match[1] ?? '').toLowerCase(), Number(match[2]) * 1024);
  const pagesSharing = Number.parseInt(readText('/sys/kernel/mm/ksm/pages_sharing') ?? '0', 10) || 0;
  return {
    memtotal: fields.get('memtotal') ?? totalmem(),
    memfree: fields.get('memfree') ?? freemem(),
    memavailable: fields.get('memavailable') ?? freemem(),
    swaptotal: fields.get('swaptotal') ?? 0,
    swapfree: fields.get('swapfree') ?? 0,
    memshared: pagesSharing * 4096,
  };
}

/** read_loadavg: the three figures as /proc/loadavg writes them (strings with two decimals). */
export function hostLoadAverage(): [string, string, string] {
  const match = /^(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s/.exec(readText('/proc/loadavg') ?? '');
  if (match) return [match[1] ?? '0', match[2] ?? '0', match[3] ?? '0'];
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return [one.toFixed(2), five.toFixed(2), fifteen.toFixed(2)];
}

/** read_proc_uptime: whole seconds. */
export function hostUptime(): number {
  return Math.floor(uptime());
}

/** get_current_kernel_info: uname's fields, and the legacy `kversion` string made of three of them. */
export function hostKernel(): { current: { sysname: string; release: string; version: string; machine: string }; kversion: string } {
  const current = { sysname: 'Linux', release: release(), version: version(), machine: machine() };
  return { current, kversion: `${current.sysname} ${current.release} ${current.version}` };
}

let bootInfoCache: BootInfo | undefined;

/** get_boot_mode_info: EFI when /sys/firmware/efi exists; Secure Boot from the fifth byte of its EFI variable. */
export function hostBootInfo(): BootInfo {
  if (bootInfoCache) return bootInfoCache;
  const info: BootInfo = { mode: existsSync('/sys/firmware/efi') ? 'efi' : 'legacy-bios' };
  if (info.mode === 'efi') {
    try {
      const variable = readFileSync('/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c');
      info.secureboot = variable[4] === 1 ? 1 : 0;
    } catch {
      // PVE leaves `secureboot` out when the variable is missing or unreadable.
    }
  }
  bootInfoCache = info;
  return info;
}

/** read_proc_stat's totals (jiffies): busy, iowait and all, for the collector's `cpu` and `wait` fractions. */
export function hostCpuTimes(): { used: number; iowait: number; total: number } {
  const match = /^cpu\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)(?:\s+(\d+)\s+(\d+))?/m.exec(readText('/proc/stat') ?? '');
  if (!match) {
    let used = 0;
    let total = 0;
    for (const cpu of cpus()) {
      const t = cpu.times;
      used += t.user + t.nice + t.sys + t.irq;
      total += t.user + t.nice + t.sys + t.irq + t.idle;
    }
    return { used, iowait: 0, total };
  }
  const [user, nice, system, idle, iowait, irq, softirq, steal, guest = 0, guestNice = 0] = match.slice(1).map((v) => Number(v ?? 0));
  const u = (user ?? 0) - guest;
  const n = (nice ?? 0) - guestNice;
  const used = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  const total = u + n + (system ?? 0) + (iowait ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0) + (idle ?? 0) + guest + guestNice;
  return { used, iowait: iowait ?? 0, total };
}
