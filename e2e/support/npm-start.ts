import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** `build/start.mjs` as `npm start` runs it, with its own config and data folders under `home`. */
export interface NpmStart {
  child: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
  /** The web host's launch URL, once printed. */
  launchUrl: Promise<string>;
}

/** `build: false` reuses the app built by an earlier run, as PVE_DESK_SKIP_BUILD=1 says. */
export function runNpmStart(home: string, options: { build: boolean }): NpmStart {
  const child = spawn(process.execPath, [join(repoRoot, 'build/start.mjs')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
      PVE_DESK_SKIP_BUILD: options.build ? '0' : '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const launchUrl = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const found = /running at (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(output);
      if (found?.[1] !== undefined) {
        clearInterval(timer);
        resolve(found[1]);
      } else if (child.exitCode !== null || child.signalCode !== null) {
        clearInterval(timer);
        reject(new Error(`npm start stopped:\n${output}`));
      }
    }, 200);
  });
  return { child, output: () => output, launchUrl };
}

function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Every process below `root` in the tree right now, with its command line (to name survivors). */
export function descendants(root: number): Map<number, string> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentPid(Number(entry));
    if (parent !== undefined) parents.set(Number(entry), parent);
  }
  const found = new Map<number, string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (found.has(pid) || (parent !== root && !found.has(parent))) continue;
      found.set(pid, commandLine(pid));
      grew = true;
    }
  }
  return found;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** Those of `processes` still running (a zombie has ended: only its exit status is left), as "pid command". */
export function survivors(processes: Map<number, string>): string[] {
  return [...processes]
    .filter(([pid]) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
      } catch {
        return false;
      }
    })
    .map(([pid, command]) => `${pid} ${command}`);
}
