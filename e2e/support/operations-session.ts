/**
 * Where every operations test file starts: the app in Chromium signed in to
 * the shared lab's first cluster as root, the API beside it as root's token,
 * and the guests the file made for itself, destroyed again in afterAll so
 * the next file finds the lab as it started.
 */
import type { Page } from 'playwright-core';
import { openAppSession, type AppSession } from './app-session';
import { guestApi, type ClusterTask, type GuestApi } from './guest-api';
import { connectLabProfile, labNodeSsh } from './lab-profile';
import { jobSucceeds } from './operations-page';
import { sharedLab, type SharedLab } from './shared-lab';

export interface OperationsSession {
  lab: SharedLab;
  app: AppSession;
  page: Page;
  /** The app's profile of the lab's first cluster. */
  profileId: string;
  /** root on the first cluster, beside the app. */
  api: GuestApi;
  /** Root's password inside the lab's Linux guests. */
  guestPassword: string;
  /** Guests the file made (through the API or the UI), destroyed by `close`. */
  made: Set<number>;
  /**
   * The task of `type` on `id` the UI started since `since` (epoch seconds): waited for through the API (failing
   * with PVE's log unless it ends OK), then seen as succeeded in the task pane.
   */
  uiTask(type: string, id: string | number, since: number, timeoutMs?: number): Promise<ClusterTask & { log: string[] }>;
  /** Makes a copy of the lab's Linux guest 100 (serial console on serial0, its disk on `shared`, plain VGA), stopped. */
  linuxGuest(vmid: number, name: string, changes?: Record<string, string>): Promise<void>;
  /** Closes the app, then stops and destroys every guest in `made`. */
  close(): Promise<void>;
}

/** `nodeSsh`: the profile reaches the nodes by SSH with the lab's cluster key (the default profile has no working SSH). */
export async function openOperationsSession(options: { nodeSsh?: boolean } = {}): Promise<OperationsSession> {
  const lab = sharedLab();
  const [cluster] = lab.ready.clusters;
  if (cluster === undefined) throw new Error('the shared lab has no cluster');
  const api = guestApi(lab, { token: lab.ready.accounts.token.value });
  const app = await openAppSession();
  const name = `Lab cluster ${cluster.name}`;
  const profileId = await (options.nodeSsh === true
    ? connectLabProfile(app.host, cluster, lab.ready.accounts.root, name, labNodeSsh(cluster))
    : connectLabProfile(app.host, cluster, lab.ready.accounts.root, name));
  await app.page.getByTestId('task-log').waitFor();
  const made = new Set<number>();
  return {
    lab,
    app,
    page: app.page,
    profileId,
    api,
    guestPassword: lab.ready.guestPassword,
    made,
    async uiTask(type, id, since, timeoutMs = 120_000) {
      const task = await api.taskSince(type, id, since);
      const log = await api.succeeded(task.upid, timeoutMs);
      await jobSucceeds(app.page, task.upid, 30_000);
      return { ...task, log };
    },
    async linuxGuest(vmid, name, changes = {}) {
      const source = await api.guest(100);
      made.add(vmid);
      await api.task('POST', `/nodes/${source.node}/qemu/100/clone`, { newid: vmid, name, full: 1, storage: 'shared' });
      // Not started with the lab, kept out of the pools and tags the other files count; a plain VGA display, because
      // guest 100's `clipboard=vnc` (QEMU's vdagent chardev) can be neither migrated nor saved with RAM.
      const config = { onboot: '0', vga: 'std', ...changes };
      await api.request('PUT', `/nodes/${source.node}/qemu/${vmid}/config`, { ...config, delete: 'tags' });
    },
    async close() {
      await app.close();
      for (const vmid of made) await api.destroy(vmid);
    },
  };
}
