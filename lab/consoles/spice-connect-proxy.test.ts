import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BACKLOG, SpiceConnectProxy } from './spice-connect-proxy';
import { issueSpiceProxyTicket, verifySpiceProxyTicket } from './spice-ticket';

const key = randomBytes(32);

/** The lab's port 3128 against pve-http-server `AnyEvent.pm` `handle_spice_proxy_request`, with a plain TCP server as QEMU. */
describe('SPICE CONNECT proxy', () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function listen(onConnection: (socket: Socket) => void): Promise<number> {
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => socket.destroy());
      onConnection(socket);
    });
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    closers.push(() => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return address.port;
  }

  async function startProxy(): Promise<number> {
    const proxy = new SpiceConnectProxy({
      port: 0,
      upstreamHost: '127.0.0.1',
      headerTimeoutMs: 5_000,
      verifyTicket: (ticket) => verifySpiceProxyTicket(key, ticket, Date.now() / 1000, 40),
      log: () => undefined,
    });
    await proxy.ready;
    closers.push(() => proxy.close());
    return proxy.port;
  }

  /** Sends CONNECT as spice-gtk does and resolves with the answer's status line; the socket reads nothing after it. */
  function connectThrough(proxyPort: number, authority: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: proxyPort }, () => socket.write(`CONNECT ${authority} HTTP/1.0\r\nHost: ${authority}\r\n\r\n`));
      closers.push(() => void socket.destroy());
      let answer = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        answer = Buffer.concat([answer, chunk]);
        const end = answer.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        socket.pause();
        resolve(answer.subarray(0, answer.indexOf('\r\n')).toString('latin1'));
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
  }

  it('opens the port its ticket was signed for, and refuses another port as an invalid ticket (401)', async () => {
    const tlsPort = await listen((socket) => socket.end());
    const proxyPort = await startProxy();
    const ticket = issueSpiceProxyTicket(key, { node: 'pve2', vmid: 101, tlsPort }, Date.now() / 1000);
    expect(await connectThrough(proxyPort, `${ticket}:${tlsPort}`)).toBe('HTTP/1.0 200 OK');
    expect(await connectThrough(proxyPort, `${ticket}:${tlsPort === 65535 ? 65534 : tlsPort + 1}`)).toBe('HTTP/1.0 401 Unauthorized');
  });

  it('drops the channel of a client that stops reading, instead of slowing QEMU down', async () => {
    let guestClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (guestClosed = resolve));
    let written = 0;
    const chunk = Buffer.alloc(256 * 1024, 0x51);
    const tlsPort = await listen((socket) => {
      socket.once('close', () => guestClosed());
      // QEMU's display channel sending as fast as its socket takes it.
      const fill = (): void => {
        while (!socket.destroyed && socket.write(chunk)) written += chunk.length;
        if (!socket.destroyed) socket.once('drain', fill);
      };
      fill();
    });
    const proxyPort = await startProxy();
    const ticket = issueSpiceProxyTicket(key, { node: 'pve2', vmid: 101, tlsPort }, Date.now() / 1000);
    expect(await connectThrough(proxyPort, `${ticket}:${tlsPort}`)).toBe('HTTP/1.0 200 OK');
    // The client reads nothing more: the proxy's backlog toward it passes 640 KiB, and the proxy drops both sides.
    await closed;
    expect(written).toBeGreaterThan(MAX_BACKLOG);
  });

  it('carries everything both ways while neither side falls behind by the backlog', async () => {
    // QEMU sends 256 KiB and waits for the client's one-byte answer, sixteen times: 4 MiB in all, never 640 KiB waiting.
    const piece = randomBytes(256 * 1024);
    const pieces = 16;
    const tlsPort = await listen((socket) => {
      let sent = 0;
      const next = (): void => {
        if (sent === pieces) return void socket.end();
        sent += 1;
        socket.write(piece);
      };
      socket.on('data', next);
      next();
    });
    const proxyPort = await startProxy();
    const ticket = issueSpiceProxyTicket(key, { node: 'pve2', vmid: 101, tlsPort }, Date.now() / 1000);
    const authority = `${ticket}:${tlsPort}`;
    const answer = Buffer.from('HTTP/1.0 200 OK\r\n\r\n');
    const received = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: proxyPort }, () => socket.write(`CONNECT ${authority} HTTP/1.0\r\nHost: ${authority}\r\n\r\n`));
      closers.push(() => void socket.destroy());
      const chunks: Buffer[] = [];
      let length = 0;
      socket.on('data', (data: Buffer) => {
        chunks.push(data);
        length += data.length;
        if ((length - answer.length) % piece.length === 0 && length > answer.length) socket.write('k');
      });
      socket.once('end', () => resolve(Buffer.concat(chunks)));
      socket.once('error', reject);
    });
    expect(received.subarray(0, answer.length).equals(answer)).toBe(true);
    expect(received.subarray(answer.length).equals(Buffer.concat(Array.from({ length: pieces }, () => piece)))).toBe(true);
  });
});
