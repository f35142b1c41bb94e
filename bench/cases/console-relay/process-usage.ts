/**
 * What a bridge's process spends on a bulk run, read from Linux's /proc: CPU time and minor page faults, its own and
 * those of the children it forked and reaped (websockify serves each connection from a child). Printed beside the
 * throughputs because the relay's figure swings with the state of its process's heap: Node reads every socket chunk
 * into a freshly allocated buffer, and while glibc hands the freed ones back to the system (heap trimming), every
 * read faults its pages in again, which costs the relay more CPU than the bytes themselves.
 */
import { readFile } from 'node:fs/promises';

export interface ProcessUsage {
  cpuMs: number;
  minorFaults: number;
}

/** /proc counts CPU time in USER_HZ ticks, which Linux fixes at 100 a second for user space. */
const msPerTick = 10;
const settleTimeoutMs = 2_000;

/**
 * The usage of `pid` and its reaped children, once it has no child left running: a child that exits between two
 * reads of /proc would otherwise be counted twice or not at all.
 */
export async function settledUsage(pid: number): Promise<ProcessUsage> {
  const deadline = Date.now() + settleTimeoutMs;
  while ((await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim() !== '') {
    if (Date.now() > deadline) throw new Error(`process ${pid} still has children after ${settleTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command's closing parenthesis, from the state (field 3 of proc(5)) on.
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  const field = (number: number): number => Number(fields[number - 3]);
  return {
    cpuMs: (field(14) + field(15) + field(16) + field(17)) * msPerTick,
    minorFaults: field(10) + field(11),
  };
}

export function usageBetween(before: ProcessUsage, after: ProcessUsage): ProcessUsage {
  return { cpuMs: after.cpuMs - before.cpuMs, minorFaults: after.minorFaults - before.minorFaults };
}
