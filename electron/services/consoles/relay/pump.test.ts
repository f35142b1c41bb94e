import { randomBytes } from 'node:crypto';
import { connect as connectTcp, createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { relayCloseCodes } from '../../../../shared/domain/consoles';
import { waitFor } from '../../../../lab/api/lab-harness';
import { silentLogger } from '../../log';
import { makeSelfSignedCertificate } from '../../pve/testing';
import { pumpBetween, type PumpEnd, type PumpOptions } from './pump';
import { RelayServer } from './relay-server';

const chunkBytes = 64 * 1024;

/** An upstream that produces as fast as it is read and counts what it produced; its writes wait until released. */
class FakeUpstream extends Duplex {
  produced = 0;
  written: Buffer[] = [];
  private held: (() => void)[] = [];
  holdWrites = false;

  constructor(private readonly produce: boolean) {
    super();
  }

  override _read(): void {
    if (!this.produce) return;
    // As a socket does: the next chunk comes in a later turn of the event loop.
    setImmediate(() => {
      const chunk = Buffer.alloc(chunkBytes, this.produced % 251);
      this.produced += chunk.length;
      this.push(chunk);
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.written.push(chunk);
    if (this.holdWrites) this.held.push(callback);
    else callback();
  }

  releaseWrites(): void {
    this.holdWrites = false;
    for (const callback of this.held.splice(0)) callback();
  }
}

/** Waits until `value()` stops changing for a few polls, and answers it. */
async function settled(what: string, value: () => number): Promise<number> {
  let last = -1;
  let same = 0;
  return await waitFor(
    what,
    () => {
      const now = value();
      same = now === last ? same + 1 : 0;
      last = now;
      return same >= 4 ? now : undefined;
    },
    20_000,
    100,
  );
}

describe('pumpBetween', () => {
  let relay: RelayServer;

  beforeEach(async () => {
    relay = await RelayServer.listen({ logger: silentLogger });
  });
  afterEach(async () => {
    await relay.close();
  });

  /** A viewer connected through the relay to `upstream`. */
  async function viewerOf(upstream: Duplex, options: PumpOptions = {}): Promise<WebSocket> {
    const issued = relay.issue({
      caller: 'window-a',
      label: 'pump test',
      accept: (viewer) => pumpBetween(viewer, upstream, options),
    });
    const socket = new WebSocket(issued.url, issued.protocols);
    await new Promise((resolve) => socket.once('open', resolve));
    return socket;
  }

  it('carries bytes both ways unchanged, what arrives in one turn as one frame of at most 256 KiB', async () => {
    const upstream = new FakeUpstream(false);
    const viewer = await viewerOf(upstream);
    const frames: Buffer[] = [];
    viewer.on('message', (data) => frames.push(data as Buffer));
    const big = randomBytes(300 * 1024);
    upstream.push(big.subarray(0, 100 * 1024));
    upstream.push(big.subarray(100 * 1024));
    await waitFor('the burst', () => (frames.reduce((sum, frame) => sum + frame.length, 0) >= big.length ? true : undefined));
    // One turn's 300 KiB: a full 256 KiB frame and the rest, not one frame per chunk.
    expect(frames.map((frame) => frame.length)).toEqual([256 * 1024, 44 * 1024]);
    expect(Buffer.concat(frames).equals(big)).toBe(true);
    // A later turn's bytes come in a frame of their own, in order, while the first buffers are reused.
    upstream.push(Buffer.from('end'));
    await waitFor('the third frame', () => (frames.length >= 3 ? true : undefined));
    expect(frames[2]?.toString()).toBe('end');
    upstream.push(big);
    await waitFor('the burst again', () => (frames.length >= 5 ? true : undefined));
    expect(Buffer.concat(frames.slice(3)).equals(big)).toBe(true);
    viewer.send(Buffer.from([1, 2, 3]));
    viewer.send(Buffer.from('é→', 'utf8'));
    await waitFor('two writes', () => (upstream.written.length >= 2 ? true : undefined));
    expect(upstream.written.map((chunk) => [...chunk])).toEqual([[1, 2, 3], [...Buffer.from('é→', 'utf8')]]);
  });

  it('sends what the upstream said before it closed, then closes the viewer', async () => {
    const upstream = new FakeUpstream(false);
    const viewer = await viewerOf(upstream);
    const frames: Buffer[] = [];
    viewer.on('message', (data) => frames.push(data as Buffer));
    const code = new Promise<number>((resolve) => viewer.once('close', resolve));
    upstream.push(Buffer.from('guest stopped'));
    upstream.push(null);
    expect(await code).toBe(relayCloseCodes.upstreamClosed);
    expect(Buffer.concat(frames).toString()).toBe('guest stopped');
  });

  it('slows the upstream down to a viewer that does not read: what waits in memory stays bounded', async () => {
    const upstream = new FakeUpstream(true);
    const viewer = await viewerOf(upstream, { highWaterMark: 1024 * 1024 });
    viewer.pause();
    const stalledAt = await settled('the upstream stalls', () => upstream.produced);
    // The relay's queue (1 MiB) plus the loopback's socket buffers, nowhere near what an unbounded pump reads meanwhile.
    expect(stalledAt).toBeLessThan(48 * 1024 * 1024);
    let received = 0;
    viewer.on('message', (data) => (received += (data as Buffer).length));
    viewer.resume();
    await waitFor('the upstream goes on once the viewer reads', () => (upstream.produced > stalledAt + 8 * 1024 * 1024 ? true : undefined));
    expect(received).toBeGreaterThan(0);
    viewer.close();
  });

  it('pauses a viewer whose upstream takes writes slowly', async () => {
    const upstream = new FakeUpstream(false);
    upstream.holdWrites = true;
    const viewer = await viewerOf(upstream);
    const frame = Buffer.alloc(60 * 1024, 1);
    for (let i = 0; i < 512; i += 1) viewer.send(frame);
    const acceptedWhileHeld = await settled('the relay stops taking frames', () => upstream.written.length);
    // 30 MiB were sent; the relay took a few frames and left the rest in the viewer's socket.
    expect(acceptedWhileHeld * frame.length).toBeLessThan(8 * 1024 * 1024);
    upstream.releaseWrites();
    await waitFor('every frame arrives once writes go on', () => {
      upstream.releaseWrites();
      return upstream.written.length === 512 ? true : undefined;
    });
  });

  it('closes the viewer with upstreamClosed when the upstream drops, and the upstream when the viewer leaves', async () => {
    const ends: PumpEnd[] = [];
    const dropping = new FakeUpstream(false);
    const viewer = await viewerOf(dropping, { onEnd: (why) => ends.push(why) });
    const code = new Promise<number>((resolve) => viewer.once('close', resolve));
    dropping.destroy();
    expect(await code).toBe(relayCloseCodes.upstreamClosed);

    const left = new FakeUpstream(false);
    const leaving = await viewerOf(left, { onEnd: (why) => ends.push(why) });
    leaving.close(1000);
    await waitFor('the upstream is ended', () => (left.writableEnded ? true : undefined));
    await waitFor('the upstream is dropped', () => (left.destroyed ? true : undefined));
    expect(ends).toEqual(['upstream closed', 'viewer closed']);
  });

  it('ends a TLS upstream with close_notify when the viewer leaves, rather than just dropping the connection', async () => {
    const certificate = makeSelfSignedCertificate();
    const servers: Server[] = [];
    try {
      // TLS 1.2: its alert records keep their own record type, so the tap can tell a close_notify from data.
      const tlsServer = createTlsServer({ key: certificate.key, cert: certificate.cert, maxVersion: 'TLSv1.2' }, (socket) => {
        socket.on('error', () => undefined).resume();
      });
      servers.push(tlsServer);
      const tlsPort = await listening(tlsServer);
      // A tap between the relay and the server keeps every byte the relay's side sends.
      const fromRelay: Buffer[] = [];
      let tapEnded!: () => void;
      const tapDone = new Promise<void>((resolve) => (tapEnded = resolve));
      const tap = createTcpServer((client) => {
        const server = connectTcp({ host: '127.0.0.1', port: tlsPort });
        client.on('data', (data: Buffer) => {
          fromRelay.push(data);
          server.write(data);
        });
        client.once('end', tapEnded);
        server.pipe(client);
        client.on('error', () => undefined);
        server.on('error', () => undefined);
      });
      servers.push(tap);
      const upstream = connectTls({ host: '127.0.0.1', port: await listening(tap), ca: certificate.cert });
      await new Promise((resolve) => upstream.once('secureConnect', resolve));
      const ends: PumpEnd[] = [];
      const viewer = await viewerOf(upstream, { onEnd: (why) => ends.push(why) });
      viewer.send(Buffer.from('last words'));
      await waitFor('the bytes reach the server', () => (fromRelay.length > 0 && tlsRecordTypes(Buffer.concat(fromRelay)).includes(0x17) ? true : undefined));
      viewer.close(1000);
      await tapDone;
      await waitFor('the upstream is closed', () => (upstream.destroyed ? true : undefined));
      expect(ends).toEqual(['viewer closed']);
      expect(tlsRecordTypes(Buffer.concat(fromRelay)).at(-1)).toBe(tlsAlert);
    } finally {
      for (const server of servers) server.close();
    }
  });

  it('closes a viewer that sends a text frame where only bytes are expected, and hands text to onText where asked', async () => {
    const upstream = new FakeUpstream(false);
    const viewer = await viewerOf(upstream);
    const code = new Promise<number>((resolve) => viewer.once('close', resolve));
    viewer.send('hello');
    expect(await code).toBe(relayCloseCodes.protocolError);
    // Ended at once; dropped once the grace period is over, since this upstream never closes by itself.
    expect(upstream.writableEnded).toBe(true);
    await waitFor('the upstream is dropped', () => (upstream.destroyed ? true : undefined));

    const texts: string[] = [];
    const controlled = await viewerOf(new FakeUpstream(false), { onText: (text) => texts.push(text) });
    controlled.send('{"type":"resize"}');
    await waitFor('the text', () => (texts.length > 0 ? true : undefined));
    expect(texts).toEqual(['{"type":"resize"}']);
  });
});

/** TLS record content types: 21 is an alert (close_notify when a side ends properly), 23 application data. */
const tlsAlert = 0x15;

/** The content type of each whole TLS record in `bytes`. */
function tlsRecordTypes(bytes: Buffer): number[] {
  const types: number[] = [];
  for (let at = 0; at + 5 <= bytes.length; at += 5 + bytes.readUInt16BE(at + 3)) types.push(bytes[at] ?? 0);
  return types;
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
