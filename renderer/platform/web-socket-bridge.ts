import type { IpcBridge } from '../../shared/ipc/bridge';
import type { IpcEnvelope } from '../../shared/ipc/errors';
import {
  webSocketPath,
  webSocketProtocol,
  webTokenProtocolPrefix,
  type WebRequest,
  type WebServerMessage,
} from '../../shared/ipc/web-protocol';

const tokenStorageKey = 'pve-desk.launch-token';
const reconnectDelayMs = 1000;

/**
 * Takes the launch token from the URL fragment, keeps it for this tab only
 * (so a reload still works) and removes it from the address bar.
 */
export function takeLaunchToken(location: Location, storage: Storage, history: History): string {
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromFragment !== null) {
    storage.setItem(tokenStorageKey, fromFragment);
    history.replaceState(null, '', location.pathname + location.search);
    return fromFragment;
  }
  return storage.getItem(tokenStorageKey) ?? '';
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * `window.api` for the web host: the same two functions as the Electron
 * preload, over one WebSocket. Calls made while the socket is down fail with
 * DISCONNECTED; the socket reconnects on its own.
 */
export function createWebSocketBridge(options: {
  url: string;
  token: string;
  onStateChange?: (state: ConnectionState) => void;
}): IpcBridge {
  const pending = new Map<number, (envelope: IpcEnvelope) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket;
  let opened: Promise<boolean>;

  const fail = (message: string): IpcEnvelope => ({ ok: false, error: { code: 'DISCONNECTED', message } });

  function connect(): void {
    options.onStateChange?.('connecting');
    socket = new WebSocket(options.url, [webSocketProtocol, webTokenProtocolPrefix + options.token]);
    opened = new Promise((resolve) => {
      socket.addEventListener('open', () => resolve(true), { once: true });
      socket.addEventListener('close', () => resolve(false), { once: true });
    });
    socket.addEventListener('open', () => options.onStateChange?.('open'));
    socket.addEventListener('message', (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as WebServerMessage;
      if (message.kind === 'response') {
        pending.get(message.id)?.(message.envelope);
        pending.delete(message.id);
      } else {
        for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      }
    });
    socket.addEventListener('close', () => {
      options.onStateChange?.('closed');
      for (const resolve of pending.values()) resolve(fail('The connection to the application host was lost.'));
      pending.clear();
      setTimeout(connect, reconnectDelayMs);
    });
  }
  connect();

  return {
    async invoke(method, input) {
      if (!(await opened)) return fail('The application host cannot be reached; it may have stopped.');
      const id = nextId++;
      const request: WebRequest = { id, method, input };
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify(request));
      });
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}

export function webSocketUrl(location: Location): string {
  return `ws://${location.host}${webSocketPath}`;
}
