import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLogger } from '../../log';
import { SpiceSession } from './spice-session';

/** The part of a ws WebSocket the session uses: events, its state, and close. */
class FakeViewer extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  closedWith: { code: number; reason: string } | undefined;

  close(code: number, reason: string): void {
    if (this.readyState !== WebSocket.OPEN) return;
    this.readyState = WebSocket.CLOSED;
    this.closedWith = { code, reason };
    this.emit('close', code, Buffer.from(reason));
  }

  send(): void {}
}

function session(maxChannels: number): SpiceSession {
  return new SpiceSession({
    caller: 'window-test',
    label: 'spice 101@pve2',
    // The proxy never answers here: admission is decided before any upstream exists.
    route: {
      path: { via: 'answered', address: '127.0.0.1:3128', unreachable: [] },
      proxy: { host: '127.0.0.1', port: 3128 },
      open: () => new Promise(() => undefined),
    },
    upstream: { ticket: 'pvespiceproxy:t', tlsPort: 61000, password: 'pw', ca: 'ca', hostSubject: 'CN=x' },
    logger: createLogger({ echo: false }),
    maxChannels,
  });
}

function accept(spice: SpiceSession, first: boolean): FakeViewer {
  const viewer = new FakeViewer();
  spice.accept(viewer as unknown as WebSocket, first);
  return viewer;
}

describe('SPICE session channels', () => {
  it('admits channels while the main channel lives, up to its limit', () => {
    const spice = session(3);
    expect(spice.admitsMore()).toBe(false);
    accept(spice, true);
    expect(spice.admitsMore()).toBe(true);
    accept(spice, false);
    const display = accept(spice, false);
    expect(spice.admitsMore()).toBe(false);
    display.close(1000, 'viewer left');
    expect(spice.admitsMore()).toBe(true);
  });

  it('ends every channel with the main channel and admits no more', () => {
    const spice = session(16);
    const main = accept(spice, true);
    const display = accept(spice, false);
    const inputs = accept(spice, false);
    main.close(1000, 'viewer left');
    expect(display.closedWith).toEqual({ code: 4005, reason: 'The SPICE session ended with its main channel.' });
    expect(inputs.closedWith?.code).toBe(4005);
    expect(spice.admitsMore()).toBe(false);
  });

  it('refuses a text frame during the link as a protocol error', () => {
    const main = accept(session(16), true);
    main.emit('message', Buffer.from('{"type":"resize"}'), false);
    expect(main.closedWith).toEqual({ code: 4006, reason: 'SPICE link refused (viewer): a text frame during the link' });
  });
});
