import type { LabClock } from './lab-clock';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:https';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { SpiceTlsMaterial } from '../contracts';
import type { GuestImage } from '../guest-image/build-guest-image';
import { createQemuRuntime } from '../qemu/runtime';
import { buildRouter } from '../api/routes';
import { handleConsoleUpgrade } from '../api/routes/consoles';
import { createApiServer } from '../api/server';
import { ensureVolumes } from './disks';
import { AccessControlList } from './acl';
import { AccountStore, SEEDED, type AccountSecrets } from './accounts';
import { FaultSwitch } from './faults';
import { HostileSwitch } from './hostile';
import { ClusterModel, type LabNode } from './model';
import { applyPending } from './pending';
import type { PveRelease } from './pve-release';
import { builtinRolesOf } from './roles';
import { startConsoleGateway } from '../consoles/gateway';
import { startNodeSshd, type NodeSshd } from '../ssh/node-sshd';
import { keyPairAt } from '../ssh/openssh-server';
import { addSyntheticGuests, seedInstitute } from './seed';
import type { ClusterServices } from './services';
import { StatsCollector } from './stats';
import { StorageRegistry } from './storage';
import { TaskRegistry } from './tasks';
import { TicketSigner } from './tickets';
import { clusterCa, nodeCertificate, type NodeCertificate } from './tls';

export interface ClusterOptions {
  name: string;
  index: number;
  nodeNames: string[];
  dir: string;
  /** 0 = ephemeral ports (tests running in parallel). */
  apiPort: number;
  nodePortBase: number;
  spiceProxyPort: number;
  syntheticGuests: number;
  ticketLifetimeSeconds: number;
  /** What tickets are issued and aged by; tests move it forward. */
  clock: LabClock;
  authFailureDelayMs: number;
  unreachableNodeDelayMs: number;
  release: PveRelease;
  secrets: AccountSecrets;
  saveSecrets: () => void;
  spiceTls: SpiceTlsMaterial;
  guestImage: GuestImage | undefined;
  /** How many onboot guests may run at once (the lab machine has few cores). */
  maxRunningGuests: number;
  log: (line: string) => void;
}

export interface ClusterInfo {
  name: string;
  api: string;
  /** The certificate the cluster address presents first: the first node's. */
  fingerprint: string;
  /** Path of the cluster CA (PEM): trusting it trusts every node's certificate. */
  certificate: string;
  ca: { path: string; fingerprint: string };
  proxy: string;
  nodes: {
    name: string;
    api: string;
    fingerprint: string;
    ssh: { host: string; port: number; address: string; user: string; key: string; hostKeyFingerprint: string };
  }[];
}

export interface RunningCluster {
  services: ClusterServices;
  info: ClusterInfo;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Builds and starts one cluster: model, API listeners (cluster + one per node), QEMU runtime, console gateway, sshd per node. */
export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const { dir, name } = options;
  mkdirSync(dir, { recursive: true });
  const nodeDir = (node: string): string => join(dir, 'nodes', node);
  const nodes: LabNode[] = options.nodeNames.map((node, i) => ({
    name: node,
    cluster: name,
    dir: nodeDir(node),
    online: true,
    maxcpu: cpus().length,
    maxmem: totalmem(),
    ip: '127.0.0.1',
    nodeid: i + 1,
  }));
  for (const node of nodes) mkdirSync(node.dir, { recursive: true });

  const model = new ClusterModel(name, nodes, ClusterModel.fileIn(dir));
  if (!model.load()) seedInstitute(model);
  addSyntheticGuests(model, options.syntheticGuests);

  const storage = new StorageRegistry(dir, nodeDir);
  storage.prepare(nodes.map((n) => n.name));
  const accounts = new AccountStore(options.secrets, options.saveSecrets);
  const acl = new AccessControlList({ poolOfVm: (vmid) => model.guests.get(vmid)?.pool, poolOfStorage: () => undefined }, builtinRolesOf(options.release.name));
  acl.add({ path: '/', ugid: SEEDED.admin, role: 'PVEAdmin', propagate: true });
  acl.add({ path: `/pool/${SEEDED.userPool}`, ugid: SEEDED.user, role: 'PVEVMUser', propagate: true });
  acl.add({ path: '/', ugid: SEEDED.tfa, role: 'PVEAuditor', propagate: true });

