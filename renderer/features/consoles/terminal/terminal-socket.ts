import { maxViewerFrameBytes, type ConsoleSession, type TerminalControl } from '../../../../shared/domain/consoles';
import { failureOfClose } from '../relay-close';
import type { ViewerFailure } from '../viewer';

/** What the viewer hears from its relay socket. */
export interface TerminalSocketEvents {
  opened(): void;
  /** Raw terminal bytes, possibly cut inside a UTF-8 sequence (xterm's decoder keeps the rest for the next ones). */
  received(bytes: Uint8Array): void;
  /** The relay or the network ended the connection; not called after `close()`. */
  closed(failure: ViewerFailure): void;
}

export interface TerminalSocket {
  /** Keyboard input or a paste: sent as a binary frame of UTF-8 (a string) or of these bytes. */
  send(input: string | Uint8Array): void;
  /** The terminal's size, as a `TerminalControl` text frame; the latest one is sent again when the socket opens. */
  resize(cols: number, rows: number): void;
  close(): void;
}

const encoder = new TextEncoder();

/**
 * The terminal's socket to the relay: binary frames are the terminal's bytes both ways, text frames carry the viewer's
 * control messages. Opened with the session's protocols, which hold this window's proof for the relay.
 */
export function openTerminalSocket(session: ConsoleSession, events: TerminalSocketEvents): TerminalSocket {
  const socket = new WebSocket(session.url, session.protocols);
  socket.binaryType = 'arraybuffer';
  let size: TerminalControl | undefined;
  let closedByViewer = false;

  const isOpen = () => socket.readyState === WebSocket.OPEN;
  const sendSize = () => {
    if (size !== undefined && isOpen()) socket.send(JSON.stringify(size));
  };

  socket.addEventListener('open', () => {
    sendSize();
    events.opened();
  });
  socket.addEventListener('message', (event: MessageEvent<ArrayBuffer | string>) => {
    // The relay sends the terminal's output as binary frames only; a text frame is not output.
    if (event.data instanceof ArrayBuffer) events.received(new Uint8Array(event.data));
  });
  socket.addEventListener('close', (event) => {
    if (!closedByViewer) events.closed(failureOfClose(event.code, event.reason));
  });

  return {
    send(input) {
      // Keys pressed before the shell is there (or after it went) have nowhere to go.
      if (!isOpen()) return;
      const bytes = typeof input === 'string' ? encoder.encode(input) : input;
      // A big paste goes in frames the relay accepts; it joins them upstream as one byte stream.
      for (let start = 0; start < bytes.length; start += maxViewerFrameBytes) socket.send(bytes.subarray(start, start + maxViewerFrameBytes));
    },
    resize(cols, rows) {
      size = { type: 'resize', cols, rows };
      sendSize();
    },
    close() {
      closedByViewer = true;
      socket.close(1000);
    },
  };
}
