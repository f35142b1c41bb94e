import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ProfileFields } from '../../../shared/domain/connections';
import type { ConnectionsService } from './connections-service';

/** The part of the lab's `LAB READY` JSON a profile is made from. */
const labReadySchema = z.object({
  clusters: z.array(
    z.object({
      name: z.string(),
      api: z.string().url(),
      fingerprint: z.string(),
      nodes: z.array(
        z.object({
          name: z.string(),
          api: z.string().url(),
          // Each node has its own certificate, as on PVE.
          fingerprint: z.string(),
          ssh: z.object({ host: z.string(), port: z.number().int(), user: z.string(), key: z.string() }).optional(),
        }),
      ),
    }),
  ),
  accounts: z.object({ root: z.object({ userid: z.string(), password: z.string() }) }),
});
type LabReady = z.infer<typeof labReadySchema>;

/**
 * `npm start` runs the app against the lab: one profile per lab cluster,
 * its certificate pinned from what the lab printed, root's password in the
 * keychain and the nodes' SSH ports as overrides. Existing profiles of the
 * same name are left alone (the user may have edited them).
 */
export async function seedLabProfiles(connections: ConnectionsService, readyFile: string): Promise<string[]> {
  const ready = labReadySchema.parse(JSON.parse(await readFile(readyFile, 'utf8')));
  const existing = new Set((await connections.list()).profiles.map((profile) => profile.name));
  const created: string[] = [];
  for (const cluster of ready.clusters) {
    const name = `Lab cluster ${cluster.name}`;
    if (existing.has(name)) continue;
    await connections.save(undefined, labProfile(name, cluster, ready.accounts.root.userid), { password: ready.accounts.root.password });
    created.push(name);
  }
  return created;
}

function labProfile(name: string, cluster: LabReady['clusters'][number], userid: string): ProfileFields {
  const pinned = (url: string, fingerprint: string) => {
    const { hostname, port } = new URL(url);
    return { host: hostname, port: Number(port), trust: { mode: 'pinned' as const, fingerprint } };
  };
  const [username = 'root', realm = 'pam'] = userid.split('@');
  const firstKey = cluster.nodes.find((node) => node.ssh !== undefined)?.ssh?.key;
  return {
    name,
    // The cluster address first, then each node's own: failover like a real cluster.
    endpoints: [pinned(cluster.api, cluster.fingerprint), ...cluster.nodes.map((node) => pinned(node.api, node.fingerprint))].slice(0, 16),
    auth: { kind: 'password', username, realm },
    ssh: {
      user: 'root',
      port: 22,
      auth: firstKey === undefined ? { method: 'agent' } : { method: 'key-file', privateKeyPath: firstKey },
      nodes: Object.fromEntries(
        cluster.nodes.flatMap((node) => (node.ssh === undefined ? [] : [[node.name, { host: node.ssh.host, port: node.ssh.port, user: node.ssh.user }]])),
      ),
    },
    clipboardSharing: true,
  };
}
