/**
 * Ends a process when the one that started it goes away, even by SIGKILL: Linux offers
 * PR_SET_PDEATHSIG only to native code, so a Node process polls its ancestors instead.
 * The lab and the web host both use it, so `npm start` killed in any way leaves neither behind.
 */
import { readFileSync } from 'node:fs';

/** How many ancestors are watched: far enough to see past wrappers (tsx, npm, sh) to the starter. */
const WATCHED_ANCESTORS = 4;

/** Parent pids up the tree, nearest first, stopping before init (whose children are orphans already). */
export function ancestors(pid = process.pid): number[] {
  const pids: number[] = [];
  let current = parentOf(pid);
  while (current !== undefined && current > 1 && pids.length < WATCHED_ANCESTORS) {
    pids.push(current);
    current = parentOf(current);
  }
  return pids;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may hold spaces): state, then ppid.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Calls `onGone` once when any of today's ancestors has exited. The timer does not keep the
 * process alive; the returned function stops the watch.
 */
export function watchParents(onGone: () => void, intervalMs = 1000): () => void {
  const parents = ancestors();
  const timer = setInterval(() => {
    if (!parents.some((pid) => !isAlive(pid))) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
