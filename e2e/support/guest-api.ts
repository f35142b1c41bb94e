/**
 * What the end-to-end tests read and do through PVE's API beside the app,
 * as root's token: where a guest is, its config and state, the tasks the
 * app started, and the fixtures a file sets up and takes away again.
 */
import { call, waitFor, waitTask, type Credentials } from '../../lab/api/lab-harness';
import type { ResourceItem } from './inventory-page';
import type { ClusterApi } from './shared-lab';

/** A task as `/cluster/tasks` lists it. */
export interface ClusterTask {
  upid: string;
  type: string;
  id: string;
  node: string;
  starttime: number;
  status?: string;
}

export interface GuestApi {
  readonly api: ClusterApi;
  readonly auth: Credentials;
  /** The cluster's guests as `/cluster/resources` lists them. */
  guests(): Promise<ResourceItem[]>;
  /** One guest, or undefined when the cluster has none with this id. */
  find(vmid: number): Promise<ResourceItem | undefined>;
  /** One guest; fails when it does not exist. */
  guest(vmid: number): Promise<ResourceItem & { node: string }>;
  config(vmid: number): Promise<Record<string, string>>;
  status(vmid: number): Promise<{ status: string; lock?: string; uptime?: number; qmpstatus?: string }>;
  /** A call that must succeed; its `data`. */
  request(method: string, path: string, params?: Record<string, string | number>): Promise<unknown>;
  /** A call that starts a task, waited for until it ends with OK; its log. */
  task(method: string, path: string, params?: Record<string, string | number>, timeoutMs?: number): Promise<string[]>;
  /** The newest task of `type` on guest (or object) `id` started at or after `since` (epoch seconds), once it shows. */
  taskSince(type: string, id: string | number, since: number, timeoutMs?: number): Promise<ClusterTask>;
  /** Waits for a task to end with OK; its log. */
  succeeded(upid: string, timeoutMs?: number): Promise<string[]>;
  start(vmid: number): Promise<void>;
  /** Stops the guest when it runs (a hard stop: the tests' guests hold nothing). */
  stop(vmid: number): Promise<void>;
  /** Stops and destroys the guest (with its disks) when it exists. */
  destroy(vmid: number): Promise<void>;
  /** Backup volumes of a guest on a storage of a node, oldest first. */
  backups(node: string, storage: string, vmid: number): Promise<{ volid: string; ctime: number }[]>;
}

export function guestApi(api: ClusterApi, auth: Credentials): GuestApi {
  const self: GuestApi = {
    api,
    auth,
    async guests() {
      return (await self.request('GET', '/cluster/resources', { type: 'vm' })) as ResourceItem[];
    },
    async find(vmid) {
      return (await self.guests()).find((item) => item.vmid === vmid);
    },
    async guest(vmid) {
      const found = await self.find(vmid);
      if (found?.node === undefined) throw new Error(`no guest ${vmid} in the cluster`);
      return { ...found, node: found.node };
    },
    async config(vmid) {
      const { node } = await self.guest(vmid);
      return (await self.request('GET', `/nodes/${node}/qemu/${vmid}/config`)) as Record<string, string>;
    },
    async status(vmid) {
      const { node } = await self.guest(vmid);
      return (await self.request('GET', `/nodes/${node}/qemu/${vmid}/status/current`)) as Awaited<ReturnType<GuestApi['status']>>;
    },
    async request(method, path, params = {}) {
      const answer = await call(api, method, path, { auth, params });
      if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${answer.statusMessage}`);
      return answer.body.data;
    },
    async task(method, path, params = {}, timeoutMs = 120_000) {
      return self.succeeded((await self.request(method, path, params)) as string, timeoutMs);
    },
    async taskSince(type, id, since, timeoutMs = 15_000) {
      return waitFor(
        `a ${type} task on ${id} since ${since}`,
        async () => {
          const tasks = (await self.request('GET', '/cluster/tasks')) as ClusterTask[];
          return tasks.filter((task) => task.type === type && task.id === String(id) && task.starttime >= since).sort((a, b) => b.starttime - a.starttime)[0];
        },
        timeoutMs,
        300,
      );
    },
    async succeeded(upid, timeoutMs = 120_000) {
      const { exitstatus, log } = await waitTask(api, auth, upid, timeoutMs);
      if (exitstatus !== 'OK') throw new Error(`task ${upid} ended with ${exitstatus}:\n${log.join('\n')}`);
      return log;
    },
    async start(vmid) {
      const { node } = await self.guest(vmid);
      await self.task('POST', `/nodes/${node}/qemu/${vmid}/status/start`);
    },
    async stop(vmid) {
      const found = await self.find(vmid);
      if (found?.node === undefined || found.status !== 'running') return;
      await self.task('POST', `/nodes/${found.node}/qemu/${vmid}/status/stop`);
    },
    async destroy(vmid) {
      await self.stop(vmid);
      const found = await self.find(vmid);
      if (found?.node === undefined) return;
      await self.task('DELETE', `/nodes/${found.node}/qemu/${vmid}`, { purge: 1, 'destroy-unreferenced-disks': 1 });
    },
    async backups(node, storage, vmid) {
      const items = (await self.request('GET', `/nodes/${node}/storage/${storage}/content`, { content: 'backup', vmid })) as { volid: string; ctime: number }[];
      return items.sort((a, b) => a.ctime - b.ctime);
    },
  };
  return self;
}

/** Now in PVE's task clock (epoch seconds), one second early so a task started in the same second counts. */
export function taskClock(): number {
  return Math.floor(Date.now() / 1000) - 1;
}
