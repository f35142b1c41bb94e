import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log';

/** A loopback listener whose every connection is tunnelled over SSH to one remote host:port. */
export interface LocalForward {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Stops listening and cuts the connections in flight. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 only (never on all interfaces: the tunnel would be
 * open to the network) and opens one tunnel per accepted connection.
 */
export async function startLocalForward(options: {
  openTunnel: () => Promise<Duplex>;
  label: string;
  localPort?: number;
  logger: Logger;
}): Promise<LocalForward> {
  const sockets = new Set<Socket>();
  // allowHalfOpen: a client that ends its request must still get the answer back.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.pause();
    options
      .openTunnel()
      .then((tunnel) => {
        if (socket.destroyed) {
          tunnel.destroy();
          return;
        }
        socket.pipe(tunnel).pipe(socket);
        const cut = () => {
          socket.destroy();
          tunnel.destroy();
        };
        socket.once('error', cut);
        tunnel.once('error', cut);
        socket.once('close', () => tunnel.destroy());
        tunnel.once('close', () => socket.destroy());
        socket.resume();
      })
      .catch((error: unknown) => {
        options.logger.warn('ssh.forward-connection-failed', { forward: options.label, error });
        socket.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.localPort ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the forward listener has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
