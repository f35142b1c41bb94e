import { timingSafeEqual } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { spawnPty, type NodeShellCommand } from './pty-shell';
import { TermproxyFrameParser, TermproxyProtocolError } from './termproxy-frames';

export type TermTarget = { kind: 'serial'; socketPath: string } | { kind: 'shell'; node: string };

export interface TermproxySessionOptions {
  user: string;
  ticket: string;
  target: TermTarget;
  nodeShell: (node: string) => NodeShellCommand;
  /** How long the client has to send its `<user>:<ticket>` line. */
  authTimeoutMs: number;
  log: (line: string) => void;
}

const MAX_AUTH_LINE = 8192;
const INITIAL_SIZE = { cols: 80, rows: 24 };

/** The upstream of a terminal: bytes to the guest or shell, bytes back, and how to end it. */
interface Terminal {
  write(data: Buffer): void;
  resize(cols: number, rows: number): void;
  onOutput(listener: (data: Buffer) => void): void;
  close(): void;
  /** Settles once the terminal is really gone (for a shell: its process has exited). */
  closed: Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function openSerial(socketPath: string): Promise<Terminal> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(socketPath);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => socket.destroy());
      resolve({
        write: (data) => socket.write(data),
        // A serial line has no window size; PVE's termproxy ignores resizes there too.
        resize: () => undefined,
        onOutput: (listener) => socket.on('data', listener),
        close: () => socket.destroy(),
        closed: new Promise((settle) => socket.once('close', () => settle())),
      });
    });
  });
}

function openShell(shell: NodeShellCommand): Terminal {
  const pty = spawnPty(shell, INITIAL_SIZE);
  return {
    write: (data) => pty.input.write(data),
    resize: (cols, rows) => pty.resize(cols, rows),
    onOutput: (listener) => pty.output.on('data', listener),
    close: () => pty.kill(),
    closed: pty.exited.then(() => undefined),
  };
}

/**
 * Serves one termproxy client on `client` (the listener's single TCP
 * connection, reached directly or through the vncwebsocket relay): checks
 * the `<user>:<ticket>\n` line, answers `OK`, then relays PVE's framing to the
 * terminal and the terminal's raw bytes back. The terminal is only opened
 * after the ticket checked out, so a refused client starts nothing.
 *
 * Resolves when the session is over and its terminal is gone, so whoever
 * closes the gateway can wait until no shell is left running.
 */
export function serveTermproxyClient(client: Duplex, options: TermproxySessionOptions): Promise<void> {
  let pending = Buffer.alloc(0);
  let terminal: Terminal | undefined;
  let opening: Promise<Terminal | undefined> = Promise.resolve(undefined);
  let finished = false;
  const finish = (reason: string): void => {
    if (finished) return;
    finished = true;
    clearTimeout(authTimer);
    options.log(`termproxy ${options.target.kind}: ${reason}`);
    terminal?.close();
    client.destroy();
  };
  const authTimer = setTimeout(() => finish('no ticket line in time'), options.authTimeoutMs);
  authTimer.unref();
  client.on('error', () => finish('client error'));
  client.on('close', () => finish('client closed'));
  const ended = new Promise<void>((resolve) => client.once('close', () => resolve())).then(() => opening).then((opened) => opened?.closed);

  const parser = new TermproxyFrameParser();
  const relayFrames = (chunk: Buffer): void => {
    if (!terminal) return;
    try {
      for (const frame of parser.push(chunk)) {
        if (frame.type === 'data') terminal.write(frame.data);
        else if (frame.type === 'resize') terminal.resize(frame.cols, frame.rows);
      }
    } catch (error) {
      if (!(error instanceof TermproxyProtocolError)) throw error;
      finish(`protocol error: ${error.message}`);
    }
  };

  const onAuthChunk = (chunk: Buffer): void => {
    pending = Buffer.concat([pending, chunk]);
    const newline = pending.indexOf(0x0a);
    if (newline < 0) {
      if (pending.length > MAX_AUTH_LINE) finish('ticket line too long');
      return;
    }
    client.off('data', onAuthChunk);
    clearTimeout(authTimer);
    const line = pending.subarray(0, newline).toString('utf8').replace(/\r$/, '');
    const rest = pending.subarray(newline + 1);
    if (!sameSecret(line, `${options.user}:${options.ticket}`)) {
      finish('refused a wrong user or ticket');
      return;
    }
    client.pause();
    opening = startTerminal(rest);
  };

  const startTerminal = async (rest: Buffer): Promise<Terminal | undefined> => {
    let opened: Terminal;
    try {
      opened = options.target.kind === 'serial' ? await openSerial(options.target.socketPath) : openShell(options.nodeShell(options.target.node));
    } catch (error) {
      finish(`cannot open the terminal: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    if (finished) {
      opened.close();
      return opened;
    }
    terminal = opened;
    terminal.onOutput((data) => client.write(data));
    void terminal.closed.then(() => finish('terminal closed'));
    client.write('OK');
    options.log(`termproxy ${options.target.kind}: ${options.user} connected`);
    relayFrames(rest);
    client.on('data', relayFrames);
    client.resume();
    return terminal;
  };

  client.on('data', onAuthChunk);
  return ended;
}
