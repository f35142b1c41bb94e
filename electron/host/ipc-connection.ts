import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { webCloseCodes, webRequestSchema, type WebServerMessage } from '../../shared/ipc/web-protocol';
import type { EventHub, InFlightLimit, IpcRouter, WebSender } from '../services/ipc';
import type { Logger } from '../services/log';
import type { RefusalLog } from './refusal-log';

export interface IpcConnectionContext {
  router: IpcRouter<WebSender>;
  events: EventHub;
  inFlight: InFlightLimit<WebSocket>;
  /** Past this many bytes waiting to be sent, the peer is not reading: it is dropped. */
  maxQueuedBytes: number;
  faults: RefusalLog;
  logger: Logger;
}

/** How long a refused peer gets to answer the closing handshake before its socket is cut. */
const refusedCloseGraceMs = 1000;

/** Everything a peer can make ws report (malformed frames, bad UTF-8, oversized messages) ends its own connection only. */
function containFaults(ws: WebSocket, faults: RefusalLog): void {
  ws.on('error', (error: Error) => faults.note('web-host.connection-fault', { reason: error.message }));
}

/**
 * Tells a connection whose credential opens nothing why, then closes it (the
 * page shows "this address was already used").
 */
export function closeRefusedConnection(ws: WebSocket, faults: RefusalLog): void {
  containFaults(ws, faults);
  faults.note('web-host.upgrade-refused', { reason: 'spent, wrong or missing credential' });
  ws.close(webCloseCodes.credentialRefused, 'credential refused');
  const cut = setTimeout(() => ws.terminate(), refusedCloseGraceMs);
  ws.once('close', () => clearTimeout(cut));
}

/** Carries one tab's calls and events over its WebSocket; its first message gives the tab its session credential. */
export function serveIpcConnection(ws: WebSocket, credential: string, context: IpcConnectionContext): void {
  const { router, events, inFlight, maxQueuedBytes, faults, logger } = context;
  const connection = randomUUID();
  containFaults(ws, faults);

  const send = (message: WebServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > maxQueuedBytes) {
      faults.note('web-host.connection-dropped', { reason: 'the peer does not read what it is sent' });
      ws.terminate();
      return;
    }
    try {
      ws.send(JSON.stringify(message));
    } catch (error) {
      // A result that cannot be written must not stop the service that emitted it, nor the host.
      logger.error('web-host.send-failed', { kind: message.kind, error });
    }
  };

  const detach = events.attach((event, payload) => send({ kind: 'event', event, payload }));
  ws.on('close', detach);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) {
      ws.close(1003, 'text frames only');
      return;
    }
    let request;
    try {
      request = webRequestSchema.parse(JSON.parse(data.toString()));
    } catch {
      ws.close(1007, 'malformed request');
      return;
    }
    const { id, method, input } = request;
    void inFlight.run(ws, () => router.handle({ credential, connection }, method, input)).then((envelope) => send({ kind: 'response', id, envelope }));
  });
  send({ kind: 'session', credential });
}
