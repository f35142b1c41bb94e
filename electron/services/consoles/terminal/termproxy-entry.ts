import type { WebSocket } from 'ws';
import type { PveClient, PveEndpoint, TermProxyAnswer } from '../../pve';
import type { ConsoleContext } from '../context';
import type { RelayEntry } from '../relay/relay-entry';
import { closeViewerFor, type ConsoleLog } from '../relay/close-viewer';
import { relayTerminal } from './terminal-upstream';
import { startTermproxy } from './termproxy-upstream';

/** A termproxy answer and where to open its websocket: the same endpoint that answered, the guest's or node's path. */
export interface TermproxyTarget {
  client: PveClient;
  endpoint: PveEndpoint;
  webSocketPath: string;
  answer: TermProxyAnswer;
}

/** The relay entry of a termproxy terminal (a guest's serial port, a node's shell): opened when the viewer connects. */
export function termproxyEntry(context: Pick<ConsoleContext, 'logger'>, caller: string, label: string, target: TermproxyTarget): RelayEntry {
  return { caller, label, accept: (viewer) => void relayTermproxy(viewer, target, { label, logger: context.logger }) };
}

async function relayTermproxy(viewer: WebSocket, target: TermproxyTarget, log: ConsoleLog): Promise<void> {
  // Held until the terminal is ready: a resize sent at once is read then, not lost.
  viewer.pause();
  let socket: WebSocket | undefined;
  try {
    socket = await target.client.openWebSocket(target.endpoint, target.webSocketPath, {
      port: String(target.answer.port),
      vncticket: target.answer.ticket,
    });
    relayTerminal(viewer, await startTermproxy(socket, target.answer));
  } catch (error) {
    socket?.terminate();
    closeViewerFor(viewer, error, log);
  }
}
