/**
 * Nodes as PVE runs them: one certificate per node signed by the cluster CA,
 * calls for another node proxied (595 after a while when it is down), uploads
 * and console websockets bound to the node that serves them.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ByteReader } from '../consoles/testing/byte-reader';
import { firstCluster, call, TEST_UNREACHABLE_DELAY_MS, waitTask } from './lab-harness';
import { useLab } from './use-lab';

const { lab, auth } = useLab(['--onboot', '0']);

const cluster = () => firstCluster(lab.ready);
const nodeApi = (name: string): string => cluster().nodes.find((n) => n.name === name)?.api ?? '';

/** The certificate a listener presents, verified against the cluster CA only. */
function presented(url: string): Promise<{ fingerprint: string; authorized: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: hostname, port: Number(port), ca: lab.ca, rejectUnauthorized: false }, () => {
      resolve({ fingerprint: socket.getPeerX509Certificate()?.fingerprint256 ?? '', authorized: socket.authorized });
      socket.end();
    });
    socket.once('error', reject);
  });
}

async function setOffline(node: string, offline: 0 | 1): Promise<void> {
  expect((await call(lab, 'POST', '/lab/faults', { auth, params: { node, offline } })).status).toBe(200);
}

describe('certificates', () => {
  it('gives every node its own certificate signed by the cluster CA, listed in LAB READY and /nodes', async () => {
    const { nodes, ca } = cluster();
    const fingerprints = nodes.map((n) => n.fingerprint);
    expect(new Set(fingerprints).size).toBe(nodes.length);
    for (const fingerprint of [...fingerprints, ca.fingerprint]) expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const caCertificate = new X509Certificate(readFileSync(ca.path));
    expect(caCertificate.fingerprint256).toBe(ca.fingerprint);
    expect(caCertificate.ca).toBe(true);
    for (const node of nodes) expect(await presented(node.api)).toEqual({ fingerprint: node.fingerprint, authorized: true });

    const listed = (await call(lab, 'GET', '/nodes', { auth })).body.data as { node: string; ssl_fingerprint: string }[];
    expect(Object.fromEntries(listed.map((n) => [n.node, n.ssl_fingerprint]))).toEqual(Object.fromEntries(nodes.map((n) => [n.name, n.fingerprint])));
    // Users who may not audit the nodes see the fingerprints too (PVE's Nodes.pm `index`).
    const { user } = lab.ready.accounts;
    const ticket = (await call(lab, 'POST', '/access/ticket', { params: { username: user.userid, password: user.password } })).body.data as { ticket: string };
    const asStudent = (await call(lab, 'GET', '/nodes', { auth: { ticket: ticket.ticket } })).body.data as { ssl_fingerprint?: string }[];
    expect(asStudent.map((n) => n.ssl_fingerprint)).toEqual(nodes.map((n) => n.fingerprint));
  });

  it("answers on the cluster address with the first online node's certificate", async () => {
    const [first, second] = cluster().nodes;
    expect(cluster().fingerprint).toBe(first?.fingerprint);
    expect((await presented(cluster().api)).fingerprint).toBe(first?.fingerprint);
    await setOffline('pve1', 1);
    try {
      expect((await presented(cluster().api)).fingerprint).toBe(second?.fingerprint);
    } finally {
      await setOffline('pve1', 0);
    }
    expect((await presented(cluster().api)).fingerprint).toBe(first?.fingerprint);
  });
});

describe('proxying to other nodes', () => {
  it('answers 595 No route to host for an offline node, after the connect has failed', async () => {
    await setOffline('pve3', 1);
    try {
      const started = Date.now();
      const res = await call(lab, 'GET', '/nodes/pve3/status', { auth, baseUrl: nodeApi('pve1') });
      expect(Date.now() - started).toBeGreaterThanOrEqual(TEST_UNREACHABLE_DELAY_MS - 20);
      expect([res.status, res.statusMessage]).toEqual([595, 'No route to host']);
    } finally {
      await setOffline('pve3', 0);
    }
    expect((await call(lab, 'GET', '/nodes/pve3/status', { auth, baseUrl: nodeApi('pve1') })).status).toBe(200);
  });

  it('refuses an upload for another node ("unable to proxy file uploads") and takes it on the node itself', async () => {
    const refused = await upload(nodeApi('pve1'), 'pve2', 'refused.iso');
    expect([refused.status, refused.message]).toEqual([500, 'unable to proxy file uploads\n']);
    const taken = await upload(nodeApi('pve2'), 'pve2', 'taken.iso');
    expect(taken.status).toBe(200);
  });
});

