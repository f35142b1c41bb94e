/**
 * The bench's two clients of the byte pump: raw TCP, and one WebSocket client (`ws`, as the relay's own tests and
 * the app's main use) for every WebSocket bridge, so websockify and the relay are read the same way.
 */
import { connect, type Socket } from 'node:net';
import { WebSocket, type RawData } from 'ws';
import { pingBytes, pumpBytes, pumpModes } from './pump-protocol';

/** Where a WebSocket bridge in front of the pump is reached: a URL good for one connection, and its subprotocols. */
export interface BridgeUrl {
  url: string;
  protocols: string[];
}

/** Milliseconds from asking for the bulk transfer to its last byte, over raw TCP. */
export async function rawBulk(port: number): Promise<number> {
  const socket = await openTcp(port);
  try {
    return await new Promise((resolve, reject) => {
      const counter = bulkCounter(resolve);
      socket.on('data', (chunk: Buffer) => counter.add(chunk.length));
      socket.once('error', reject);
      socket.once('close', () => reject(new Error(`raw TCP closed after ${counter.received()} of ${pumpBytes} bytes`)));
      socket.write(Buffer.from([pumpModes.bulk]));
    });
  } finally {
    socket.destroy();
  }
}

/** Round trips of `count` pings over raw TCP, in milliseconds. */
export async function rawPings(port: number, count: number): Promise<number[]> {
  const socket = await openTcp(port);
  socket.write(Buffer.from([pumpModes.echo]));
  const echoes = byteCounter();
  socket.on('data', (chunk: Buffer) => echoes.add(chunk.length));
  try {
    return await pingLoop(count, (ping) => socket.write(ping), echoes);
  } finally {
    socket.destroy();
  }
}

/** Milliseconds from asking for the bulk transfer to its last byte, through a WebSocket bridge. */
export async function bridgeBulk(bridge: BridgeUrl): Promise<number> {
  const socket = await openWebSocket(bridge);
  try {
    return await new Promise((resolve, reject) => {
      const counter = bulkCounter(resolve);
      socket.on('message', (data: RawData) => counter.add(byteLength(data)));
      socket.once('error', reject);
      socket.once('close', (code: number) => reject(new Error(`${bridge.url} closed (${code}) after ${counter.received()} of ${pumpBytes} bytes`)));
      socket.send(Buffer.from([pumpModes.bulk]));
    });
  } finally {
    socket.terminate();
  }
}

/**
 * Counts bulk bytes and gives the milliseconds since it was made once all of them have arrived: the pump keeps the
 * connection open after its last byte, the client closes it.
 */
function bulkCounter(done: (ms: number) => void): { add(bytes: number): void; received(): number } {
  const started = process.hrtime.bigint();
  let received = 0;
  return {
    add(bytes) {
      received += bytes;
      if (received === pumpBytes) done(elapsedMs(started));
    },
    received: () => received,
  };
}

/** Round trips of `count` pings through a WebSocket bridge, in milliseconds. */
export async function bridgePings(bridge: BridgeUrl, count: number): Promise<number[]> {
  const socket = await openWebSocket(bridge);
  socket.send(Buffer.from([pumpModes.echo]));
  const echoes = byteCounter();
  socket.on('message', (data: RawData) => echoes.add(byteLength(data)));
  try {
    return await pingLoop(count, (ping) => socket.send(ping), echoes);
  } finally {
    socket.terminate();
  }
}

/** Counts echoed bytes and wakes the ping loop once a whole ping is back (a bridge may split or join frames). */
function byteCounter(): { add(bytes: number): void; next(): Promise<void> } {
  let pending = 0;
  let waiter: (() => void) | undefined;
  return {
    add(bytes) {
      pending += bytes;
      if (pending >= pingBytes && waiter) {
        pending -= pingBytes;
        const wake = waiter;
        waiter = undefined;
        wake();
      }
    },
    next() {
      if (pending >= pingBytes) {
        pending -= pingBytes;
        return Promise.resolve();
      }
      return new Promise((resolve) => (waiter = resolve));
    },
  };
}

async function pingLoop(count: number, send: (ping: Buffer) => void, echoes: ReturnType<typeof byteCounter>): Promise<number[]> {
  const ping = Buffer.alloc(pingBytes, 0x70);
  const rounds: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    send(ping);
    await echoes.next();
    rounds.push(elapsedMs(started));
  }
  return rounds;
}

function openTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function openWebSocket(bridge: BridgeUrl): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(bridge.url, bridge.protocols, { perMessageDeflate: false });
    socket.binaryType = 'nodebuffer';
    socket.once('open', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`${bridge.url}: HTTP ${response.statusCode ?? '?'}`)));
  });
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, piece) => sum + piece.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}
