import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServerMessage } from '../../shared/ipc/web-protocol';
import type { Logger } from '../services/log';
import {
  connectClient,
  frame,
  get,
  malformedFrames,
  outcome,
  rawConnect,
  rawWebSocket,
  serverTexts,
  startTestWebHost,
  upgradeRequest,
  type TestClient,
} from './testing';
import type { WebHost, WebHostLimits } from './web-host';

const limits: WebHostLimits = {
  maxWebSockets: 6,
  maxSockets: 24,
  maxCallsInFlight: 4,
  maxQueuedBytes: 64 * 1024,
  headersTimeoutMs: 400,
  requestTimeoutMs: 800,
  refusalLinesPerMinute: 5,
};

function countingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (event) => void warnings.push(event), error: (event) => void warnings.push(event) };
}

/** Hostile local clients, written at the socket level: after each attack, a normal tab must still be served. */
describe('web host against hostile clients', () => {
  const logger = countingLogger();
  let host: WebHost;
  let stop: () => Promise<void>;
  let tab: TestClient;

  async function expectStillServing(): Promise<void> {
    await expect(tab.call('app.info')).resolves.toMatchObject({ ok: true });
    expect((await get(host.port, '/')).status).toBe(200);
    const reconnect = await connectClient(host.port, tab.credential);
    await reconnect.close();
  }

  beforeAll(async () => {
    ({ host, close: stop } = await startTestWebHost({ limits, logger }).then(async (started) => {
      tab = await connectClient(started.host.port, started.token);
      return started;
    }));
  });
  afterAll(async () => {
    await tab.close();
    await stop();
  });

  describe('before the handshake', () => {
    it('survives an upgrade whose target the URL parser rejects', async () => {
      const client = await rawConnect(host.port);
      client.socket.write(upgradeRequest(host.port, tab.credential, '//['));
      await client.closed;
      expect(client.received()).toMatch(/^HTTP\/1.1 404/);
      await expectStillServing();
    });

    it('survives a peer that resets its connection right after a refused upgrade', async () => {
      for (let i = 0; i < 20; i++) {
        const client = await rawConnect(host.port);
        client.socket.write(upgradeRequest(host.port, tab.credential, '/elsewhere'));
        client.socket.resetAndDestroy();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expectStillServing();
    });

    it('destroys a refused socket rather than leaving it half open', async () => {
      const client = await rawConnect(host.port);
      client.socket.write(upgradeRequest(host.port, tab.credential, '/elsewhere'));
      // The peer never ends its side: the host must close the socket by itself.
      await client.closed;
      expect(client.received()).toMatch(/^HTTP\/1.1 404/);
    });

    it('cuts a slowloris peer that never finishes its headers, and a silent one', async () => {
      const slow = await rawConnect(host.port);
      const silent = await rawConnect(host.port);
      slow.socket.write(`GET /ipc HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n`);
      const drip = setInterval(() => slow.socket.write('X-Drip: 1\r\n'), 100);
      const started = Date.now();
      await Promise.all([slow.closed, silent.closed]);
      clearInterval(drip);
      expect(Date.now() - started).toBeLessThan(limits.headersTimeoutMs + 2500);
      await expectStillServing();
    });

    it('caps the open sockets', async () => {
      const held = await Promise.all(Array.from({ length: limits.maxSockets + 4 }, () => rawConnect(host.port)));
      const refused = await Promise.race([
        Promise.any(held.map((client) => client.closed)).then(() => true),
        new Promise((r) => setTimeout(() => r(false), 300)),
      ]);
      expect(refused).toBe(true);
      for (const client of held) client.socket.destroy();
      await Promise.all(held.map((client) => client.closed));
      await expectStillServing();
    });

    it('logs refused peers at most at its quota a minute', async () => {
      const before = logger.warnings.length;
      await Promise.all(Array.from({ length: 50 }, () => outcome(host.port, tab.credential, 'http://evil.example')));
      expect(logger.warnings.length - before).toBeLessThanOrEqual(limits.refusalLinesPerMinute);
    });
  });

  describe('after the handshake', () => {
    it.each(Object.entries(malformedFrames))('survives %s: that connection ends, the host serves on', async (_kind, bytes) => {
      const client = await rawWebSocket(host.port, tab.credential);
      client.socket.write(bytes);
      await client.closed;
      await expectStillServing();
    });

    it('survives a peer that resets mid-frame', async () => {
      const client = await rawWebSocket(host.port, tab.credential);
      client.socket.write(frame({ opcode: 0x1, payload: Buffer.alloc(10), declaredLength: 1000 }));
      client.socket.resetAndDestroy();
      await client.closed;
      await expectStillServing();
    });

    it('caps the open WebSockets, and admits again once one closes', async () => {
      const tabs = await Promise.all(Array.from({ length: limits.maxWebSockets - 1 }, () => connectClient(host.port, tab.credential)));
      expect(await outcome(host.port, tab.credential)).toEqual({ status: 503 });
      await tabs.pop()?.close();
      const again = await connectClient(host.port, tab.credential);
      await Promise.all([...tabs, again].map((client) => client.close()));
    });

    it('answers calls over the in-flight cap with BUSY instead of queueing them', async () => {
      const client = await rawWebSocket(host.port, tab.credential);
      const calls = Array.from({ length: 40 }, (_, id) => frame({ opcode: 0x1, payload: Buffer.from(JSON.stringify({ id, method: 'app.info', input: {} })) }));
      // One write: the host reads all 40 calls at once, before any can finish.
      client.socket.write(Buffer.concat(calls));
      const answers = (): WebServerMessage[] => serverTexts(client.frames()).map((text) => JSON.parse(text) as WebServerMessage);
      await expect.poll(() => answers().filter((message) => message.kind === 'response').length).toBe(40);
      const envelopes = answers().flatMap((message) => (message.kind === 'response' ? [message.envelope] : []));
      const busy = envelopes.filter((envelope) => !envelope.ok && envelope.error.code === 'BUSY');
      expect(envelopes.length - busy.length).toBe(limits.maxCallsInFlight);
      client.socket.destroy();
      await expectStillServing();
    });

    it('drops a peer that never reads what it is sent', async () => {
      const client = await rawWebSocket(host.port, tab.credential);
      client.socket.pause();
      const call = frame({ opcode: 0x1, payload: Buffer.from(JSON.stringify({ id: 1, method: 'app.info', input: {} })) });
      const batch = Buffer.concat(Array.from({ length: 2000 }, () => call));
      let dropped = false;
      void client.closed.then(() => (dropped = true));
      for (let sent = 0; sent < 200 && !dropped; sent++) {
        client.socket.write(batch);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(dropped).toBe(true);
      await expectStillServing();
    });
  });

  describe('static files', () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'pve-desk-renderer-'));
    const outside = mkdtempSync(join(tmpdir(), 'pve-desk-outside-'));
    let files: Awaited<ReturnType<typeof startTestWebHost>>;

    beforeAll(async () => {
      writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
      writeFileSync(join(outside, 'secret.txt'), 'not for the browser');
      symlinkSync(join(outside, 'secret.txt'), join(rendererDir, 'linked.txt'));
      mkdirSync(join(rendererDir, 'assets'));
      symlinkSync(outside, join(rendererDir, 'assets', 'out'));
      execFileSync('mkfifo', [join(rendererDir, 'pipe.js')]);
      files = await startTestWebHost({ rendererDir });
    });
    afterAll(() => files.close());

    it('does not follow a symlink out of the renderer folder', async () => {
      for (const path of ['/linked.txt', '/assets/out/secret.txt']) {
        const response = await get(files.host.port, path);
        expect(response.status).toBe(404);
        expect(response.body).not.toContain('not for the browser');
      }
    });

    it('does not serve a FIFO (reading it would hang), and answers at once', async () => {
      const response = await get(files.host.port, '/pipe.js');
      expect(response.status).toBe(404);
    });

    it('survives a file it cannot read, though stat says it is a regular file', async () => {
      // A write-only sysfs attribute: a regular file of 4096 bytes for stat, refused to readers (even root).
      const sysfs = await startTestWebHost({ rendererDir: '/sys/bus/pci' });
      expect((await get(sysfs.host.port, '/rescan')).status).toBe(404);
      await sysfs.close();
      await expectStillServing();
    });

    it('never sends more than the Content-Length it announced (a file that grew since stat)', async () => {
      // /proc files say 0 bytes to stat and give more to read: extra bytes would corrupt the next response on the socket.
      const proc = await startTestWebHost({ rendererDir: '/proc/self' });
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      expect((await get(proc.host.port, '/status', {}, agent)).body).toBe('');
      expect((await get(proc.host.port, '/status', {}, agent)).status).toBe(200);
      agent.destroy();
      await proc.close();
    });
  });
});
