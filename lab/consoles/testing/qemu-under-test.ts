import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away QEMU for the console tests (the lab's own QEMU runtime lives
 * in lab/qemu and is tested there): started directly, driven over QMP,
 * killed with its folder afterwards. `setpriv --pdeathsig` takes it down if
 * the test runner dies first.
 */
export interface QemuUnderTest {
  dir: string;
  qmp(command: string, args?: Record<string, unknown>): Promise<unknown>;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (QEMU wants a number, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      const port = address && typeof address !== 'string' ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function connectWhenReady(path: string, deadline: number, child: ChildProcess, stderr: () => string): Promise<Socket> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`qemu exited with ${child.exitCode}: ${stderr()}`);
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(path);
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`qemu's QMP socket never came up: ${String(error)} ${stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Minimal QMP client: one command at a time, answers matched in order (events skipped). */
class QmpConnection {
  private buffer = '';
  private waiters: { resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];

  constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffer += text;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline).trim();
        this.buffer = this.buffer.slice(newline + 1);
        if (line) this.dispatch(JSON.parse(line) as Record<string, unknown>);
      }
    });
  }

  private dispatch(message: Record<string, unknown>): void {
    if ('event' in message) return;
    const waiter = this.waiters.shift();
    if (!waiter) return;
    if ('error' in message) waiter.reject(new Error(`QMP error: ${JSON.stringify(message.error)}`));
    else waiter.resolve(message.return ?? message.QMP);
  }

  send(command: string, args?: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.socket.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    });
  }

  /** The greeting arrives unasked; it takes the first waiter slot. */
  greeting(): Promise<unknown> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}

export async function startQemu(extraArgs: (dir: string) => string[]): Promise<QemuUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-consoles-qemu-'));
  const qmpPath = join(dir, 'qmp.sock');
  const args = [
    '--pdeathsig',
    'SIGKILL',
    '--',
    'qemu-system-x86_64',
    '-machine',
    'pc',
    '-accel',
    'tcg',
    '-m',
    '64',
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-qmp',
    `unix:${qmpPath},server=on,wait=off`,
    ...extraArgs(dir),
  ];
  const child = spawn('setpriv', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const socket = await connectWhenReady(qmpPath, Date.now() + 15_000, child, () => stderr);
    const qmp = new QmpConnection(socket);
    await qmp.greeting();
    await qmp.send('qmp_capabilities');
    return {
      dir,
      qmp: (command, commandArgs) => qmp.send(command, commandArgs),
      stop: async () => {
        socket.destroy();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
