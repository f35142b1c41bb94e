import type { Duplex } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import { relayCloseCodes } from '../../../../shared/domain/consoles';
import { FrameBatcher } from './frame-batcher';

export interface PumpOptions {
  /**
   * A text frame from the viewer (a terminal's resize). Throwing closes the viewer as a protocol error; without it,
   * any text frame is one: VNC and SPICE viewers send binary frames only.
   */
  onText?: (text: string) => void;
  /** Bytes waiting to be written to the viewer before the upstream is paused (default 1 MiB). */
  highWaterMark?: number;
  /** Called once, when the pump has ended both sides. */
  onEnd?: (why: PumpEnd) => void;
}

/** Which side ended the pump. */
export type PumpEnd = 'viewer closed' | 'upstream closed' | 'viewer protocol error';

const defaultHighWaterMark = 1024 * 1024;
/** The largest frame to the viewer: big enough that a screen update is a few messages, small enough to flow. */
const maxFrameBytes = 256 * 1024;
/** How long an upstream that was told the viewer left may take to close before its connection is dropped. */
const upstreamCloseGraceMs = 2000;

/**
 * Moves bytes both ways between a viewer's WebSocket and a console's upstream, the upstream's chunks gathered into
 * frames of up to 256 KiB (FrameBatcher), with back-pressure both ways: a viewer that reads slowly pauses the
 * upstream once `highWaterMark` bytes wait for it, and an upstream that takes writes slowly pauses the viewer's
 * socket. Closing either side closes the other, after what the upstream sent; the viewer learns an upstream drop
 * from `relayCloseCodes.upstreamClosed`.
 */
export function pumpBetween(viewer: WebSocket, upstream: Duplex, options: PumpOptions = {}): void {
  const highWaterMark = options.highWaterMark ?? defaultHighWaterMark;
  const frameBytes = Math.min(maxFrameBytes, highWaterMark);
  let viewerPaused = false;
  let ended = false;
  const toViewer = new FrameBatcher({
    frameBytes,
    frames: Math.ceil(highWaterMark / frameBytes),
    send: (frame, written) => {
      if (viewer.readyState === WebSocket.OPEN) viewer.send(frame, written);
      else written();
    },
    pause: () => upstream.pause(),
    resume: () => {
      if (!ended) upstream.resume();
    },
  });
  const fromUpstream = (chunk: Buffer): void => toViewer.push(chunk);

  const end = (why: PumpEnd): void => {
    if (ended) return;
    ended = true;
    // What the upstream said before it went is the viewer's (a console's last words: "guest stopped").
    if (why === 'upstream closed') toViewer.flush();
    toViewer.close();
    upstream.off('data', fromUpstream);
    viewer.off('message', toUpstream);
    if (why === 'upstream closed') upstream.destroy();
    else closeUpstream(upstream);
    if (viewer.readyState === WebSocket.OPEN || viewer.readyState === WebSocket.CONNECTING) {
      if (why === 'upstream closed') viewer.close(relayCloseCodes.upstreamClosed, 'The connection to the console ended.');
      else if (why === 'viewer protocol error') viewer.close(relayCloseCodes.protocolError, 'The viewer sent a message the console does not accept.');
    }
    options.onEnd?.(why);
  };

  const upstreamDrained = (): void => {
    viewerPaused = false;
    viewer.resume();
  };
  const toUpstream = (data: RawData, isBinary: boolean): void => {
    if (!isBinary) {
      try {
        if (options.onText === undefined) throw new Error('text frame');
        options.onText(data.toString());
      } catch {
        end('viewer protocol error');
      }
      return;
    }
    // The relay's viewers get node buffers (ws's default binaryType), one per message.
    if (!upstream.write(data as Buffer) && !viewerPaused) {
      viewerPaused = true;
      viewer.pause();
      upstream.once('drain', upstreamDrained);
    }
  };

  upstream.on('data', fromUpstream);
  upstream.once('close', () => end('upstream closed'));
  upstream.once('end', () => end('upstream closed'));
  // The 'close' that follows ends the pump; the error itself may name hosts, never secrets, and is not the viewer's.
  upstream.on('error', () => undefined);
  viewer.on('message', toUpstream);
  viewer.once('close', () => end('viewer closed'));
  viewer.on('error', () => undefined);
  if (viewer.readyState !== WebSocket.OPEN) return end('viewer closed');
  // Both may have been paused while the console was set up.
  upstream.resume();
  viewer.resume();
}

/**
 * Ends the upstream as a well-behaved client does (TLS's close_notify then FIN, a WebSocket's close frame, an SSH
 * channel's EOF) and drops it only if the other side has not closed within the grace period. A connection that simply
 * stops is not harmless: Debian's spice-server 0.15 died with SIGSEGV ("unexpected eof while reading") on such a TLS
 * connection, taking its guest with it.
 */
function closeUpstream(upstream: Duplex): void {
  const drop = setTimeout(() => upstream.destroy(), upstreamCloseGraceMs);
  drop.unref();
  upstream.once('close', () => clearTimeout(drop));
  // What it still sends is read and dropped, so that its own end can arrive.
  upstream.resume();
  upstream.end();
}
