/**
 * `npm run soak`: 1 000 hostile connections of mixed kinds against the web
 * host (real services, temporary config folder, in a child process) while a
 * normal tab keeps calling. Passes when every call of the normal tab
 * succeeds, the host is alive at the end, and its heap after the attack is
 * back near its baseline. Prints the figures; exits 1 on failure.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  connectClient,
  frame,
  malformedFrames,
  outcome,
  rawConnect,
  rawWebSocket,
  upgradeRequest,
  type RawClient,
  type TestClient,
} from '../electron/host/testing';
import type { HostMemory, MemoryRequest, SoakHostMessage } from './soak-host';

const hostileConnections = Number(process.env.PVE_DESK_SOAK_CONNECTIONS ?? 1000);
/** Hostile connections under way at once. */
const concurrency = 40;
/** How long a hostile client waits for the host to end its connection before ending it itself. */
const patienceMs = 15_000;
/** The heap after the attack may exceed the baseline by this much (caches warmed by the first calls, JIT). */
const heapMarginBytes = 8 * 1024 * 1024;

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the host to close a raw connection; destroys it after `patienceMs`. Says whether the host closed it. */
async function closedByHost(client: RawClient): Promise<boolean> {
  const closed = await Promise.race([client.closed.then(() => true), sleep(patienceMs).then(() => false)]);
  if (!closed) client.socket.destroy();
  return closed;
}

type Attack = (port: number, credential: string) => Promise<boolean>;

