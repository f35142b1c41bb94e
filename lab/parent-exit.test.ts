import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from './api/lab-harness';

/** The lab must not outlive the process that started it, even when that process is SIGKILLed. */
it('exits by itself when its parent process dies', async () => {
  const state = mkdtempSync(join(tmpdir(), 'pvelab-parent-'));
  const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
  // A shell stands in for the test runner: it starts the lab and is then killed without a chance to clean up.
  const parent = spawn('sh', ['-c', `"${process.execPath}" "${tsx}" lab/main.ts --port 0 --onboot 0 --state "${state}" & echo $!; wait`], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!out.includes('LAB READY') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(out).toContain('LAB READY');
  const labPid = Number(out.split('\n')[0]);
  const readyLine = out.split('\n').find((l) => l.startsWith('LAB READY ')) ?? '';
  const inner = (JSON.parse(readyLine.slice('LAB READY '.length)) as { pid: number }).pid;
  parent.kill('SIGKILL');
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const until = Date.now() + 15_000;
  while ((alive(inner) || alive(labPid)) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  expect(alive(inner)).toBe(false);
  rmSync(state, { recursive: true, force: true });
}, 90_000);
