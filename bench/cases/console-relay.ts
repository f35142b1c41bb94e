/**
 * The console relay against the bytes' own speed and against websockify (the bridge noVNC users run), on loopback:
 * a byte pump (bench/cases/console-relay/byte-pump.ts, a process of its own as QEMU is) read
 *   (a) over raw TCP,
 *   (b) through websockify in front of it,
 *   (c) through the app's relay in front of it (in a process of its own, as in Electron's main process),
 *   (d) through socat (a TCP proxy in C with 1 MiB buffers, no WebSocket at all), read over TCP,
 *   (e) through a splice(2) proxy (bench/cases/console-relay/splice-proxy.py: bytes moved between the sockets by the
 *       kernel, never copied into the proxy), read over TCP,
 * (d) and (e) are not judged: they show what any process in the middle costs on this machine, the bound of what a
 * relay can reach beside raw TCP;
 * with the same WebSocket client (`ws`) for (b) and (c), in rotating order each round. Targets (issue 12): the relay
 * moves ≥ 0.9 × raw TCP's throughput and more than websockify's, and adds ≤ 0.5 ms to a ping's median round trip.
 * Then, for information only, the whole VNC path of the app: viewer WebSocket → relay → TLS → the lab's
 * `vncwebsocket` → QEMU, timing whole-screen raw updates of the lab's running Linux guest.
 */
import { join } from 'node:path';
import { call, repoRoot, waitTask, type RunningLab } from '../../lab/api/lab-harness';
import { freeTcpPort } from '../../lab/qemu/free-port';
import { startLabServices } from '../../electron/services/testing';
import { median, type BenchResult } from '../measure';
import { lineFrom, spawnScript, spawnTied, waitForListener, type Child } from './console-relay/children';
import { bridgeBulk, bridgePings, rawBulk, rawPings, type BridgeUrl } from './console-relay/pump-clients';
import { settledUsage, usageBetween, type ProcessUsage } from './console-relay/process-usage';
import { pumpBytes } from './console-relay/pump-protocol';
import { measureVncPath } from './console-relay/vnc-full-path';

const targets = { rawRatio: 0.9, websockifyRatio: 1, addedPingMs: 0.5 };
/** Bulk rounds are 1 GiB per path: three give a median and keep the case within two minutes on a busy machine. */
const maxBulkRounds = 3;
const pingsPerRound = 500;
const fullPathFrames = 30;
const oursLabel = 'relay';
const MiB = 1024 * 1024;

type Path = 'raw' | 'websockify' | 'relay' | 'socat' | 'splice';
const paths: Path[] = ['raw', 'websockify', 'relay', 'socat', 'splice'];
type Bridge = Exclude<Path, 'raw'>;
const pathLabels: Record<Path, string> = {
  raw: 'raw TCP',
  websockify: 'websockify',
  relay: oursLabel,
  socat: 'socat TCP proxy',
  splice: 'splice(2) TCP proxy',
};

interface PathClient {
  bulk(): Promise<number>;
  pings(count: number): Promise<number[]>;
  /** The bridge's process, whose CPU and page faults are read around each bulk run. */
  pid?: number;
}

