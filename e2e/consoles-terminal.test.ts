import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consolePanel, openConsolesSession, openGuestConsole, panelReaches, shoot, uniqueMark, vncGuest, type ConsolesSession } from './support/consoles-page';

/** What xterm draws (its DOM renderer's rows), one line per row. */
function terminalText(page: Page): Promise<string> {
  return page.getByTestId('terminal-viewer').locator('.xterm-rows').innerText();
}

/** Waits until the terminal's text matches; answers the match. */
async function terminalShows(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  let match: RegExpExecArray | null = null;
  await expect.poll(async () => (match = pattern.exec(await terminalText(page))) !== null, { timeout: timeoutMs, interval: 300 }).toBe(true);
  return match as unknown as RegExpExecArray;
}

async function typeIntoTerminal(page: Page, text: string): Promise<void> {
  await page.getByTestId('terminal-viewer').locator('.xterm-screen').click();
  await page.keyboard.type(text, { delay: 20 });
}

/**
 * The serial console of the lab's Linux guest (100) in the app's terminal: it logs in when the line asks, runs a
 * command and shows its output; the terminal's tools (search, font size) are there.
 */
describe('the serial terminal in Chromium, against the lab', () => {
  let session: ConsolesSession;
  let page: Page;

  beforeAll(async () => {
    session = await openConsolesSession([vncGuest]);
    page = session.page;
    // The guest has one serial line: the test's own console gives it to the app's terminal.
    session.releaseShell(vncGuest);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('runs a command on the guest and shows its output', async () => {
    await openGuestConsole(page, session.profileId, vncGuest, 'serial');
    expect(await consolePanel(page).getAttribute('data-kind')).toBe('serial');
    await typeIntoTerminal(page, '\r');
    const prompt = await terminalShows(page, /(login: *|# *)$/m);
    if (prompt[0].startsWith('login')) {
      await typeIntoTerminal(page, 'root\r');
      await terminalShows(page, /Password: *$/m);
      await typeIntoTerminal(page, `${session.lab.ready.guestPassword}\r`);
      await terminalShows(page, /# *$/m);
    }
    const mark = uniqueMark('term');
    // The echoed command shows `$((6*7))`; only the shell's answer shows 42.
    await typeIntoTerminal(page, `echo ${mark}-$((6*7)); uname -n\r`);
    await terminalShows(page, new RegExp(`${mark}-42\\s+debian-lab`));
    await shoot(page.getByTestId('terminal-viewer'), 'consoles-terminal-output');
  });

  it('finds text in the scrollback and changes the font size', async () => {
    const rows = page.getByTestId('terminal-viewer').locator('.xterm-rows');
    const before = await rows.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
    await page.getByTestId('terminal-font-larger').click();
    await expect.poll(() => rows.evaluate((element) => parseFloat(getComputedStyle(element).fontSize))).toBeGreaterThan(before);
    await page.getByTestId('terminal-font-smaller').click();
    await expect.poll(() => rows.evaluate((element) => parseFloat(getComputedStyle(element).fontSize))).toBe(before);
    const search = page.getByTestId('terminal-search').locator('input').or(page.locator('input[data-testid="terminal-search"]')).first();
    await search.fill('debian-lab');
    await search.press('Enter');
    // xterm marks what it found as the selection.
    await expect.poll(() => page.getByTestId('terminal-viewer').locator('.xterm-selection div, .xterm-decoration').count()).toBeGreaterThan(0);
  });

  it('reconnects after the lab cuts the terminal websocket', async () => {
    await session.faults({ 'close-websockets': 1 });
    await panelReaches(page, 'reconnecting', 15_000);
    await panelReaches(page, 'connected');
    await typeIntoTerminal(page, 'echo again-$((2*3))\r');
    await terminalShows(page, /again-6/);
  });
});
