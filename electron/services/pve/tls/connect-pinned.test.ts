import { createServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { useTlsFixtures } from '../testing/tls-fixtures';
import { closeServer, closedPort, listen, startRecordingTlsServer, startSilentTcpServer, type RecordingTlsServer } from '../testing/tls-test-server';
import { connectPinned } from './connect-pinned';
import { connectVerified } from './connect-verified';
import { normalizeFingerprint } from './fingerprint';
import { probeCertificate } from './probe-certificate';
import { ConnectFailedError, TlsMismatchError, TlsUntrustedError } from './tls-errors';

const tls = useTlsFixtures();

async function recordingServer(certificate = tls.certificate): Promise<RecordingTlsServer> {
  const recording = await startRecordingTlsServer(certificate);
  tls.cleanup(() => recording.close());
  return recording;
}

describe('connectPinned', () => {
  it('hands on a socket when the certificate matches the pin, whatever case or separators the pin uses', async () => {
    const recording = await recordingServer();
    const pin = tls.certificate.fingerprint.replace(/:/g, '').toLowerCase();
    const socket = await connectPinned({ host: '127.0.0.1', port: recording.port, fingerprint: pin, timeoutMs: 5_000 });
    await new Promise<void>((resolve) => socket.end('hello', () => resolve()));
    await recording.allClosed();
    expect(recording.handshakes).toBe(1);
    expect(recording.applicationBytes).toBe(5);
  });

  it('refuses another certificate with both fingerprints and sends nothing after the handshake', async () => {
    const recording = await recordingServer(tls.other);
    const attempt = connectPinned({ host: '127.0.0.1', port: recording.port, fingerprint: tls.certificate.fingerprint, timeoutMs: 5_000 });
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TlsMismatchError);
    const mismatch = error as TlsMismatchError;
    expect(mismatch.expected).toBe(tls.certificate.fingerprint);
    expect(mismatch.actual).toBe(tls.other.fingerprint);
    expect(mismatch.message).toContain(tls.certificate.fingerprint);
    expect(mismatch.message).toContain(tls.other.fingerprint);
    await recording.allClosed();
    expect(recording.connections).toBe(1);
    expect(recording.applicationBytes).toBe(0);
  });

  it('refuses the renegotiation a TLS 1.2 server asks for once the pin was checked: no second handshake, the connection fails', async () => {
    let renegotiated: (error: Error | null) => void = () => undefined;
    const renegotiation = new Promise<Error | null>((resolve) => (renegotiated = resolve));
    const server = createServer({ key: tls.certificate.key, cert: tls.certificate.cert, maxVersion: 'TLSv1.2' }, (serverSide) => {
      tls.cleanup(() => void serverSide.destroy());
      // A refused renegotiation reaches the server as an error on the socket, not through the callback.
      serverSide.on('error', (error) => renegotiated(error));
      // A second handshake is where a server could present another certificate, unchecked.
      serverSide.renegotiate({}, (error) => {
        renegotiated(error ?? null);
        if (error === undefined || error === null) serverSide.write('sent after renegotiating');
      });
    });
    const port = await listen(server);
    tls.cleanup(() => closeServer(server));

    const socket = await connectPinned({ host: '127.0.0.1', port, fingerprint: tls.certificate.fingerprint, timeoutMs: 5_000 });
    tls.cleanup(() => void socket.destroy());
    expect(socket.getProtocol()).toBe('TLSv1.2');
    const received: string[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    const failed = new Promise<Error>((resolve) => socket.once('error', resolve));

    const refusal = await renegotiation;
    expect(refusal).toBeInstanceOf(Error);
    expect((refusal as NodeJS.ErrnoException).code).toBe('ERR_SSL_NO_RENEGOTIATION');
    // The server gave up on the connection: what the client gets is an error, never data from a second handshake.
    expect((await failed).message).toMatch(/handshake failure/i);
    expect(received).toEqual([]);
  });

  it('rejects a pin that is not a SHA-256 fingerprint before connecting', async () => {
    await expect(connectPinned({ host: '127.0.0.1', port: 1, fingerprint: 'AB:CD', timeoutMs: 1_000 })).rejects.toThrow(TypeError);
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    const error = (await connectPinned({ host: '127.0.0.1', port, fingerprint: tls.certificate.fingerprint, timeoutMs: 5_000 }).catch(
      (e: unknown) => e,
    )) as ConnectFailedError;
    expect(error).toBeInstanceOf(ConnectFailedError);
    expect(error.reason).toBe('refused');
  });

  it('times out when the handshake never completes', async () => {
    const silent = await startSilentTcpServer();
    tls.cleanup(() => silent.close());
    const started = Date.now();
    const error = (await connectPinned({ host: '127.0.0.1', port: silent.port, fingerprint: tls.certificate.fingerprint, timeoutMs: 300 }).catch(
      (e: unknown) => e,
    )) as ConnectFailedError;
    expect(error).toBeInstanceOf(ConnectFailedError);
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops when cancelled', async () => {
    const silent = await startSilentTcpServer();
    tls.cleanup(() => silent.close());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = (await connectPinned({
      host: '127.0.0.1',
      port: silent.port,
      fingerprint: tls.certificate.fingerprint,
      timeoutMs: 10_000,
      signal: controller.signal,
    }).catch((e: unknown) => e)) as ConnectFailedError;
    expect(error.reason).toBe('cancelled');
  });
});

describe('probeCertificate', () => {
  it('reads fingerprint, names, validity and SANs without sending a request', async () => {
    const recording = await recordingServer();
    const info = await probeCertificate({ host: '127.0.0.1', port: recording.port });
    await recording.allClosed();
    expect(info.fingerprint256).toBe(tls.certificate.fingerprint);
    expect(info.subject).toContain('CN=pve1.test');
    expect(info.issuer).toContain('CN=pve1.test');
    expect(info.selfSigned).toBe(true);
    expect(info.subjectAltNames).toEqual(['IP Address:127.0.0.1', 'DNS:pve1.test']);
    expect(Date.parse(info.validFrom)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(info.validTo)).toBeGreaterThan(Date.now());
    expect(recording.handshakes).toBe(1);
    expect(recording.applicationBytes).toBe(0);
  });
});

describe('connectVerified (system CAs)', () => {
  it('refuses a self-signed certificate as untrusted without sending anything', async () => {
    const recording = await recordingServer();
    const error = (await connectVerified({ host: '127.0.0.1', port: recording.port, timeoutMs: 5_000 }).catch((e: unknown) => e)) as TlsUntrustedError;
    expect(error).toBeInstanceOf(TlsUntrustedError);
    expect(error.reason).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    await recording.allClosed();
    expect(recording.applicationBytes).toBe(0);
  });
});

describe('normalizeFingerprint', () => {
  it('accepts PVE-style and pasted forms and rejects anything else', () => {
    expect(normalizeFingerprint(tls.certificate.fingerprint)).toBe(tls.certificate.fingerprint);
    expect(normalizeFingerprint(` ${tls.certificate.fingerprint.toLowerCase()} `)).toBe(tls.certificate.fingerprint);
    expect(normalizeFingerprint(tls.certificate.fingerprint.replace(/:/g, ''))).toBe(tls.certificate.fingerprint);
    expect(normalizeFingerprint('AB:CD')).toBeNull();
    expect(normalizeFingerprint('ZZ'.repeat(32))).toBeNull();
  });
});
