import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskClock } from './support/guest-api';
import { cancel, checkEveryMode, choose, guestAction, jobRow, openedDialog, openGuestTab, openRoute, submit } from './support/operations-page';
import { openOperationsSession, type OperationsSession } from './support/operations-session';
import { SerialConsole } from './support/serial-console';

/** A copy of the lab's Linux guest 100 (disk on `shared`, serial console, plain VGA so nothing pins it to its node). */
const guest = { vmid: 8300, name: 'e2e-migrate' };

/** One `tick <n> <uptime>` line the guest prints every second on its console. */
interface Tick {
  count: number;
  uptime: number;
}

function lastTick(output: string): Tick | undefined {
  const ticks = [...output.matchAll(/tick (\d+) (\d+(?:\.\d+)?)/g)];
  const last = ticks.at(-1);
  return last === undefined ? undefined : { count: Number(last[1]), uptime: Number(last[2]) };
}

/**
 * Live migration and evacuation in Chromium against the lab: a running
 * guest moved between nodes from the migrate dialog while a loop in it keeps
 * printing on its serial console, read before and after the move.
 */
describe('live migration in Chromium, against a running lab guest', () => {
  let session: OperationsSession;
  let page: Page;
  let serial: SerialConsole | undefined;
  let source: string;

  beforeAll(async () => {
    session = await openOperationsSession();
    page = session.page;
    await session.linuxGuest(guest.vmid, guest.name);
    await session.api.start(guest.vmid);
    source = (await session.api.guest(guest.vmid)).node;
  });

  afterAll(async () => {
    serial?.close();
    await session?.close();
  });

  it('migrates the running guest live to another node: its console loop never stops and the downtime is shown', { timeout: 240_000 }, async () => {
    serial = await SerialConsole.open(session.api.api, session.api.auth, source, guest.vmid);
    await serial.login(session.guestPassword);
    // A counter with the guest's uptime, printed every second from a background loop: it survives only if the guest does.
    serial.send('(i=0; while true; do i=$((i+1)); echo "tick $i $(cut -d" " -f1 /proc/uptime)"; sleep 1; done) &\r');
    await serial.waitFor(/tick 3 /, 20_000, 0);

    await openGuestTab(page, session.profileId, guest.vmid, 'summary');
    const dialog = await guestAction(page, 'migrate', 'migrate-dialog');
    const check = dialog.getByTestId('migration-check');
    await check.waitFor({ timeout: 20_000 });
    expect(await check.textContent()).toMatch(/live|online|à chaud|en ligne/i);
    const target = source === 'pve2' ? 'pve3' : 'pve2';
    await choose(dialog, 'target', new RegExp(`^${target}\\b`));
    await checkEveryMode(session.app, page, 'migrate-dialog');

    const before = lastTick(serial.output);
    if (before === undefined) throw new Error('the guest printed no tick');
    const since = taskClock();
    await submit(dialog);
    const migration = await session.uiTask('qmigrate', guest.vmid, since, 180_000);
    expect((await session.api.guest(guest.vmid)).node).toBe(target);
    expect((await session.api.status(guest.vmid)).status).toBe('running');

    // The loop goes on on the new node, counting on from where it was, the guest's uptime never reset.
    const onSource = lastTick(serial.output) ?? before;
    serial.close();
    const onTarget = await SerialConsole.open(session.api.api, session.api.auth, target, guest.vmid);
    serial = onTarget;
    await expect.poll(() => lastTick(onTarget.output)?.count ?? 0, { timeout: 30_000 }).toBeGreaterThan(onSource.count + 1);
    const after = lastTick(onTarget.output);
    expect(after?.count).toBeGreaterThan(onSource.count);
    expect(after?.uptime).toBeGreaterThan(onSource.uptime);
    expect(onSource.count).toBeGreaterThan(before.count);

    // The downtime as PVE's log reports it, in the dialog or in the task pane's row.
    const outcome = dialog.getByTestId('migration-outcome').or(jobRow(page, migration.upid).getByTestId('job-outcome')).first();
    await expect.poll(() => outcome.textContent(), { timeout: 15_000 }).toMatch(/\d+\s*ms/);
    await checkEveryMode(session.app, page, (await dialog.count()) > 0 ? 'migrate-dialog-outcome' : 'migrate-outcome-task-pane');
  });

  it('plans the evacuation of a node with a target per guest (screenshots, axe)', async () => {
    if (await page.getByTestId('migrate-dialog').count()) await page.keyboard.press('Escape');
    const node = (await session.api.guest(guest.vmid)).node;
    await openRoute(page, `/inventory/${session.profileId}/node/${node}`);
    await page.getByTestId('node-action-evacuate').click();
    const dialog = await openedDialog(page, 'evacuate-dialog');
    await expect.poll(() => dialog.textContent(), { timeout: 20_000 }).toContain(guest.name);
    await checkEveryMode(session.app, page, 'evacuate-dialog');
    await cancel(dialog);
    expect((await session.api.guest(guest.vmid)).node).toBe(node);
  });

  it('ran without a page error', () => {
    expect(session.app.errors).toEqual([]);
  });
});
