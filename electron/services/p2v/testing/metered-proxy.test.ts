import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startMeteredProxy, type MeteredProxy } from './metered-proxy';

/** A server that answers each connection, once the client has finished, with the number of bytes it got. */
function startCounter(): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.on('end', () => socket.end(String(received)));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function send(port: number, bytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
    socket.end(Buffer.alloc(bytes, 7));
  });
}

describe('metered proxy', () => {
  let server: Server | undefined;
  let proxy: MeteredProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('passes every byte on and counts what clients sent across connections, limited or not', async () => {
    server = await startCounter();
    proxy = await startMeteredProxy({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
    expect(await send(proxy.port, 3_000_000)).toBe('3000000');
    proxy.limit(4 * 1024 * 1024);
    expect(await send(proxy.port, 1_000_000)).toBe('1000000');
    expect(proxy.sentBytes()).toBe(4_000_000);
    proxy.resetCount();
    proxy.limit(undefined);
    expect(await send(proxy.port, 10)).toBe('10');
    expect(proxy.sentBytes()).toBe(10);
  });
});
