import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleGateway, type StartedConsoleGateway } from './gateway';
import { ByteReader } from './testing/byte-reader';
import { startQemu, type QemuUnderTest } from './testing/qemu-under-test';
import { openConsoleWebSocket, startUpgradeServer } from './testing/upgrade-server';
import { vncAuthResponse } from './testing/vnc-des';

/** RFB 3.8 client up to SecurityResult with VNC authentication, as noVNC does it. */
async function rfbAuthenticate(
  reader: ByteReader,
  send: (data: Buffer) => void,
  password: string,
): Promise<{ types: number[]; result: number; reason?: string }> {
  const version = (await reader.read(12)).toString('latin1');
  expect(version).toBe('RFB 003.008\n');
  send(Buffer.from('RFB 003.008\n', 'latin1'));
  const count = (await reader.read(1)).readUInt8(0);
  const types = [...(await reader.read(count))];
  send(Buffer.from([2]));
  const challenge = await reader.read(16);
  send(vncAuthResponse(password, challenge));
  const result = (await reader.read(4)).readUInt32BE(0);
  if (result === 0) return { types, result };
  const length = (await reader.read(4)).readUInt32BE(0);
  return { types, result, reason: (await reader.read(length)).toString('utf8') };
}

describe('vncproxy + vncwebsocket to a real QEMU VNC server', () => {
  let qemu: QemuUnderTest;
  let vncPort: number;
  let gateway: StartedConsoleGateway;
  let server: Awaited<ReturnType<typeof startUpgradeServer>>;
  const logLines: string[] = [];

  beforeAll(async () => {
    // `to=` lets QEMU take the first free display, the port is read back over QMP.
    qemu = await startQemu(() => ['-vga', 'std', '-vnc', '127.0.0.1:60,to=200,password=on', '-S']);
    const vnc = (await qemu.qmp('query-vnc')) as { service: string };
    vncPort = Number(vnc.service);
    gateway = createConsoleGateway({
      signingKey: randomBytes(32),
      nodeShell: () => ({ command: '/bin/true', args: [] }),
      log: (line) => logLines.push(line),
      acceptTimeoutMs: 3000,
    });
    await gateway.ready;
    server = await startUpgradeServer(gateway);
  });

  afterAll(async () => {
    // The gateway first: it owns the upgraded console sockets the upgrade server would otherwise wait for.
    await gateway?.close();
    await server?.close();
    await qemu?.stop();
  });

  it('completes the RFB handshake with the one-time password through the websocket', async () => {
    const password = 'Xy3-pw9q';
    await qemu.qmp('set_password', { protocol: 'vnc', password });
    const ticket = `PVEVNC:${randomBytes(4).toString('hex').toUpperCase()}::${randomBytes(24).toString('base64')}`;
    const { port } = await gateway.openVncProxy({ host: '127.0.0.1', port: vncPort }, { ticket, listensOn: 'pve1' });
    const { ws, reader, protocol } = await openConsoleWebSocket(server.url, '/nodes/pve1/qemu/100', port, ticket);
    expect(protocol).toBe('binary');
    const auth = await rfbAuthenticate(reader, (data) => ws.send(data), password);
    expect(auth.types).toContain(2);
    expect(auth).toMatchObject({ result: 0 });
    // ClientInit (shared) → ServerInit: QEMU's std VGA framebuffer size and the VM name length follow.
    ws.send(Buffer.from([1]));
    const init = await reader.read(24);
    expect(init.readUInt16BE(0)).toBeGreaterThan(0);
    expect(init.readUInt16BE(2)).toBeGreaterThan(0);
    ws.close();
  });

  it('fails VNC authentication with a wrong password (QEMU checks it, the gateway only relays)', async () => {
    await qemu.qmp('set_password', { protocol: 'vnc', password: 'right-pw' });
    const ticket = `PVEVNC:${randomBytes(8).toString('hex')}`;
    const { port } = await gateway.openVncProxy({ host: '127.0.0.1', port: vncPort }, { ticket, listensOn: 'pve1' });
    const { ws, reader } = await openConsoleWebSocket(server.url, '/nodes/pve1/qemu/100', port, ticket);
    const auth = await rfbAuthenticate(reader, (data) => ws.send(data), 'wrong-pw');
    expect(auth.result).toBe(1);
    ws.close();
  });

  it('refuses a wrong vncticket with 401 and keeps the proxy for the right one', async () => {
    const ticket = `PVEVNC:${randomBytes(8).toString('hex')}`;
    const { port } = await gateway.openVncProxy({ host: '127.0.0.1', port: vncPort }, { ticket, listensOn: 'pve1' });
    await expect(openConsoleWebSocket(server.url, '/nodes/pve1/qemu/100', port, `${ticket}x`)).rejects.toThrow('HTTP 401');
    await expect(openConsoleWebSocket(server.url, '/nodes/pve1/qemu/100', port + 1, ticket)).rejects.toThrow('HTTP 401');
    const { ws, reader } = await openConsoleWebSocket(server.url, '/nodes/pve1/qemu/100', port, ticket);
    expect((await reader.read(12)).toString('latin1')).toBe('RFB 003.008\n');
    ws.close();
    // One websocket per proxy: the same ticket does not open a second one.
    await expect(openConsoleWebSocket(server.url, '/nodes/pve1/qemu/100', port, ticket)).rejects.toThrow('HTTP 401');
  });

  it('closes an unused proxy after its accept deadline', async () => {
    const ticket = `PVEVNC:${randomBytes(8).toString('hex')}`;
    const { port } = await gateway.openVncProxy({ host: '127.0.0.1', port: vncPort }, { ticket, listensOn: 'pve1' });
    await new Promise((resolve) => setTimeout(resolve, 3300));
    await expect(openConsoleWebSocket(server.url, '/nodes/pve1/qemu/100', port, ticket)).rejects.toThrow('HTTP 401');
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(logLines.some((line) => line.includes('no client within'))).toBe(true);
  });

  it('serves a direct TCP client on the listener, like `qm vncproxy` behind a plain socket', async () => {
    const ticket = `PVEVNC:${randomBytes(8).toString('hex')}`;
    const { port } = await gateway.openVncProxy({ host: '127.0.0.1', port: vncPort }, { ticket, listensOn: 'pve1' });
    const socket = connect({ host: '127.0.0.1', port });
    const reader = new ByteReader();
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('close', () => reader.end());
    expect((await reader.read(12)).toString('latin1')).toBe('RFB 003.008\n');
    socket.destroy();
  });
});
