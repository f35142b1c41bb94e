import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasShowsAScreen,
  consolePanel,
  openConsolesSession,
  openGuestConsole,
  panelReaches,
  shoot,
  toolbarAction,
  typeIntoViewer,
  uniqueMark,
  vncGuest,
  type ConsolesSession,
} from './support/consoles-page';
import { relayCloseCodes } from '../shared/domain/consoles';
import { openSessionAs, tryRelay } from './support/consoles-relay';
import { consoleSessionFields, secretsIn, watchRendererTraffic, type RendererTraffic } from './support/consoles-secrets';
import { GuestAgent } from './support/guest-agent';
import { openedDialog } from './support/operations-page';

/** Every printable ASCII character but the single quote that delimits it in the guest's shell. */
const punctuation = `a-b_c.d,e;f:g!h?i/j\\k|l(m)n[o]p{q}r<s>t=u+v*w&x^y%z$#@~"\`0 9`;
/** The relay's tokens expire 10 s after issue. */
const TOKEN_LIFETIME_MS = 10_000;

/**
 * The VNC console of the lab's running Linux guest (100: `vga: std,clipboard=vnc`, serial console) in Chromium: what
 * it shows, what is typed through it (checked inside the guest on its serial line), clipboard both ways through QEMU's
 * vdagent with a guest agent played from inside the guest, a dropped upstream, the relay's refusals, and what the
 * renderer saw of PVE's secrets (nothing).
 */
