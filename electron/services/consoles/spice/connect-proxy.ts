import type { Duplex } from 'node:stream';

/**
 * The HTTP CONNECT that PVE's spiceproxy (port 3128) serves, sent as spice-gtk sends it: the proxy ticket is the
 * CONNECT target and the `Host:` header, and the proxy opens nothing but the TLS port the ticket names
 * (pve-http-server `PVE/APIServer/AnyEvent.pm`: the `Host` header is verified, then `<proto> 200 OK` and raw bytes).
 */

/** Far above PVE's one-line answer; more is not a proxy talking. */
const MAX_ANSWER_BYTES = 8192;

/** The proxy answered the CONNECT with something other than 200 (401: the ticket is invalid or expired). */
export class ConnectRefusedError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectRefusedError';
  }
}

/** `CONNECT <ticket>:<tls-port> HTTP/1.0` with the same authority in `Host:`; the ticket is a secret. */
export function connectRequest(ticket: string, tlsPort: number): string {
  const authority = `${ticket}:${tlsPort}`;
  return `CONNECT ${authority} HTTP/1.0\r\nHost: ${authority}\r\n\r\n`;
}

/**
 * Sends the CONNECT on `socket` and waits for the proxy's answer. Resolves once it said 200: from then on the socket
 * carries the guest's TLS port. Bytes that came after the answer are put back on the socket.
 */
export function connectThroughProxy(socket: Duplex, ticket: string, tlsPort: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let answer = Buffer.alloc(0);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onError = (error: Error): void => finish(error);
    const onClose = (): void => finish(new ConnectRefusedError(undefined, 'the SPICE proxy closed the connection before answering the CONNECT'));
    const onData = (chunk: Buffer): void => {
      answer = Buffer.concat([answer, chunk]);
      const end = answer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (answer.length > MAX_ANSWER_BYTES) finish(new ConnectRefusedError(undefined, 'the SPICE proxy answered the CONNECT with an oversized header'));
        return;
      }
      const statusLine = answer.subarray(0, answer.indexOf('\r\n')).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine)?.[1];
      if (status !== '200') {
        finish(new ConnectRefusedError(status === undefined ? undefined : Number(status), `the SPICE proxy refused the CONNECT: ${statusLine.slice(0, 200)}`));
        return;
      }
      socket.pause();
      finish();
      const rest = answer.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
    };
    const timer = setTimeout(() => finish(new ConnectRefusedError(undefined, `the SPICE proxy did not answer the CONNECT within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
    socket.write(connectRequest(ticket, tlsPort));
  });
}