export async function consoleRelayResults(lab: RunningLab, rounds: number): Promise<{ label: string; results: BenchResult[] }> {
  const children: Child[] = [];
  try {
    const pump = spawnScript('byte-pump.ts', [], ['ignore', 'pipe', 'inherit']);
    children.push(pump);
    const pumpPort = Number(await lineFrom(pump, 'PUMP '));
    const websockify = await startBridge('websockify', (port) => [`127.0.0.1:${port}`, `127.0.0.1:${pumpPort}`]);
    children.push(websockify.child);
    const websockifyUrl: BridgeUrl = { url: `ws://127.0.0.1:${websockify.port}/`, protocols: ['binary'] };
    const relay = await startRelayHost(pumpPort);
    children.push(relay.child);
    const socat = await startBridge('socat', (port) => ['-b', String(MiB), `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `TCP:127.0.0.1:${pumpPort}`]);
    children.push(socat.child);
    const splice = await startBridge('python3', (port) => [join(repoRoot, 'bench/cases/console-relay/splice-proxy.py'), String(port), String(pumpPort)]);
    children.push(splice.child);

    const clients: Record<Path, PathClient> = {
      raw: { bulk: () => rawBulk(pumpPort), pings: (count) => rawPings(pumpPort, count) },
      websockify: { bulk: () => bridgeBulk(websockifyUrl), pings: (count) => bridgePings(websockifyUrl, count), pid: websockify.child.process.pid },
      relay: {
        bulk: async () => bridgeBulk(await relay.issue()),
        pings: async (count) => bridgePings(await relay.issue(), count),
        pid: relay.child.process.pid,
      },
      socat: tcpProxyClient(socat),
      splice: tcpProxyClient(splice),
    };
    const measured = await measurePaths(clients, Math.min(rounds, maxBulkRounds));
    const results = judge(measured);
    await printFullPath(lab);
    return { label: oursLabel, results };
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

interface Measured {
  /** Median MiB/s of the bulk transfer. */
  throughput: Record<Path, number>;
  /** Median ping round trip, ms. */
  pingP50: Record<Path, number>;
  /** Median CPU time and minor page faults of each bridge's process per bulk run (1 GiB), for reading the figures. */
  usage: Record<Bridge, ProcessUsage>;
}

/**
 * Unmeasured pings per path first (connections, JIT), then `rounds` rounds each starting with the next path. No bulk
 * warm-up: its first hundred MiB warm the same code, and a gibibyte more per path would double the case's time.
 */
async function measurePaths(clients: Record<Path, PathClient>, rounds: number): Promise<Measured> {
  const bulkMs: Record<Path, number[]> = { raw: [], websockify: [], relay: [], socat: [], splice: [] };
  const pings: Record<Path, number[]> = { raw: [], websockify: [], relay: [], socat: [], splice: [] };
  const usage: Record<Bridge, ProcessUsage[]> = { websockify: [], relay: [], socat: [], splice: [] };
  for (const path of paths) await clients[path].pings(pingsPerRound / 5);
  for (let round = 0; round < rounds; round++) {
    const order = paths.map((_, index) => paths[(index + round) % paths.length] ?? 'raw');
    for (const path of order) {
      const pid = clients[path].pid;
      if (path === 'raw' || pid === undefined) {
        bulkMs[path].push(await clients[path].bulk());
        continue;
      }
      const before = await settledUsage(pid);
      bulkMs[path].push(await clients[path].bulk());
      usage[path].push(usageBetween(before, await settledUsage(pid)));
    }
    for (const path of order) pings[path].push(...(await clients[path].pings(pingsPerRound)));
  }
  const perPath = <T>(figure: (path: Path) => T): Record<Path, T> => ({
    raw: figure('raw'),
    websockify: figure('websockify'),
    relay: figure('relay'),
    socat: figure('socat'),
    splice: figure('splice'),
  });
  return {
    throughput: perPath((path) => pumpBytes / MiB / (median(bulkMs[path]) / 1000)),
    pingP50: perPath((path) => median(pings[path])),
    usage: {
      websockify: medianUsage(usage.websockify),
      relay: medianUsage(usage.relay),
      socat: medianUsage(usage.socat),
      splice: medianUsage(usage.splice),
    },
  };
}

function medianUsage(runs: ProcessUsage[]): ProcessUsage {
  return { cpuMs: median(runs.map((run) => run.cpuMs)), minorFaults: median(runs.map((run) => run.minorFaults)) };
}

function judge({ throughput, pingP50, usage }: Measured): BenchResult[] {
  const mibs = (value: number): string => `${value.toFixed(0)} MiB/s`;
  const ms = (value: number): string => `${value.toFixed(3)} ms p50`;
  const added = pingP50.relay - pingP50.raw;
  const results: BenchResult[] = [
    {
      name: 'Console relay throughput, 1 GiB from the byte pump',
      ours: mibs(throughput.relay),
      peer: mibs(throughput.raw),
      peerLabel: pathLabels.raw,
      ratio: throughput.relay / throughput.raw,
      limit: `≥ ${targets.rawRatio} × raw TCP`,
      pass: throughput.relay / throughput.raw >= targets.rawRatio,
    },
    {
      name: 'Console relay throughput against websockify',
      ours: mibs(throughput.relay),
      peer: mibs(throughput.websockify),
      peerLabel: pathLabels.websockify,
      ratio: throughput.relay / throughput.websockify,
      limit: `> ${targets.websockifyRatio} × websockify`,
      pass: throughput.relay / throughput.websockify > targets.websockifyRatio,
    },
    {
      name: `Console relay ping round trip (${pingsPerRound}-ping rounds)`,
      ours: `${ms(pingP50.relay)} (+${added.toFixed(3)} ms)`,
      peer: ms(pingP50.raw),
      peerLabel: pathLabels.raw,
      ratio: pingP50.relay / pingP50.raw,
      limit: `≤ raw TCP + ${targets.addedPingMs} ms`,
      pass: added <= targets.addedPingMs,
    },
  ];
  // The peers against each other, for reading the figures above: not judged.
  console.log(
    `  websockify: ${mibs(throughput.websockify)} = ${(throughput.websockify / throughput.raw).toFixed(2)} × raw TCP; ` +
      `ping ${ms(pingP50.websockify)} (+${(pingP50.websockify - pingP50.raw).toFixed(3)} ms over raw TCP; relay/websockify ${(pingP50.relay / pingP50.websockify).toFixed(2)})`,
  );
  console.log(
    `  TCP proxies with no WebSocket, the bound of what a process in the middle reaches here: ` +
      `socat (C, 1 MiB buffers) ${mibs(throughput.socat)} = ${(throughput.socat / throughput.raw).toFixed(2)} × raw TCP; ` +
      `splice(2), no copy at all, ${mibs(throughput.splice)} = ${(throughput.splice / throughput.raw).toFixed(2)} × raw TCP; ` +
      `relay/socat ${(throughput.relay / throughput.socat).toFixed(2)}`,
  );
  const spent = (bridge: Bridge): string => `${usage[bridge].cpuMs.toFixed(0)} ms CPU, ${usage[bridge].minorFaults.toFixed(0)} minor page faults`;
  console.log(
    `  per GiB, the bridge's process: relay ${spent('relay')}; websockify ${spent('websockify')}; socat ${spent('socat')}; splice ${spent('splice')}; ` +
      `relay/websockify CPU ${(usage.relay.cpuMs / usage.websockify.cpuMs).toFixed(2)}`,
  );
  return results;
}

/** A bridge in front of the pump (websockify, socat, the splice proxy), listening on the free loopback port given to `args`. */
async function startBridge(command: string, args: (port: number) => string[]): Promise<{ child: Child; port: number }> {
  const port = await freeTcpPort();
  const child = spawnTied(command, args(port), ['ignore', 'ignore', 'ignore']);
  try {
    await waitForListener(port);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { child, port };
}

/** A TCP proxy is read as raw TCP is, through its port; its process is the one whose usage is read. */
function tcpProxyClient(proxy: { child: Child; port: number }): PathClient {
  return { bulk: () => rawBulk(proxy.port), pings: (count) => rawPings(proxy.port, count), pid: proxy.child.process.pid };
}

/**
 * The relay's process. `PVE_DESK_BENCH_RELAY_PROFILE=1` runs it under `--cpu-prof` (the profile lands in
 * test-output/relay-profile when the bench ends) to see where the relay spends its time.
 */
async function startRelayHost(pumpPort: number): Promise<{ child: Child; issue(): Promise<BridgeUrl> }> {
  const profile = process.env.PVE_DESK_BENCH_RELAY_PROFILE === '1' ? ['--cpu-prof', '--cpu-prof-dir', join(repoRoot, 'test-output/relay-profile')] : [];
  const tied = spawnScript('relay-host.ts', [String(pumpPort)], ['ignore', 'inherit', 'inherit', 'ipc'], profile);
  const host = tied.process;
  const child: Child = {
    process: host,
    // Disconnecting lets the host close the relay and exit by itself, which is when Node writes a CPU profile.
    async stop() {
      if (host.exitCode !== null || host.signalCode !== null) return;
      const exited = new Promise((resolve) => host.once('exit', resolve));
      if (host.connected) host.disconnect();
      const timer = setTimeout(() => void tied.stop(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  await new Promise<void>((resolve, reject) => {
    host.once('message', () => resolve());
    host.once('exit', (code) => reject(new Error(`the relay host exited with ${code ?? 'a signal'} before it was ready`)));
  });
  return {
    child,
    issue: () =>
      new Promise((resolve) => {
        host.once('message', (answer) => resolve(answer as BridgeUrl));
        host.send('issue');
      }),
  };
}

/** The full VNC path through the app's services, for information: what a user's viewer gets from the lab's QEMU. */
async function printFullPath(lab: RunningLab): Promise<void> {
  let guest: RunningGuest | undefined;
  try {
    guest = await runningLinuxGuest(lab);
    const services = await startLabServices(lab.ready, 'bench-console-relay');
    try {
      const profileId = await services.connect('bench', lab.ready.accounts.root);
      const session = await services.ipc('consoles.open', { kind: 'vnc', profileId, node: guest.node, vmid: guest.vmid });
      const figures = await measureVncPath(session, fullPathFrames);
      const p50 = median(figures.roundTripsMs);
      console.log(
        `  full VNC path (viewer WebSocket → relay → TLS → lab vncwebsocket → QEMU), for information: ` +
          `${figures.width}×${figures.height} raw frame of ${(figures.frameBytes / MiB).toFixed(2)} MiB, ` +
          `update round trip ${p50.toFixed(1)} ms p50, ${(figures.frameBytes / MiB / (p50 / 1000)).toFixed(0)} MiB/s of whole updates`,
      );
    } finally {
      await services.services.close();
    }
  } catch (error) {
    console.log(`  full VNC path: not measured: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await guest?.release();
  }
}

interface RunningGuest {
  node: string;
  vmid: number;
  release(): Promise<void>;
}

/** Guest 100 (debian-lab) running on its node; started here, and stopped again by `release`, when the lab left it stopped. */
async function runningLinuxGuest(lab: RunningLab): Promise<RunningGuest> {
  const auth = { token: lab.ready.accounts.token.value };
  const vmid = 100;
  const answer = await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } });
  const guest = (answer.body.data as { vmid?: number; node?: string; status?: string }[]).find((item) => item.vmid === vmid);
  if (guest?.node === undefined) throw new Error(`the lab has no guest ${vmid}`);
  const node = guest.node;
  const power = async (action: 'start' | 'stop'): Promise<void> => {
    const started = await call(lab, 'POST', `/nodes/${node}/qemu/${vmid}/status/${action}`, { auth });
    const outcome = await waitTask(lab, auth, String(started.body.data));
    if (outcome.exitstatus !== 'OK') throw new Error(`${action} of guest ${vmid}: ${outcome.exitstatus}`);
  };
  if (guest.status === 'running') return { node, vmid, release: () => Promise.resolve() };
  await power('start');
  return { node, vmid, release: () => power('stop') };
}