describe('the VNC console in Chromium, against the lab', () => {
  let session: ConsolesSession;
  let page: Page;
  let traffic: RendererTraffic;
  let agent: GuestAgent | undefined;

  beforeAll(async () => {
    session = await openConsolesSession([vncGuest]);
    page = session.page;
    traffic = await watchRendererTraffic(page);
  });

  afterAll(async () => {
    await agent?.close().catch(() => undefined);
    await session?.close();
  });

  it("shows the guest's screen with its login prompt, not a blank canvas", async () => {
    await openGuestConsole(page, session.profileId, vncGuest, 'vnc');
    // Enter has getty print a fresh prompt, whatever the screen held.
    await typeIntoViewer(page, 'vnc-viewer', '\n');
    const picture = await canvasShowsAScreen(page, 'vnc-viewer');
    expect(picture.width).toBeGreaterThan(300);
    expect(picture.height).toBeGreaterThan(200);
    // Opened and read after the run: the guest's `debian-lab login:` prompt in VGA text (test-output/screenshots).
    await shoot(page.getByTestId('vnc-viewer'), 'consoles-vnc-login');
  });

  it('logs in on tty1 and runs a command typed through the console: the file it writes is in the guest', async () => {
    const serial = await session.shell(vncGuest);
    const mark = uniqueMark('vnc');
    await typeIntoViewer(page, 'vnc-viewer', 'root\n');
    await page.waitForTimeout(1_500);
    await typeIntoViewer(page, 'vnc-viewer', `${session.lab.ready.guestPassword}\n`);
    // A shell on tty1 once the login is through (getty, then login, then sh on the same terminal).
    const onTty1 = 'for p in /proc/[0-9]*; do [ "$(readlink $p/fd/0)" = /dev/tty1 ] && cat $p/comm; done; true';
    await expect.poll(async () => (await serial.run(onTty1)).split(/\s+/), { timeout: 30_000, interval: 1_000 }).toContain('sh');
    await typeIntoViewer(page, 'vnc-viewer', `echo ${mark} > /tmp/vnc-typed\n`);
    await expect.poll(() => serial.run('cat /tmp/vnc-typed 2>/dev/null; true'), { timeout: 20_000, interval: 1_000 }).toBe(mark);
  });

  it('types the clipboard into the US guest: ASCII punctuation arrives intact', async () => {
    const serial = await session.shell(vncGuest);
    await serial.run('rm -f /tmp/typed');
    await toolbarAction(page, 'console-type-clipboard');
    const dialog = await openedDialog(page, 'type-clipboard-dialog');
    await dialog.getByTestId('field-text').locator('textarea, input').first().fill(`printf '%s\\n' '${punctuation}' > /tmp/typed\n`);
    await dialog.getByTestId('dialog-submit').click();
    // Said once typed: every character typed, none skipped.
    const outcome = dialog.getByTestId('type-clipboard-skipped');
    await outcome.waitFor({ timeout: 60_000 });
    expect(await outcome.getAttribute('data-count')).toBe('0');
    await dialog.getByTestId('dialog-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => serial.run('cat /tmp/typed 2>/dev/null; true'), { timeout: 30_000, interval: 1_000 }).toBe(punctuation);
  });

  it("shows the guest's clipboard and sends the app's to the guest, through QEMU's vdagent", async () => {
    agent = await GuestAgent.open(await session.shell(vncGuest));
    const fromGuest = `Grüße aus dem Gast ✓ ${uniqueMark('guest')}`;
    await agent.offerText(fromGuest);
    await toolbarAction(page, 'console-clipboard');
    const dialog = await openedDialog(page, 'clipboard-dialog');
    const box = dialog.getByTestId('field-clipboard').locator('textarea');
    await expect.poll(() => box.inputValue(), { timeout: 20_000 }).toBe(fromGuest);

    const fromApp = `Bonjour l'invité « ${uniqueMark('app')} »`;
    await box.fill(fromApp);
    await dialog.getByTestId('clipboard-send').click();
    expect(await agent.receiveText()).toBe(fromApp);
    await dialog.getByTestId('clipboard-close').click();
    await dialog.waitFor({ state: 'detached' });
    await agent.close();
    agent = undefined;
  });

  it('reconnects by itself when the lab cuts the console websockets', async () => {
    await session.faults({ 'close-websockets': 1 });
    await panelReaches(page, 'reconnecting', 15_000);
    await panelReaches(page, 'connected');
    await typeIntoViewer(page, 'vnc-viewer', '\n');
    await canvasShowsAScreen(page, 'vnc-viewer');
    expect(await consolePanel(page).getAttribute('data-kind')).toBe('vnc');
  });

  it("refuses a reused token, an expired one and another window's", { timeout: 60_000 }, async () => {
    // The relay completes a refused handshake and closes it with its code: a browser cannot read an upgrade's status.
    const refused = { accepted: false, how: `closed with ${relayCloseCodes.tokenRefused}` };
    const target = { kind: 'vnc' as const, profileId: session.profileId, node: await session.nodeOf(vncGuest), vmid: vncGuest };
    const first = await openSessionAs(session.app.host, 'e2e-window-a', target);
    const opened = await tryRelay(first.url, first.protocols);
    expect(opened.accepted ? opened.firstBytes.toString('latin1').slice(0, 11) : opened.how).toBe('RFB 003.008');
    expect(await tryRelay(first.url, first.protocols), 'a spent token').toEqual(refused);

    const ofA = await openSessionAs(session.app.host, 'e2e-window-a', target);
    const ofB = await openSessionAs(session.app.host, 'e2e-window-b', target);
    expect(ofA.protocols).not.toEqual(ofB.protocols);
    expect(await tryRelay(ofA.url, ofB.protocols), "window B's proof on window A's token").toEqual(refused);
    expect(await tryRelay(ofA.url, ['binary']), 'no window proof').toEqual(refused);
    // Window B's own token, used in time, is accepted: the refusals above are the token's, not a broken relay.
    const ofBInTime = await tryRelay(ofB.url, ofB.protocols);
    expect(ofBInTime.accepted ? 'accepted' : ofBInTime.how).toBe('accepted');

    const late = await openSessionAs(session.app.host, 'e2e-window-a', target);
    expect(late.expiresInMs).toBeLessThanOrEqual(TOKEN_LIFETIME_MS);
    await new Promise((resolve) => setTimeout(resolve, late.expiresInMs + 1_000));
    expect(await tryRelay(late.url, late.protocols), 'an expired token').toEqual(refused);
  });

  it('never showed the renderer a PVE ticket, cookie or console password; the viewer got an RFB session without password', async () => {
    const { root, token } = session.lab.ready.accounts;
    const literals = [root.password, token.secret];
    const leaks = traffic.texts.flatMap((text, index) => secretsIn(text, literals).map((what) => `frame ${index}: ${what}`));
    expect(leaks).toEqual([]);
    expect(traffic.sessions.length).toBeGreaterThan(0);
    for (const answer of traffic.sessions) expect(Object.keys(answer).filter((key) => !consoleSessionFields.has(key))).toEqual([]);
    expect(secretsIn(readFileSync(session.app.host.logFile, 'utf8'), literals)).toEqual([]);

    // RFB 3.8 (version line, then the security types: one, None): the relay did the VNC authentication itself.
    const vnc = traffic.relayOpenings.filter((bytes) => bytes.toString('latin1').startsWith('RFB '));
    expect(vnc.length).toBeGreaterThan(0);
    for (const opening of vnc) expect([...opening.subarray(12, 14)]).toEqual([1, 1]);
  });
});
