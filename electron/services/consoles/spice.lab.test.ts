/**
 * SPICE consoles against the lab: spiceproxy, the proxy path that heals itself, CONNECT + TLS checked against the
 * answer's CA and host-subject, and the link-stage substitution that lets a viewer without the password link. A test
 * WebSocket client plays spice-html5's part (a real SpiceLinkMess, a dummy 128-byte ticket block).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ConsoleSession } from '../../../shared/domain/consoles';
import type { HostKeyQuestion, LoginOutcome } from '../../../shared/domain/connections';
import { call, firstCluster, startLab, waitFor, waitTask, type RunningLab } from '../../../lab/api/lab-harness';
import { createLogger } from '../log';
import type { SpiceProxyAnswer } from '../pve';
import { labProfile, startLabServices, type LabServices } from '../testing';
import type { ConsoleContext } from './context';
import { RelayServer } from './relay/relay-server';
import { openRemoteViewer } from './remote-viewer/open-remote-viewer';
import { openSpiceConsole, type SpiceSeams } from './spice/open-spice';
import { spiceLink, spiceTicket } from './spice/testing';

const SPICE_CHANNEL_MAIN = 1;
const SPICE_CHANNEL_DISPLAY = 2;
const SPICE_MSG_MAIN_INIT = 103;
/** PROTOCOL_AUTH_SELECTION and MINI_HEADER, as spice-html5 offers them. */
const COMMON_CAPS = [0b1001];

let lab: RunningLab;
let app: LabServices;
let relay: RelayServer;
let context: ConsoleContext;
let profileId: string;
let logFile: string;
let labProxyPort: number;
const answers: SpiceProxyAnswer[] = [];

