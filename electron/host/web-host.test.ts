import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { webSocketProtocol, webTokenProtocolPrefix, type WebServerMessage } from '../../shared/ipc/web-protocol';
import { createServices } from '../services/create-services';
import { silentLogger } from '../services/log/logger';
import { createKeyFileEncryptor } from '../services/secrets/key-file-encryptor';
import { createLaunchToken, startWebHost, type WebHost } from './web-host';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web host', () => {
  let host: WebHost;
  const token = createLaunchToken();
  const rendererDir = mkdtempSync(join(tmpdir(), 'pve-desk-renderer-'));

  function connect(options: { token?: string; origin?: string | null } = {}): WebSocket {
    const origin = options.origin === undefined ? `http://127.0.0.1:${host.port}` : options.origin;
    return new WebSocket(`ws://127.0.0.1:${host.port}/ipc`, [webSocketProtocol, webTokenProtocolPrefix + (options.token ?? token)], {
      ...(origin === null ? {} : { origin }),
    });
  }

  function refusal(socket: WebSocket): Promise<number> {
    return new Promise((resolve, reject) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => reject(new Error('the connection was accepted')));
      socket.on('error', () => undefined);
    });
  }

  function messages(socket: WebSocket): WebServerMessage[] {
    const seen: WebServerMessage[] = [];
    socket.on('message', (data: Buffer) => seen.push(JSON.parse(data.toString()) as WebServerMessage));
    return seen;
  }

  beforeAll(async () => {
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
    const configDir = mkdtempSync(join(tmpdir(), 'pve-desk-config-'));
    host = await startWebHost({
      rendererDir,
      services: await createServices({
        host: 'web',
        configDir,
        appName: 'PVE Desk',
        appVersion: '1.2.3',
        logger: silentLogger,
        encryptor: createKeyFileEncryptor({ keyFile: join(mkdtempSync(join(tmpdir(), 'pve-desk-key-')), 'secrets.key') }),
        keychainService: 'pve-desk-test',
      }),
      logger: silentLogger,
      token,
    });
  });
  afterAll(() => host.close());

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

  it('carries calls and pushes events for a connection with the token and our Origin', async () => {
    const socket = connect();
    const seen = messages(socket);
    await new Promise((resolve) => socket.once('open', resolve));
    expect(socket.protocol).toBe(webSocketProtocol);
    socket.send(JSON.stringify({ id: 1, method: 'app.info', input: {} }));
    socket.send(JSON.stringify({ id: 2, method: 'settings.update', input: { theme: 'dark' } }));
    await expect.poll(() => seen.length).toBe(3);
    expect(seen).toContainEqual({ kind: 'response', id: 1, envelope: { ok: true, result: expect.objectContaining({ version: '1.2.3', host: 'web' }) } });
    expect(seen).toContainEqual({ kind: 'event', event: 'settings.changed', payload: expect.objectContaining({ theme: 'dark' }) });
    socket.close();
  });

  it('answers a malformed payload with BAD_INPUT and keeps the connection', async () => {
    const socket = connect();
    const seen = messages(socket);
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ id: 9, method: 'settings.update', input: { locale: 'de' } }));
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toMatchObject({ kind: 'response', id: 9, envelope: { ok: false, error: { code: 'BAD_INPUT' } } });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it('closes a connection that sends something other than a request', async () => {
    const socket = connect();
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send('{"method": "settings.get"');
    expect(await closed).toBe(1007);
  });

  it('refuses a connection with a wrong token before upgrading', async () => {
    expect(await refusal(connect({ token: createLaunchToken() }))).toBe(401);
  });

  it('refuses a connection from another Origin', async () => {
    expect(await refusal(connect({ origin: 'http://evil.example' }))).toBe(403);
  });

  it('refuses a connection with no Origin', async () => {
    expect(await refusal(connect({ origin: null }))).toBe(403);
  });
});
