// Test support: a TCP proxy between the client and sshd that records what the
// client sends, and reads it as SSH packets as long as they are unencrypted.
import { connect, createServer, type Socket } from 'node:net';

export interface RecordingProxy {
  port: number;
  clientBytes(): Buffer;
  /** Forgets what was recorded so far. */
  reset(): void;
  close(): Promise<void>;
}

export async function startRecordingProxy(targetPort: number): Promise<RecordingProxy> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (data: Buffer) => {
      chunks.push(Buffer.from(data));
      upstream.write(data);
    });
    upstream.pipe(client);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    clientBytes: () => Buffer.concat(chunks),
    reset: () => void chunks.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Splits what the client sent into its identification line and the message
 * types of its binary packets (RFC 4253 §6). Valid only up to NEWKEYS: after
 * it packets are encrypted, so `unparsed` counts the bytes that could not be
 * read as clear packets.
 */
export function clearClientMessages(bytes: Buffer): { ident: string; types: number[]; unparsed: number } {
  const lineEnd = bytes.indexOf('\r\n');
  if (lineEnd < 0) return { ident: '', types: [], unparsed: bytes.length };
  const ident = bytes.subarray(0, lineEnd).toString('latin1');
  const types: number[] = [];
  let offset = lineEnd + 2;
  while (offset + 5 <= bytes.length) {
    const packetLength = bytes.readUInt32BE(offset);
    if (packetLength < 5 || offset + 4 + packetLength > bytes.length) break;
    const type = bytes.readUInt8(offset + 5);
    types.push(type);
    offset += 4 + packetLength;
    if (type === 21) break; // NEWKEYS: what follows is encrypted
  }
  return { ident, types, unparsed: bytes.length - offset };
}
