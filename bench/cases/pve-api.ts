import { Agent, request } from 'node:https';
import type { RunningLab } from '../../lab/api/lab-harness';
import { createPveClient } from '../../electron/services/pve';
import { repeat, type BenchCase, type MemoryCase } from '../measure';

/**
 * The app's PVE client (pinned TLS, token auth, typed and validated answers)
 * against Node's own HTTPS client doing the same calls on a keep-alive
 * connection with the lab's certificate as CA and no validation of the
 * answer: what the client's typing, checks and bookkeeping cost per call,
 * and what its validated answer costs to keep in memory.
 */
export function pveApiCases(lab: RunningLab): { cases: BenchCase[]; memory: MemoryCase[]; close: () => void } {
  const cluster = lab.ready.clusters[0];
  if (cluster === undefined) throw new Error('the lab printed no cluster');
  const { port } = new URL(cluster.api);
  const { tokenid, secret } = lab.ready.accounts.token;
  const client = createPveClient({
    endpoints: [{ host: '127.0.0.1', port: Number(port), trust: { mode: 'pinned', fingerprint: cluster.fingerprint } }],
    auth: { kind: 'token', tokenId: tokenid },
    credentials: () => Promise.resolve(secret),
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: lab.ca });
  const get = (path: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const call = request(`${cluster.api}/api2/json${path}`, { agent, headers: { Authorization: `PVEAPIToken=${tokenid}=${secret}` } }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          if (answer.statusCode !== 200) reject(new Error(`GET ${path}: HTTP ${answer.statusCode}`));
          else resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: unknown }).data);
        });
      });
      call.on('error', reject);
      call.end();
    });
  const peer = 'node:https, keep-alive';

  const smallCalls = 50;
  const inventoryCalls = 5;
  return {
    cases: [
      {
        name: 'API GET /version (per-call overhead)',
        amount: { count: smallCalls, unit: 'call' },
        ours: { label: 'PveClient', run: repeat(smallCalls, () => client.getVersion()) },
        peer: { label: peer, run: repeat(smallCalls, () => get('/version')) },
        maxRatio: 1.5,
      },
      {
        name: 'API GET /cluster/resources (whole inventory)',
        amount: { count: inventoryCalls, unit: 'call' },
        ours: { label: 'PveClient', run: repeat(inventoryCalls, () => client.getClusterResources()) },
        peer: { label: peer, run: repeat(inventoryCalls, () => get('/cluster/resources')) },
        maxRatio: 1.5,
      },
    ],
    memory: [
      {
        name: 'Whole inventory held in memory',
        ours: { label: 'PveClient (validated, typed)', load: () => client.getClusterResources() },
        peer: { label: 'JSON.parse of the same answer', load: () => get('/cluster/resources') },
        // Measured 2.1 to 2.4: zod's output objects are built key by key, so V8 keeps their
        // large numbers (maxmem, maxdisk) boxed where JSON.parse stores them inline, and tags
        // become arrays: ~0.4 KiB more a guest, 4 MiB for 10 000. The target catches worse,
        // such as keeping the raw answer or a second copy alongside.
        maxRatio: 3,
      },
    ],
    close: () => {
      client.close();
      agent.destroy();
    },
  };
}
