import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskClock } from './support/guest-api';
import { cancel, checkEveryMode, choose, fill, openedDialog, openGuestTab, setChecked, submit, submitAndClose, valueOf } from './support/operations-page';
import { openOperationsSession, type OperationsSession } from './support/operations-session';
import { diskBytesInGuest, firstDisk, SerialConsole } from './support/serial-console';

const GiB = 1024 ** 3;
/** A copy of the lab's Linux guest 100 (1 GiB disk on `shared`, qcow2; serial console), running for the whole file. */
const guest = { vmid: 8100, name: 'e2e-config' };

/**
 * The hardware and options tabs in Chromium against a running lab guest:
 * an edit refused because someone else changed the config meanwhile, a disk
 * grown and seen grown inside the guest, the same disk moved live to another
 * storage and format, HA on and off; each outcome read from PVE's API or
 * from the guest's own serial console.
 */
describe('guest hardware, options and disks in Chromium, against a running lab guest', () => {
  let session: OperationsSession;
  let page: Page;
  let serial: SerialConsole;
  let node: string;

  beforeAll(async () => {
    session = await openOperationsSession();
    page = session.page;
    await session.linuxGuest(guest.vmid, guest.name);
    await session.api.start(guest.vmid);
    node = (await session.api.guest(guest.vmid)).node;
    serial = await SerialConsole.open(session.api.api, session.api.auth, node, guest.vmid);
    await serial.login(session.guestPassword);
  });

  afterAll(async () => {
    serial?.close();
    if (session !== undefined) {
      const ha = (await session.api.request('GET', '/cluster/ha/resources')) as { sid: string }[];
      if (ha.some((resource) => resource.sid === `vm:${guest.vmid}`)) await session.api.request('DELETE', `/cluster/ha/resources/vm:${guest.vmid}`);
    }
    await session?.close();
  });

  it('lists the guest’s hardware as PVE’s config has it (screenshots, axe)', async () => {
    await openGuestTab(page, session.profileId, guest.vmid, 'hardware');
    const config = await session.api.config(guest.vmid);
    await expect.poll(() => page.getByTestId('hw-row-memory').textContent()).toMatch(/128\s*MiB/);
    expect(await page.getByTestId('hw-row-scsi0').textContent()).toContain(`vm-${guest.vmid}-disk-0`);
    const mac = (config.net0 ?? '').split(',')[0]?.split('=')[1] ?? '';
    expect((await page.getByTestId('hw-row-net0').textContent())?.toLowerCase()).toContain(mac.toLowerCase());
    await checkEveryMode(session.app, page, 'hardware');
  });

  it('shows the options tab (screenshots, axe)', async () => {
    await openGuestTab(page, session.profileId, guest.vmid, 'options');
    await expect.poll(() => page.locator('main').textContent()).toContain(guest.name);
    await checkEveryMode(session.app, page, 'options');
  });

  it('refuses an edit made on a config someone changed meanwhile: CONFLICT shown, the input kept, the other change untouched', async () => {
    await openGuestTab(page, session.profileId, guest.vmid, 'hardware');
    await page.getByTestId('hw-edit-memory').click();
    const dialog = await openedDialog(page, 'config-edit-dialog');
    await fill(dialog, 'memory', 256);

    // Another administrator changes the notes while the dialog is open.
    const theirs = 'changed by another administrator';
    await session.api.request('PUT', `/nodes/${node}/qemu/${guest.vmid}/config`, { description: theirs });

    await submit(dialog);
    const error = dialog.getByTestId('dialog-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('CONFLICT');
    expect(await error.textContent()).toMatch(/changed/i);
    expect(await valueOf(dialog, 'memory')).toBe('256');
    const config = await session.api.config(guest.vmid);
    expect(config.description).toBe(theirs);
    expect(config.memory).toBe('128');
    await checkEveryMode(session.app, page, 'config-edit-dialog-conflict');

    // Reloading takes the other change in, keeps the user's input, and the edit then goes through.
    await error.getByRole('button').first().click();
    await expect.poll(() => dialog.getByTestId('dialog-error').count()).toBe(0);
    expect(await valueOf(dialog, 'memory')).toBe('256');
    await submitAndClose(dialog);
    const pending = async () =>
      ((await session.api.request('GET', `/nodes/${node}/qemu/${guest.vmid}/pending`)) as { key: string; value?: string; pending?: string }[]).find(
        (entry) => entry.key === 'memory',
      );
    await expect
      .poll(
        async () => {
          const memory = await pending();
          return memory?.pending ?? memory?.value;
        },
        { timeout: 15_000 },
      )
      .toBe('256');
    expect((await session.api.config(guest.vmid)).description).toBe(theirs);
    // On a running guest PVE keeps a memory change pending until the next start: the row says so.
    if ((await pending())?.pending !== undefined) await expect.poll(() => page.getByTestId('hw-row-memory').getAttribute('data-pending')).toBe('true');
  });

  it('grows the running guest’s disk from 1 to 2 GiB: PVE’s config and the guest’s kernel both see 2 GiB', { timeout: 120_000 }, async () => {
    const disk = await firstDisk(serial);
    expect(await diskBytesInGuest(serial, disk)).toBe(1 * GiB);

    await openGuestTab(page, session.profileId, guest.vmid, 'hardware');
    await page.getByTestId('hw-resize-scsi0').click();
    const dialog = await openedDialog(page, 'disk-resize-dialog');
    // Grow only: an increment of nothing is refused before anything is sent.
    await fill(dialog, 'size', 0);
    await dialog.getByTestId('resize-refused').waitFor();
    // The increment is in GiB; the current and the new size are shown before it is applied.
    await fill(dialog, 'size', 1);
    expect(await dialog.getByTestId('resize-current').textContent()).toMatch(/^1(\.0+)?\s*GiB$/);
    await expect.poll(() => dialog.getByTestId('resize-new').textContent()).toMatch(/^2(\.0+)?\s*GiB$/);
    await checkEveryMode(session.app, page, 'disk-resize-dialog');
    const since = taskClock();
    await submitAndClose(dialog);

    await session.uiTask('resize', guest.vmid, since);
    expect((await session.api.config(guest.vmid)).scsi0).toMatch(/,size=2G(,|$)/);
    await expect.poll(() => diskBytesInGuest(serial, disk), { timeout: 15_000, interval: 1000 }).toBe(2 * GiB);
  });

  it('offers to add a disk (screenshots, axe)', async () => {
    await openGuestTab(page, session.profileId, guest.vmid, 'hardware');
    await page.getByTestId('hw-add-disk').click();
    const dialog = await openedDialog(page, 'disk-add-dialog');
    await checkEveryMode(session.app, page, 'disk-add-dialog');
    await cancel(dialog);
  });

  it('moves the running guest’s disk live from `shared` qcow2 to `local` raw, deleting the source: the guest keeps running', { timeout: 180_000 }, async () => {
    await openGuestTab(page, session.profileId, guest.vmid, 'hardware');
    await page.getByTestId('hw-move-scsi0').click();
    const dialog = await openedDialog(page, 'move-disk-dialog');
    await choose(dialog, 'storage', /^local\b/);
    await choose(dialog, 'format', /raw/i);
    await setChecked(dialog, 'delete-source', true);
    await checkEveryMode(session.app, page, 'move-disk-dialog');
    const since = taskClock();
    await submitAndClose(dialog);

    await session.uiTask('qmmove', guest.vmid, since, 150_000);
    const config = await session.api.config(guest.vmid);
    expect(config.scsi0).toMatch(new RegExp(`^local:${guest.vmid}/vm-${guest.vmid}-disk-\\d+\\.raw,.*size=2G`));
    expect(Object.values(config).some((value) => value.startsWith('shared:'))).toBe(false);
    const onShared = (await session.api.request('GET', `/nodes/${node}/storage/shared/content`, { content: 'images', vmid: guest.vmid })) as unknown[];
    expect(onShared).toEqual([]);
    expect((await session.api.status(guest.vmid)).status).toBe('running');
    // The guest never noticed: its console answers and its disk is as big as before.
    expect(await serial.run('echo alive-$((40+2))')).toContain('alive-42');
    expect(await diskBytesInGuest(serial, await firstDisk(serial))).toBe(2 * GiB);
    await expect.poll(() => page.getByTestId('hw-row-scsi0').textContent()).toMatch(/local/);
  });

  it('puts the guest under HA and takes it out again (screenshots, axe)', { timeout: 60_000 }, async () => {
    const resources = async () => ((await session.api.request('GET', '/cluster/ha/resources')) as { sid: string; state?: string }[]).map((r) => r.sid);
    await openGuestTab(page, session.profileId, guest.vmid, 'ha');
    await page.getByTestId('ha-state').waitFor();
    await checkEveryMode(session.app, page, 'ha');
    await page.getByTestId('ha-add').click();
    const dialog = await openedDialog(page, 'ha-dialog');
    await checkEveryMode(session.app, page, 'ha-dialog');
    await submitAndClose(dialog);
    await expect.poll(resources, { timeout: 15_000 }).toContain(`vm:${guest.vmid}`);
    await expect.poll(() => page.getByTestId('ha-state').textContent(), { timeout: 15_000 }).toMatch(/started|démarré/i);

    await page.getByTestId('ha-remove').click();
    const confirm = page.locator('.n-modal [data-testid="dialog-submit"]');
    if ((await confirm.count()) > 0) await confirm.click();
    await expect.poll(resources, { timeout: 15_000 }).not.toContain(`vm:${guest.vmid}`);
    expect((await session.api.status(guest.vmid)).status).toBe('running');
  });

  it('ran without a page error', () => {
    expect(session.app.errors).toEqual([]);
  });
});
