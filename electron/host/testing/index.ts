/**
 * Clients for testing the web host: a well-behaved one (the ws library, as a
 * tab would talk) and hostile ones written at the socket level, which send
 * exactly the bytes they are told to. Used by the host's tests and the soak run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request, type Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { IpcEnvelope } from '../../../shared/ipc/errors';
import { webSocketProtocol, webTokenProtocolPrefix, type WebServerMessage } from '../../../shared/ipc/web-protocol';
import { createServices } from '../../services/create-services';
import { silentLogger, type Logger } from '../../services/log';
import { createKeyFileEncryptor } from '../../services/secrets';
import { createLaunchToken, startWebHost, type WebHost, type WebHostLimits } from '../web-host';

/** A tab's connection: its session credential, its calls and the events it has seen. */
export interface TestClient {
  credential: string;
  socket: WebSocket;
  events: WebServerMessage[];
  call(method: string, input?: unknown): Promise<IpcEnvelope>;
  close(): Promise<void>;
}

export function webSocketOptions(port: number, credential: string): { url: string; protocols: string[]; origin: string } {
  return { url: `ws://127.0.0.1:${port}/ipc`, protocols: [webSocketProtocol, webTokenProtocolPrefix + credential], origin: `http://127.0.0.1:${port}` };
}

/** Connects as the app's page does and waits for the session credential (the first message). */
export async function connectClient(port: number, credential: string): Promise<TestClient> {
  const { url, protocols, origin } = webSocketOptions(port, credential);
  const socket = new WebSocket(url, protocols, { origin });
  const waiting = new Map<number, (envelope: IpcEnvelope) => void>();
  const events: WebServerMessage[] = [];
  let nextId = 1;
  const session = new Promise<string>((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as WebServerMessage;
      if (message.kind === 'session') resolve(message.credential);
      else if (message.kind === 'response') waiting.get(message.id)?.(message.envelope);
      else events.push(message);
    });
    socket.on('close', (code) => reject(new Error(`closed with ${code} before the session began`)));
    socket.on('error', reject);
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return {
    credential: await session,
    socket,
    events,
    call(method, input = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ id, method, input }), (error) => error && reject(error));
      });
    },
    async close() {
      socket.close();
      await closed;
    },
  };
}

/** The close code a connection ends with (or the HTTP status of a refused handshake). */
export function outcome(port: number, credential: string, origin?: string): Promise<{ status?: number; close?: number }> {
  const options = webSocketOptions(port, credential);
  const socket = new WebSocket(options.url, options.protocols, { origin: origin ?? options.origin });
  return new Promise((resolve) => {
    socket.on('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode });
      socket.terminate();
    });
    socket.on('close', (code) => resolve({ close: code }));
    socket.on('error', () => undefined);
  });
}

/** A raw TCP connection to the host that records what it receives and when it is closed. */
export interface RawClient {
  socket: Socket;
  received(): string;
  /** What came after the handshake answer. */
  frames(): Buffer;
  closed: Promise<void>;
}

export function rawConnect(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    const frames = (): Buffer => {
      const end = received.indexOf('\r\n\r\n');
      return end === -1 ? Buffer.alloc(0) : received.subarray(end + 4);
    };
    socket.once('connect', () => resolve({ socket, received: () => received.toString('latin1'), frames, closed }));
    socket.once('error', reject);
  });
}

/** The bytes of an upgrade request; `target` and extra header lines are sent as given. */
export function upgradeRequest(port: number, credential: string, target = '/ipc', extra: string[] = []): string {
  return [
    `GET ${target} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    `Origin: http://127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Protocol: ${webSocketProtocol}, ${webTokenProtocolPrefix}${credential}`,
    ...extra,
    '',
    '',
  ].join('\r\n');
}

