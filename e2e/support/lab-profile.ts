import type { LabReady } from '../../lab/api/lab-harness';
import type { SshSettings } from '../../shared/domain/connections';
import type { TestHost } from './web-host';

type LabCluster = LabReady['clusters'][number];

/** SSH to the cluster's nodes as root with the lab's cluster key, each node at its own sshd: what P2V's node work needs. */
export function labNodeSsh(cluster: LabCluster): SshSettings {
  const [first] = cluster.nodes;
  if (first === undefined) throw new Error(`${cluster.name} has no node`);
  return {
    user: 'root',
    port: first.ssh.port,
    auth: { method: 'key-file', privateKeyPath: first.ssh.key },
    nodes: Object.fromEntries(cluster.nodes.map((node) => [node.name, { host: node.ssh.host, port: node.ssh.port }])),
  };
}

/**
 * Saves a profile for one lab cluster signed in as `account` (the cluster's
 * address and each node's, every certificate pinned from LAB READY, the
 * password stored) and connects it through the app's own service, as a user
 * who filled the dialog would; returns the profile's id.
 */
export async function connectLabProfile(
  host: Pick<TestHost, 'services'>,
  cluster: LabCluster,
  account: { userid: string; password: string },
  name: string,
  ssh: SshSettings = { user: 'root', port: 22, auth: { method: 'agent' }, nodes: {} },
): Promise<string> {
  const [username = '', realm = 'pve'] = account.userid.split('@');
  const pinned = (url: string, fingerprint: string) => ({
    host: new URL(url).hostname,
    port: Number(new URL(url).port),
    trust: { mode: 'pinned' as const, fingerprint },
  });
  const profile = await host.services.connections.save(
    undefined,
    {
      name,
      endpoints: [pinned(cluster.api, cluster.fingerprint), ...cluster.nodes.map((node) => pinned(node.api, node.fingerprint))],
      auth: { kind: 'password', username, realm },
      ssh,
      clipboardSharing: true,
    },
    { password: account.password },
  );
  const outcome = await host.services.connections.connect(profile.id, undefined, false);
  if (outcome.kind !== 'connected') throw new Error(`${name}: connecting ${account.userid} to ${cluster.name} ended with ${outcome.kind}`);
  return profile.id;
}
