import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleGateway, type StartedConsoleGateway } from './gateway';
import { ByteReader } from './testing/byte-reader';
import { startQemu, type QemuUnderTest } from './testing/qemu-under-test';
import { SERIAL_BANNER, writeSerialEchoDisk } from './testing/serial-echo-guest';
import { openConsoleWebSocket, startUpgradeServer } from './testing/upgrade-server';

/** A data frame as xterm.js sends it: the length counts bytes, not characters. */
const dataFrame = (text: string): string => `0:${Buffer.byteLength(text)}:${text}`;

/**
 * Asks the shell for its pid. Output lines are matched after `\r` or `\n`:
 * bash 5.1+ turns bracketed paste off (`ESC[?2004l\r`) between the echoed
 * command and its output.
 */
async function shellPid(reader: ByteReader, send: (frame: string) => void): Promise<number> {
  send(dataFrame('echo "shell-pid=$$"\n'));
  const line = await reader.readUntil(/[\r\n]shell-pid=\d+\r\n/);
  return Number(/shell-pid=(\d+)/.exec(line)?.[1]);
}

/** Resolves true once the process is gone (reaped), false if it is still there after the time. */
async function processEnds(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(`/proc/${pid}`)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

function connectTcp(port: number): Promise<{ socket: Socket; reader: ByteReader }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const reader = new ByteReader();
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('close', () => reader.end());
    socket.once('connect', () => resolve({ socket, reader }));
    socket.once('error', reject);
  });
}