  const signer = new TicketSigner(dir, options.clock.now);
  const ca = await clusterCa(dir, name);
  const certificates = new Map<string, NodeCertificate>();
  for (const node of nodes) certificates.set(node.name, await nodeCertificate(node.dir, node.name, ca));
  const certificateOf = (node: string): NodeCertificate => {
    const certificate = certificates.get(node);
    if (!certificate) throw new Error(`no certificate for node ${node}`);
    return certificate;
  };
  const faults = new FaultSwitch();
  for (const node of nodes)
    faults
      .on('offline', (n) => {
        if (n === node.name) node.online = false;
      })
      .on('online', (n) => {
        if (n === node.name) node.online = true;
      });

  const runtime = createQemuRuntime({
    stateDir: join(dir, 'qemu'),
    nodes: () => nodes,
    resolveVolume: (volid, node) => storage.resolve(volid, node),
    spiceTls: options.spiceTls,
    ...(options.guestImage ? { guestImage: options.guestImage } : {}),
    guestPassword: options.secrets.guestPassword,
    log: (line) => options.log(`[${name}/qemu] ${line}`),
  });

  const gateway = await startConsoleGateway({
    signingKey: randomBytes(32),
    // PVE's node shell is a root login shell on the node; the lab's runs in the node's folder.
    nodeShell: (node: string) => ({
      command: '/bin/bash',
      args: ['--norc', '--noprofile', '-i'],
      cwd: nodeDir(node),
      env: { LAB_NODE: node, PS1: `root@${node}:\\w# ` },
    }),
    log: (line) => options.log(`[${name}/consoles] ${line}`),
    spiceProxyPort: options.spiceProxyPort,
  });

  const tasks = new TaskRegistry();
  const stats = new StatsCollector(model, runtime);
  const nodePorts = new Map<string, number>();
  const services: ClusterServices = {
    model,
    storage,
    accounts,
    acl,
    signer,
    tasks,
    runtime,
    gateway,
    faults,
    hostile: new HostileSwitch(model),
    stats,
    spiceTls: options.spiceTls,
    ticketLifetimeSeconds: options.ticketLifetimeSeconds,
    release: options.release,
    authFailureDelayMs: options.authFailureDelayMs,
    unreachableNodeDelayMs: options.unreachableNodeDelayMs,
    nodeFingerprint: (node) => certificates.get(node)?.fingerprint,
    caPem: ca.pem,
    nodeApiPort: (node) => nodePorts.get(node),
  };

  const router = buildRouter();
  const tlsOf = (node: string): { key: string; cert: string } => ({ key: certificateOf(node).key, cert: certificateOf(node).pem });
  // The cluster address stands for the first online node, so it presents that node's certificate.
  const firstOnline = (): string => nodes.find((n) => n.online)?.name ?? nodes[0]?.name ?? '';
  const clusterServer = createApiServer({ lab: services, router, tls: tlsOf(firstOnline()), upgrade: handleConsoleUpgrade });
  const presentFirstOnline = (): void => clusterServer.setSecureContext(tlsOf(firstOnline()));
  faults.on('offline', presentFirstOnline).on('online', presentFirstOnline);
  const apiPort = await listen(clusterServer, options.apiPort);
  const nodeServers = new Map<string, Server>();
  for (const [i, node] of nodes.entries()) {
    const server = createApiServer({ lab: services, router, tls: tlsOf(node.name), upgrade: handleConsoleUpgrade, node: node.name });
    nodeServers.set(node.name, server);
    nodePorts.set(node.name, await listen(server, options.nodePortBase === 0 ? 0 : options.nodePortBase + i));
  }
  // Offline node: its own listener refuses connections, as a powered-off PVE node would.
  faults.on('offline', (node) => {
    const server = nodeServers.get(node);
    if (server) void closeServer(server);
  });
  faults.on('online', (node) => {
    const server = nodeServers.get(node);
    const port = nodePorts.get(node);
    if (server && port && !server.listening)
      void listen(server, port).catch((error: unknown) => options.log(`cannot reopen ${node}:${port}: ${String(error)}`));
  });

