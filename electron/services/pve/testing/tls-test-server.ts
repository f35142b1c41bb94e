import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { TestCertificate } from './test-certificate';

/**
 * A raw TLS server that records, per connection, how many bytes of
 * application data arrived after the handshake: the proof that a refused
 * connection sent nothing.
 */
export interface RecordingTlsServer {
  port: number;
  /** TCP connections accepted. */
  connections: number;
  handshakes: number;
  applicationBytes: number;
  /** Resolves when every connection seen so far has closed. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

export async function startRecordingTlsServer(certificate: TestCertificate, onSecure?: (socket: TLSSocket) => void): Promise<RecordingTlsServer> {
  const closings: Promise<void>[] = [];
  const server: Server = createServer({ key: certificate.key, cert: certificate.cert });
  const state: RecordingTlsServer = {
    port: 0,
    connections: 0,
    handshakes: 0,
    applicationBytes: 0,
    allClosed: async () => {
      await Promise.all(closings);
    },
    close: () => closeServer(server),
  };
  server.on('connection', (socket: Socket) => {
    state.connections += 1;
    closings.push(new Promise((resolve) => socket.once('close', () => resolve())));
  });
  server.on('secureConnection', (socket) => {
    state.handshakes += 1;
    socket.on('data', (chunk: Buffer) => {
      state.applicationBytes += chunk.length;
    });
    socket.on('error', () => undefined);
    onSecure?.(socket);
  });
  server.on('tlsClientError', () => undefined);
  state.port = await listen(server);
  return state;
}

/** Accepts TCP connections and never answers: the client's handshake can only time out. */
export async function startSilentTcpServer(): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const state = {
    port: 0,
    connections: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
  state.port = await listen(server);
  return state;
}

/** A loopback port nothing listens on (bound, then released), so connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

export function listen(server: NetServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function closeServer(server: NetServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
