import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';

/** What a node's shell is: the lab decides (login shell, PATH with `qm`, working folder). */
export interface NodeShellCommand {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/** A command running on a real pseudo-terminal: raw bytes in and out, and a window size. */
export interface PtyProcess {
  input: Writable;
  output: Readable;
  resize(cols: number, rows: number): void;
  /** Hangs the terminal up (SIGHUP to its session, then SIGKILL). */
  kill(): void;
  exited: Promise<number | null>;
}

const HELPER = fileURLToPath(new URL('./pty-helper.py', import.meta.url));
// The python3 first on PATH may be another interpreter (pyenv); Debian's has the pty and termios modules.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * Starts `shell` on a new PTY through pty-helper.py. The helper is wrapped in
 * `setpriv --pdeathsig SIGTERM` so that if the lab dies without cleaning up,
 * the helper still hangs the shell up instead of leaving it orphaned.
 */
export function spawnPty(shell: NodeShellCommand, size: { cols: number; rows: number }): PtyProcess {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    ...shell.env,
  };
  const child: ChildProcess = spawn(
    'setpriv',
    ['--pdeathsig', 'SIGTERM', '--', PYTHON, HELPER, String(size.cols), String(size.rows), '--', shell.command, ...shell.args],
    { cwd: shell.cwd, env, stdio: ['pipe', 'pipe', 'inherit', 'pipe'] },
  );
  const input = child.stdin;
  const output = child.stdout;
  const control = child.stdio[3] as Writable | null | undefined;
  if (!input || !output || !control) throw new Error('pty helper started without its pipes');
  // A hung-up shell makes these pipes fail with EPIPE; the exit event is what reports it.
  input.on('error', () => undefined);
  control.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => {
    // 'close' rather than 'exit': the terminal's last output must be read before the session ends.
    child.once('close', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return {
    input,
    output,
    resize(cols, rows) {
      if (control.writable) control.write(`${cols} ${rows}\n`);
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
    exited,
  };
}
