import type { ConnectionProfile, StoredSecrets } from '../../../shared/domain/connections';
import type { SshAuth } from '../ssh';
import { profileSecretKey } from '../profiles';

/** Where a node is reached by SSH: its override, else its cluster address, else its name. */
export interface SshAddress {
  host: string;
  port: number;
  username: string;
}

export function sshAddressOf(profile: ConnectionProfile, node: string, clusterAddress: string | undefined): SshAddress {
  const override = profile.ssh.nodes[node];
  return {
    host: override?.host ?? clusterAddress ?? node,
    port: override?.port ?? profile.ssh.port,
    username: override?.user ?? profile.ssh.user,
  };
}

/** The SSH auth of the nodes, or of the jump host: each with its own method and its own secrets. */
export function sshAuthOf(profile: ConnectionProfile, hop: 'node' | 'jump', stored: StoredSecrets): SshAuth {
  const auth = hop === 'node' ? profile.ssh.auth : (profile.ssh.jumpHost?.auth ?? { method: 'agent' as const });
  const [passphrase, password] = hop === 'node' ? (['sshPassphrase', 'sshPassword'] as const) : (['jumpPassphrase', 'jumpPassword'] as const);
  switch (auth.method) {
    case 'key-file':
      return {
        method: 'key-file',
        privateKeyPath: auth.privateKeyPath,
        ...(stored[passphrase] ? { passphraseSecret: profileSecretKey(profile.id, passphrase) } : {}),
      };
    case 'agent':
      return { method: 'agent' };
    case 'password':
      return { method: 'password', passwordSecret: profileSecretKey(profile.id, password) };
  }
}
