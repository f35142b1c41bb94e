import type { ConnectionProfile } from '../../../shared/domain/connections';
import type { SshAuth } from '../ssh/ssh-auth';
import { profileSecretKey } from './profile-secrets';

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

/** The SSH auth of a profile, naming its secrets by key (the SSH layer reads them when it connects). */
export function sshAuthOf(profile: ConnectionProfile, hasPassphrase: boolean): SshAuth {
  const auth = profile.ssh.auth;
  switch (auth.method) {
    case 'key-file':
      return {
        method: 'key-file',
        privateKeyPath: auth.privateKeyPath,
        ...(hasPassphrase ? { passphraseSecret: profileSecretKey(profile.id, 'sshPassphrase') } : {}),
      };
    case 'agent':
      return { method: 'agent' };
    case 'password':
      return { method: 'password', passwordSecret: profileSecretKey(profile.id, 'sshPassword') };
  }
}
