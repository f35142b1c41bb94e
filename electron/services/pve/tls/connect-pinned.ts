import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { fingerprintOfDer, normalizeFingerprint, type CertificateFingerprint } from './fingerprint';
import { completeHandshake, type HandshakeLimits } from './handshake';
import { refuseRenegotiation } from './refuse-renegotiation';
import { TlsMismatchError } from './tls-errors';

export interface ConnectPinnedOptions extends HandshakeLimits {
  /** The accepted certificate's SHA-256 fingerprint (colon-separated hex, any case). */
  fingerprint: CertificateFingerprint;
  /** TCP keep-alive, for sockets an HTTP agent keeps for reuse. */
  keepAlive?: boolean;
}

/**
 * Opens TLS without checking the chain and resolves once the handshake is
 * done, before anything is written. Only two callers may use it, both in this
 * folder: `connectPinned`, which compares the certificate with the pin before
 * handing the socket on, and `probeCertificate`, which only reads the
 * certificate and closes. Never write on the socket it returns.
 */
export async function handshakeWithoutChainCheck(options: HandshakeLimits & { keepAlive?: boolean }): Promise<TLSSocket> {
  const socket = connect({
    host: options.host,
    port: options.port,
    // SNI takes host names only; PVE endpoints are often plain addresses.
    ...(isIP(options.host) === 0 ? { servername: options.host } : {}),
    // The one place where chain verification is off: PVE nodes ship
    // self-signed certificates no CA vouches for, so trust comes from the
    // pinned fingerprint instead, checked by the callers above before a single
    // byte of application data is sent.
    rejectUnauthorized: false,
    ...refuseRenegotiation,
    ...(options.keepAlive === true ? { keepAlive: true } : {}),
  });
  return await completeHandshake(socket, options);
}

/** SHA-256 of the DER of the certificate the peer presented, or a marker when it presented none. */
export function peerFingerprint(socket: TLSSocket): CertificateFingerprint {
  const certificate = socket.getPeerCertificate(false);
  // An empty object, not null, when the peer sent no certificate.
  const der = (certificate as { raw?: Buffer }).raw;
  return der instanceof Buffer && der.length > 0 ? fingerprintOfDer(der) : '(no certificate)';
}

/**
 * The pinning verifier. Every pinned connection of the app (API requests
 * through PinnedAgent, console websockets) is opened here: the socket is
 * handed on only when the server's certificate is the pinned one. On a
 * mismatch the socket is destroyed before any application data is written and
 * a TlsMismatchError carries both fingerprints.
 */
export async function connectPinned(options: ConnectPinnedOptions): Promise<TLSSocket> {
  const expected = normalizeFingerprint(options.fingerprint);
  if (expected === null) {
    throw new TypeError('The pinned fingerprint is not a SHA-256 fingerprint (64 hex digits).');
  }
  const socket = await handshakeWithoutChainCheck(options);
  const actual = peerFingerprint(socket);
  if (actual !== expected) {
    socket.destroy();
    throw new TlsMismatchError({ host: options.host, port: options.port, expected, actual });
  }
  return socket;
}
