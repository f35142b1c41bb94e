import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runningProcesses, strayProcesses, strayProcessesAfter } from './stray-processes.mjs';

const root = resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];

/** A process that waits 30 s, with `args` on its command line (node ignores them). */
async function sleeper(options: { cwd: string; args?: string[] }): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)', ...(options.args ?? [])], { cwd: options.cwd, stdio: 'ignore' });
  children.push(child);
  // Once exec'd: before, its command line is still this test's.
  await once(child, 'spawn');
  return child;
}

/** Only this test's processes: other work in the same checkout (a lab, a build) may run meanwhile. */
function ours(stray: string[]): string[] {
  const pids = children.map((child) => String(child.pid));
  return stray.filter((line) => pids.includes(line.split(' ')[0] ?? ''));
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('the stray process check of npm test', () => {
  it('names a process started in the checkout that outlives the run', async () => {
    const before = runningProcesses();
    const child = await sleeper({ cwd: root });
    const stray = ours(strayProcesses(root, before));
    expect(stray).toEqual([`${child.pid} ${process.execPath} -e setTimeout(() => {}, 30_000) (in ${root})`]);
  });

  it('names a process whose command line points into the checkout, wherever it runs', async () => {
    const before = runningProcesses();
    const child = await sleeper({ cwd: mkdtempSync(join(tmpdir(), 'stray-')), args: [join(root, 'lab/main.ts')] });
    expect(ours(strayProcesses(root, before)).map((line) => line.split(' ')[0])).toEqual([String(child.pid)]);
  });

  it('leaves alone what ran before the tests, runs elsewhere, or has ended within the grace time', async () => {
    await sleeper({ cwd: root });
    const before = runningProcesses();
    await sleeper({ cwd: mkdtempSync(join(tmpdir(), 'stray-')) });
    const ending = await sleeper({ cwd: root });
    setTimeout(() => ending.kill('SIGKILL'), 100);
    expect(ours(await strayProcessesAfter(root, before, 3000))).toEqual([]);
  });
});
