import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { PveEndpoint } from '../endpoint';
import { makeSelfSignedCertificate, type TestCertificate } from '../testing';
import { closedPort, closeServer, listen } from '../testing/tls-test-server';
import { failure } from '../testing/pve-failure';
import { TrustedAgent } from '../tls/trusted-agent';
import { openPveWebSocket } from './open-websocket';

/** The characters a vncticket holds (its password is drawn from `!`…`` ` ``), and base64's. */
const vncticket = 'a#&:b%c+/=? !`:PVEVNC:0123ABCD::sig+/==';
const cookie = { Cookie: 'PVEAuthCookie=PVE%3Aroot%40pam%3A0123ABCD%3A%3Asig' };

describe('openPveWebSocket', () => {
  let certificate: TestCertificate;
  let server: Server;
  let port: number;
  const upgrades: IncomingMessage[] = [];
  const sockets = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false) });

  beforeAll(async () => {
    certificate = makeSelfSignedCertificate();
    server = createServer({ key: certificate.key, cert: certificate.cert });
    // As pveproxy: refusals answer in the status line before any upgrade; the rest echo.
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      upgrades.push(request);
      const path = new URL(request.url ?? '/', 'https://127.0.0.1').pathname;
      if (path.endsWith('/refused-401')) return void socket.end('HTTP/1.1 401 No ticket\r\nContent-Length: 0\r\n\r\n');
      if (path.endsWith('/refused-403')) return void socket.end('HTTP/1.1 403 Permission check failed (/vms/100, VM.Console)\r\nContent-Length: 0\r\n\r\n');
      if (path.endsWith('/dropped')) return void socket.destroy();
      sockets.handleUpgrade(request, socket, head, (ws) => ws.on('message', (data) => ws.send(data)));
    });
    port = await listen(server);
  });
  afterAll(async () => {
    for (const client of sockets.clients) client.terminate();
    server.closeAllConnections();
    await closeServer(server);
  });

  function endpoint(fingerprint = certificate.fingerprint, at = port): { endpoint: PveEndpoint; agent: TrustedAgent } {
    const trust = { mode: 'pinned' as const, fingerprint };
    return { endpoint: { host: '127.0.0.1', port: at, trust }, agent: new TrustedAgent(trust) };
  }

  it('opens the websocket with subprotocol binary, the session headers and the ticket encoded in the query', async () => {
    const socket = await openPveWebSocket({
      ...endpoint(),
      path: '/api2/json/nodes/pve1/qemu/100/vncwebsocket',
      query: { port: '5900', vncticket },
      headers: cookie,
    });
    expect(socket.protocol).toBe('binary');
    const request = upgrades.at(-1);
    const url = new URL(request?.url ?? '', 'https://127.0.0.1');
    expect(url.pathname).toBe('/api2/json/nodes/pve1/qemu/100/vncwebsocket');
    expect(url.searchParams.get('vncticket')).toBe(vncticket);
    expect(url.searchParams.get('port')).toBe('5900');
    expect(request?.headers.cookie).toBe(cookie.Cookie);
    const echoed = new Promise((resolve) => socket.once('message', (data) => resolve(data.toString())));
    socket.send(Buffer.from('ping'));
    expect(await echoed).toBe('ping');
    socket.close();
  });

  it("tells PVE's refusals apart: 401 is AUTH_FAILED, 403 PERMISSION_DENIED with the privilege", async () => {
    const unauthorised = await failure(openPveWebSocket({ ...endpoint(), path: '/api2/json/refused-401', query: {}, headers: cookie }));
    expect(unauthorised.code).toBe('AUTH_FAILED');
    const forbidden = await failure(openPveWebSocket({ ...endpoint(), path: '/api2/json/refused-403', query: {}, headers: cookie }));
    expect(forbidden).toMatchObject({ code: 'PERMISSION_DENIED', details: { path: '/vms/100', privilege: 'VM.Console' } });
  });

  it('refuses a certificate other than the pinned one before sending anything', async () => {
    const before = upgrades.length;
    const other = makeSelfSignedCertificate('impostor.invalid');
    const refused = await failure(openPveWebSocket({ ...endpoint(other.fingerprint), path: '/api2/json/x', query: { vncticket }, headers: cookie }));
    expect(refused.code).toBe('TLS_MISMATCH');
    expect(upgrades.length).toBe(before);
  });

  it('says UNREACHABLE for a closed port or a connection dropped unanswered, without the ticket in the message', async () => {
    const closed = await failure(openPveWebSocket({ ...endpoint(undefined, await closedPort()), path: '/api2/json/x', query: { vncticket }, headers: cookie }));
    expect(closed.code).toBe('UNREACHABLE');
    const dropped = await failure(openPveWebSocket({ ...endpoint(), path: '/api2/json/dropped', query: { vncticket }, headers: cookie }));
    expect(dropped.code).toBe('UNREACHABLE');
    for (const error of [closed, dropped]) expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('PVEVNC');
  });
});
