/**
 * One SPICE channel's upstream without QEMU: the lab's CONNECT proxy in front of a TLS echo server that presents a
 * certificate made as the lab makes QEMU's (its own CA, PVE's host-subject), and the path steps before it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type PeerCertificate, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpiceConnectProxy } from '../../../../lab/consoles/spice-connect-proxy';
import { createCa } from '../../../../lab/openssl-certificates';
import { prepareSpiceTls } from '../../../../lab/qemu/spice-tls';
import { ConnectRefusedError, connectRequest, connectThroughProxy } from './connect-proxy';
import { connectTcp, healSpicePath, proxyAddressOf } from './spice-path';
import { SpiceCertificateError, certificateRdns, startSpiceTls, subjectRdns } from './spice-tls';

const goodTicket = 'pvespiceproxy:65f0a1b2:101:pve2::0a1b';
const hostSubject = 'OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve2.lab';

let spicePort: TlsServer;
let proxy: SpiceConnectProxy;
let ca: string;
let otherCa: string;
const proxyLog: string[] = [];

function portOf(server: Server | TlsServer): number {
  return (server.address() as { port: number }).port;
}

async function listen<T extends Server | TlsServer>(server: T): Promise<T> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'pve-desk-spice-tls-'));
  const material = await prepareSpiceTls(folder, hostSubject);
  ca = material.caPem.trim().replace(/\n/g, '\\n');
  await createCa({ keyPath: join(folder, 'other-key.pem'), certPath: join(folder, 'other-ca.pem') }, '/O=Another/CN=Another CA');
  otherCa = readFileSync(join(folder, 'other-ca.pem'), 'utf8').trim().replace(/\n/g, '\\n');
  // QEMU's SPICE TLS port, answering each line with itself.
  spicePort = await listen(
    createTlsServer({ key: readFileSync(join(folder, 'server-key.pem')), cert: readFileSync(join(folder, 'server-cert.pem')) }, (socket) =>
      socket.pipe(socket),
    ),
  );
  proxy = new SpiceConnectProxy({
    port: 0,
    verifyTicket: (ticket) =>
      ticket === goodTicket ? { ok: true, target: { node: 'pve2', vmid: 101, tlsPort: portOf(spicePort) } } : { ok: false, reason: 'bad signature' },
    upstreamHost: '127.0.0.1',
    headerTimeoutMs: 5_000,
    log: (line) => proxyLog.push(line),
  });
  await proxy.ready;
});

afterAll(async () => {
  await proxy?.close();
  spicePort?.close();
});

async function channel(trust: { ca: string; hostSubject: string }, ticket = goodTicket): Promise<string> {
  const socket = await connectTcp('127.0.0.1', proxy.port, 2_000);
  try {
    await connectThroughProxy(socket, ticket, portOf(spicePort), 2_000);
    const tls = await startSpiceTls(socket, trust, 2_000);
    tls.write('REDQ');
    const echoed = await new Promise<string>((resolve) => tls.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    tls.destroy();
    return echoed;
  } finally {
    socket.destroy();
  }
}

describe('CONNECT and TLS of one SPICE channel', () => {
  it('sends the CONNECT line and Host header spice-gtk sends', () => {
    expect(connectRequest('pvespiceproxy:abc::def', 61000)).toBe('CONNECT pvespiceproxy:abc::def:61000 HTTP/1.0\r\nHost: pvespiceproxy:abc::def:61000\r\n\r\n');
  });

  it('reaches the SPICE port through the proxy and trusts it with the answer CA and host-subject', async () => {
    expect(await channel({ ca, hostSubject })).toBe('REDQ');
    expect(proxyLog.at(-1)).toContain('channel connected');
  });

  it('compares the subject RDN by RDN, not as a string', async () => {
    expect(await channel({ ca, hostSubject: 'CN=pve2.lab, O=Proxmox Virtual Environment, OU=PVE Cluster Node' })).toBe('REDQ');
  });

  it('refuses a certificate not signed by the answer CA', async () => {
    const refusal = channel({ ca: otherCa, hostSubject });
    await expect(refusal).rejects.toBeInstanceOf(SpiceCertificateError);
    await expect(refusal).rejects.toMatchObject({ problem: 'untrusted' });
  });

  it.each([
    ['another node', 'OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve3.lab'],
    ['an RDN missing', 'O=Proxmox Virtual Environment,CN=pve2.lab'],
    ['an RDN more', 'OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve2.lab,C=FR'],
  ])('refuses a certificate whose subject is not the host-subject (%s)', async (_name, subject) => {
    await expect(channel({ ca, hostSubject: subject })).rejects.toMatchObject({ name: 'SpiceCertificateError', problem: 'subject' });
  });

  it('reports the proxy refusing a ticket with its status', async () => {
    const refusal = channel({ ca, hostSubject }, 'pvespiceproxy:forged');
    await expect(refusal).rejects.toBeInstanceOf(ConnectRefusedError);
    await expect(refusal).rejects.toMatchObject({ status: 401 });
  });

  it('reads subjects with escaped commas, and certificate subjects with repeated fields', () => {
    expect(subjectRdns('O=Acme\\, Inc.,cn=host')).toEqual(['CN=host', 'O=Acme, Inc.']);
    expect(certificateRdns({ subject: { OU: ['b', 'a'], CN: 'x' } as unknown as PeerCertificate['subject'] })).toEqual(['CN=x', 'OU=a', 'OU=b']);
  });
});

describe('the SPICE proxy path', () => {
  async function deadPort(): Promise<number> {
    const server = await listen(createServer());
    const port = portOf(server);
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it('reads the proxy of the answer, with PVE’s port 3128 when it names none', () => {
    expect(proxyAddressOf('http://pve.example.com:3128')).toEqual({ host: 'pve.example.com', port: 3128 });
    expect(proxyAddressOf('http://[2001:db8::1]:3128')).toEqual({ host: '2001:db8::1', port: 3128 });
    expect(proxyAddressOf('http://10.0.0.1')).toEqual({ host: '10.0.0.1', port: 3128 });
    expect(() => proxyAddressOf('not a url')).toThrow(/not a URL/);
  });

  it('keeps the answered proxy when it answers, and tries nothing else', async () => {
    const tunnels: string[] = [];
    const route = await healSpicePath({
      answered: { host: '127.0.0.1', port: proxy.port },
      apiHost: '127.0.0.2',
      sshTunnel: (host, port) => {
        tunnels.push(`${host}:${port}`);
        return Promise.reject(new Error('no SSH'));
      },
      timeoutMs: 2_000,
    });
    expect(route.path).toEqual({ via: 'answered', address: `127.0.0.1:${proxy.port}`, unreachable: [] });
    expect(tunnels).toEqual([]);
  });

  it('goes through SSH to the node’s proxy on the answered port when neither address answers', async () => {
    const port = proxy.port;
    const tunnels: string[] = [];
    const route = await healSpicePath({
      answered: { host: '127.0.0.2', port },
      apiHost: '127.0.0.3',
      sshTunnel: (host, tunnelPort) => {
        tunnels.push(`${host}:${tunnelPort}`);
        return connectTcp(host, tunnelPort, 2_000);
      },
      timeoutMs: 2_000,
    });
    expect(route.path).toEqual({ via: 'ssh-tunnel', address: `127.0.0.1:${port}`, unreachable: [`127.0.0.2:${port}`, `127.0.0.3:${port}`] });
    // Once to find the path; every channel then opens its own tunnel.
    expect(tunnels).toEqual([`127.0.0.1:${port}`]);
    (await route.open()).destroy();
    expect(tunnels).toHaveLength(2);
  });

  it('does not try the API host twice when it is the answered address', async () => {
    const port = await deadPort();
    await expect(
      healSpicePath({ answered: { host: '127.0.0.1', port }, apiHost: '127.0.0.1', sshTunnel: () => Promise.reject(new Error('no SSH')), timeoutMs: 2_000 }),
    ).rejects.toMatchObject({
      code: 'UNREACHABLE',
      message: expect.stringMatching(
        new RegExp(`^The SPICE proxy could not be reached \\(127\\.0\\.0\\.1:${port}: .*; 127\\.0\\.0\\.1:${port} through SSH to the node: no SSH\\)`),
      ) as unknown,
    });
  });
});
