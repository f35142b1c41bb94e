/**
 * The relay as any local process could try it: a WebSocket to a console
 * session's URL from Node, offering whichever subprotocols the test chooses.
 * An accepted socket is one the relay kept open and sent the console's first
 * bytes on; a refused one is an upgrade answered with an HTTP error or a
 * socket closed before any byte.
 */
import WebSocket from 'ws';
import type { ConsoleSession } from '../../shared/domain/consoles';
import type { ConsoleTarget } from '../../shared/ipc/contract/consoles';
import type { TestHost } from './web-host';

export type RelayOutcome = { accepted: true; firstBytes: Buffer } | { accepted: false; how: string };

/** How long a relay that accepted has to send the console's first bytes (RFB's version line). */
const FIRST_BYTES_TIMEOUT_MS = 15_000;

/** Asks main for a console as window `caller` would, through the IPC handler the window's call reaches. */
export async function openSessionAs(host: TestHost, caller: string, target: ConsoleTarget): Promise<ConsoleSession> {
  return host.services.handlers['consoles.open'](target, { caller });
}

/** Connects to `url` offering `protocols`; tells whether the relay accepted (and what it sent first) or refused, and how. */
export function tryRelay(url: string, protocols: string[]): Promise<RelayOutcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, protocols);
    const settle = (outcome: RelayOutcome): void => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ accepted: false, how: `no byte within ${FIRST_BYTES_TIMEOUT_MS} ms` }), FIRST_BYTES_TIMEOUT_MS);
    socket.on('unexpected-response', (_request, response) => settle({ accepted: false, how: `HTTP ${response.statusCode}` }));
    socket.on('message', (data: Buffer) => settle({ accepted: true, firstBytes: Buffer.from(data) }));
    socket.on('close', (code) => settle({ accepted: false, how: `closed with ${code}` }));
    socket.on('error', (error) => settle({ accepted: false, how: `error ${error.message}` }));
  });
}
