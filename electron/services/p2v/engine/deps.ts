import type { ApiCall, PveClient } from '../../pve';
import type { NodeShell } from '../node';
import type { NodeTarget, SshSourcePort, WorkstationPort } from './ports';

/** The cluster as the steps use it: typed API calls, and PVE tasks followed to their end. */
export interface ClusterPort {
  client(profileId: string): PveClient;
  /** Sends a call, PVE's refusals translated for the user. */
  send<T>(profileId: string, call: ApiCall<T>): Promise<T>;
  /** Follows a task (shown in the task pane) to its end; throws PVE's exit status when it failed. */
  waitTask(profileId: string, upid: string): Promise<void>;
}

/** Everything a migration's steps reach outside the engine. */
export interface MigrationDeps {
  /** The target node's SSH session, for the `node` module's commands. */
  nodeShell(target: NodeTarget): Promise<NodeShell>;
  workstation: WorkstationPort;
  sshSource: SshSourcePort;
  cluster: ClusterPort;
}