/** A raw connection through a completed handshake, ready for hand-made frames. */
export async function rawWebSocket(port: number, credential: string): Promise<RawClient> {
  const client = await rawConnect(port);
  client.socket.write(upgradeRequest(port, credential));
  for (let waited = 0; !client.received().includes('\r\n\r\n'); waited += 10) {
    if (waited > 5000) throw new Error(`no handshake answer: ${client.received()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!client.received().startsWith('HTTP/1.1 101')) throw new Error(`handshake refused: ${client.received()}`);
  return client;
}

/** One WebSocket frame, as a client must send it (masked) unless told otherwise. */
export function frame(options: { opcode: number; payload: Buffer; fin?: boolean; rsv?: number; masked?: boolean; declaredLength?: number }): Buffer {
  const { opcode, payload, fin = true, rsv = 0, masked = true } = options;
  const length = options.declaredLength ?? payload.length;
  const first = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, maskBit | length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header.writeUInt16BE(length, 2);
    header[1] = maskBit | 126;
  } else {
    header = Buffer.alloc(10);
    header.writeBigUInt64BE(BigInt(length), 2);
    header[1] = maskBit | 127;
  }
  header[0] = first;
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([header, mask, body]);
}

/** The text of the complete server frames (unmasked, unfragmented) at the start of `bytes`. */
export function serverTexts(bytes: Buffer): string[] {
  const texts: string[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const short = (bytes[at + 1] ?? 0) & 0x7f;
    const [headerLength, length] = short === 126 ? [4, bytes.readUInt16BE(at + 2)] : short === 127 ? [10, Number(bytes.readBigUInt64BE(at + 2))] : [2, short];
    if (at + headerLength + length > bytes.length) break;
    texts.push(bytes.subarray(at + headerLength, at + headerLength + length).toString());
    at += headerLength + length;
  }
  return texts;
}

/** Malformed frames, each of which ws reports as an error on the connection. */
export const malformedFrames: Record<string, Buffer> = {
  'invalid UTF-8 in a text frame': frame({ opcode: 0x1, payload: Buffer.from([0xc3, 0x28, 0xff]) }),
  'RSV bits set': frame({ opcode: 0x1, payload: Buffer.from('{}'), rsv: 0b111 }),
  'an unmasked client frame': frame({ opcode: 0x1, payload: Buffer.from('{}'), masked: false }),
  'an unknown opcode': frame({ opcode: 0x3, payload: Buffer.from('{}') }),
  'a bad close code': frame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe6]) }),
  'an oversized payload': frame({ opcode: 0x1, payload: Buffer.alloc(0), declaredLength: 2 ** 40 }),
  'a fragmented control frame': frame({ opcode: 0x9, payload: Buffer.from('ping'), fin: false }),
};

/** A web host over real services in a temporary config folder, with its launch token. */
export async function startTestWebHost(options: { rendererDir?: string; limits?: Partial<WebHostLimits>; logger?: Logger } = {}): Promise<{
  host: WebHost;
  token: string;
  close(): Promise<void>;
}> {
  const rendererDir = options.rendererDir ?? mkdtempSync(join(tmpdir(), 'pve-desk-renderer-'));
  if (options.rendererDir === undefined) writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  const token = createLaunchToken();
  const services = await createServices({
    host: 'web',
    configDir: mkdtempSync(join(tmpdir(), 'pve-desk-config-')),
    appName: 'PVE Desk',
    appVersion: '1.2.3',
    logger: silentLogger,
    encryptor: createKeyFileEncryptor({ keyFile: join(mkdtempSync(join(tmpdir(), 'pve-desk-key-')), 'secrets.key') }),
    keychainService: 'pve-desk-test',
  });
  const host = await startWebHost({
    rendererDir,
    services,
    logger: options.logger ?? silentLogger,
    token,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  return {
    host,
    token,
    async close() {
      await host.close();
      await services.close();
    },
  };
}

/** GETs a path the way a browser on this machine would. */
export function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  agent?: Agent,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers }, ...(agent ? { agent } : {}) }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
