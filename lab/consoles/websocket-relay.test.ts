import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_FRAME_PAYLOAD } from './websocket-frames';
import { MAX_UPSTREAM_BACKLOG, WebSocketRelay } from './websocket-relay';

/** What pveproxy's websocket_proxy does with the handshake and with a listener that stops reading. */
describe('WebSocketRelay (pveproxy websocket_proxy)', () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  /** A listener standing in for `qm vncproxy`'s; `reads: false` takes the connection and never reads from it. */
  async function listener(reads: boolean): Promise<{ port: number; received: () => number }> {
    let received = 0;
    const sockets: Socket[] = [];
    const server: Server = createServer({ pauseOnConnect: !reads }, (socket) => {
      sockets.push(socket);
      if (reads) socket.on('data', (chunk: Buffer) => (received += chunk.length));
    });
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    closers.push(() => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });
    return { port: portOf(server), received: () => received };
  }

  async function relayServer(upstreamPort: number): Promise<string> {
    const relay = new WebSocketRelay();
    const server: HttpServer = createHttpServer((_request, response) => response.writeHead(404).end());
    server.on('upgrade', (request, socket, head) => relay.relay(request, socket, head, upstreamPort, () => undefined));
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
    closers.push(() => {
      relay.close();
      server.closeAllConnections();
      server.close();
    });
    return `ws://127.0.0.1:${portOf(server)}/vncwebsocket`;
  }

  function open(url: string, protocols: string[]): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols);
      closers.push(() => socket.terminate());
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  it('answers the subprotocol offer as it came: `binary` alone is accepted, a longer offer is echoed whole', async () => {
    const url = await relayServer((await listener(true)).port);
    expect((await open(url, ['binary'])).protocol).toBe('binary');
    expect((await open(url, [])).protocol).toBe('');
    // PVE echoes `binary, base64`; a client must offer one subprotocol only, or refuse the answer as `ws` does.
    await expect(open(url, ['binary', 'base64'])).rejects.toThrow('Server sent an invalid subprotocol');
  });

  it('drops the connection once more than 640 KiB wait for a listener that does not read', async () => {
    const upstream = await listener(false);
    const socket = await open(await relayServer(upstream.port), ['binary']);
    const frame = Buffer.alloc(MAX_FRAME_PAYLOAD, 0x41);
    const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
    let sent = 0;
    // One frame at a time, each once the kernel took it: with back-pressure from the listener this would stall, never close.
    while (socket.readyState === WebSocket.OPEN) {
      await new Promise<void>((resolve) => socket.send(frame, () => resolve()));
      sent += frame.length;
    }
    expect(await closed).toBe(1006);
    expect(sent).toBeGreaterThan(MAX_UPSTREAM_BACKLOG);
    expect(upstream.received()).toBe(0);
  });

  it('relays what a reading listener takes, beyond that backlog', async () => {
    const upstream = await listener(true);
    const socket = await open(await relayServer(upstream.port), ['binary']);
    const frame = Buffer.alloc(MAX_FRAME_PAYLOAD, 0x42);
    // Each frame once the listener has read the one before: a loaded machine then never holds a backlog, so the
    // only way this fails is the relay dropping or losing bytes of a listener that keeps up.
    for (let sent = frame.length; sent <= 64 * frame.length; sent += frame.length) {
      await new Promise<void>((resolve) => socket.send(frame, () => resolve()));
      await expect.poll(() => upstream.received(), { timeout: 30_000 }).toBe(sent);
    }
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });
});

function portOf(server: Server | HttpServer): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
