import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasShowsAScreen,
  openConsolesSession,
  openGuestConsole,
  shoot,
  spiceGuest,
  toolbarAction,
  uniqueMark,
  type ConsolesSession,
} from './support/consoles-page';
import { consoleSessionFields, secretsIn, watchRendererTraffic, type RendererTraffic } from './support/consoles-secrets';
import { GuestAgent } from './support/guest-agent';
import { openedDialog } from './support/operations-page';

/**
 * The SPICE console of the lab's qxl guest (101) in Chromium: spice-html5 draws it through the relay, which reached the
 * lab's SPICE proxy and verified its TLS certificate against spiceproxy's `ca` and `host-subject` (a wrong one is the
 * relay's integration test: the lab has no switch to serve another certificate); the status line says which proxy path
 * is in use; the clipboard crosses both ways at the agent channel, with a guest agent played from inside the guest.
 */
describe('the SPICE console in Chromium, against the lab', () => {
  let session: ConsolesSession;
  let page: Page;
  let traffic: RendererTraffic;
  let agent: GuestAgent | undefined;

  beforeAll(async () => {
    session = await openConsolesSession([spiceGuest]);
    page = session.page;
    traffic = await watchRendererTraffic(page);
  });

  afterAll(async () => {
    await agent?.close().catch(() => undefined);
    await session?.close();
  });

  it('draws the qxl guest through the proxy over verified TLS, and says which proxy path it took', async () => {
    await openGuestConsole(page, session.profileId, spiceGuest, 'spice');
    const picture = await canvasShowsAScreen(page, 'spice-viewer');
    expect(picture.width).toBeGreaterThan(300);
    await shoot(page.getByTestId('spice-viewer'), 'consoles-spice-screen');

    const status = page.getByTestId('console-status');
    // The lab's proxy answers where spiceproxy's answer says (port 3128 only with `--port 8006`): answered or api-host.
    expect(['answered', 'api-host']).toContain(await status.getAttribute('data-path'));
    expect((await status.innerText()).trim()).not.toBe('');
    const [answer] = traffic.sessions.filter((candidate) => candidate.kind === 'spice');
    expect(answer?.spicePath).toMatchObject({ via: await status.getAttribute('data-path') });
  });

  it("shows the guest's clipboard and sends the app's to the guest, at the agent channel", async () => {
    agent = await GuestAgent.open(await session.shell(spiceGuest));
    const fromGuest = `Grüße aus dem SPICE-Gast ✓ ${uniqueMark('guest')}`;
    await agent.offerText(fromGuest);
    await toolbarAction(page, 'console-clipboard');
    const dialog = await openedDialog(page, 'clipboard-dialog');
    const box = dialog.getByTestId('field-clipboard').locator('textarea');
    await expect.poll(() => box.inputValue(), { timeout: 20_000 }).toBe(fromGuest);

    const fromApp = `Bonjour l'invité SPICE « ${uniqueMark('app')} »`;
    await box.fill(fromApp);
    await dialog.getByTestId('clipboard-send').click();
    expect(await agent.receiveText()).toBe(fromApp);
    await dialog.getByTestId('clipboard-close').click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('never showed the renderer a PVE ticket or the SPICE password', () => {
    const { root, token } = session.lab.ready.accounts;
    const leaks = traffic.texts.flatMap((text, index) => secretsIn(text, [root.password, token.secret]).map((what) => `frame ${index}: ${what}`));
    expect(leaks).toEqual([]);
    for (const answer of traffic.sessions) expect(Object.keys(answer).filter((key) => !consoleSessionFields.has(key))).toEqual([]);
  });
});
