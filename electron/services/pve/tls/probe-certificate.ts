import { DescribedError } from '../../../../shared/text/sentence';
import { handshakeWithoutChainCheck } from './connect-pinned';
import { describeCertificate, type CertificateInfo } from './certificate-info';

const defaultProbeTimeoutMs = 10_000;

/**
 * First contact with an endpoint: completes a TLS handshake, reads the
 * certificate and closes without sending any request, so the user can be
 * asked whether to trust it before the app says anything to the server.
 */
export async function probeCertificate(options: { host: string; port: number; signal?: AbortSignal; timeoutMs?: number }): Promise<CertificateInfo> {
  const socket = await handshakeWithoutChainCheck({ ...options, timeoutMs: options.timeoutMs ?? defaultProbeTimeoutMs });
  try {
    const der = (socket.getPeerCertificate(false) as { raw?: Buffer }).raw;
    if (!(der instanceof Buffer) || der.length === 0) {
      throw new DescribedError({
        en: `${options.host}:${options.port} presented no certificate.`,
        fr: `${options.host}:${options.port} n’a présenté aucun certificat.`,
      });
    }
    return describeCertificate(der);
  } finally {
    // A polite close (close_notify, then FIN) rather than a reset: the server
    // sees a finished handshake and no request, not a broken connection.
    socket.end();
    setTimeout(() => socket.destroy(), 2_000).unref();
  }
}
