/**
 * The profile P2V tests migrate with: root on the lab's first cluster, SSH by the cluster's key, the target node's
 * sshd reached at an address of the test's choosing (its metered proxy), host keys accepted as a user would on
 * first use.
 */
import type { HostKeyQuestion, LoginOutcome } from '../../../../shared/domain/connections';
import { firstCluster, type LabReady } from '../../../../lab/api/lab-harness';
import { labProfile, type LabServices } from '../../testing';

/** Saves and connects the profile; `sshAt` maps a node to where its sshd answers (the node's own address otherwise). */
export async function connectP2vProfile(app: LabServices, ready: LabReady, sshAt: Record<string, { host: string; port: number }>): Promise<string> {
  const cluster = firstCluster(ready);
  const first = cluster.nodes[0];
  if (first === undefined) throw new Error('the lab printed no node');
  const nodes = Object.fromEntries(cluster.nodes.map((node) => [node.name, sshAt[node.name] ?? { host: node.ssh.host, port: node.ssh.port }]));
  acceptHostKeys(app);
  const saved = await app.ipc('connections.save', {
    fields: {
      ...labProfile(ready, 'Lab P2V', ready.accounts.root.userid),
      ssh: { user: 'root', port: first.ssh.port, auth: { method: 'key-file', privateKeyPath: first.ssh.key }, nodes },
    },
    secrets: {},
  });
  await connectSaved(app, ready, saved.id);
  return saved.id;
}

/** Answers every host-key question yes, as a user trusting the lab's nodes on first use. */
export function acceptHostKeys(app: LabServices): void {
  app.services.events.attach((event, payload) => {
    if (event === 'connections.hostKeyQuestion')
      void app.ipc('connections.answerHostKey', { questionId: (payload as HostKeyQuestion).questionId, accept: true });
  });
}

/** Connects a profile saved earlier in the same config folder (by another process, before it died). */
export async function connectSaved(app: LabServices, ready: LabReady, profileId: string): Promise<void> {
  const outcome: LoginOutcome = await app.ipc('connections.connect', { id: profileId, password: ready.accounts.root.password, remember: false });
  if (outcome.kind !== 'connected') throw new Error(`the lab refused the P2V profile: ${outcome.kind}`);
}
