import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { webCloseCodes, webTokenProtocolPrefix } from '../../shared/ipc/web-protocol';
import { createWebSocketBridge, tabCredential, type ConnectionState, type TabCredential } from './web-socket-bridge';

/** Stands in for the browser's WebSocket: the test plays the host. */
class FakeSocket extends EventTarget {
  static made: FakeSocket[] = [];
  readonly sent: string[] = [];
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    super();
    FakeSocket.made.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  open(): void {
    this.dispatchEvent(new Event('open'));
  }
  receive(data: unknown): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data }));
  }
  closeWith(code: number): void {
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
}

function lastSocket(): FakeSocket {
  const socket = FakeSocket.made.at(-1);
  if (socket === undefined) throw new Error('no socket was opened');
  return socket;
}

describe('tabCredential', () => {
  beforeEach(() => {
    window.sessionStorage.clear();
  });

  it('takes the launch token from the fragment, keeps it for the tab, and clears the address bar', () => {
    window.history.replaceState(null, '', '/index.html#token=abc123');
    const credential = tabCredential(window.location, window.sessionStorage, window.history);
    expect(credential.current()).toBe('abc123');
    expect(window.location.hash).toBe('');
    expect(window.location.href).not.toContain('abc123');
    // After a reload the fragment is gone; the tab still knows what to present.
    expect(tabCredential(window.location, window.sessionStorage, window.history).current()).toBe('abc123');
  });

  it('gives an empty credential when there is none, so the host refuses the connection', () => {
    window.history.replaceState(null, '', '/index.html');
    expect(tabCredential(window.location, window.sessionStorage, window.history).current()).toBe('');
  });
});

describe('the WebSocket bridge', () => {
  let states: ConnectionState[];
  let stored: string;
  const credential: TabCredential = { current: () => stored, replace: (value) => (stored = value) };

  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    FakeSocket.made = [];
    states = [];
    stored = 'launch-token';
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  const bridge = () => createWebSocketBridge({ url: 'ws://127.0.0.1:1/ipc', credential, onStateChange: (state) => states.push(state) });

  it('swaps the spent launch token for the session credential the host sends, and reconnects with it', async () => {
    bridge();
    lastSocket().open();
    lastSocket().receive(JSON.stringify({ kind: 'session', credential: 'session-credential' }));
    expect(stored).toBe('session-credential');
    lastSocket().closeWith(1006);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.made).toHaveLength(2);
    expect(lastSocket().protocols).toContain(webTokenProtocolPrefix + 'session-credential');
  });

  it('ignores a malformed message from the host and goes on answering calls', async () => {
    const api = bridge();
    lastSocket().open();
    const answer = api.invoke('app.info', {});
    await vi.advanceTimersByTimeAsync(0);
    for (const garbage of ['not json', '{"kind":', 'null', '42', new ArrayBuffer(3)]) expect(() => lastSocket().receive(garbage)).not.toThrow();
    lastSocket().receive(JSON.stringify({ kind: 'response', id: 1, envelope: { ok: true, result: 'ok' } }));
    await expect(answer).resolves.toEqual({ ok: true, result: 'ok' });
  });

  it('says the tab was refused, and stops reconnecting, when the host refuses its credential', async () => {
    const api = bridge();
    lastSocket().closeWith(webCloseCodes.credentialRefused);
    expect(states.at(-1)).toBe('refused');
    await vi.advanceTimersByTimeAsync(5000);
    expect(FakeSocket.made).toHaveLength(1);
    await expect(api.invoke('app.info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'DISCONNECTED', message: expect.stringContaining('already used') },
    });
  });
});