  const apiUrl = `https://127.0.0.1:${apiPort}`;
  const sshds: NodeSshd[] = [];
  // Created before the nodes start in parallel, which would otherwise race to make it.
  mkdirSync(join(dir, 'ssh'), { recursive: true, mode: 0o700 });
  const clusterKey = await keyPairAt(join(dir, 'ssh', 'id_ed25519'), `root@${name}`);
  const nodeInfo = async (node: LabNode): Promise<ClusterInfo['nodes'][number]> => {
    const env: Record<string, string> = {
      LAB_API: apiUrl,
      LAB_TOKEN: `${SEEDED.tokenid}=${options.secrets.tokenSecret}`,
      LAB_CACERT: ca.path,
      LAB_NODE: node.name,
    };
    for (const s of storage.storages) env[`LAB_STORAGE_${s.id.toUpperCase()}`] = s.pathOn(node.name);
    const sshd = await startNodeSshd({ node: node.name, stateDir: join(node.dir, 'ssh'), clientKeyPath: clusterKey.privateKeyPath, env });
    sshds.push(sshd);
    return {
      name: node.name,
      api: `https://127.0.0.1:${nodePorts.get(node.name) ?? 0}`,
      fingerprint: certificateOf(node.name).fingerprint,
      ssh: {
        host: '127.0.0.1',
        port: sshd.port,
        address: `127.0.0.1:${sshd.port}`,
        user: sshd.user,
        key: sshd.privateKeyPath,
        hostKeyFingerprint: sshd.hostKeyFingerprint,
      },
    };
  };
  const info: ClusterInfo = {
    name,
    api: apiUrl,
    fingerprint: certificateOf(nodes[0]?.name ?? '').fingerprint,
    certificate: ca.path,
    ca: { path: ca.path, fingerprint: ca.fingerprint },
    proxy: `http://127.0.0.1:${gateway.spiceProxyPort()}`,
    nodes: await Promise.all(nodes.map(nodeInfo)),
  };

  stats.start();
  await startOnbootGuests(services, options);

  return {
    services,
    info,
    async close() {
      stats.stop();
      model.saveNow();
      // The gateway with the listeners: it owns the upgraded console sockets a listener's close() would wait for.
      await Promise.allSettled([gateway.close(), closeServer(clusterServer), ...[...nodeServers.values()].map(closeServer)]);
      await Promise.allSettled([runtime.shutdownAll(), ...sshds.map((s) => s.close())]);
    },
  };
}

/** PVE's `startall` at boot: guests with `onboot: 1`, bounded by what the machine can run. */
async function startOnbootGuests(services: ClusterServices, options: ClusterOptions): Promise<void> {
  const onboot = [...services.model.guests.values()].filter((g) => g.config.onboot === '1' && g.config.template !== '1').slice(0, options.maxRunningGuests);
  if (onboot.length === 0) return;
  const task = services.tasks.start({ node: services.model.nodes[0]?.name ?? '', type: 'startall', id: '', user: 'root@pam' }, async (t) => {
    await Promise.all(
      onboot.map(async (guest) => {
        t.log(`Starting VM ${guest.vmid}`);
        applyPending(guest, (volid) => rmSync(services.storage.resolve(volid, guest.node), { force: true }));
        await ensureVolumes(services.storage, guest.config, guest.node, t.log);
        await services.runtime.start({ vmid: guest.vmid, node: guest.node, config: { ...guest.config } }, t);
      }),
    );
  });
  await task.done;
  if (task.exitstatus !== 'OK') options.log(`[${options.name}] onboot start: ${task.exitstatus ?? ''}`);
}
