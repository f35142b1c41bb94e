import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancel, checkEveryMode, guestAction, openedDialog, openGuestTab, openRoute } from './support/operations-page';
import { openOperationsSession, type OperationsSession } from './support/operations-session';

/** Seeded guests of the lab's first cluster (lab/cluster/seed.ts), all stopped. */
const domainController = { vmid: 110, name: 'dc01' };
/** A directory server under HA (requested state stopped). */
const directory = { vmid: 113, name: 'ldap01' };
/** A guest whose disk is on its node's `local` storage. */
const onLocalDisk = { vmid: 116, name: 'web01' };
const linuxLab = { vmid: 100, name: 'debian-lab' };
const snapshot = 'e2e_screens';

/**
 * The operations views that change nothing in the lab, in both themes and
 * languages with an axe-core scan each: graphs of a guest and a node, the
 * rollback warning of a domain controller, a guest under HA, an offline
 * migration with local disks. The one snapshot made on dc01 for its
 * rollback dialog is deleted after.
 */
describe('operations views in Chromium, against the lab (screenshots, axe)', () => {
  let session: OperationsSession;
  let page: Page;

  beforeAll(async () => {
    session = await openOperationsSession();
    page = session.page;
    const { node } = await session.api.guest(domainController.vmid);
    await session.api.task('POST', `/nodes/${node}/qemu/${domainController.vmid}/snapshot`, { snapname: snapshot, description: 'Before the schema update' });
  });

  afterAll(async () => {
    if (session !== undefined) {
      const { node } = await session.api.guest(domainController.vmid);
      await session.api.task('DELETE', `/nodes/${node}/qemu/${domainController.vmid}/snapshot/${snapshot}`).catch(() => undefined);
    }
    await session?.close();
  });

  it('draws a guest’s graphs on one time axis, and another timeframe on request', async () => {
    await openGuestTab(page, session.profileId, linuxLab.vmid, 'graphs');
    for (const metric of ['cpu', 'memory', 'network', 'disk']) await page.getByTestId(`rrd-chart-${metric}`).waitFor();
    // Every chart has a text alternative.
    for (const chart of await page.locator('[data-testid^="rrd-chart-"] [role="img"]').all()) expect(await chart.getAttribute('aria-label')).toBeTruthy();
    await checkEveryMode(session.app, page, 'guest-graphs');
    await page
      .getByTestId('rrd-timeframe')
      .getByText(/^(Week|week)$/)
      .click();
    await expect
      .poll(() => page.getByTestId('rrd-timeframe').locator('[aria-checked="true"], .n-radio-button--checked, [aria-pressed="true"]').first().textContent())
      .toMatch(/week/i);
  });

  it('draws a node’s graphs: CPU, load, memory with KSM sharing now, network', async () => {
    const { node } = await session.api.guest(linuxLab.vmid);
    await openRoute(page, `/operations/${session.profileId}/node/${node}/graphs`);
    for (const metric of ['cpu', 'load', 'memory', 'network']) await page.getByTestId(`rrd-chart-${metric}`).waitFor();
    await page.getByTestId('rrd-chart-memory').getByTestId('node-ksm').waitFor();
    await checkEveryMode(session.app, page, 'node-graphs');
  });

  it('warns before rolling back a domain controller, and the rollback waits until the risk is acknowledged', async () => {
    await openGuestTab(page, session.profileId, domainController.vmid, 'snapshots');
    await page.getByTestId(`snapshot-${snapshot}`).click();
    await page.getByTestId('snapshot-rollback').click();
    const dialog = await openedDialog(page, 'rollback-dialog');
    const warning = dialog.getByTestId('rollback-warning').first();
    await expect
      .poll(() => dialog.getByTestId('rollback-warning').evaluateAll((all) => all.map((one) => one.getAttribute('data-kind'))))
      .toContain('domain-controller');
    expect(await warning.textContent()).toBeTruthy();
    expect(await dialog.getByTestId('dialog-submit').isDisabled()).toBe(true);
    await checkEveryMode(session.app, page, 'rollback-dialog-domain-controller');
    const acknowledge = dialog.locator('[role="checkbox"]').first();
    await acknowledge.click();
    await expect.poll(() => dialog.getByTestId('dialog-submit').isEnabled()).toBe(true);
    await cancel(dialog);
    // Nothing was rolled back: the snapshot is still the current state's parent.
    const list = (await session.api.request(
      'GET',
      `/nodes/${(await session.api.guest(domainController.vmid)).node}/qemu/${domainController.vmid}/snapshot`,
    )) as {
      name: string;
      parent?: string;
    }[];
    expect(list.find((entry) => entry.name === 'current')?.parent).toBe(snapshot);
  });

  it('offers no RAM in the snapshot dialog of a stopped guest', async () => {
    await openGuestTab(page, session.profileId, directory.vmid, 'snapshots');
    await page.getByTestId('snapshot-tree').waitFor();
    await page.getByTestId('snapshot-create').click();
    const dialog = await openedDialog(page, 'snapshot-dialog');
    // A stopped guest has no RAM to save: the option is not offered.
    expect(await dialog.getByTestId('field-vmstate').count()).toBe(0);
    await cancel(dialog);
  });

  it('shows a guest under HA with its requested state', async () => {
    await openGuestTab(page, session.profileId, directory.vmid, 'ha');
    await expect.poll(() => page.getByTestId('ha-state').textContent()).toMatch(/stopped|arrêt/i);
    await checkEveryMode(session.app, page, 'ha-managed');
  });

  it('checks an offline migration of a stopped guest with local disks before it is confirmed', async () => {
    await openGuestTab(page, session.profileId, onLocalDisk.vmid, 'summary');
    const dialog = await guestAction(page, 'migrate', 'migrate-dialog');
    await dialog.getByTestId('migration-check').waitFor({ timeout: 20_000 });
    await expect.poll(() => dialog.getByTestId('migration-local-disks').textContent()).toContain(`vm-${onLocalDisk.vmid}-disk-0`);
    await checkEveryMode(session.app, page, 'migrate-dialog-offline');
    await cancel(dialog);
  });

  it('ran without a page error', () => {
    expect(session.app.errors).toEqual([]);
  });
});
