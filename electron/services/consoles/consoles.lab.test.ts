/**
 * Consoles against the lab through the real IPC router and relay: VNC to the running Linux guest's real QEMU up to its
 * ServerInit, its serial terminal and the node's shell (termproxy and SSH) running commands, the relay's refusals
 * (reused, expired, another window's), a dropped upstream, a stopped guest, and no ticket or password anywhere the
 * renderer or the log could show it. A test WebSocket client plays the viewer's part.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { relayCloseCodes, type ConsoleSession } from '../../../shared/domain/consoles';
import type { HostKeyQuestion, LoginOutcome } from '../../../shared/domain/connections';
import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import { call, firstCluster, waitFor } from '../../../lab/api/lab-harness';
import { useLab } from '../../../lab/api/use-lab';
import type { ApiCall, CallLimits } from '../pve';
import { labProfile, startLabServices, type LabServices } from '../testing';

const { lab, auth } = useLab(['--onboot', '1']);
const linuxGuest = { node: 'pve1', vmid: 100 };
/** busybox ash's prompt on a serial line, followed by its cursor-position query (ESC [6n). */
const shellPrompt = new RegExp(`# (?:${String.fromCharCode(0x1b)}\\[6n)?$`);

/** A viewer's socket: every byte received, and how it closed. */
class TestViewer {
  readonly socket: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  private received = Buffer.alloc(0);
  private consumed = 0;
  private wake: (() => void) | undefined;

  constructor(session: Pick<ConsoleSession, 'url' | 'protocols'>, protocols = session.protocols) {
    this.socket = new WebSocket(session.url, protocols);
    this.socket.on('message', (data: Buffer) => {
      this.received = Buffer.concat([this.received, data]);
      this.wake?.();
    });
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    void this.closed.then(() => this.wake?.());
  }

  async opened(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) return;
    await new Promise((resolve) => this.socket.once('open', resolve));
  }

  /** The next `size` bytes (for RFB). */
  async read(size: number): Promise<Buffer> {
    while (this.received.length - this.consumed < size) {
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`closed after ${this.received.length - this.consumed} of ${size} bytes`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const bytes = this.received.subarray(this.consumed, this.consumed + size);
    this.consumed += size;
    return bytes;
  }

  /** Waits until the text received since the last match matches `pattern` (for terminals). */
  async sees(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    return await waitFor(
      `${String(pattern)} in the terminal`,
      () => {
        const match = pattern.exec(this.received.subarray(this.consumed).toString('utf8'));
        if (match !== null) this.consumed = this.received.length;
        return match ?? undefined;
      },
      timeoutMs,
      100,
    );
  }

  type(text: string): void {
    this.socket.send(Buffer.from(text, 'utf8'));
  }

  close(): void {
    this.socket.close(1000);
  }
}

/** RFB as noVNC speaks it to the relay: no password, shared session; answers the ServerInit. */
async function rfbServerInit(viewer: TestViewer): Promise<{ width: number; height: number; name: string }> {
  expect((await viewer.read(12)).toString('latin1')).toBe('RFB 003.008\n');
  viewer.socket.send(Buffer.from('RFB 003.008\n', 'latin1'));
  expect([...(await viewer.read(2))]).toEqual([1, 1]);
  viewer.socket.send(Buffer.of(1));
  expect((await viewer.read(4)).readUInt32BE(0)).toBe(0);
  viewer.socket.send(Buffer.of(1));
  const init = await viewer.read(24);
  const name = await viewer.read(init.readUInt32BE(20));
  return { width: init.readUInt16BE(0), height: init.readUInt16BE(2), name: name.toString('utf8') };
}

let app: LabServices;
let profileId: string;
/** Every console ticket and password main received from PVE: none may reach an answer or the log. */
const secretsSeen = new Set<string>();
/** Every answer the renderer got, and every close reason a viewer got. */
const shown: unknown[] = [];

async function open(target: ConsoleTarget, window?: string): Promise<ConsoleSession> {
  const session = await app.ipc('consoles.open', target, window);
  shown.push(session);
  return session;
}

