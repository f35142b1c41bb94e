import type { IpcBridge } from '../../shared/ipc/bridge';
import type { IpcEnvelope } from '../../shared/ipc/errors';
import { webCloseCodes, webSocketPath, webSocketProtocol, webTokenProtocolPrefix, type WebRequest, type WebServerMessage } from '../../shared/ipc/web-protocol';

const credentialStorageKey = 'pve-desk.credential';
const reconnectDelayMs = 1000;

/** Where this tab keeps what it presents to the host: the launch token at first, then its session credential. */
export interface TabCredential {
  current(): string;
  replace(credential: string): void;
}

/**
 * Takes the launch token from the URL fragment into this tab's storage and
 * removes it from the address bar. The host spends the token on the first
 * connection and sends a session credential that replaces it, so a reload
 * of this tab reconnects while the launch URL itself opens nothing again.
 */
export function tabCredential(location: Location, storage: Storage, history: History): TabCredential {
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromFragment !== null) {
    storage.setItem(credentialStorageKey, fromFragment);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return {
    current: () => storage.getItem(credentialStorageKey) ?? '',
    replace: (credential) => storage.setItem(credentialStorageKey, credential),
  };
}

/** 'refused': the host does not accept this tab's credential (launch URL already used, or the host was restarted). */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused';

/** A message from the host, or null when it is not one (the tab ignores it rather than break). */
function readMessage(data: unknown): WebServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const message = JSON.parse(data) as unknown;
    return typeof message === 'object' && message !== null && 'kind' in message ? (message as WebServerMessage) : null;
  } catch {
    return null;
  }
}

/**
 * `window.api` for the web host: the same two functions as the Electron
 * preload, over one WebSocket. Calls made while the socket is down fail with
 * DISCONNECTED; the socket reconnects on its own, unless the host refused
 * the tab's credential (reconnecting could not help).
 */
export function createWebSocketBridge(options: { url: string; credential: TabCredential; onStateChange?: (state: ConnectionState) => void }): IpcBridge {
  const pending = new Map<number, (envelope: IpcEnvelope) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket;
  let opened: Promise<boolean>;
  let refused = false;

  const fail = (message: string): IpcEnvelope => ({ ok: false, error: { code: 'DISCONNECTED', message } });
  const refusedText =
    'The application host refused this tab: its address was already used, or the app was restarted. Use the tab where the app is open, or open the new address the app prints.';

  function receive(message: WebServerMessage): void {
    if (message.kind === 'session') {
      options.credential.replace(message.credential);
    } else if (message.kind === 'response') {
      pending.get(message.id)?.(message.envelope);
      pending.delete(message.id);
    } else {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  }

  function connect(): void {
    options.onStateChange?.('connecting');
    socket = new WebSocket(options.url, [webSocketProtocol, webTokenProtocolPrefix + options.credential.current()]);
    opened = new Promise((resolve) => {
      socket.addEventListener('open', () => resolve(true), { once: true });
      socket.addEventListener('close', () => resolve(false), { once: true });
    });
    socket.addEventListener('open', () => options.onStateChange?.('open'));
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      const message = readMessage(event.data);
      if (message !== null) receive(message);
    });
    socket.addEventListener('close', (event: CloseEvent) => {
      refused = event.code === webCloseCodes.credentialRefused;
      options.onStateChange?.(refused ? 'refused' : 'closed');
      const reason = refused ? refusedText : 'The connection to the application host was lost.';
      for (const resolve of pending.values()) resolve(fail(reason));
      pending.clear();
      if (!refused) setTimeout(connect, reconnectDelayMs);
    });
  }
  connect();

  return {
    async invoke(method, input) {
      if (!(await opened)) return fail(refused ? refusedText : 'The application host cannot be reached; it may have stopped.');
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
