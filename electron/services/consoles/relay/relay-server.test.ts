import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { relayCloseCodes } from '../../../../shared/domain/consoles';
import { silentLogger } from '../../log';
import type { IssuedRelayUrl, RelayEntry } from './relay-entry';
import { RelayServer } from './relay-server';

/** A viewer's connection: resolves with the close code it got, and the messages before it. */
function connect(url: string, protocols: string[]): Promise<{ code: number; messages: string[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    const messages: string[] = [];
    socket.on('message', (data) => messages.push(data.toString()));
    socket.on('close', (code) => resolve({ code, messages }));
    socket.on('error', reject);
  });
}

/** An entry that greets each admitted viewer with `hello <first>` and closes it normally. */
function greetingEntry(caller: string, accepted: boolean[] = []): RelayEntry & { discarded: number } {
  const entry = {
    caller,
    label: 'test console',
    discarded: 0,
    accept(viewer: WebSocket, first: boolean) {
      accepted.push(first);
      viewer.send(`hello ${first}`);
      viewer.close(1000);
    },
    discard() {
      entry.discarded += 1;
    },
  };
  return entry;
}

describe('the relay server', () => {
  let relay: RelayServer;
  let clock: number;

  beforeEach(async () => {
    clock = 1_000_000;
    relay = await RelayServer.listen({ logger: silentLogger, now: () => clock, maxConnections: 4 });
  });
  afterEach(async () => {
    await relay.close();
  });

  it('issues loopback URLs with a 64-hex token, offering binary and the window proof', () => {
    const issued = relay.issue(greetingEntry('window-a'));
    expect(issued.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${relay.port}/relay/[0-9a-f]{64}$`));
    expect(issued.protocols).toEqual(['binary', expect.stringMatching(/^pvedesk-window\.[0-9a-f]{32}$/)]);
    expect(issued.expiresInMs).toBe(10_000);
    // The proof is per window: the same for one window, another for the next.
    expect(relay.issue(greetingEntry('window-a')).protocols[1]).toBe(issued.protocols[1]);
    expect(relay.issue(greetingEntry('window-b')).protocols[1]).not.toBe(issued.protocols[1]);
  });

  it('admits the window the URL was issued to, once, and selects binary', async () => {
    const issued = relay.issue(greetingEntry('window-a'));
    const socket = new WebSocket(issued.url, issued.protocols);
    const first = new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString())));
    await new Promise((resolve) => socket.once('open', resolve));
    expect(socket.protocol).toBe('binary');
    expect(await first).toBe('hello true');

    const reused = await connect(issued.url, issued.protocols);
    expect(reused).toEqual({ code: relayCloseCodes.tokenRefused, messages: [] });
  });

  it("refuses another window's proof, a missing proof and a forged one, without spending the token", async () => {
    const issued = relay.issue(greetingEntry('window-a'));
    const otherWindow = relay.issue(greetingEntry('window-b')).protocols;
    expect((await connect(issued.url, otherWindow)).code).toBe(relayCloseCodes.tokenRefused);
    expect((await connect(issued.url, ['binary'])).code).toBe(relayCloseCodes.tokenRefused);
    const proof = issued.protocols[1] ?? '';
    expect((await connect(issued.url, ['binary', `${proof.slice(0, -1)}${proof.endsWith('0') ? '1' : '0'}`])).code).toBe(relayCloseCodes.tokenRefused);
    expect((await connect(issued.url, ['binary', `${proof}00`])).code).toBe(relayCloseCodes.tokenRefused);
    // The right window still gets in.
    expect(await connect(issued.url, issued.protocols)).toEqual({ code: 1000, messages: ['hello true'] });
  });

  it('refuses an expired token and discards what its entry prepared', async () => {
    const entry = greetingEntry('window-a');
    const issued = relay.issue(entry);
    clock += 10_000;
    expect(await connect(issued.url, issued.protocols)).toEqual({ code: relayCloseCodes.tokenRefused, messages: [] });
    expect(entry.discarded).toBe(1);
  });

  it('refuses an unknown token', async () => {
    const issued = relay.issue(greetingEntry('window-a'));
    const unknown = issued.url.replace(/[0-9a-f]{64}$/, 'a'.repeat(64));
    expect((await connect(unknown, issued.protocols)).code).toBe(relayCloseCodes.tokenRefused);
  });

  it('answers 404 to any other path, before any upgrade', async () => {
    const issued = relay.issue(greetingEntry('window-a'));
    for (const path of ['/', '/relay/', '/relay/abc', `${new URL(issued.url).pathname}/more`, `${new URL(issued.url).pathname}?x=1`]) {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${relay.port}${path}`, issued.protocols);
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode));
        socket.on('open', () => reject(new Error(`${path} was upgraded`)));
        socket.on('error', () => undefined);
      });
      expect(status, path).toBe(404);
    }
    const plain = await new Promise<number | undefined>((resolve) =>
      request(`http://127.0.0.1:${relay.port}/`, (response) => resolve(response.statusCode))
        .on('error', () => resolve(undefined))
        .end(),
    );
    expect(plain).toBe(404);
    // Probing other paths spent nothing.
    expect((await connect(issued.url, issued.protocols)).messages).toEqual(['hello true']);
  });

  it('lets more connections join with the same token and proof while the entry admits more', async () => {
    const accepted: boolean[] = [];
    let open = true;
    const issued = relay.issue({ ...greetingEntry('window-a', accepted), admitsMore: () => open });
    expect((await connect(issued.url, issued.protocols)).messages).toEqual(['hello true']);
    expect((await connect(issued.url, issued.protocols)).messages).toEqual(['hello false']);
    // Joining still needs the window's proof.
    expect((await connect(issued.url, ['binary'])).code).toBe(relayCloseCodes.tokenRefused);
    open = false;
    expect((await connect(issued.url, issued.protocols)).code).toBe(relayCloseCodes.tokenRefused);
    expect(accepted).toEqual([true, false]);
  });

  it('caps the connections open at once, and close() ends them all', async () => {
    const held: WebSocket[] = [];
    const holding = (caller: string): RelayEntry => ({ caller, label: 'held', accept: (viewer) => held.push(viewer) });
    const viewers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const issued: IssuedRelayUrl = relay.issue(holding('window-a'));
        const socket = new WebSocket(issued.url, issued.protocols);
        await new Promise((resolve) => socket.once('open', resolve));
        return socket;
      }),
    );
    const issued = relay.issue(holding('window-a'));
    const refused = await new Promise<number | undefined>((resolve) => {
      const socket = new WebSocket(issued.url, issued.protocols);
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode));
      socket.on('error', () => undefined);
    });
    expect(refused).toBe(503);
    const closed = viewers.map((socket) => new Promise((resolve) => socket.once('close', resolve)));
    await relay.close();
    await Promise.all(closed);
    expect(viewers.every((socket) => socket.readyState === WebSocket.CLOSED)).toBe(true);
    expect(() => relay.issue(holding('window-a'))).toThrow(/closed/);
  });
});
