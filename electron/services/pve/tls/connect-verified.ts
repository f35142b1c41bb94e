import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { completeHandshake, type HandshakeLimits } from './handshake';
import { refuseRenegotiation } from './refuse-renegotiation';

/**
 * Opens TLS checked against the system's trusted CAs and the host name, the
 * way a browser would, and resolves after the handshake. A certificate that
 * does not verify rejects with TlsUntrustedError.
 */
export async function connectVerified(options: HandshakeLimits & { keepAlive?: boolean }): Promise<TLSSocket> {
  const socket = connect({
    host: options.host,
    port: options.port,
    ...(isIP(options.host) === 0 ? { servername: options.host } : {}),
    rejectUnauthorized: true,
    ...refuseRenegotiation,
    ...(options.keepAlive === true ? { keepAlive: true } : {}),
  });
  return await completeHandshake(socket, options);
}