beforeAll(async () => {
  lab = await startLab([]);
  app = await startLabServices(lab.ready, 'spice');
  const cluster = firstCluster(lab.ready);
  labProxyPort = Number(new URL(cluster.proxy).port);
  const pve2 = cluster.nodes.find((node) => node.name === 'pve2');
  if (pve2 === undefined) throw new Error('no pve2 in the lab');
  // SSH to pve2 with the cluster's key, for the tunnel step; its host key is accepted when asked.
  const fields = labProfile(lab.ready, 'Lab SPICE', lab.ready.accounts.root.userid);
  const saved = await app.ipc('connections.save', {
    fields: {
      ...fields,
      ssh: {
        user: 'root',
        port: pve2.ssh.port,
        auth: { method: 'key-file', privateKeyPath: pve2.ssh.key },
        nodes: { pve2: { host: pve2.ssh.host, port: pve2.ssh.port } },
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
  logFile = join(mkdtempSync(join(tmpdir(), 'pve-desk-spice-log-')), 'spice.log');
  const logger = createLogger({ file: logFile, echo: false });
  relay = await RelayServer.listen({ logger });
  context = {
    sessions: app.services.sessions,
    profiles: { get: (id: string) => Promise.resolve(app.services.sessions.live(id)?.profile) },
    issue: (entry) => relay.issue(entry),
    configDir: tmpdir(),
    logger,
  };
}, 180_000);

afterAll(async () => {
  await relay?.close();
  await app?.services.close();
  await lab?.stop();
});

/** PVE's answer (the lab names its proxy's real port) with a test's changes: an unreachable proxy, a wrong CA or subject. */
function seams(change: { host?: string; port?: number; ca?: string; hostSubject?: string; apiHost?: string } = {}): SpiceSeams {
  return {
    answer: (answer) => {
      answers.push(answer);
      const proxy = new URL(answer.proxy);
      proxy.hostname = change.host ?? proxy.hostname;
      proxy.port = String(change.port ?? labProxyPort);
      return {
        ...answer,
        proxy: proxy.toString().replace(/\/$/, ''),
        ...(change.ca !== undefined ? { ca: change.ca } : {}),
        ...(change.hostSubject !== undefined ? { 'host-subject': change.hostSubject } : {}),
      };
    },
    ...(change.apiHost !== undefined ? { apiHost: change.apiHost } : {}),
  };
}

function openSpice(change?: Parameters<typeof seams>[0]): Promise<ConsoleSession> {
  return openSpiceConsole(context, { profileId, node: 'pve2', vmid: 101 }, 'window-test', seams(change));
}

/** One SPICE channel over the relay, as spice-html5 opens it: bytes in, whole structures out. */
class TestChannel {
  private received = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly socket: WebSocket;

  constructor(session: ConsoleSession) {
    this.socket = new WebSocket(session.url, session.protocols);
    this.socket.on('message', (data: Buffer) => {
      this.received = Buffer.concat([this.received, data]);
      this.waiting?.();
    });
    this.closed = new Promise((resolve) => this.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    void this.closed.then(() => this.waiting?.());
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
  }

  async read(bytes: number): Promise<Buffer> {
    while (this.received.length < bytes) {
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`the relay closed the channel after ${this.received.length} of ${bytes} bytes`);
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    const taken = this.received.subarray(0, bytes);
    this.received = this.received.subarray(bytes);
    return taken;
  }

  /** Link as spice-html5 does, with a 128-byte block that is not the password; answers the link result. */
  async link(channelType: number, connectionId = 0): Promise<number> {
    await this.opened();
    this.socket.send(spiceLink({ connectionId, channelType, commonCaps: COMMON_CAPS, channelCaps: [] }));
    const header = await this.read(16);
    expect(header.subarray(0, 4).toString('latin1')).toBe('REDQ');
    const reply = await this.read(header.readUInt32LE(12));
    expect(reply.readUInt32LE(0)).toBe(0);
    this.socket.send(spiceTicket(1, Buffer.alloc(128, 0x5a)));
    return (await this.read(4)).readUInt32LE(0);
  }

  /** The next message under the mini header (type u16, size u32). */
  async message(): Promise<{ type: number; body: Buffer }> {
    const header = await this.read(6);
    return { type: header.readUInt16LE(0), body: await this.read(header.readUInt32LE(2)) };
  }
}

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function expectNoSecret(text: string): void {
  for (const answer of answers) {
    expect(text).not.toContain(answer.password);
    expect(text).not.toContain(answer.host);
  }
}

describe('SPICE console through the relay', () => {
  it('asks spiceproxy with the API host, links the main channel with the relay-filled ticket, and a display channel joins', async () => {
    const session = await openSpice();
    expect(answers.at(-1)?.proxy).toBe(`http://127.0.0.1:${labProxyPort}`);
    expect(session).toMatchObject({ kind: 'spice', title: 'spice-desktop (101)', node: 'pve2', vmid: 101, audio: false, clipboardSharing: true });
    expect(session.spicePath).toEqual({ via: 'answered', address: `127.0.0.1:${labProxyPort}`, unreachable: [] });
    expectNoSecret(JSON.stringify(session));

    const main = new TestChannel(session);
    expect(await main.link(SPICE_CHANNEL_MAIN)).toBe(0);
    let init = await main.message();
    for (let skipped = 0; init.type !== SPICE_MSG_MAIN_INIT && skipped < 10; skipped += 1) init = await main.message();
    expect(init.type).toBe(SPICE_MSG_MAIN_INIT);
    const sessionId = init.body.readUInt32LE(0);

    const display = new TestChannel(session);
    expect(await display.link(SPICE_CHANNEL_DISPLAY, sessionId)).toBe(0);
    main.socket.close();
    // The session ends with its main channel: the display channel is closed with it.
    expect((await display.closed).code).toBe(4005);
  });

  it('uses the API host when the answered proxy does not answer, and says which address failed', async () => {
    const session = await openSpice({ host: '127.0.0.2' });
    expect(session.spicePath).toEqual({ via: 'api-host', address: `127.0.0.1:${labProxyPort}`, unreachable: [`127.0.0.2:${labProxyPort}`] });
    const main = new TestChannel(session);
    expect(await main.link(SPICE_CHANNEL_MAIN)).toBe(0);
    main.socket.close();
  });

  it('tunnels through SSH to the node when neither the answered proxy nor the API host answers', async () => {
    const session = await openSpice({ host: '127.0.0.2', apiHost: '127.0.0.3' });
    expect(session.spicePath).toEqual({
      via: 'ssh-tunnel',
      address: `127.0.0.1:${labProxyPort}`,
      unreachable: [`127.0.0.2:${labProxyPort}`, `127.0.0.3:${labProxyPort}`],
    });
    const main = new TestChannel(session);
    expect(await main.link(SPICE_CHANNEL_MAIN)).toBe(0);
    main.socket.close();
  });

  it('answers UNREACHABLE naming every step when no path reaches a proxy', async () => {
    const port = await deadPort();
    await expect(openSpice({ host: '127.0.0.2', port, apiHost: '127.0.0.3' })).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.stringContaining(`127.0.0.1:${port} through SSH to the node`) as unknown,
    });
  });

  it('refuses a certificate not signed by the answer CA', async () => {
    const otherCa = readFileSync(firstCluster(lab.ready).certificate, 'utf8').trim().replace(/\n/g, '\\n');
    const main = new TestChannel(await openSpice({ ca: otherCa }));
    await main.opened();
    main.socket.send(spiceLink({ channelType: SPICE_CHANNEL_MAIN, commonCaps: COMMON_CAPS, channelCaps: [] }));
    expect(await main.closed).toEqual({ code: 4003, reason: "The SPICE server's certificate is not signed by the CA PVE named." });
  });

  it('refuses a certificate whose subject is not the host-subject', async () => {
    const main = new TestChannel(await openSpice({ hostSubject: 'OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=another-node.lab' }));
    await main.opened();
    main.socket.send(spiceLink({ channelType: SPICE_CHANNEL_MAIN, commonCaps: COMMON_CAPS, channelCaps: [] }));
    expect(await main.closed).toEqual({ code: 4003, reason: "The SPICE server's certificate subject is not the host-subject PVE named." });
  });

  it('refuses a session that does not start with the main channel, and a garbage link', async () => {
    const display = new TestChannel(await openSpice());
    await display.opened();
    display.socket.send(spiceLink({ channelType: SPICE_CHANNEL_DISPLAY, commonCaps: COMMON_CAPS, channelCaps: [] }));
    expect(await display.closed).toEqual({ code: 4006, reason: 'A SPICE session starts with its main channel.' });

    const garbage = new TestChannel(await openSpice());
    await garbage.opened();
    garbage.socket.send(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect((await garbage.closed).code).toBe(4006);
  });

  it('wrote no SPICE password or proxy ticket to its log', () => {
    expect(answers.length).toBeGreaterThan(5);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('consoles.spice-path');
    expectNoSecret(log);
  });
});

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A private Xvfb screen, as lab/outside-clients.test.ts starts it: `-displayfd` picks a free display number. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    let written = '';
    (child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      written += chunk.toString();
      if (written.includes('\n')) resolve(`:${written.trim()}`);
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
  return { display, process: child };
}

/**
 * Starts guest 101 when it is not running. Debian's spice-server can die (SIGSEGV, "SSL routines::unexpected eof while
 * reading") when a client's TLS connection ends without close_notify, as a remote-viewer stopped by a signal ends it:
 * seen once in CI after the first case. Each case starts from a running guest; the lab's log still names the crash.
 */
async function guest101Running(): Promise<void> {
  const auth = { token: lab.ready.accounts.token.value };
  const status = await call(lab, 'GET', '/nodes/pve2/qemu/101/status/current', { auth });
  if ((status.body.data as { status?: string }).status === 'running') return;
  const started = await call(lab, 'POST', '/nodes/pve2/qemu/101/status/start', { auth });
  expect((await waitTask(lab, auth, String(started.body.data))).exitstatus).toBe('OK');
}

describe('Open in remote-viewer', () => {
  it.each([
    { path: 'answered', change: {} },
    { path: 'ssh-tunnel', change: { host: '127.0.0.2', apiHost: '127.0.0.3' } },
  ] as const)('starts remote-viewer on a private .vv file that it reads and that is then gone ($path)', async ({ path, change }) => {
    await guest101Running();
    const xvfb = await startXvfb();
    const viewers: ChildProcess[] = [];
    try {
      const labLogBefore = lab.stderr().length;
      const launch = await openRemoteViewer(
        context,
        { profileId, node: 'pve2', vmid: 101 },
        {
          seams: seams(change),
          env: { ...process.env, DISPLAY: xvfb.display, GDK_BACKEND: 'x11', NO_AT_BRIDGE: '1' },
          onStarted: (viewer) => viewers.push(viewer),
          // Longer than any test: the file must be gone because remote-viewer read it, not because the relay timed out.
          graceMs: 600_000,
        },
      );
      expect(launch).toMatchObject({ launched: true, spicePath: { via: path } });
      const file = viewers[0]?.spawnargs.at(-1) ?? '';
      expect(file).toMatch(/pve-desk-vv-[^/]+\/console\.vv$/);
      // remote-viewer opens its other channels (display, inputs, cursor…) only once QEMU accepted the main channel's password.
      const channels = (): number => lab.stderr().slice(labLogBefore).split('spiceproxy: VM 101 on pve2: channel connected').length - 1;
      await waitFor('remote-viewer linking its channels', () => (channels() >= 3 ? true : undefined), 60_000);
      await waitFor('the .vv file deleted once read', () => (existsSync(file) ? undefined : true), 30_000);
      expect(viewers[0]?.exitCode).toBeNull();
      expectNoSecret(JSON.stringify(launch));
    } finally {
      for (const viewer of viewers) await stopProcess(viewer);
      await stopProcess(xvfb.process);
    }
  });
});
