import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from './support/app-session';
import { expectedState, listedGuests, row, searchList, treeItems, type ResourceItem } from './support/inventory-page';
import { connectLabProfile } from './support/lab-profile';
import { SerialConsole } from './support/serial-console';
import { sharedLab } from './support/shared-lab';
import { call, waitTask } from '../lab/api/lab-harness';

/** The host polls every cluster's /cluster/resources this often while the window is shown and used. */
const pollMs = 3000;

/**
 * The inventory of both lab clusters in Chromium, through the web host and
 * the real inventory service, signed in as root on each; root also works on
 * the clusters through the API with its token, as another client would.
 * What is compared is what PVE's own API says.
 */
describe('inventory of two clusters in Chromium, against the lab', () => {
  const lab = sharedLab();
  const auth = { token: lab.ready.accounts.token.value };
  /** The profile of each cluster, in LAB READY's order. */
  const profiles: string[] = [];
  /** Guests a test started, stopped again after the file: the shared lab goes back to no guest running. */
  const started = new Map<string, { cluster: number; node: string; vmid: number }>();
  let app: AppSession;
  let page: Page;

  const api = (cluster: number) => {
    const found = lab.apis[cluster];
    if (found === undefined) throw new Error(`no cluster ${cluster} in the lab`);
    return found;
  };
  const keyOf = (cluster: number, id: string) => `${profiles[cluster] ?? ''}:${id}`;

  async function guests(cluster: number): Promise<ResourceItem[]> {
    const answer = await call(api(cluster), 'GET', '/cluster/resources', { auth, params: { type: 'vm' } });
    expect(answer.status).toBe(200);
    return answer.body.data as ResourceItem[];
  }

  async function guest(cluster: number, vmid: number): Promise<ResourceItem> {
    const found = (await guests(cluster)).find((item) => item.vmid === vmid);
    if (found === undefined) throw new Error(`no guest ${vmid} in cluster ${cluster}`);
    return found;
  }

  async function power(cluster: number, node: string, vmid: number, action: 'start' | 'stop'): Promise<void> {
    const answer = await call(api(cluster), 'POST', `/nodes/${node}/qemu/${vmid}/status/${action}`, { auth });
    expect(answer.status, answer.statusMessage).toBe(200);
    const { exitstatus } = await waitTask(api(cluster), auth, answer.body.data as string);
    expect(exitstatus).toBe('OK');
    if (action === 'start') started.set(`${cluster}:${vmid}`, { cluster, node, vmid });
  }

  beforeAll(async () => {
    app = await openAppSession();
    page = app.page;
    for (const cluster of lab.ready.clusters) profiles.push(await connectLabProfile(app.host, cluster, lab.ready.accounts.root, `Lab cluster ${cluster.name}`));
    await page.goto(new URL('#/inventory', page.url()).href);
    await page.getByTestId('inventory-row').first().waitFor();
  });

  afterAll(async () => {
    await app?.close();
    for (const { cluster, node, vmid } of started.values()) {
      if ((await guest(cluster, vmid)).status !== 'running') continue;
      const answer = await call(api(cluster), 'POST', `/nodes/${node}/qemu/${vmid}/status/stop`, { auth });
      await waitTask(api(cluster), auth, answer.body.data as string);
    }
  });

  it('lists every guest of both clusters, in the list and in the tree, in the state PVE reports', async () => {
    const expected = new Map<string, string>();
    for (const cluster of [0, 1]) for (const item of await guests(cluster)) expected.set(keyOf(cluster, item.id), expectedState(item));
    // The lab seeds 19 guests in each cluster (lab/README.md).
    expect(expected.size).toBe(38);
    expect(new Set(expected.values())).toEqual(new Set(['stopped', 'template']));

    await expect.poll(() => listedGuests(page), { timeout: pollMs * 2 }).toEqual(expected);
    const inTree = new Map([...(await treeItems(page))].filter(([key]) => key.includes(':qemu/')));
    expect(inTree).toEqual(expected);
  });

  it('shows a guest another client starts as running within one poll', async () => {
    const target = await guest(1, 100);
    const key = keyOf(1, target.id);
    await searchList(page, target.name ?? '');
    expect(await row(page, key).getAttribute('data-state')).toBe('stopped');

    await power(1, target.node ?? '', 100, 'start');
    const startedAt = Date.now();
    await expect.poll(() => row(page, key).getAttribute('data-state'), { timeout: pollMs + 2000, interval: 100 }).toBe('running');
    expect(Date.now() - startedAt).toBeLessThan(pollMs + 2000);
    // The same guest of the other cluster was left alone.
    expect(await row(page, keyOf(0, target.id)).getAttribute('data-state')).toBe('stopped');
  });

  it('shuts down three running guests of both clusters selected in the list, confirmed once: all three end stopped', { timeout: 300_000 }, async () => {
    // Guests 100 and 101 boot the lab's small Linux, whose ACPI power button powers off.
    const picked: [number, number][] = [
      [0, 100],
      [0, 101],
      [1, 100],
    ];
    for (const [cluster, vmid] of picked) {
      const each = await guest(cluster, vmid);
      if (each.status !== 'running') await power(cluster, each.node ?? '', vmid, 'start');
    }
    const targets = picked.map(([cluster, vmid]) => keyOf(cluster, `qemu/${vmid}`));
    await searchList(page, 'tag:lab');
    for (const key of targets) await expect.poll(() => row(page, key).getAttribute('data-state'), { timeout: pollMs * 2 }).toBe('running');
    // A button press before the guest listens for it is lost. The guest's /init starts acpid before the getty of its
    // serial port: a prompt there means the power button will be heard, however slow the machine is.
    for (const [cluster, vmid] of picked) {
      const serial = await SerialConsole.open(api(cluster), auth, (await guest(cluster, vmid)).node ?? '', vmid);
      try {
        await serial.waitForPrompt(120_000, 0);
      } finally {
        serial.close();
      }
    }

    for (const key of targets) await row(page, key).getByTestId('row-select').check();
    await page.getByTestId('bulk-shutdown').click();
    const confirm = page.getByTestId('power-confirm');
    await confirm.waitFor();
    expect(await confirm.getByTestId('power-confirm-guests').locator('li').count()).toBe(3);
    await page.getByTestId('power-confirm-ok').click();
    await confirm.waitFor({ state: 'detached' });

    await expect
      .poll(async () => [(await guest(0, 100)).status, (await guest(0, 101)).status, (await guest(1, 100)).status], { timeout: 120_000, interval: 1000 })
      .toEqual(['stopped', 'stopped', 'stopped']);
    for (const key of targets) await expect.poll(() => row(page, key).getAttribute('data-state'), { timeout: pollMs * 2 }).toBe('stopped');
    await searchList(page, '');
  });

  it('shows a cluster that stops answering as stale, then unreachable with when it was last seen, and recovers by itself', async () => {
    const fault = (params: Record<string, string | number>) => call(api(1), 'POST', '/lab/faults', { auth, params });
    const banner = page.locator(`[data-testid="feed-state"][data-profile="${profiles[1] ?? ''}"]`);
    expect(await banner.count()).toBe(0);
    try {
      expect((await fault({ drop: -1, path: '^/cluster/resources' })).status).toBe(200);
      await expect.poll(() => banner.getAttribute('data-state'), { timeout: pollMs * 3 }).toBe('stale');
      await expect.poll(() => banner.getAttribute('data-state'), { timeout: pollMs * 10 }).toBe('unreachable');
      expect(await banner.textContent()).toMatch(/\d{1,2}:\d{2}/);
      // Its guests are still listed, from the last answer.
      expect(await row(page, keyOf(1, 'qemu/100')).count()).toBe(1);
    } finally {
      await fault({ clear: 1 });
    }
    await banner.waitFor({ state: 'detached', timeout: pollMs * 10 });
  });

  it('ran without a page error', () => {
    expect(app.errors).toEqual([]);
  });
});
