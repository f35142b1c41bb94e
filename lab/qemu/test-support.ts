/**
 * Helpers for the runtime's tests against real QEMU: a two-node storage
 * layout, task contexts that keep their log, and a serial-console client.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabNodeInfo, TaskContext } from '../contracts';

export interface TestTask extends TaskContext {
  lines: string[];
  controller: AbortController;
}

export function testTask(): TestTask {
  const controller = new AbortController();
  const lines: string[] = [];
  return { lines, controller, signal: controller.signal, log: (line) => lines.push(line) };
}

export interface TestLab {
  dir: string;
  nodes: LabNodeInfo[];
  /** `shared:<file>` → <dir>/shared/<file>; `local:<file>` → <dir>/<node>/local/<file>. */
  resolveVolume(volid: string, node: string): string;
  cleanup(): void;
}

export function testLab(prefix: string): TestLab {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const nodes = ['pve1', 'pve2'].map((name) => ({ name, cluster: 'lab', dir: join(dir, name), online: true }));
  for (const node of nodes) mkdirSync(join(node.dir, 'local'), { recursive: true });
  mkdirSync(join(dir, 'shared'), { recursive: true });
  return {
    dir,
    nodes,
    resolveVolume(volid, node) {
      const [storage, file] = volid.split(':');
      if (!file) return volid;
      return storage === 'shared' ? join(dir, 'shared', file) : join(dir, node, 'local', file);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** busybox ash's prompt, followed by its cursor-position query (ESC [6n) on a serial line. */
export const SHELL_PROMPT = new RegExp(`# (?:${String.fromCharCode(0x1b)}\\[6n)?$`);

/** A client of a guest's serial0 unix socket that accumulates what the guest prints. */
export class SerialConsole {
  private text = '';
  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.text += chunk;
    });
    socket.on('error', () => undefined);
  }

  static open(path: string): Promise<SerialConsole> {
    return new Promise((resolve, reject) => {
      const socket = connect(path, () => resolve(new SerialConsole(socket)));
      socket.once('error', reject);
    });
  }

  get output(): string {
    return this.text;
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Waits until the output (from `from` on) matches; returns the match. */
  async waitFor(pattern: RegExp, timeoutMs: number, from = 0, poke?: string): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    let lastPoke = Date.now();
    for (;;) {
      const match = pattern.exec(this.text.slice(from));
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`serial: no ${pattern} within ${timeoutMs} ms; got: ${JSON.stringify(this.text.slice(-400))}`);
      if (poke !== undefined && Date.now() - lastPoke > 2000) {
        this.send(poke);
        lastPoke = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Runs a shell command in a logged-in session and returns what it printed before the next prompt. */
  async run(command: string, timeoutMs = 20_000): Promise<string> {
    // The markers are split by '' in the command, so only the shell's output holds them whole: a long command line
    // that the terminal wraps when echoing it can no longer be mistaken for output.
    const id = Date.now();
    const from = this.text.length;
    this.send(`echo __start_''${id}__; ${command}; echo __done_''${id}__\r`);
    const match = await this.waitFor(new RegExp(`__start_${id}__\\r?\\n([\\s\\S]*?)__done_${id}__`), timeoutMs, from);
    return match[1] ?? '';
  }

  /** Gets a fresh prompt and logs in as root. */
  async login(password: string, timeoutMs: number): Promise<void> {
    const from = this.text.length;
    await this.waitFor(/login: $/, timeoutMs, from, '\r');
    this.send('root\r');
    await this.waitFor(/Password: $/, 10_000, from);
    this.send(`${password}\r`);
    await this.waitFor(SHELL_PROMPT, 20_000, from);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Reads the first bytes of an RFB (VNC) handshake and returns the security types the server offers. */
export function vncSecurityTypes(port: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let sentVersion = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('VNC handshake timeout'));
    }, 10_000);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!sentVersion && buffer.length >= 12) {
        sentVersion = true;
        socket.write('RFB 003.008\n');
        buffer = buffer.subarray(12);
      }
      const count = buffer[0];
      if (sentVersion && count !== undefined && buffer.length >= 1 + count) {
        clearTimeout(timer);
        socket.destroy();
        resolve([...buffer.subarray(1, 1 + count)]);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
