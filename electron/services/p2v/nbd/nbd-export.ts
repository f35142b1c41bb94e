import type { Duplex } from 'node:stream';
import type { Logger } from '../../log';
import { FileExport } from './file-export';
import { negotiate } from './handshake';
import { NBD_FLAG_CAN_MULTI_CONN, NBD_FLAG_HAS_FLAGS, NBD_FLAG_READ_ONLY } from './protocol';
import { ConnectionEnded, StreamReader } from './stream-io';
import { transmit } from './transmission';

/** One workstation file served read-only over NBD to whoever presents its export name. */
export interface NbdFileExport {
  /** Bytes of the file: the export's size. */
  readonly size: number;
  /** Data bytes sent so far over all connections (OFFSET_DATA payloads): holes and zero blocks cost nothing. */
  readonly sentBytes: number;
  /** Runs the NBD protocol on one client connection (a unix socket, an SSH channel) until it ends. */
  serve(stream: Duplex): void;
  /** The "sha256-blocks" digest of a range; see FileExport.rangeDigest for the exact definition. */
  rangeDigest(offset: number, length: number, signal?: AbortSignal): Promise<string>;
  /** Cuts every connection and closes the file. */
  close(): Promise<void>;
}

export interface NbdExportOptions {
  path: string;
  /** 32 lowercase hex characters from a random source: the only name served, so it is the access token. */
  exportName: string;
  logger?: Logger;
}

/** How long closing an export waits for its connections' sessions to end. */
const sessionsGraceMs = 5_000;

export async function startNbdExport(options: NbdExportOptions): Promise<NbdFileExport> {
  if (!/^[0-9a-f]{32}$/.test(options.exportName)) throw new Error('the NBD export name must be a random 32-hex token');
  const file = await FileExport.open(options.path);
  const description = {
    name: options.exportName,
    size: file.size,
    transmissionFlags: NBD_FLAG_HAS_FLAGS | NBD_FLAG_READ_ONLY | NBD_FLAG_CAN_MULTI_CONN,
  };
  const connections = new Map<Duplex, Promise<void>>();
  let closed = false;

  const session = async (stream: Duplex): Promise<void> => {
    const reader = new StreamReader(stream);
    try {
      const negotiated = await negotiate(stream, reader, description);
      if (negotiated !== undefined) await transmit(stream, reader, file, negotiated);
      stream.end();
    } catch (error) {
      // A hostile or broken client ends its own connection, never the process.
      const ended = error instanceof ConnectionEnded;
      options.logger?.[ended ? 'info' : 'warn']('p2v.nbd-connection-ended', { reason: (error as Error).message });
      stream.destroy();
    }
  };

  return {
    size: file.size,
    get sentBytes() {
      return file.sentBytes;
    },
    serve(stream) {
      // Errors of the stream (a reset) end the session through the reader and writer; unhandled they would crash.
      stream.on('error', () => undefined);
      if (closed) {
        stream.destroy();
        return;
      }
      const running = session(stream).finally(() => connections.delete(stream));
      connections.set(stream, running);
    },
    rangeDigest: (offset, length, signal) => file.rangeDigest(offset, length, signal),
    async close() {
      if (closed) return;
      closed = true;
      for (const stream of connections.keys()) stream.destroy();
      // An ssh2 channel says it ended only once the peer answered its close: over a stalled link that answer may
      // never come, and a cancel or rollback waiting on this export would wait with it. A session still running
      // after the grace period fails on the closed file and ends on its own.
      await Promise.race([Promise.all(connections.values()), new Promise((resolve) => setTimeout(resolve, sessionsGraceMs).unref())]);
      await file.close();
    },
  };
}