/** Each attack resolves true when it ended as the host must end it: refused, cut, closed, or (a flood) every call answered. */
const attacks: Record<string, Attack> = {
  'upgrade target the URL parser rejects': async (port, credential) => {
    const client = await rawConnect(port);
    client.socket.write(upgradeRequest(port, credential, '//['));
    return closedByHost(client);
  },
  'reset right after a refused upgrade': async (port, credential) => {
    const client = await rawConnect(port);
    client.socket.write(upgradeRequest(port, credential, '/elsewhere'));
    client.socket.resetAndDestroy();
    await client.closed;
    return true;
  },
  'slowloris (headers never finished)': async (port) => {
    const client = await rawConnect(port);
    client.socket.write(`GET /ipc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
    const drip = setInterval(() => client.socket.write('X-Drip: 1\r\n'), 500);
    const closed = await closedByHost(client);
    clearInterval(drip);
    return closed;
  },
  'wrong token': async (port) => (await outcome(port, 'f'.repeat(64))).close !== undefined,
  'foreign Origin': async (port, credential) => (await outcome(port, credential, 'http://evil.example')).status !== undefined,
  'flood of calls': async (port, credential) => {
    const client = await connectClient(port, credential).catch(() => null);
    if (client === null) return true;
    const answers = await Promise.all(Array.from({ length: 300 }, () => client.call('connections.list')));
    await client.close();
    return answers.length === 300;
  },
  'never reads': async (port, credential) => {
    const client = await rawWebSocket(port, credential).catch(() => null);
    if (client === null) return true;
    client.socket.pause();
    const call = frame({ opcode: 0x1, payload: Buffer.from(JSON.stringify({ id: 1, method: 'app.info', input: {} })) });
    const batch = Buffer.concat(Array.from({ length: 2000 }, () => call));
    let closed = false;
    void client.closed.then(() => (closed = true));
    for (let sent = 0; sent < 100 && !closed; sent++) {
      client.socket.write(batch);
      await sleep(20);
    }
    return closedByHost(client);
  },
  ...Object.fromEntries(
    Object.entries(malformedFrames).map(([kind, bytes]): [string, Attack] => [
      kind,
      async (port, credential) => {
        const client = await rawWebSocket(port, credential).catch(() => null);
        if (client === null) return true;
        client.socket.write(bytes);
        return closedByHost(client);
      },
    ]),
  ),
};

function startHost(): Promise<{ child: ChildProcess; port: number; token: string }> {
  const here = dirname(fileURLToPath(import.meta.url));
  const child = fork(join(here, 'soak-host.ts'), { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: SoakHostMessage) => {
      if (message.kind === 'ready') resolve({ child, port: message.port, token: message.token });
    });
    child.once('exit', (code) => reject(new Error(`the host stopped before it was ready (exit ${code})`)));
  });
}

let lastRequest = 0;

/** Answers can come late (the host is busy): each is matched to its request by id. */
function memoryOf(child: ChildProcess, request: 'measure' | 'sample'): Promise<HostMemory> {
  const id = ++lastRequest;
  return new Promise((resolve) => {
    const listener = (message: SoakHostMessage): void => {
      if (message.kind !== 'memory' || message.id !== id) return;
      child.off('message', listener);
      resolve(message.memory);
    };
    child.on('message', listener);
    const ask: MemoryRequest = { id, collect: request === 'measure' };
    child.send(ask);
  });
}

/** The normal tab: calls one after the other until told to stop, counting what succeeds. */
function keepCalling(tab: TestClient): { stop(): Promise<{ ok: number; failed: number; failures: string[] }> } {
  let running = true;
  const tally = { ok: 0, failed: 0, failures: [] as string[] };
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const method = i % 2 === 0 ? 'app.info' : 'connections.list';
      const envelope = await tab.call(method).catch((error: unknown) => ({ ok: false as const, error: { code: 'SEND', message: String(error) } }));
      if (envelope.ok) tally.ok += 1;
      else {
        tally.failed += 1;
        if (tally.failures.length < 5) tally.failures.push(`${method}: ${envelope.error.code} ${envelope.error.message}`);
      }
      await sleep(10);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return tally;
    },
  };
}

async function main(): Promise<void> {
  const { child, port, token } = await startHost();
  let alive = true;
  child.once('exit', () => (alive = false));
  try {
    const tab = await connectClient(port, token);
    for (let i = 0; i < 50; i++) await tab.call(i % 2 === 0 ? 'app.info' : 'connections.list');
    const baseline = await memoryOf(child, 'measure');
    const normal = keepCalling(tab);

    const kinds = Object.keys(attacks);
    const byKind = new Map(kinds.map((kind) => [kind, { run: 0, endedAsExpected: 0 }]));
    let peak = baseline;
    const sampler = setInterval(() => {
      if (alive)
        void memoryOf(child, 'sample')
          .then((sample) => (peak = sample.heapUsed > peak.heapUsed ? sample : peak))
          .catch(() => undefined);
    }, 500);
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < hostileConnections && alive) {
          const kind = kinds[next++ % kinds.length] ?? '';
          const tally = byKind.get(kind);
          const ended = await (attacks[kind] ?? (async () => false))(port, tab.credential).catch(() => true);
          if (tally !== undefined) {
            tally.run += 1;
            if (ended) tally.endedAsExpected += 1;
          }
        }
      }),
    );
    clearInterval(sampler);
    const attackSeconds = (Date.now() - started) / 1000;
    await sleep(2000);
    const calls = await normal.stop();
    const after = alive ? await memoryOf(child, 'measure') : null;
    await tab.close();

    console.log(`hostile connections: ${hostileConnections} in ${attackSeconds.toFixed(1)} s, ${concurrency} at a time`);
    for (const [kind, tally] of byKind) console.log(`  ${kind}: ${tally.run} (ended as expected: ${tally.endedAsExpected})`);
    console.log(`normal tab: ${calls.ok} calls ok, ${calls.failed} failed${calls.failures.length > 0 ? ` (${calls.failures.join('; ')})` : ''}`);
    console.log(`host heap: baseline ${mib(baseline.heapUsed)}, peak ${mib(peak.heapUsed)}, after ${after === null ? 'host stopped' : mib(after.heapUsed)}`);
    console.log(`host RSS: baseline ${mib(baseline.rss)}, peak ${mib(peak.rss)}, after ${after === null ? '-' : mib(after.rss)}`);
    console.log(`host log: ${after === null ? '-' : `${after.logBytes} bytes`}`);

    const problems = [
      ...(alive ? [] : ['the host stopped']),
      ...(calls.failed > 0 || calls.ok === 0 ? ['the normal tab had failed calls'] : []),
      ...[...byKind].filter(([, tally]) => tally.endedAsExpected < tally.run).map(([kind]) => `the host did not end every "${kind}" connection`),
      ...(after !== null && after.heapUsed > baseline.heapUsed + heapMarginBytes
        ? [`the heap did not return near its baseline (margin ${mib(heapMarginBytes)})`]
        : []),
    ];
    if (problems.length > 0) {
      console.log(`✘ soak failed: ${problems.join('; ')}`);
      process.exitCode = 1;
    } else {
      console.log('✔ soak passed');
    }
  } finally {
    if (alive) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    }
  }
}

main().catch((error: unknown) => {
  console.error(`soak failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