describe('termproxy', () => {
  let gateway: StartedConsoleGateway;
  let server: Awaited<ReturnType<typeof startUpgradeServer>>;
  const shellNodes: string[] = [];
  const user = 'root@pam';
  const newTicket = (): string => `PVEVNC:${randomBytes(4).toString('hex').toUpperCase()}::${randomBytes(32).toString('base64')}`;

  beforeAll(async () => {
    gateway = createConsoleGateway({
      signingKey: randomBytes(32),
      nodeShell: (node) => {
        shellNodes.push(node);
        return { command: '/bin/bash', args: ['--noprofile', '--norc', '-i'], cwd: '/', env: { PS1: `${node}# `, LAB_NODE: node } };
      },
      acceptTimeoutMs: 5000,
    });
    await gateway.ready;
    server = await startUpgradeServer(gateway);
  });

  afterAll(async () => {
    // The gateway first: it owns the upgraded console sockets the upgrade server would otherwise wait for.
    await gateway?.close();
    await server?.close();
  });

  it('answers OK to the right user:ticket line and runs a real shell on a PTY for the node', async () => {
    const ticket = newTicket();
    const { port, ended } = await gateway.openTermProxy({ kind: 'shell', node: 'pve2' }, { user, ticket, listensOn: 'pve1' });
    const { socket, reader } = await connectTcp(port);
    socket.write(`${user}:${ticket}\n`);
    expect((await reader.read(2)).toString()).toBe('OK');
    socket.write(dataFrame('echo "node=$LAB_NODE tty=$(tty) sum=$((6*7))"\n'));
    const line = await reader.readUntil(/node=\S+ tty=\S+ sum=42/);
    expect(line).toMatch(/node=pve2 tty=\/dev\/pts\/\d+ sum=42/);
    expect(shellNodes).toContain('pve2');
    // Resize, then ask the terminal its size; a ping in between must be ignored.
    socket.write('1:132:43:2');
    socket.write(dataFrame('stty size\n'));
    await reader.readUntil(/[\r\n]43 132\r\n/);
    socket.write(dataFrame('exit\n'));
    expect(await reader.waitForEnd(5000)).toBe(true);
    // The console task PVE runs for it ends with the session.
    expect(await ended).toBe('session ended');
  });

  it("says no client came when the listener times out, so the console task can fail as PVE's does", async () => {
    const hasty = createConsoleGateway({
      signingKey: randomBytes(32),
      nodeShell: () => ({ command: '/bin/true', args: [], cwd: '/', env: {} }),
      acceptTimeoutMs: 100,
    });
    try {
      await hasty.ready;
      const { ended } = await hasty.openTermProxy({ kind: 'shell', node: 'pve1' }, { user, ticket: newTicket(), listensOn: 'pve1' });
      expect(await ended).toBe('no client');
    } finally {
      await hasty.close();
    }
  });

  it('takes frames split at any byte and glued together', async () => {
    const ticket = newTicket();
    const { port } = await gateway.openTermProxy({ kind: 'shell', node: 'pve1' }, { user, ticket, listensOn: 'pve1' });
    const { socket, reader } = await connectTcp(port);
    const stream = Buffer.from(`${user}:${ticket}\n${dataFrame('echo split-')}${dataFrame('$((40+2))\n')}1:90:20:${dataFrame('stty size\n')}`);
    for (let i = 0; i < stream.length; i += 7) {
      socket.write(stream.subarray(i, i + 7));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await reader.readUntil(/OK/);
    await reader.readUntil(/split-42/);
    await reader.readUntil(/[\r\n]20 90\r\n/);
    const pid = await shellPid(reader, (frame) => socket.write(frame));
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    // A client that just goes away hangs the shell up, as closing a terminal does.
    socket.destroy();
    expect(await processEnds(pid)).toBe(true);
  });

  it('refuses a wrong ticket and closes without OK or a shell', async () => {
    const before = shellNodes.length;
    const { port } = await gateway.openTermProxy({ kind: 'shell', node: 'pve1' }, { user, ticket: newTicket(), listensOn: 'pve1' });
    const { socket, reader } = await connectTcp(port);
    socket.write(`${user}:${newTicket()}\n`);
    expect(await reader.waitForEnd(5000)).toBe(true);
    await expect(reader.read(1, 10)).rejects.toThrow(/ended/);
    expect(shellNodes.length).toBe(before);
  });

  it('closes on a malformed frame', async () => {
    const ticket = newTicket();
    const { port } = await gateway.openTermProxy({ kind: 'shell', node: 'pve1' }, { user, ticket, listensOn: 'pve1' });
    const { socket, reader } = await connectTcp(port);
    socket.write(`${user}:${ticket}\n`);
    await reader.readUntil(/OK/);
    socket.write('9:oops');
    expect(await reader.waitForEnd(5000)).toBe(true);
  });

  it('serves the same protocol through vncwebsocket', async () => {
    const ticket = newTicket();
    const { port } = await gateway.openTermProxy({ kind: 'shell', node: 'pve3' }, { user, ticket, listensOn: 'pve1' });
    await expect(openConsoleWebSocket(server.url, '/nodes/pve3', port, newTicket())).rejects.toThrow('HTTP 401');
    const { ws, reader } = await openConsoleWebSocket(server.url, '/nodes/pve3', port, ticket);
    // xterm.js sends text frames; the relay passes their bytes on unchanged.
    ws.send(`${user}:${ticket}\n`);
    await reader.readUntil(/^OK/);
    ws.send(dataFrame('echo "hi from $LAB_NODE"\n'));
    await reader.readUntil(/[\r\n]hi from pve3\r\n/);
    const pid = await shellPid(reader, (frame) => ws.send(frame));
    ws.close();
    expect(await processEnds(pid)).toBe(true);
  });

  it('ends a node shell still running when the gateway closes', async () => {
    const closing = createConsoleGateway({
      signingKey: randomBytes(32),
      nodeShell: () => ({ command: '/bin/bash', args: ['--noprofile', '--norc', '-i'], env: { PS1: '# ' } }),
    });
    await closing.ready;
    const ticket = newTicket();
    const { port } = await closing.openTermProxy({ kind: 'shell', node: 'pve1' }, { user, ticket, listensOn: 'pve1' });
    const { socket, reader } = await connectTcp(port);
    socket.write(`${user}:${ticket}\n`);
    await reader.readUntil(/OK/);
    const pid = await shellPid(reader, (frame) => socket.write(frame));
    await closing.close();
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(await reader.waitForEnd(1000)).toBe(true);
  });

  describe('on a QEMU serial0 socket', () => {
    let qemu: QemuUnderTest;
    let socketPath: string;

    beforeAll(async () => {
      qemu = await startQemu((dir) => {
        writeSerialEchoDisk(join(dir, 'boot.img'));
        socketPath = join(dir, 'serial0.sock');
        return [
          '-drive',
          `file=${join(dir, 'boot.img')},format=raw,if=ide`,
          '-chardev',
          `socket,id=serial0,path=${socketPath},server=on,wait=off`,
          '-device',
          'isa-serial,chardev=serial0',
        ];
      });
    });

    afterAll(async () => {
      await qemu?.stop();
    });

    it('relays the guest serial line both ways', async () => {
      const ticket = newTicket();
      const { port } = await gateway.openTermProxy({ kind: 'serial', socketPath }, { user, ticket, listensOn: 'pve1' });
      const { ws, reader } = await openConsoleWebSocket(server.url, '/nodes/pve1/qemu/100', port, ticket);
      ws.send(`${user}:${ticket}\n`);
      await reader.readUntil(/^OK/);
      // The guest may have printed its banner before anyone listened; its echo shows it runs and reads.
      const probe = `${SERIAL_BANNER.toLowerCase()}-${randomBytes(3).toString('hex')}`;
      ws.send('1:100:30:');
      ws.send(dataFrame(probe));
      await reader.readUntil(new RegExp(probe), 20_000);
      ws.close();
    });

    it('refuses a wrong ticket on the serial console too', async () => {
      const { port } = await gateway.openTermProxy({ kind: 'serial', socketPath }, { user, ticket: newTicket(), listensOn: 'pve1' });
      const { socket, reader } = await connectTcp(port);
      socket.write(`${user}:wrong\n`);
      expect(await reader.waitForEnd(5000)).toBe(true);
    });
  });
});
