/**
 * A TCP proxy in front of a node's sshd that counts the bytes the workstation sends (what crossed the wire, SSH
 * framing included) and can slow that direction down to a given rate, as a slow link would: a transfer then lasts
 * long enough for a test to kill or cancel it half-way. Counts survive the client's connections, so a migration
 * killed in one process and resumed in another is measured as a whole.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface MeteredProxy {
  port: number;
  /** Bytes received from clients and passed to the node since the start (or the last `resetCount`). */
  sentBytes(): number;
  resetCount(): void;
  /** Limits what clients send to `bytesPerSecond` in total; undefined lifts the limit. */
  limit(bytesPerSecond: number | undefined): void;
  /** Drops every open connection at once, as a broken link would (new ones are still let through). */
  cutConnections(): void;
  close(): Promise<void>;
}

export async function startMeteredProxy(target: { host: string; port: number }): Promise<MeteredProxy> {
  const sockets = new Set<Socket>();
  let sent = 0;
  let rate: number | undefined;
  // The pace of a limited link: when the bytes passed since `paceStart` are due at the limited rate.
  let paceStart = Date.now();
  let pacedBytes = 0;

  // Half-closes pass through: each side's end reaches the other, and a socket closes once both directions are done.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    // No Nagle on either hop: a proxy must not hold back the small packets of a request/response protocol (NBD
    // requests inside SSH) waiting for ACKs, which would make the link far slower for them than for a bulk copy.
    client.setNoDelay(true);
    const upstream = connect({ port: target.port, host: target.host, allowHalfOpen: true, noDelay: true });
    sockets.add(client).add(upstream);
    client.on('data', (data: Buffer) => {
      sent += data.length;
      const flowing = upstream.write(data);
      let waitMs = 0;
      if (rate !== undefined) {
        pacedBytes += data.length;
        waitMs = paceStart + (pacedBytes / rate) * 1000 - Date.now();
      }
      if (flowing && waitMs <= 0) return;
      client.pause();
      const drained = flowing ? Promise.resolve() : new Promise<void>((resolve) => upstream.once('drain', () => resolve()));
      void Promise.all([drained, new Promise((resolve) => setTimeout(resolve, Math.max(0, waitMs)))]).then(() => client.resume());
    });
    client.on('end', () => upstream.end());
    upstream.pipe(client);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    sentBytes: () => sent,
    resetCount: () => void (sent = 0),
    limit: (bytesPerSecond) => {
      rate = bytesPerSecond;
      paceStart = Date.now();
      pacedBytes = 0;
    },
    cutConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
