import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxImportChars, maxRequestBytes } from '../../shared/ipc/limits';
import { webCloseCodes } from '../../shared/ipc/web-protocol';
import { connectClient, get, outcome, startTestWebHost, type TestClient } from './testing';
import { createLaunchToken, type WebHost } from './web-host';

describe('web host', () => {
  let host: WebHost;
  let token: string;
  let stop: () => Promise<void>;
  let tab: TestClient;

  beforeAll(async () => {
    ({ host, token, close: stop } = await startTestWebHost());
    tab = await connectClient(host.port, token);
  });
  afterAll(async () => {
    await tab.close();
    await stop();
  });

  it('serves the app with its CSP, and the token only in the fragment of the launch URL', async () => {
    const page = await get(host.port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(new URL(host.launchUrl).hash).toBe(`#token=${token}`);
    expect(new URL(host.launchUrl).hostname).toBe('127.0.0.1');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get(host.port, '/', { host: 'attacker.example:80' })).status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    const response = await get(host.port, '/..%2f..%2f..%2fetc%2fpasswd');
    expect(response.status).toBe(400);
    expect(response.body).not.toContain('root:');
  });

  it('carries calls and pushes events for a connection with a credential and our Origin', async () => {
    expect(tab.socket.protocol).toBe('pve-desk.ipc.v1');
    await expect(tab.call('app.info')).resolves.toEqual({ ok: true, result: expect.objectContaining({ version: '1.2.3', host: 'web' }) });
    await expect(tab.call('settings.update', { theme: 'dark' })).resolves.toMatchObject({ ok: true });
    await expect.poll(() => tab.events).toContainEqual({ kind: 'event', event: 'settings.changed', payload: expect.objectContaining({ theme: 'dark' }) });
  });

  it('answers a malformed payload with BAD_INPUT and keeps the connection', async () => {
    await expect(tab.call('settings.update', { locale: 'de' })).resolves.toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    await expect(tab.call('app.info')).resolves.toMatchObject({ ok: true });
  });

  it('closes a connection that sends something other than a request', async () => {
    const other = await connectClient(host.port, tab.credential);
    const closed = new Promise<number>((resolve) => other.socket.once('close', resolve));
    other.socket.send('{"method": "settings.get"');
    expect(await closed).toBe(1007);
  });

  describe('the launch token opens one tab, once', () => {
    it('gave the first tab a session credential of its own, which reopens it (reconnect, reload)', async () => {
      expect(tab.credential).toMatch(/^[0-9a-f]{64}$/);
      expect(tab.credential).not.toBe(token);
      const reloaded = await connectClient(host.port, tab.credential);
      await expect(reloaded.call('app.info')).resolves.toMatchObject({ ok: true });
      await reloaded.close();
    });

    it('refuses the launch token a second time (a URL in history, a second tab), telling the page why', async () => {
      expect(await outcome(host.port, token)).toEqual({ close: webCloseCodes.credentialRefused });
    });

    it('refuses a wrong or missing credential the same way', async () => {
      expect(await outcome(host.port, createLaunchToken())).toEqual({ close: webCloseCodes.credentialRefused });
      expect(await outcome(host.port, '')).toEqual({ close: webCloseCodes.credentialRefused });
    });

    it('lets no session credential outlive its host', async () => {
      const other = await startTestWebHost();
      const session = await connectClient(other.host.port, other.token);
      await other.close();
      const restarted = await startTestWebHost();
      expect(await outcome(restarted.host.port, session.credential)).toEqual({ close: webCloseCodes.credentialRefused });
      await restarted.close();
    });
  });

  it('refuses a connection from another Origin, or with none, before the handshake', async () => {
    expect(await outcome(host.port, tab.credential, 'http://evil.example')).toEqual({ status: 403 });
    expect(await outcome(host.port, tab.credential, '')).toEqual({ status: 403 });
  });

  describe('message size: the largest import the UI allows fits; a larger message is refused cleanly', () => {
    // Control characters are what JSON escapes the longest (\u0001: 6 bytes for one character).
    it('accepts an import of maxImportChars worst-case characters (answered, not cut)', async () => {
      const content = '\u0001'.repeat(maxImportChars);
      const envelope = await tab.call('connections.previewImport', { content });
      // Read and judged by the import service: not valid JSON, but it got there.
      expect(envelope).toMatchObject({ ok: false, error: { code: 'BAD_FILE' } });
      expect(tab.socket.readyState).toBe(tab.socket.OPEN);
    });

    it('answers an import over the limit with BAD_INPUT, keeping the connection', async () => {
      const content = '\u0001'.repeat(maxImportChars + 1);
      await expect(tab.call('connections.previewImport', { content })).resolves.toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
      await expect(tab.call('app.info')).resolves.toMatchObject({ ok: true });
    });

    it('closes a connection whose message is over maxRequestBytes with 1009, and only that one', async () => {
      const other = await connectClient(host.port, tab.credential);
      const closed = new Promise<number>((resolve) => other.socket.once('close', resolve));
      other.socket.send('x'.repeat(maxRequestBytes + 1));
      expect(await closed).toBe(1009);
      await expect(tab.call('app.info')).resolves.toMatchObject({ ok: true });
    });
  });
});
