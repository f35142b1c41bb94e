import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLabProfile } from './support/lab-profile';
import {
  canvasShowsAScreen,
  consolePanel,
  openConsolesSession,
  openGuestConsole,
  panelReaches,
  spiceGuest,
  vncGuest,
  type ConsolesSession,
} from './support/consoles-page';
import { join } from 'node:path';
import { describeFindings, seriousViolations } from './support/axe';
import { modes, switchTo } from './support/display-modes';
import { checkEveryMode, openRoute, screenshots } from './support/operations-page';

/** The lab's stopped qxl guest (Windows in its config) on pve3: a console of it is refused as not running. */
const stoppedGuest = 102;
/** A guest outside the students pool: student@pve may not open its console. */
const foreignGuest = 110;

/**
 * Screenshots of the consoles (test-output/screenshots/consoles-<view>-<locale>-<theme>.png) in both themes and
 * languages, with axe-core's scan in light English and dark French: the VNC, SPICE and terminal tabs, a detached
 * console window, and each failure the lab can produce (guest stopped, no permission, node unreachable, upstream
 * dropped while reconnecting). The certificate failure has no lab switch (the lab serves one SPICE certificate); the
 * relay's integration test covers it.
 */
describe('consoles screenshots and accessibility in Chromium, against the lab', () => {
  let session: ConsolesSession;
  let page: Page;

  /** Opens one console alone by its route (the bare layout of a detached window). */
  async function openAlone(profileId: string, kind: string, vmid: number): Promise<void> {
    const node = await session.nodeOf(vmid);
    await openRoute(page, `/console/${profileId}/${kind}/${node}/${vmid}`);
    await consolePanel(page).waitFor();
  }

  async function errorShown(kind: string): Promise<void> {
    await panelReaches(page, 'failed');
    expect(await consolePanel(page).getByTestId('console-error').getAttribute('data-kind')).toBe(kind);
  }

  beforeAll(async () => {
    session = await openConsolesSession([vncGuest, spiceGuest]);
    page = session.page;
    // The app's serial terminal takes the guest's one serial line.
    session.releaseShell(vncGuest);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('VNC, SPICE and terminal tabs side by side', async () => {
    await openGuestConsole(page, session.profileId, vncGuest, 'vnc');
    await canvasShowsAScreen(page, 'vnc-viewer');
    await checkEveryMode(session.app, page, 'vnc', 'consoles');
    await openGuestConsole(page, session.profileId, spiceGuest, 'spice');
    await canvasShowsAScreen(page, 'spice-viewer');
    await checkEveryMode(session.app, page, 'spice', 'consoles');
    await openGuestConsole(page, session.profileId, vncGuest, 'serial');
    await page.getByTestId('terminal-viewer').locator('.xterm-screen').click();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('terminal-viewer').innerText(), { timeout: 20_000 }).toMatch(/login:|#/);
    await checkEveryMode(session.app, page, 'terminal', 'consoles');
    expect(await page.getByTestId('console-tab').count()).toBe(3);
    // Every tab closed: the views below each hold the guest's one console connection.
    for (let open = 3; open > 0; open--) {
      await consolePanel(page).getByTestId('console-close').click();
      await expect.poll(() => page.getByTestId('console-tab').count()).toBe(open - 1);
      // The tab shown next stayed connected while hidden: no reconnection.
      if (open > 1) expect(await consolePanel(page).getAttribute('data-state')).toBe('connected');
    }
    await expect.poll(() => page.getByTestId('console-tab').count()).toBe(0);
  });

  it('a console detached into a window of its own', async () => {
    await openGuestConsole(page, session.profileId, spiceGuest, 'spice');
    const opened = page.context().waitForEvent('page');
    await page.getByTestId('console-detach').click();
    const detached = await opened;
    await detached.setViewportSize({ width: 1024, height: 700 });
    const connected = () => expect.poll(() => detached.getByTestId('console-panel').getAttribute('data-state'), { timeout: 45_000 }).toBe('connected');
    await connected();
    // The console left the main window's tabs for its own.
    await expect.poll(() => page.getByTestId('console-tab').count()).toBe(0);
    const failures: string[] = [];
    for (const mode of modes) {
      await switchTo(session.app, page, mode);
      const shown = () => detached.evaluate(() => [document.documentElement.lang, document.documentElement.dataset.theme]);
      // Every window follows a change of settings made in another, at once and without a reload.
      await expect.poll(shown, { timeout: 5_000 }).toEqual([mode.locale, mode.theme]);
      expect(await detached.getByTestId('console-panel').getAttribute('data-state')).toBe('connected');
      await detached.screenshot({ path: join(screenshots, `consoles-detached-${mode.locale}-${mode.theme}.png`) });
      const findings = await seriousViolations(detached);
      if (findings.length > 0) failures.push(describeFindings(`detached (${mode.locale}, ${mode.theme})`, findings));
    }
    await switchTo(session.app, page, modes[0]);
    expect(failures, failures.join('\n')).toEqual([]);
    await detached.close();
  });

  it('a stopped guest, with the button that starts it', async () => {
    await openAlone(session.profileId, 'vnc', stoppedGuest);
    await errorShown('not-running');
    await page.getByTestId('console-start-guest').waitFor();
    await checkEveryMode(session.app, page, 'not-running', 'consoles');
  });

  it('a guest the user may not open a console of', async () => {
    const [cluster] = session.lab.ready.clusters;
    if (cluster === undefined) throw new Error('the shared lab has no cluster');
    const student = await connectLabProfile(session.app.host, cluster, session.lab.ready.accounts.user, `Student on ${cluster.name}`);
    await openAlone(student, 'vnc', foreignGuest);
    await errorShown('permission');
    await checkEveryMode(session.app, page, 'permission', 'consoles');
  });

  it('a guest whose node does not answer', async () => {
    const node = await session.nodeOf(stoppedGuest);
    await session.faults({ node, offline: 1 });
    try {
      await openRoute(page, `/console/${session.profileId}/vnc/${node}/${stoppedGuest}`);
      await consolePanel(page).waitFor();
      await errorShown('unreachable');
      await checkEveryMode(session.app, page, 'unreachable', 'consoles');
    } finally {
      await session.faults({ node, offline: 0 });
    }
  });

  it('a dropped console reconnecting, then given up by the user', async () => {
    await openAlone(session.profileId, 'serial', vncGuest);
    await panelReaches(page, 'connected');
    // New console tickets are refused from now on, and the open console's websocket is cut.
    await session.faults({ path: 'termproxy', drop: -1 });
    await session.faults({ 'close-websockets': 1 });
    await panelReaches(page, 'reconnecting', 15_000);
    await checkEveryMode(session.app, page, 'reconnecting', 'consoles');
    // It keeps trying, backing off, until the user stops it: then it says the console dropped.
    await page.getByTestId('console-cancel-reconnect').click();
    await errorShown('dropped');
    await checkEveryMode(session.app, page, 'dropped', 'consoles');
    await session.faults({ clear: 1 });
  });

  it('opens the VNC console of a guest again after its first one closed', async () => {
    await openGuestConsole(page, session.profileId, vncGuest, 'vnc');
    await canvasShowsAScreen(page, 'vnc-viewer');
  });
});
