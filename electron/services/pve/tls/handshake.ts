import type { TLSSocket } from 'node:tls';
import { ConnectFailedError, TlsUntrustedError, connectFailureReason, isCertificateVerificationCode } from './tls-errors';

export interface HandshakeLimits {
  host: string;
  port: number;
  /** Aborting destroys the socket and rejects with a `cancelled` ConnectFailedError. */
  signal?: AbortSignal;
  /** Covers the TCP connection and the TLS handshake together. */
  timeoutMs: number;
}

/**
 * Waits until a freshly started TLS socket finishes its handshake. Resolves
 * with the socket, nothing written on it yet; rejects with a typed error and
 * the socket destroyed. Listeners added here are removed either way so the
 * socket leaves clean for its next owner.
 */
export function completeHandshake(socket: TLSSocket, limits: HandshakeLimits): Promise<TLSSocket> {
  const { host, port, signal, timeoutMs } = limits;
  return new Promise<TLSSocket>((resolve, reject) => {
    const timer = setTimeout(() => fail(new ConnectFailedError({ host, port, reason: 'timeout' })), timeoutMs);

    function cleanUp(): void {
      clearTimeout(timer);
      socket.off('secureConnect', onSecure);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    }
    function fail(error: Error): void {
      cleanUp();
      socket.destroy();
      reject(error);
    }
    function onSecure(): void {
      cleanUp();
      resolve(socket);
    }
    function onError(error: NodeJS.ErrnoException): void {
      if (isCertificateVerificationCode(error.code)) {
        fail(new TlsUntrustedError({ host, port, reason: error.code ?? 'unknown' }, { cause: error }));
        return;
      }
      const code = error.code;
      fail(new ConnectFailedError({ host, port, reason: connectFailureReason(code), ...(code !== undefined ? { code } : {}) }, { cause: error }));
    }
    function onClose(): void {
      fail(new ConnectFailedError({ host, port, reason: 'closed' }));
    }
    function onAbort(): void {
      fail(new ConnectFailedError({ host, port, reason: 'cancelled' }));
    }

    if (signal?.aborted) {
      onAbort();
      return;
    }
    socket.once('secureConnect', onSecure);
    socket.on('error', onError);
    socket.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
