/**
 * The bench's helper processes: each under `setpriv --pdeathsig SIGTERM`, so none outlives the bench even when it is
 * killed, and each stopped by the bench when its case ends.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `command` so that it dies with the bench. */
export function spawnTied(command: string, args: string[], stdio: StdioOptions, env: NodeJS.ProcessEnv = process.env): Child {
  const child = spawn('setpriv', ['--pdeathsig', 'SIGTERM', '--', command, ...args], { stdio, env });
  return {
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs one of this folder's TypeScript files in a Node process of its own (tsx as the loader), with extra Node flags. */
export function spawnScript(file: string, args: string[], stdio: StdioOptions, nodeFlags: string[] = []): Child {
  return spawnTied(process.execPath, [...nodeFlags, '--import', 'tsx', join(here, file), ...args], stdio);
}

/** Resolves with the first stdout line of `child` that starts with `prefix` (the rest of it). */
export function lineFrom(child: Child, prefix: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no '${prefix}' line within ${timeoutMs} ms`)), timeoutMs);
    child.process.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((candidate) => candidate.startsWith(prefix));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve(line.slice(prefix.length).trim());
    });
    child.process.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code ?? 'a signal'} before its '${prefix}' line`));
    });
  });
}

/** Resolves once something accepts TCP connections on `port` (websockify says nothing when it is ready). */
export async function waitForListener(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
