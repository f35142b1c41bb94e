import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskClock } from './support/guest-api';
import {
  checkEveryMode,
  choose,
  chosen,
  expectClosed,
  fill,
  focusedTestId,
  guestAction,
  isChecked,
  openedDialog,
  openGuestTab,
  submitAndClose,
  tabTo,
  valueOf,
} from './support/operations-page';
import { openOperationsSession, type OperationsSession } from './support/operations-session';

/** The guests this file makes through the UI; out of the way of the lab's seeded ids. */
const created = { vmid: 8000, name: 'e2e-standard' };
const linked = { vmid: 8001, name: 'e2e-linked' };
const full = { vmid: 8002, name: 'e2e-full' };
/** The PXE reference template the institute deploys lab PCs from (lab seed: on `shared`, node pve1). */
const template = { vmid: 9000, name: 'pxe-ref-debian12' };

/**
 * Create, clone and delete in Chromium against the lab, as root: every
 * operation through the app's dialogs, every outcome read back from PVE's
 * API. The guests made here are destroyed after the file.
 */
describe('create, clone and delete guests in Chromium, against the lab', () => {
  let session: OperationsSession;
  let page: Page;

  beforeAll(async () => {
    session = await openOperationsSession();
    page = session.page;
    for (const guest of [created, linked, full]) session.made.add(guest.vmid);
  });

  afterAll(async () => {
    await session?.close();
  });

  async function openCreateDialog(): Promise<Locator> {
    await page.getByTestId('create-vm').first().click();
    return openedDialog(page, 'create-vm-dialog');
  }

  /** Moves a focused select's highlighted option with the arrow keys until it reads `option`, then takes it with Enter. */
  async function pickByKeyboard(option: RegExp): Promise<void> {
    await page.keyboard.press('Enter');
    const menu = page.locator('.n-base-select-menu').last();
    await menu.waitFor();
    for (let moves = 0; moves < 20; moves++) {
      const highlighted = (await menu.locator('.n-base-select-option--pending').textContent()) ?? '';
      if (option.test(highlighted)) break;
      await page.keyboard.press('ArrowDown');
    }
    expect((await menu.locator('.n-base-select-option--pending').textContent()) ?? '').toMatch(option);
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
  }

  it('offers the sizing presets in the create dialog and fills the sizes from the chosen one (screenshots, axe)', async () => {
    const dialog = await openCreateDialog();
    // The VMID comes from /cluster/nextid: the lab's lowest free id.
    const nextid = Number(await session.api.request('GET', '/cluster/nextid'));
    expect(Number(await valueOf(dialog, 'vmid'))).toBe(nextid);

    await choose(dialog, 'preset', /Large/);
    expect(Number(await valueOf(dialog, 'cores'))).toBe(8);
    await choose(dialog, 'preset', /Standard/);
    expect(Number(await valueOf(dialog, 'cores'))).toBe(4);
    expect(await valueOf(dialog, 'memory')).toMatch(/^4(\.0+)?$|^4096$/);
    expect(Number(await valueOf(dialog, 'size'))).toBe(40);

    // A name PVE would refuse is explained when the user tries to create, and nothing is sent.
    await fill(dialog, 'name', 'not a dns name!');
    await dialog.getByTestId('dialog-submit').click();
    await expect
      .poll(() => dialog.locator('.n-form-item-feedback').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(/letter|digit|-/i)]));
    expect(await dialog.isVisible()).toBe(true);
    await fill(dialog, 'name', created.name);
    await checkEveryMode(session.app, page, 'create-dialog');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await session.api.find(nextid)).toBeUndefined();
  });

  it('creates a VM with the Standard preset and starts it, by keyboard only: 4 cores, 4096 MiB, a 40 GiB disk, running', { timeout: 180_000 }, async () => {
    const since = taskClock();
    // From the top of the page to the top bar's button, as a keyboard user gets there.
    await page.locator('body').focus();
    await tabTo(page, 'create-vm', 60);
    await page.keyboard.press('Enter');
    const dialog = await openedDialog(page, 'create-vm-dialog');
    // The dialog takes the focus with it.
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="create-vm-dialog"]') !== null)).toBe(true);

    await tabTo(page, 'field-vmid');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(String(created.vmid));
    await tabTo(page, 'field-name');
    await page.keyboard.type(created.name);
    await tabTo(page, 'field-preset');
    await pickByKeyboard(/Standard/);
    await tabTo(page, 'field-start');
    if (!(await isChecked(dialog, 'start'))) await page.keyboard.press('Space');
    expect(await isChecked(dialog, 'start')).toBe(true);
    expect(await chosen(dialog, 'preset')).toMatch(/Standard/);
    await tabTo(page, 'dialog-submit');
    expect(await focusedTestId(page)).toBe('dialog-submit');
    await page.keyboard.press('Enter');
    await expectClosed(dialog);

    await session.uiTask('qmcreate', created.vmid, since);
    const config = await session.api.config(created.vmid);
    expect(config).toMatchObject({ name: created.name, cores: '4', memory: '4096' });
    const disk = Object.entries(config).find(([key, value]) => /^(scsi|virtio|sata|ide)\d+$/.test(key) && !value.includes('media=cdrom'));
    expect(disk?.[1]).toMatch(/,size=40G(,|$)/);
    await expect.poll(async () => (await session.api.status(created.vmid)).status, { timeout: 60_000, interval: 1000 }).toBe('running');
  });

  it('clones the PXE reference template as a linked clone: the clone’s disk is a new volume on `shared`', { timeout: 120_000 }, async () => {
    const since = taskClock();
    await openGuestTab(page, session.profileId, template.vmid, 'summary');
    const dialog = await guestAction(page, 'clone', 'clone-dialog');
    await fill(dialog, 'vmid', linked.vmid);
    await fill(dialog, 'name', linked.name);
    await choose(dialog, 'mode', /linked/i);
    await checkEveryMode(session.app, page, 'clone-dialog');
    await submitAndClose(dialog);

    await session.uiTask('qmclone', template.vmid, since);
    const config = await session.api.config(linked.vmid);
    expect(config.name).toBe(linked.name);
    expect(config.scsi0).toMatch(new RegExp(`^shared:${linked.vmid}/vm-${linked.vmid}-disk-0\\.qcow2,`));
    const { node } = await session.api.guest(linked.vmid);
    const volumes = (await session.api.request('GET', `/nodes/${node}/storage/shared/content`, { content: 'images', vmid: linked.vmid })) as {
      volid: string;
    }[];
    expect(volumes.map((volume) => volume.volid)).toContain(`shared:${linked.vmid}/vm-${linked.vmid}-disk-0.qcow2`);
  });

  it('clones the template as a full clone to `local` in raw format', { timeout: 120_000 }, async () => {
    const since = taskClock();
    await openGuestTab(page, session.profileId, template.vmid, 'summary');
    const dialog = await guestAction(page, 'clone', 'clone-dialog');
    await fill(dialog, 'vmid', full.vmid);
    await fill(dialog, 'name', full.name);
    await choose(dialog, 'mode', /full/i);
    await choose(dialog, 'storage', /^local\b/);
    await choose(dialog, 'format', /raw/i);
    await submitAndClose(dialog);

    await session.uiTask('qmclone', template.vmid, since);
    const config = await session.api.config(full.vmid);
    expect(config.name).toBe(full.name);
    expect(config.scsi0).toMatch(new RegExp(`^local:${full.vmid}/vm-${full.vmid}-disk-0\\.raw,`));
    expect(config.template).toBeUndefined();
  });

  it('deletes a guest only once its name is typed exactly, with its disks', { timeout: 120_000 }, async () => {
    await openGuestTab(page, session.profileId, linked.vmid, 'summary');
    const dialog = await guestAction(page, 'delete', 'delete-dialog');
    const button = dialog.getByTestId('dialog-submit');
    expect(await button.isDisabled()).toBe(true);
    await fill(dialog, 'confirm-name', `${linked.name.slice(0, -1)}`);
    expect(await button.isDisabled()).toBe(true);
    await fill(dialog, 'confirm-name', linked.name.toUpperCase());
    expect(await button.isDisabled()).toBe(true);
    await fill(dialog, 'confirm-name', linked.name);
    await checkEveryMode(session.app, page, 'delete-dialog');
    const since = taskClock();
    await submitAndClose(dialog);

    await session.uiTask('qmdestroy', linked.vmid, since);
    expect(await session.api.find(linked.vmid)).toBeUndefined();
    const volumes = (await session.api.request('GET', '/nodes/pve1/storage/shared/content', { content: 'images', vmid: linked.vmid })) as unknown[];
    expect(volumes).toEqual([]);
    // The template it came from is untouched.
    expect((await session.api.config(template.vmid)).template).toBe('1');
  });

  it('refuses to delete a running guest and says to stop it first', async () => {
    await openGuestTab(page, session.profileId, created.vmid, 'summary');
    const dialog = await guestAction(page, 'delete', 'delete-dialog');
    expect(await dialog.getByTestId('dialog-submit').isDisabled()).toBe(true);
    expect(await dialog.textContent()).toMatch(/stop/i);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await session.api.status(created.vmid)).status).toBe('running');
  });

  it('ran without a page error', () => {
    expect(session.app.errors).toEqual([]);
  });
});
