import type { JobSubject, JobTitle, JobView } from '../../../shared/domain/jobs';
import type { ParsedInput } from '../../../shared/ipc/contract';
import type { operationsMethods } from '../../../shared/ipc/contract/operations';
import type { JobsService } from '../jobs';
import type { Logger } from '../log';
import { guestConfigCall, type ApiCall, type PveClient } from '../pve';
import type { ClusterSessions } from '../sessions';
import { send } from './pve-failures';

type Operation<K> = K extends `operations.${infer M}` ? M : never;
/** An operation's name without its prefix: `create`, `config`, `rrd`… */
export type OperationName = Operation<keyof typeof operationsMethods>;
/** The parsed input of `operations.<M>`. */
export type Input<M extends OperationName> = ParsedInput<`operations.${M}`>;

export type OperationsJobs = Pick<JobsService, 'start' | 'followTask' | 'whenEnded'>;

export interface OperationsDeps {
  sessions: Pick<ClusterSessions, 'connected' | 'client'>;
  jobs: OperationsJobs;
  logger: Logger;
}

/** A job's title: `operations.jobs.<kind>` with its parameters. */
export function jobTitle(kind: string, params: Record<string, string | number>): JobTitle {
  return { key: `operations.jobs.${kind}`, params };
}

/** What every operation needs: the cluster's client, the names the task pane shows, and the jobs a call starts. */
export class OperationsContext {
  constructor(readonly deps: OperationsDeps) {}

  get jobs(): OperationsJobs {
    return this.deps.jobs;
  }

  client(profileId: string): PveClient {
    return this.deps.sessions.client(profileId);
  }

  send<T>(profileId: string, call: ApiCall<T>): Promise<T> {
    return send(this.client(profileId), call);
  }

  /** The cluster's name as the task pane shows it: PVE's, else the profile's. */
  async clusterName(profileId: string): Promise<string | undefined> {
    const cluster = (await this.deps.sessions.connected()).find((candidate) => candidate.profileId === profileId);
    return cluster?.clusterName ?? cluster?.name;
  }

  /** The guest's name for a title; its VMID when the config cannot be read (the call that follows will say why). */
  async guestName(profileId: string, node: string, vmid: number): Promise<string> {
    try {
      const name = (await this.client(profileId).execute(guestConfigCall(node, vmid))).name;
      return typeof name === 'string' && name.length > 0 ? name : String(vmid);
    } catch {
      return String(vmid);
    }
  }

  /**
   * Sends a call that starts a PVE task and follows it as the user's job. A
   * call PVE refuses before any task exists throws (the dialog shows it); a
   * call PVE carried out at once (null) is a job that has already ended.
   */
  async task(
    profileId: string,
    call: ApiCall<string | null>,
    kind: string,
    title: JobTitle,
    subject: Omit<JobSubject, 'profileId' | 'cluster'>,
  ): Promise<JobView> {
    const upid = await this.send(profileId, call);
    const cluster = await this.clusterName(profileId);
    if (upid !== null) return this.jobs.followTask(profileId, upid, { ...(cluster !== undefined ? { cluster } : {}), title });
    return this.jobs.start(`operations.${kind}`, title, { profileId, ...(cluster !== undefined ? { cluster } : {}), ...subject }, () => Promise.resolve());
  }
}
