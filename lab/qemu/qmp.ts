/**
 * A minimal QMP (QEMU Machine Protocol) client over a unix socket: greeting,
 * `qmp_capabilities`, commands matched to replies by `id`, asynchronous
 * events, and QMP errors surfaced as Error carrying QMP's `desc`.
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp?: { seconds: number; microseconds: number };
}

export class QmpError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    desc: string,
  ) {
    super(desc);
    this.name = 'QmpError';
  }
}

interface Pending {
  command: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type QmpMessage = { QMP: unknown } | { return: unknown; id?: string } | { error: { class: string; desc: string }; id?: string } | QmpEvent;

export class QmpClient extends EventEmitter<{ event: [QmpEvent]; close: [] }> {
  private buffer = '';
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private closed = false;
  /** Set while connecting: receives the server greeting that precedes capabilities negotiation. */
  private greetingHandler: ((message: QmpMessage) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    super();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => undefined); // 'close' follows and fails what is pending
    socket.on('close', () => this.onClose());
  }

  /** Connects, retrying while QEMU has not created the socket yet, then negotiates capabilities. */
  static async connect(path: string, options: { timeoutMs?: number; isAlive?: () => boolean } = {}): Promise<QmpClient> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    for (;;) {
      try {
        const socket = await openSocket(path);
        const client = new QmpClient(socket);
        await client.handshake();
        return client;
      } catch (error) {
        if (Date.now() > deadline || (options.isAlive && !options.isAlive())) {
          throw new Error(`QMP socket ${path} not reachable: ${(error as Error).message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs a QMP command and resolves with its `return` value. */
  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`QMP connection closed (${command})`));
    const id = `lab-${this.nextId++}`;
    const message = JSON.stringify(args ? { execute: command, arguments: args, id } : { execute: command, id });
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { command, resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(`${message}\n`);
    });
  }

  /** Resolves with the next event named `name` that passes `filter`, or rejects after timeoutMs. */
  waitForEvent(name: string, timeoutMs: number, filter: (event: QmpEvent) => boolean = () => true): Promise<QmpEvent> {
    return new Promise((resolve, reject) => {
      const onEvent = (event: QmpEvent): void => {
        if (event.event !== name || !filter(event)) return;
        cleanup();
        resolve(event);
      };
      const onClose = (): void => {
        cleanup();
        reject(new Error(`QMP connection closed while waiting for ${name}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timeout waiting for QMP event ${name}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('event', onEvent);
        this.off('close', onClose);
      };
      this.on('event', onEvent);
      this.on('close', onClose);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private async handshake(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onGreeting = (message: QmpMessage): void => {
        if ('QMP' in message) resolve();
        else reject(new Error('unexpected first QMP message'));
      };
      this.greetingHandler = onGreeting;
      this.once('close', () => reject(new Error('QMP closed before greeting')));
    });
    await this.execute('qmp_capabilities');
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.onMessage(JSON.parse(line) as QmpMessage);
    }
  }

  private onMessage(message: QmpMessage): void {
    if ('QMP' in message) {
      const handler = this.greetingHandler;
      this.greetingHandler = undefined;
      handler?.(message);
      return;
    }
    if ('event' in message) {
      this.emit('event', message);
      return;
    }
    const id = 'id' in message ? message.id : undefined;
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending || id === undefined) return;
    this.pending.delete(id);
    if ('error' in message) pending.reject(new QmpError(pending.command, message.error.class, message.error.desc));
    else pending.resolve(message.return);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pending.values()) pending.reject(new Error(`QMP connection closed (${pending.command})`));
    this.pending.clear();
    this.emit('close');
  }
}

function openSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