beforeAll(async () => {
  app = await startLabServices(lab.ready, 'consoles-relay');
  const pve1 = firstCluster(lab.ready).nodes.find((node) => node.name === 'pve1');
  if (pve1 === undefined) throw new Error('no pve1 in the lab');
  const fields = labProfile(lab.ready, 'Lab consoles', lab.ready.accounts.root.userid);
  const saved = await app.ipc('connections.save', {
    fields: {
      ...fields,
      ssh: {
        user: 'root',
        port: pve1.ssh.port,
        auth: { method: 'key-file', privateKeyPath: pve1.ssh.key },
        nodes: { pve1: { host: pve1.ssh.host, port: pve1.ssh.port } },
      },
    },
    secrets: {},
  });
  const outcome: LoginOutcome = await app.ipc('connections.connect', { id: saved.id, password: lab.ready.accounts.root.password, remember: false });
  expect(outcome.kind).toBe('connected');
  profileId = saved.id;
  app.services.events.attach((event, payload) => {
    if (event === 'connections.hostKeyQuestion')
      void app.ipc('connections.answerHostKey', { questionId: (payload as HostKeyQuestion).questionId, accept: true });
  });
  // Records what PVE answered the console calls, as main sees it.
  const client = app.services.sessions.client(profileId);
  const executeAt = client.executeAt.bind(client);
  client.executeAt = async <T>(apiCall: ApiCall<T>, limits?: CallLimits) => {
    const answered = await executeAt(apiCall, limits);
    const value = answered.value as Record<string, unknown> | null;
    for (const key of ['ticket', 'password']) if (typeof value === 'object' && value !== null && typeof value[key] === 'string') secretsSeen.add(value[key]);
    return answered;
  };
}, 180_000);

afterAll(async () => {
  await app?.services.close();
});

