import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from './support/app-session';
import { listedGuests, row, treeItems, type ResourceItem } from './support/inventory-page';
import { connectLabProfile } from './support/lab-profile';
import { sharedLab } from './support/shared-lab';
import { call, firstCluster, login, waitTask, type Credentials } from '../lab/api/lab-harness';

/** PVEVMUser holds VM.PowerMgmt: every power action that fits the guest's state. */
const stoppedActions = ['Open', 'Start'];
// Actions that ask before they run end with '…', in the lists' menu as in the tree's.
const runningActions = ['Open', 'Shut down…', 'Stop…', 'Reboot…', 'Reset…', 'Pause', 'Hibernate…'];
/**
 * Then the operations, listed for every user as PVE's web UI lists them: PVEVMUser holds VM.Backup, so backing up is
 * enabled; clone, migrate, snapshot and delete need VM.Clone, VM.Migrate, VM.Snapshot and VM.Allocate, which it lacks.
 */
const operations = [
  { label: 'Clone…', disabled: true },
  { label: 'Migrate…', disabled: true },
  { label: 'Back up now…', disabled: false },
  { label: 'Take snapshot…', disabled: true },
  { label: 'Delete…', disabled: true },
];
/**
 * Then the consoles, which PVEVMUser's VM.Console allows: VNC always, the others as the guest's config (read in the
 * background) shows a serial port or a SPICE display.
 */
const consoles = ['VNC console', 'SPICE console', 'Open in remote-viewer', 'Serial console'];

/** The menu: the state's actions and the operations in this order, then the consoles, VNC first, all enabled. */
function expectMenu(menu: { label: string; disabled: boolean }[], stateActions: string[]): void {
  const fixed = [...stateActions.map((label) => ({ label, disabled: false })), ...operations];
  expect(menu.slice(0, fixed.length)).toEqual(fixed);
  const rest = menu.slice(fixed.length);
  expect(rest[0]).toEqual({ label: 'VNC console', disabled: false });
  for (const entry of rest) expect(entry).toEqual({ label: expect.toBeOneOf(consoles) as string, disabled: false });
}

/**
 * The lab's student@pve (PVEVMUser on /pool/students) signed in to the first
 * cluster: the app shows what PVE shows that user, and offers only what the
 * role allows.
 */
describe('a PVEVMUser’s inventory in Chromium, against the lab', () => {
  const lab = sharedLab();
  const { user } = lab.ready.accounts;
  const root = { token: lab.ready.accounts.token.value };
  let student: Credentials;
  let profileId: string;
  let app: AppSession;
  let page: Page;
  let running: { node: string; vmid: number } | undefined;

  const keyOf = (id: string) => `${profileId}:${id}`;

  async function resourcesAsStudent(): Promise<ResourceItem[]> {
    const answer = await call(lab, 'GET', '/cluster/resources', { auth: student });
    expect(answer.status).toBe(200);
    return answer.body.data as ResourceItem[];
  }

  async function menuOf(key: string): Promise<{ label: string; disabled: boolean }[]> {
    await row(page, key).click({ button: 'right' });
    const options = page.locator('.n-dropdown-menu .n-dropdown-option-body');
    await options.first().waitFor();
    const shown = await options.evaluateAll((bodies) =>
      bodies.map((body) => ({ label: body.textContent?.trim() ?? '', disabled: body.classList.contains('n-dropdown-option-body--disabled') })),
    );
    await page.keyboard.press('Escape');
    await page.locator('.n-dropdown-menu').waitFor({ state: 'detached' });
    return shown;
  }

  beforeAll(async () => {
    student = await login(lab, user.userid, user.password);
    app = await openAppSession();
    page = app.page;
    profileId = await connectLabProfile(app.host, firstCluster(lab.ready), user, 'Classroom');
    await page.goto(new URL('#/inventory', page.url()).href);
    await page.getByTestId('inventory-row').first().waitFor();
  });

  afterAll(async () => {
    await app?.close();
    if (running !== undefined) {
      const answer = await call(lab, 'POST', `/nodes/${running.node}/qemu/${running.vmid}/status/stop`, { auth: root });
      await waitTask(lab, root, answer.body.data as string);
    }
  });

  it('lists exactly its pool’s guests, as PVE lists them to it', async () => {
    const visible = await resourcesAsStudent();
    const guests = visible.filter((item) => item.type === 'qemu');
    expect(guests.map((item) => item.vmid).sort()).toEqual([...user.vmids].sort());
    const listed = await listedGuests(page);
    expect([...listed.keys()].sort()).toEqual(guests.map((item) => keyOf(item.id)).sort());
  });

  it('shows in the tree nothing PVE does not list to it: no storage without Datastore.Audit', async () => {
    const visible = new Set((await resourcesAsStudent()).map((item) => keyOf(item.id)));
    expect([...visible].some((key) => key.includes(':storage/'))).toBe(false);
    const inTree = [...(await treeItems(page)).keys()];
    expect(inTree.filter((key) => key.includes(':qemu/')).length).toBe(user.vmids.length);
    expect(inTree.filter((key) => !visible.has(key))).toEqual([]);
  });

  it('offers a stopped guest of its pool Start and a backup, enabled, and the operations its role lacks disabled', async () => {
    const [first] = user.vmids;
    const menu = await menuOf(keyOf(`qemu/${first ?? 0}`));
    expectMenu(menu, stoppedActions);
  });

  it('offers a running guest of its pool the power actions, all enabled, and only the operations its role allows enabled', async () => {
    const vmid = user.vmids[0] ?? 0;
    const guest = (await resourcesAsStudent()).find((item) => item.vmid === vmid);
    running = { node: guest?.node ?? '', vmid };
    const answer = await call(lab, 'POST', `/nodes/${running.node}/qemu/${vmid}/status/start`, { auth: root });
    expect((await waitTask(lab, root, answer.body.data as string)).exitstatus).toBe('OK');
    await expect.poll(() => row(page, keyOf(`qemu/${vmid}`)).getAttribute('data-state'), { timeout: 8000 }).toBe('running');
    const menu = await menuOf(keyOf(`qemu/${vmid}`));
    expectMenu(menu, runningActions);
  });

  it('gets the bulk actions of its selection enabled, with no missing privilege to explain', async () => {
    await page.getByTestId('select-all').check();
    await page.getByTestId('bulk-bar').waitFor();
    expect(await page.getByTestId('bulk-start').isEnabled()).toBe(true);
    expect(await page.getByTestId('bulk-reason').count()).toBe(0);
    await page.getByTestId('clear-selection').click();
  });

  it('ran without a page error', () => {
    expect(app.errors).toEqual([]);
  });
});