describe('console websockets', () => {
  type TermproxyAnswer = { port: string; ticket: string; user: string; upid: string };

  async function nodeShell(via: string): Promise<TermproxyAnswer> {
    const res = await call(lab, 'POST', '/nodes/pve1/termproxy', { auth, baseUrl: via });
    expect(res.status).toBe(200);
    return res.body.data as TermproxyAnswer;
  }

  function openWebSocket(via: string, answer: { port: string; ticket: string }): WebSocket {
    const url = `${via.replace('https:', 'wss:')}/api2/json/nodes/pve1/vncwebsocket?port=${answer.port}&vncticket=${encodeURIComponent(answer.ticket)}`;
    return new WebSocket(url, ['binary'], { ca: lab.ca, headers: { Authorization: `PVEAPIToken=${auth.token}` } });
  }

  /** A node shell session, logged in, through the listener of `via`. */
  async function session(via: string, answer?: TermproxyAnswer): Promise<{ socket: WebSocket; reader: ByteReader; closed: Promise<void> }> {
    answer ??= await nodeShell(via);
    const socket = openWebSocket(via, answer);
    const reader = new ByteReader();
    socket.on('message', (data: Buffer) => reader.push(Buffer.from(data)));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
    socket.send(Buffer.from(`${answer.user}:${answer.ticket}\n`));
    expect((await reader.read(2)).toString()).toBe('OK');
    return { socket, reader, closed };
  }

  it('opens only on the node that answered termproxy: elsewhere the connection drops without an answer', async () => {
    const answer = await nodeShell(nodeApi('pve2'));
    const elsewhere = openWebSocket(nodeApi('pve3'), answer);
    const failure = await new Promise<string>((resolve) => {
      elsewhere.once('open', () => resolve('opened'));
      elsewhere.once('unexpected-response', (_request, response) => resolve(`answered ${response.statusCode ?? 0}`));
      elsewhere.once('error', (error) => resolve(error.message));
    });
    expect(failure).toMatch(/socket hang up|ECONNRESET/);
    // The listener still waits for its one client on the node that answered.
    const there = openWebSocket(nodeApi('pve2'), answer);
    await new Promise<void>((resolve, reject) => there.once('open', () => resolve()).once('error', reject));
    there.close();
  });

  it("keeps the console's task running as long as its session, as PVE's vncshell worker", async () => {
    const answer = await nodeShell(nodeApi('pve1'));
    const task = async () =>
      (await call(lab, 'GET', `/nodes/pve1/tasks/${encodeURIComponent(answer.upid)}/status`, { auth })).body.data as { status: string; exitstatus?: string };
    expect((await task()).status).toBe('running');
    const { socket, reader } = await session(nodeApi('pve1'), answer);
    const command = 'echo still-$((6*7))\r';
    socket.send(Buffer.from(`0:${Buffer.byteLength(command)}:${command}`));
    expect(await reader.readUntil(/still-42/, 10_000)).toMatch(/still-42/);
    expect((await task()).status).toBe('running');
    socket.close();
    expect(await waitTask(lab, auth, answer.upid, 10_000)).toMatchObject({ exitstatus: 'OK' });
  });

  it('relays a 128 KiB frame and drops the connection on a larger or a fragmented one', async () => {
    const { socket, reader, closed } = await session(nodeApi('pve1'));
    const command = 'echo frame-$((6*7))\r';
    socket.send(Buffer.from(`0:${Buffer.byteLength(command)}:${command}`));
    expect(await reader.readUntil(/frame-42/, 10_000)).toMatch(/frame-42/);
    // 128 KiB of termproxy pings (`2`): the largest frame pveproxy takes.
    socket.send(Buffer.alloc(131_072, 0x32));
    socket.send(Buffer.from(`0:${Buffer.byteLength(command)}:${command}`));
    expect(await reader.readUntil(/frame-42/, 10_000)).toMatch(/frame-42/);
    socket.send(Buffer.alloc(131_073, 0x32));
    await closed;

    const second = await session(nodeApi('pve1'));
    second.socket.send(Buffer.from('0:1:'), { fin: false });
    second.socket.send(Buffer.from('x'), { fin: true });
    await second.closed;
  }, 30_000);
});

/** A small multipart ISO upload to `node`'s `local` storage, sent to the listener at `via`. */
function upload(via: string, node: string, filename: string): Promise<{ status: number; message?: string }> {
  const boundary = `----lab${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="content"\r\n\r\niso\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="filename"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    randomBytes(4096),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise((resolve, reject) => {
    const req = request(
      `${via}/api2/json/nodes/${node}/storage/local/upload`,
      { method: 'POST', ca: lab.ca, headers: { Authorization: `PVEAPIToken=${auth.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(JSON.parse(Buffer.concat(chunks).toString()) as { message?: string }) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
