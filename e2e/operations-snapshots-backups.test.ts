import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskClock } from './support/guest-api';
import {
  checkEveryMode,
  choose,
  fill,
  focusedTestId,
  guestAction,
  openedDialog,
  openGuestTab,
  openRoute,
  setChecked,
  submitAndClose,
  tabTo,
} from './support/operations-page';
import { openOperationsSession, type OperationsSession } from './support/operations-session';
import { firstDisk, SerialConsole } from './support/serial-console';

/** A copy of the lab's Linux guest 100 (1 GiB qcow2 disk on `shared`, serial console), on the first node. */
const guest = { vmid: 8200, name: 'e2e-snapshots' };
const snapshot = 'e2e_before';
/** Where on the guest's disk the backup test writes its marker: the busybox guest has no file system on its disk. */
const markerSector = 4096;

/**
 * Snapshots, backups, restores and backup jobs in Chromium against a lab
 * guest, each outcome read from inside the guest over its serial console
 * or from PVE's API. The guest, the job and the backups are removed after.
 */
describe('snapshots, backups and backup jobs in Chromium, against a lab guest', () => {
  let session: OperationsSession;
  let page: Page;
  let serial: SerialConsole | undefined;
  let node: string;
  let jobId: string | undefined;

  /** The guest's serial console, opened again when the last one closed (its QEMU was restarted) and logged in. */
  async function shell(): Promise<SerialConsole> {
    if (serial === undefined || serial.isClosed) {
      serial?.close();
      serial = await SerialConsole.open(session.api.api, session.api.auth, (await session.api.guest(guest.vmid)).node, guest.vmid);
    }
    await serial.login(session.guestPassword);
    return serial;
  }

  async function writeDiskMarker(text: string): Promise<void> {
    const terminal = await shell();
    const disk = await firstDisk(terminal);
    await terminal.run(
      `printf '%-32s' '${text}' | dd of=/dev/${disk} bs=512 seek=${markerSector} conv=notrunc 2>/dev/null; sync; echo 3 > /proc/sys/vm/drop_caches`,
    );
  }

  async function readDiskMarker(): Promise<string> {
    const terminal = await shell();
    const disk = await firstDisk(terminal);
    return terminal.run(`dd if=/dev/${disk} bs=512 skip=${markerSector} count=1 2>/dev/null | head -c 32`);
  }

  async function backups(): Promise<string[]> {
    return (await session.api.backups(node, 'local', guest.vmid)).map((backup) => backup.volid);
  }

  beforeAll(async () => {
    session = await openOperationsSession();
    page = session.page;
    await session.linuxGuest(guest.vmid, guest.name);
    node = (await session.api.guest(guest.vmid)).node;
    await session.api.start(guest.vmid);
    // The first login waits for the guest to boot: done here, out of the first test's time.
    await shell();
  });

  afterAll(async () => {
    serial?.close();
    if (session !== undefined) {
      if (jobId !== undefined) await session.api.request('DELETE', `/cluster/backup/${jobId}`).catch(() => undefined);
      for (const volid of await backups()) await session.api.request('DELETE', `/nodes/${node}/storage/local/content/${encodeURIComponent(volid)}`);
    }
    await session?.close();
  });

  it('takes a snapshot with RAM of the running guest from the snapshots tab', { timeout: 240_000 }, async () => {
    expect(await (await shell()).run('echo before > /tmp/marker; cat /tmp/marker')).toBe('before');
    await openGuestTab(page, session.profileId, guest.vmid, 'snapshots');
    await page.getByTestId('snapshot-tree').waitFor();
    await page.getByTestId('snapshot-current').waitFor();

    await page.getByTestId('snapshot-create').click();
    const dialog = await openedDialog(page, 'snapshot-dialog');
    await fill(dialog, 'name', snapshot);
    await fill(dialog, 'description', 'Before the risky change <b>not bold</b>');
    await setChecked(dialog, 'vmstate', true);
    await checkEveryMode(session.app, page, 'snapshot-dialog');
    const since = taskClock();
    await submitAndClose(dialog);

    await session.uiTask('qmsnapshot', guest.vmid, since);
    const list = (await session.api.request('GET', `/nodes/${node}/qemu/${guest.vmid}/snapshot`)) as { name: string; vmstate?: number; parent?: string }[];
    expect(list.find((entry) => entry.name === snapshot)).toMatchObject({ vmstate: 1 });
    expect(list.find((entry) => entry.name === 'current')?.parent).toBe(snapshot);
    await page.getByTestId(`snapshot-${snapshot}`).waitFor();
    // The description is shown as text, its markup included.
    expect(await page.getByTestId('snapshot-tree').textContent()).toContain('<b>not bold</b>');
    await checkEveryMode(session.app, page, 'snapshots');
  });

  it('rolls back to the snapshot by keyboard, after a warning: the file changed since is as it was, the guest running', { timeout: 180_000 }, async () => {
    expect(await (await shell()).run('echo after > /tmp/marker; cat /tmp/marker')).toBe('after');

    await openGuestTab(page, session.profileId, guest.vmid, 'snapshots');
    await page.getByTestId(`snapshot-${snapshot}`).waitFor();
    // The tree by keyboard: into it with Tab, to the snapshot with the arrows, chosen with Enter, then to the rollback button.
    await tabTo(page, 'snapshot-tree');
    const pending = page.locator('[data-testid="snapshot-tree"] .n-tree-node--pending, [data-testid="snapshot-tree"] .n-tree-node--selected');
    for (let moves = 0; moves < 10 && (await pending.getByTestId(`snapshot-${snapshot}`).count()) === 0; moves++) await page.keyboard.press('ArrowUp');
    expect(await pending.getByTestId(`snapshot-${snapshot}`).count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="snapshot-tree"] .n-tree-node--selected').getByTestId(`snapshot-${snapshot}`).count()).toBe(1);
    await tabTo(page, 'snapshot-rollback');
    await page.keyboard.press('Enter');
    const dialog = await openedDialog(page, 'rollback-dialog');
    const warning = dialog.getByTestId('rollback-warning');
    expect(await warning.getAttribute('data-kind')).toBe('general');
    expect(await warning.textContent()).toMatch(/since|lost|lose/i);
    await checkEveryMode(session.app, page, 'rollback-dialog');
    await tabTo(page, 'dialog-submit');
    expect(await focusedTestId(page)).toBe('dialog-submit');
    const since = taskClock();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });

    await session.uiTask('qmrollback', guest.vmid, since);
    // A snapshot with RAM resumes the guest where it was: running, /tmp (in RAM) as it was then.
    await expect.poll(async () => (await session.api.status(guest.vmid)).status, { timeout: 30_000 }).toBe('running');
    serial?.close();
    serial = undefined;
    expect(await (await shell()).run('cat /tmp/marker')).toBe('before');
  });

  it('backs up the running guest, and restoring over the same VMID brings back what was overwritten since', { timeout: 300_000 }, async () => {
    await writeDiskMarker('e2e-before-backup');
    expect(await readDiskMarker()).toBe('e2e-before-backup');

    await openGuestTab(page, session.profileId, guest.vmid, 'backups');
    await page.getByTestId('backups-none').waitFor();
    const dialog = await guestAction(page, 'backup', 'backup-now-dialog');
    await choose(dialog, 'storage', /^local\b/);
    await choose(dialog, 'mode', /snapshot/i);
    await checkEveryMode(session.app, page, 'backup-now-dialog');
    let since = taskClock();
    await submitAndClose(dialog);
    await session.uiTask('vzdump', guest.vmid, since, 180_000);
    const [volid, ...others] = await backups();
    expect(others).toEqual([]);
    if (volid === undefined) throw new Error('no backup of the guest on local');
    const row = page.locator(`[data-testid="backup-row"][data-volid="${volid}"]`);
    await row.waitFor({ timeout: 15_000 });
    await checkEveryMode(session.app, page, 'backups');

    await writeDiskMarker('e2e-after-backup');
    expect(await readDiskMarker()).toBe('e2e-after-backup');
    serial?.close();
    serial = undefined;
    await session.api.stop(guest.vmid);

    await row.getByTestId('backup-restore').click();
    const restore = await openedDialog(page, 'restore-dialog');
    await choose(restore, 'target', new RegExp(String(guest.vmid)));
    // Overwriting a guest is said in words before it is done, and done only once acknowledged.
    await restore.getByTestId('restore-overwrite-warning').waitFor();
    expect(await restore.getByTestId('dialog-submit').isDisabled()).toBe(true);
    await setChecked(restore, 'force', true);
    await checkEveryMode(session.app, page, 'restore-dialog');
    since = taskClock();
    await submitAndClose(restore);
    await session.uiTask('qmrestore', guest.vmid, since, 180_000);

    await session.api.start(guest.vmid);
    expect(await readDiskMarker()).toBe('e2e-before-backup');
  });

  it('creates a backup job keeping the last 2 with its schedule read in words, and three runs leave two backups', { timeout: 300_000 }, async () => {
    serial?.close();
    serial = undefined;
    // A stopped guest is copied without a running QEMU: the three runs stay short.
    await session.api.stop(guest.vmid);
    const before = await backups();

    await openRoute(page, `/operations/${session.profileId}/backup-jobs`);
    await page.getByTestId('backup-jobs').waitFor();
    await page.getByTestId('backup-job-add').click();
    const dialog = await openedDialog(page, 'backup-job-dialog');
    await fill(dialog, 'schedule', 'sat 02:00');
    await expect.poll(() => dialog.getByTestId('schedule-reading').textContent()).toMatch(/Saturday.*02:00/);
    await choose(dialog, 'storage', /^local\b/);
    await choose(dialog, 'selection', /guest/i);
    await choose(dialog, 'vmids', new RegExp(`${guest.vmid}`), String(guest.vmid));
    await fill(dialog, 'keep-last', 2);
    await checkEveryMode(session.app, page, 'backup-job-dialog');
    await submitAndClose(dialog);

    const jobs = async () =>
      (await session.api.request('GET', '/cluster/backup')) as { id: string; vmid?: string; storage?: string; schedule?: string; 'prune-backups'?: string }[];
    await expect.poll(async () => (await jobs()).find((entry) => entry.vmid === String(guest.vmid)), { timeout: 15_000 }).toBeDefined();
    const created = (await jobs()).find((entry) => entry.vmid === String(guest.vmid));
    jobId = created?.id;
    expect(created).toMatchObject({ storage: 'local', schedule: 'sat 02:00' });
    expect(created?.['prune-backups']).toMatch(/keep-last=2/);

    const row = page.getByTestId(`backup-job-${jobId ?? ''}`);
    await row.waitFor();
    // The table reads the schedule in words too.
    expect(await row.textContent()).toMatch(/Saturday/);
    await checkEveryMode(session.app, page, 'backup-jobs');
    for (let run = 1; run <= 3; run++) {
      const since = taskClock();
      await row.getByTestId('backup-job-run').click();
      const confirm = page.locator('.n-modal [data-testid="dialog-submit"]');
      await confirm.waitFor();
      await confirm.click();
      await session.uiTask('vzdump', guest.vmid, since, 120_000);
      // PVE names archives by the second they start: the next run must not start in the same one.
      await page.waitForTimeout(1100);
    }
    const after = await backups();
    expect(after).toHaveLength(2);
    // The two kept are the newest: the earlier ones were pruned.
    for (const old of before) expect(after).not.toContain(old);
  });

  it('lists a storage’s backups on its own page (screenshots, axe)', async () => {
    await openRoute(page, `/operations/${session.profileId}/storage/${node}/local/backups`);
    await page.getByTestId('backup-list').waitFor();
    await expect.poll(() => page.getByTestId('backup-row').count()).toBeGreaterThanOrEqual(2);
    await checkEveryMode(session.app, page, 'storage-backups');
  });

  it('deletes the backup job from the UI', async () => {
    await openRoute(page, `/operations/${session.profileId}/backup-jobs`);
    const row = page.getByTestId(`backup-job-${jobId ?? ''}`);
    await row.getByTestId('backup-job-delete').click();
    const confirm = page.locator('.n-modal [data-testid="dialog-submit"]');
    await confirm.waitFor();
    await confirm.click();
    await expect
      .poll(async () => ((await session.api.request('GET', '/cluster/backup')) as { id: string }[]).map((entry) => entry.id), { timeout: 15_000 })
      .not.toContain(jobId);
    jobId = undefined;
  });

  it('ran without a page error', () => {
    expect(session.app.errors).toEqual([]);
  });
});
