import type { Duplex } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import { relayCloseCodes } from '../../../../shared/domain/consoles';

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

/**
 * Moves bytes both ways between a viewer's WebSocket and a console's upstream, each upstream chunk sent as it came
 * (one binary frame, no copy), with back-pressure both ways: a viewer that reads slowly pauses the upstream once
 * `highWaterMark` bytes wait for it, and an upstream that takes writes slowly pauses the viewer's socket. Closing
 * either side closes the other; the viewer learns an upstream drop from `relayCloseCodes.upstreamClosed`.
 */
export function pumpBetween(viewer: WebSocket, upstream: Duplex, options: PumpOptions = {}): void {
  const highWaterMark = options.highWaterMark ?? defaultHighWaterMark;
  const lowWaterMark = highWaterMark / 4;
  let upstreamPaused = false;
  let viewerPaused = false;
  let ended = false;

  const end = (why: PumpEnd): void => {
    if (ended) return;
    ended = true;
    upstream.off('data', toViewer);
    viewer.off('message', toUpstream);
    upstream.destroy();
    if (viewer.readyState === WebSocket.OPEN || viewer.readyState === WebSocket.CONNECTING) {
      if (why === 'upstream closed') viewer.close(relayCloseCodes.upstreamClosed, 'The connection to the console ended.');
      else if (why === 'viewer protocol error') viewer.close(relayCloseCodes.protocolError, 'The viewer sent a message the console does not accept.');
    }
    options.onEnd?.(why);
  };

  // One callback for every send: it runs as each frame is written out, and resumes the upstream once the queue is low.
  const sent = (): void => {
    if (upstreamPaused && !ended && viewer.bufferedAmount <= lowWaterMark) {
      upstreamPaused = false;
      upstream.resume();
    }
  };
  const toViewer = (chunk: Buffer): void => {
    if (viewer.readyState !== WebSocket.OPEN) return;
    viewer.send(chunk, sent);
    if (!upstreamPaused && viewer.bufferedAmount > highWaterMark) {
      upstreamPaused = true;
      upstream.pause();
    }
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

  upstream.on('data', toViewer);
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
