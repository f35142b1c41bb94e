// The end-of-run check of `npm test`: a process started from the checkout (its working folder or
// its command line under it) that outlives the run is a leak of the app, the lab or a test.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { sep } from 'node:path';

/** Process identity that survives pid reuse: pid plus start time (clock ticks since boot). */
function identity(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie has ended already: only its exit status waits for its parent.
    if (fields[0] === 'Z') return undefined;
    return `${pid}@${fields[19]}`;
  } catch {
    return undefined;
  }
}

/** Identities of every process running now, to tell later which ones the run started. */
export function runningProcesses() {
  const found = new Set();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const id = identity(entry);
    if (id !== undefined) found.add(id);
  }
  return found;
}

function describeIfFromCheckout(pid, root) {
  const inside = (path) => path === root || path.startsWith(root + sep);
  let command;
  try {
    command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return undefined;
  }
  let cwd = '';
  try {
    cwd = readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    // Another user's process: not ours to judge by its folder.
  }
  return inside(cwd) || command.includes(root) ? `${pid} ${command} (in ${cwd || '?'})` : undefined;
}

/** Processes from the checkout not in `before` and not `exclude`d, as "pid command (in cwd)". */
export function strayProcesses(root, before, exclude = [process.pid]) {
  const stray = [];
  for (const id of runningProcesses()) {
    if (before.has(id)) continue;
    const pid = Number(id.split('@')[0]);
    if (exclude.includes(pid)) continue;
    const described = describeIfFromCheckout(pid, root);
    if (described !== undefined) stray.push(described);
  }
  return stray;
}

/** Waits up to `graceMs` for the stray processes to end (the lab takes a few seconds to stop), then names those left. */
export async function strayProcessesAfter(root, before, graceMs, exclude) {
  const deadline = Date.now() + graceMs;
  let stray = strayProcesses(root, before, exclude);
  while (stray.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stray = strayProcesses(root, before, exclude);
  }
  return stray;
}
