import { createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback listener that takes exactly one connection, like the
 * `nc -l`/socat listeners PVE starts for `qm vncproxy` and termproxy: the
 * client has `acceptTimeoutMs` to connect, after which the port is gone.
 */
export interface OneShotListener {
  port: number;
  /** When the listener stops accepting (after its connection or its deadline). */
  closed: Promise<void>;
  close(): void;
}

export function listenOnce(onConnection: (socket: Socket) => void, options: { acceptTimeoutMs: number; onTimeout?: () => void }): Promise<OneShotListener> {
  const server: Server = createServer({ pauseOnConnect: false });
  let settleClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (settleClosed = resolve));
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (server.listening) server.close(() => settleClosed());
    else settleClosed();
  };
  server.on('connection', (socket) => {
    if (timer === undefined) {
      // A second client raced the first one in; one-shot means one.
      socket.destroy();
      return;
    }
    stop();
    onConnection(socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('listener has no TCP address'));
        return;
      }
      timer = setTimeout(() => {
        options.onTimeout?.();
        stop();
      }, options.acceptTimeoutMs);
      timer.unref();
      resolve({ port: address.port, closed, close: stop });
    });
  });
}
