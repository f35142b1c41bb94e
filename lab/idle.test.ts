/**
 * The default lab (`npm run lab`: 1 cluster, 3 nodes, 2 running guests) at
 * rest: how fast it starts and what it costs while nobody uses it, since it
 * runs on 2-core machines next to the app and its other tests.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startLab, waitFor, type Credentials, type RunningLab } from './api/lab-harness';

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const WINDOW_MS = 10_000;
/** Under TCG the busybox guests need about 10 s from SeaBIOS to their login prompt; 30 s leaves room on a busy machine. */
const BOOTED_AFTER_SECONDS = 30;
const MAX_GUEST_RSS_KIB = 256 * 1024;

let lab: RunningLab;
let auth: Credentials;
let wallMs: number;

beforeAll(async () => {
  const started = performance.now();
  lab = await startLab([]);
  wallMs = performance.now() - started;
  auth = { token: lab.ready.accounts.token.value };
}, 90_000);

afterAll(async () => {
  await lab?.stop();
});

interface ProcessTicks {
  ppid: number;
  comm: string;
  /** utime + stime of the process (all its threads). */
  own: number;
  /** cutime + cstime: what its children that it has reaped used. */
  reaped: number;
}

function readProcesses(): Map<number, ProcessTicks> {
  const processes = new Map<number, ProcessTicks>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while listing
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    // Fields after the command name, from field 3 (state): ppid is field 4, utime..cstime fields 14..17.
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const [ppid = 0, utime = 0, stime = 0, cutime = 0, cstime = 0] = [fields[1], fields[11], fields[12], fields[13], fields[14]];
    processes.set(Number(entry), { ppid, comm, own: utime + stime, reaped: cutime + cstime });
  }
  return processes;
}

/** The process `root` and all its descendants. */
function processTree(root: number): Map<number, ProcessTicks> {
  const all = readProcesses();
  const tree = new Map<number, ProcessTicks>();
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    const info = all.get(pid);
    if (!info) continue;
    tree.set(pid, info);
    for (const [child, childInfo] of all) if (childInfo.ppid === pid) pending.push(child);
  }
  return tree;
}

/**
 * CPU ticks the tree used between two samples. A process that started in
 * the window counts whole; one reaped in the window shows up in its parent's
 * cutime/cstime (with its time from before the window too, so the figure errs high).
 */
function ticksBetween(before: Map<number, ProcessTicks>, after: Map<number, ProcessTicks>): { total: number; byProcess: string[] } {
  let total = 0;
  const byProcess: string[] = [];
  for (const [pid, end] of after) {
    const start = before.get(pid);
    const used = end.own - (start?.own ?? 0) + (start ? end.reaped - start.reaped : 0);
    total += used;
    byProcess.push(`${end.comm}[${pid}] ${used}`);
  }
  return { total, byProcess };
}

function rssKiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

async function runningGuests(): Promise<{ vmid: number; node: string; pid: number; uptime: number }[]> {
  const vms = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as { vmid: number; node: string; status: string }[];
  return Promise.all(
    vms
      .filter((vm) => vm.status === 'running')
      .map(async ({ vmid, node }) => {
        const current = (await call(lab, 'GET', `/nodes/${node}/qemu/${vmid}/status/current`, { auth })).body.data as { pid: number; uptime: number };
        return { vmid, node, pid: current.pid, uptime: current.uptime };
      }),
  );
}

describe('the default lab at rest', () => {
  it('is ready within 20 s', () => {
    console.log(`start-up: LAB READY startupMs ${lab.ready.startupMs} ms, wall time from spawn to LAB READY ${Math.round(wallMs)} ms`);
    expect(lab.ready.startupMs).toBeLessThan(20_000);
    expect(wallMs).toBeLessThan(20_000);
  });

  it("idles under 25 % of one core, with each running guest's QEMU at most 256 MiB resident", async () => {
    const guests = await waitFor(
      'both guests booted',
      async () => {
        const running = await runningGuests();
        return running.length === 2 && running.every((g) => g.uptime >= BOOTED_AFTER_SECONDS) ? running : undefined;
      },
      120_000,
      1000,
    );

    const root = lab.process.pid ?? 0;
    const before = processTree(root);
    const startedAt = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const after = processTree(root);
    const seconds = (performance.now() - startedAt) / 1000;
    const { total, byProcess } = ticksBetween(before, after);
    const percentOfOneCore = (total / CLOCK_TICKS_PER_SECOND / seconds) * 100;
    console.log(`idle CPU of the lab process tree over ${seconds.toFixed(1)} s: ${percentOfOneCore.toFixed(1)} % of one core (ticks: ${byProcess.join(', ')})`);

    const resident = guests.map((g) => ({ ...g, rssKiB: rssKiB(g.pid) }));
    for (const g of resident) console.log(`VM ${g.vmid} on ${g.node}: QEMU pid ${g.pid} VmRSS ${(g.rssKiB / 1024).toFixed(1)} MiB`);

    expect(total).toBeGreaterThan(0);
    expect(guests.every((g) => after.has(g.pid) && after.get(g.pid)?.comm.startsWith('qemu-system'))).toBe(true);
    expect(percentOfOneCore).toBeLessThan(25);
    for (const g of resident) expect(g.rssKiB).toBeLessThanOrEqual(MAX_GUEST_RSS_KIB);
  }, 180_000);
});