describe('consoles against the lab', () => {
  it('opens the VNC console of the running guest: the relay authenticates to QEMU and the viewer reaches its ServerInit', async () => {
    const session = await open({ kind: 'vnc', profileId, ...linuxGuest });
    expect(session).toMatchObject({
      kind: 'vnc',
      title: 'debian-lab (100)',
      profileId,
      node: 'pve1',
      vmid: 100,
      clipboardSharing: true,
      vncClipboard: true,
      expiresInMs: 10_000,
    });
    expect(session.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/relay\/[0-9a-f]{64}$/);
    const viewer = new TestViewer(session);
    const init = await rfbServerInit(viewer);
    expect(init.width).toBeGreaterThan(0);
    expect(init.height).toBeGreaterThan(0);
    expect(init.name).toContain('debian-lab');
    // A framebuffer update request gets pixels back: the session is live beyond the handshake.
    viewer.socket.send(Buffer.from([3, 0, 0, 0, 0, 0, (init.width >> 8) & 0xff, init.width & 0xff, (init.height >> 8) & 0xff, init.height & 0xff]));
    expect((await viewer.read(1))[0]).toBe(0);
    viewer.close();
    expect((await viewer.closed).code).toBe(1000);
  });

  it('finds a guest that moved on its current node', async () => {
    const session = await open({ kind: 'vnc', profileId, node: 'pve2', vmid: 100 });
    expect(session.node).toBe('pve1');
    const viewer = new TestViewer(session);
    expect((await rfbServerInit(viewer)).name).toContain('debian-lab');
    viewer.close();
  });

  it('runs a command on the serial terminal and reads its output', async () => {
    const session = await open({ kind: 'serial', profileId, ...linuxGuest });
    expect(session).toMatchObject({ kind: 'serial', title: 'debian-lab (100)', node: 'pve1', vmid: 100 });
    const viewer = new TestViewer(session);
    await viewer.opened();
    viewer.socket.send(JSON.stringify({ type: 'resize', cols: 120, rows: 40 }));
    viewer.type('\r');
    const prompt = await viewer.sees(new RegExp(`login: *$|${shellPrompt.source}`), 120_000);
    if (prompt[0].startsWith('login')) {
      viewer.type('root\r');
      await viewer.sees(/Password: *$/);
      viewer.type(`${lab.ready.guestPassword}\r`);
      await viewer.sees(shellPrompt);
    }
    // The echoed command shows `$((6*7))`; only the shell's answer shows 42.
    viewer.type('echo serial-$((6*7)) é€\r');
    await viewer.sees(/serial-42 é€/);
    viewer.close();
    await viewer.closed;
  });

  it('runs commands in the node shell through termproxy, resized by the viewer', async () => {
    const session = await open({ kind: 'shell', profileId, node: 'pve1', via: 'termproxy' });
    expect(session).toMatchObject({ kind: 'shell', title: 'pve1', node: 'pve1' });
    const viewer = new TestViewer(session);
    await viewer.opened();
    viewer.socket.send(JSON.stringify({ type: 'resize', cols: 101, rows: 33 }));
    viewer.type('echo termproxy-$((6*7)); stty size\r');
    await viewer.sees(/termproxy-42\s+33 101/);
    viewer.close();
  });

  it('runs commands in the node shell over SSH, resized by the viewer', async () => {
    const session = await open({ kind: 'shell', profileId, node: 'pve1', via: 'ssh' });
    expect(session).toMatchObject({ kind: 'shell', title: 'pve1', node: 'pve1' });
    const viewer = new TestViewer(session);
    await viewer.opened();
    viewer.socket.send(JSON.stringify({ type: 'resize', cols: 99, rows: 31 }));
    viewer.type('echo ssh-$((6*7)); stty size; echo $TERM\r');
    await viewer.sees(/ssh-42\s+31 99\s+xterm-256color/);
    // Garbage where a control message belongs closes the terminal as a protocol error.
    viewer.socket.send('{"type":"resize","cols":"wide"}');
    expect((await viewer.closed).code).toBe(relayCloseCodes.protocolError);
  });

  it('refuses a reused token, an expired one and another window’s, and still admits the right window', async () => {
    const used = await open({ kind: 'shell', profileId, node: 'pve1', via: 'termproxy' });
    const first = new TestViewer(used);
    await first.opened();
    const reused = new TestViewer(used);
    expect((await reused.closed).code).toBe(relayCloseCodes.tokenRefused);
    first.close();

    const other = await open({ kind: 'shell', profileId, node: 'pve1', via: 'termproxy' }, 'window-other');
    const mine = await open({ kind: 'shell', profileId, node: 'pve1', via: 'termproxy' });
    expect(other.protocols[1]).not.toBe(mine.protocols[1]);
    const intruder = new TestViewer(mine, other.protocols);
    expect((await intruder.closed).code).toBe(relayCloseCodes.tokenRefused);
    const withoutProof = new TestViewer(mine, ['binary']);
    expect((await withoutProof.closed).code).toBe(relayCloseCodes.tokenRefused);
    const rightful = new TestViewer(mine);
    await rightful.opened();
    rightful.type('echo rightful-$((6*7))\r');
    await rightful.sees(/rightful-42/);
    rightful.close();

    const late = await open({ kind: 'vnc', profileId, ...linuxGuest });
    await new Promise((resolve) => setTimeout(resolve, late.expiresInMs + 500));
    const expired = new TestViewer(late);
    const closed = await expired.closed;
    expect(closed.code).toBe(relayCloseCodes.tokenRefused);
    shown.push(closed.reason);
  });

  it('closes the viewer with upstreamClosed when PVE drops the console websocket', async () => {
    const session = await open({ kind: 'vnc', profileId, ...linuxGuest });
    const viewer = new TestViewer(session);
    await rfbServerInit(viewer);
    const cut = await call(lab, 'POST', '/lab/faults', { auth: { token: auth.token }, params: { 'close-websockets': 1 } });
    expect(cut.status).toBe(200);
    const closed = await viewer.closed;
    expect(closed.code).toBe(relayCloseCodes.upstreamClosed);
    shown.push(closed.reason);
  });

  it('answers NOT_RUNNING for a stopped guest, saying to start it', async () => {
    const refused = app.ipc('consoles.open', { kind: 'vnc', profileId, node: 'pve3', vmid: 102 });
    await expect(refused).rejects.toMatchObject({ code: 'NOT_RUNNING', message: expect.stringMatching(/Start it/) });
    shown.push(await refused.catch((error: unknown) => (error as Error).message));
  });

  it('answers PERMISSION_DENIED for a node shell without Sys.Console, and opens the VNC console the user may use', async () => {
    const student = await app.connect('Lab consoles as student', lab.ready.accounts.user);
    const refused = app.ipc('consoles.open', { kind: 'shell', profileId: student, node: 'pve1', via: 'termproxy' });
    await expect(refused).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('Sys.Console') });
    const viewer = new TestViewer(await open({ kind: 'vnc', profileId: student, ...linuxGuest }));
    expect((await rfbServerInit(viewer)).name).toContain('debian-lab');
    viewer.close();
  });

  it('let no console ticket or password reach an answer or the log', () => {
    expect(secretsSeen.size).toBeGreaterThanOrEqual(6);
    const log = readFileSync(join(app.configDir, 'logs', 'web-host.log'), 'utf8');
    expect(log).toContain('consoles.relay-connected');
    const answers = JSON.stringify(shown);
    for (const secret of [...secretsSeen, lab.ready.accounts.root.password, lab.ready.guestPassword]) {
      expect(log.includes(secret), 'a secret in the log').toBe(false);
      expect(answers.includes(secret), 'a secret in an answer').toBe(false);
    }
  });
});
