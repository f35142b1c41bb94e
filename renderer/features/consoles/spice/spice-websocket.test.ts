import { afterEach, describe, expect, it, vi } from 'vitest';

/** The browser's WebSocket as the relay sees it: which protocols each socket offered. */
class RecordingWebSocket {
  static opened: { url: string; protocols: string | string[] | undefined }[] = [];
  readonly url: string;
  constructor(url: string | URL, protocols?: string | string[]) {
    this.url = String(url);
    RecordingWebSocket.opened.push({ url: this.url, protocols });
  }
}

async function freshModule() {
  vi.resetModules();
  RecordingWebSocket.opened = [];
  vi.stubGlobal('WebSocket', RecordingWebSocket);
  return import('./spice-websocket');
}

afterEach(() => vi.unstubAllGlobals());

describe('relay-aware WebSocket', () => {
  it('offers the registered window proof on every socket to the relay URL, as spice-html5 opens one per channel with "binary"', async () => {
    const { registerRelayProtocols } = await freshModule();
    registerRelayProtocols('ws://127.0.0.1:4100/relay/abc', ['binary', 'pvedesk-window.k1']);
    new WebSocket('ws://127.0.0.1:4100/relay/abc', 'binary');
    new WebSocket('ws://127.0.0.1:4100/relay/abc', 'binary');
    expect(RecordingWebSocket.opened).toEqual([
      { url: 'ws://127.0.0.1:4100/relay/abc', protocols: ['binary', 'pvedesk-window.k1'] },
      { url: 'ws://127.0.0.1:4100/relay/abc', protocols: ['binary', 'pvedesk-window.k1'] },
    ]);
  });

  it('leaves every other socket as it was asked for, and the relay URL once unregistered', async () => {
    const { registerRelayProtocols } = await freshModule();
    const unregister = registerRelayProtocols('ws://127.0.0.1:4100/relay/abc', ['binary', 'pvedesk-window.k1']);
    new WebSocket('ws://127.0.0.1:4100/relay/other', ['binary', 'pvedesk-window.k2']);
    unregister();
    new WebSocket('ws://127.0.0.1:4100/relay/abc', 'binary');
    expect(RecordingWebSocket.opened).toEqual([
      { url: 'ws://127.0.0.1:4100/relay/other', protocols: ['binary', 'pvedesk-window.k2'] },
      { url: 'ws://127.0.0.1:4100/relay/abc', protocols: 'binary' },
    ]);
  });

  it('installs itself once, however many viewers register', async () => {
    const { registerRelayProtocols } = await freshModule();
    registerRelayProtocols('ws://127.0.0.1:4100/relay/a', ['binary', 'p.1']);
    const installed = globalThis.WebSocket;
    registerRelayProtocols('ws://127.0.0.1:4100/relay/b', ['binary', 'p.2']);
    expect(globalThis.WebSocket).toBe(installed);
    new WebSocket('ws://127.0.0.1:4100/relay/a');
    expect(RecordingWebSocket.opened).toEqual([{ url: 'ws://127.0.0.1:4100/relay/a', protocols: ['binary', 'p.1'] }]);
  });

  it('answers plain native sockets, which noVNC accepts as its channel (it checks the prototype’s own methods)', async () => {
    const { registerRelayProtocols } = await freshModule();
    registerRelayProtocols('ws://127.0.0.1:4100/relay/spice', ['binary', 'p.1']);
    for (const url of ['ws://127.0.0.1:4100/relay/spice', 'ws://127.0.0.1:4100/relay/vnc']) {
      const socket = new WebSocket(url);
      expect(Object.getPrototypeOf(socket)).toBe(RecordingWebSocket.prototype);
      expect(socket).toBeInstanceOf(WebSocket);
    }
  });
});
