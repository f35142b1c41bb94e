/**
 * Where every consoles test file starts and what it reads: the app in
 * Chromium signed in to the shared lab's first cluster as root, the lab's
 * Linux guests it needs booted (and stopped again by `close`, so the next
 * file finds the lab as it started), each guest's serial console beside the
 * app to check what happened inside, and the console panel as drawn.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { call } from '../../lab/api/lab-harness';
import { openAppSession, type AppSession } from './app-session';
import { guestApi, type GuestApi } from './guest-api';
import { connectLabProfile } from './lab-profile';
import { openRoute, screenshots } from './operations-page';
import { SerialConsole } from './serial-console';
import { sharedLab, type SharedLab } from './shared-lab';

export { screenshots };

/** The lab's Linux guest with `vga: std,clipboard=vnc` and a serial console (pve1). */
export const vncGuest = 100;
/** The lab's qxl guest with SPICE and a serial console (pve2). */
export const spiceGuest = 101;

/** What `console-panel`'s `data-state` says. */
export type PanelState = 'connecting' | 'connected' | 'reconnecting' | 'failed';
export type GuestConsoleKind = 'vnc' | 'spice' | 'serial';

/** A first boot under TCG, up to the login prompt on the serial line. */
const BOOT_TIMEOUT_MS = 120_000;
/** From the console action to a drawn screen: vncproxy/spiceproxy, the relay's upstream and the viewer's handshake. */
export const CONNECT_TIMEOUT_MS = 45_000;

export interface ConsolesSession {
  lab: SharedLab;
  app: AppSession;
  page: Page;
  /** The app's profile of the lab's first cluster (root@pam). */
  profileId: string;
  /** root's token on the first cluster, beside the app. */
  api: GuestApi;
  /** The node a guest runs on. */
  nodeOf(vmid: number): Promise<string>;
  /** The guest's serial console, logged in as root (opened again when it closed). */
  shell(vmid: number): Promise<SerialConsole>;
  /** Closes the test's own serial console of a guest, so the app's serial terminal gets the guest's one serial line. */
  releaseShell(vmid: number): void;
  /** Sets the lab's fault switch (`/lab/faults`); `close` clears it. */
  faults(params: Record<string, string | number>): Promise<void>;
  /** Closes the app, clears the faults and stops the guests the session booted. */
  close(): Promise<void>;
}

/** Opens the app signed in as root and boots `guests` (each waited for up to its serial login). */
export async function openConsolesSession(guests: readonly number[]): Promise<ConsolesSession> {
  const lab = sharedLab();
  const [cluster] = lab.ready.clusters;
  if (cluster === undefined) throw new Error('the shared lab has no cluster');
  const api = guestApi(lab, { token: lab.ready.accounts.token.value });
  const booted: number[] = [];
  const serials = new Map<number, SerialConsole>();
  for (const vmid of guests) {
    if ((await api.status(vmid)).status === 'running') continue;
    await api.start(vmid);
    booted.push(vmid);
  }
  const app = await openAppSession();
  const profileId = await connectLabProfile(app.host, cluster, lab.ready.accounts.root, `Lab cluster ${cluster.name}`);
  await app.page.getByTestId('task-log').waitFor();

  const session: ConsolesSession = {
    lab,
    app,
    page: app.page,
    profileId,
    api,
    async nodeOf(vmid) {
      return (await api.guest(vmid)).node;
    },
    async shell(vmid) {
      let serial = serials.get(vmid);
      if (serial === undefined || serial.isClosed) {
        serial?.close();
        serial = await SerialConsole.open(api.api, api.auth, await session.nodeOf(vmid), vmid);
        serials.set(vmid, serial);
      }
      await serial.login(lab.ready.guestPassword, BOOT_TIMEOUT_MS);
      return serial;
    },
    releaseShell(vmid) {
      serials.get(vmid)?.close();
      serials.delete(vmid);
    },
    async faults(params) {
      const answer = await call(lab, 'POST', '/lab/faults', { auth: api.auth, params });
      if (answer.status !== 200) throw new Error(`lab faults ${JSON.stringify(params)}: ${answer.status} ${answer.statusMessage}`);
    },
    async close() {
      for (const serial of serials.values()) serial.close();
      await call(lab, 'POST', '/lab/faults', { auth: api.auth, params: { clear: 1 } }).catch(() => undefined);
      await app.close();
      for (const vmid of booted) await api.stop(vmid);
    },
  };
  // Booted guests are logged in on their serial line now, out of the first test's time.
  for (const vmid of guests) await session.shell(vmid);
  return session;
}

/** The console panel shown now. */
export function consolePanel(page: Page): Locator {
  // Hidden tabs stay mounted (display: none) and connected: the shown panel is the visible one.
  return page.locator('[data-testid="console-panel"]:visible');
}

/** Waits until the shown console panel is in `state`; fails with its error's text when it failed instead. */
export async function panelReaches(page: Page, state: PanelState, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  const panel = consolePanel(page);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await panel.getAttribute('data-state').catch(() => null);
    if (now === state) return;
    if (now === 'failed' && state !== 'failed') {
      const error = panel.getByTestId('console-error');
      const detail = (await error.count()) > 0 ? `${await error.getAttribute('data-kind')}: ${await error.innerText()}` : 'no console-error shown';
      throw new Error(`the console failed instead of reaching ${state}: ${detail}`);
    }
    if (Date.now() > deadline) throw new Error(`the console panel stayed ${now ?? 'absent'}, not ${state}, for ${timeoutMs} ms`);
    await page.waitForTimeout(200);
  }
}

/** Opens a guest's page and its console by the header's action, as a user does; waits until it is connected. */
export async function openGuestConsole(page: Page, profileId: string, vmid: number, kind: GuestConsoleKind): Promise<Locator> {
  await openRoute(page, `/inventory/${profileId}/guest/${vmid}`);
  await page.getByTestId(`guest-action-console-${kind}`).click();
  const panel = page.locator(`[data-testid="console-panel"][data-kind="${kind}"]:visible`);
  await panel.waitFor({ timeout: CONNECT_TIMEOUT_MS });
  await panelReaches(page, 'connected');
  return panel;
}

/** Runs one of the toolbar's occasional actions (screenshot, clipboard, type text, remote-viewer), which sit in its More menu when there are several. */
export async function toolbarAction(page: Page, testId: string): Promise<void> {
  const more = consolePanel(page).getByTestId('console-more');
  if ((await more.count()) === 0) {
    // A lone occasional action is a button of its own.
    await consolePanel(page).getByTestId(testId).click();
    return;
  }
  await more.click();
  await page.getByTestId(testId).click();
}

/** What a viewer's canvas shows: its size, how many colours it has and what share of it differs from its most common colour. */
export interface CanvasPicture {
  width: number;
  height: number;
  colours: number;
  /** Share (0…1) of the pixels that are not the most common colour: 0 is a blank canvas. */
  drawn: number;
}

/** Reads the first canvas under the viewer with this test id, in the page (the viewers draw with 2D contexts). */
export async function canvasPicture(page: Page, viewerTestId: string): Promise<CanvasPicture> {
  return consolePanel(page)
    .getByTestId(viewerTestId)
    .locator('canvas')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext('2d');
      if (context === null || canvas.width === 0 || canvas.height === 0) return { width: canvas.width, height: canvas.height, colours: 0, drawn: 0 };
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const counts = new Map<number, number>();
      for (let at = 0; at < pixels.length; at += 4) {
        const colour = ((pixels[at] ?? 0) << 16) | ((pixels[at + 1] ?? 0) << 8) | (pixels[at + 2] ?? 0);
        counts.set(colour, (counts.get(colour) ?? 0) + 1);
      }
      const total = pixels.length / 4;
      const most = Math.max(...counts.values());
      return { width: canvas.width, height: canvas.height, colours: counts.size, drawn: (total - most) / total };
    });
}

/** Waits until the viewer's canvas shows something: text on a console is a few percent of its pixels in a second colour. */
export async function canvasShowsAScreen(page: Page, viewerTestId: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<CanvasPicture> {
  let picture: CanvasPicture | undefined;
  await expect
    .poll(
      async () => {
        picture = await canvasPicture(page, viewerTestId);
        return picture.colours >= 2 && picture.drawn > 0.002;
      },
      { timeout: timeoutMs, interval: 500 },
    )
    .toBe(true);
  if (picture === undefined) throw new Error(`${viewerTestId}: no canvas`);
  return picture;
}

/** Saves a screenshot of the page (or of one element) as test-output/screenshots/<name>.png; answers its path. */
export async function shoot(target: Page | Locator, name: string): Promise<string> {
  mkdirSync(screenshots, { recursive: true });
  const path = join(screenshots, `${name}.png`);
  await target.screenshot({ path });
  return path;
}

/** US keys typed with Shift: the key's `code` for each shifted character. */
const shiftedUsKeys: Record<string, string> = {
  '~': 'Backquote',
  '!': 'Digit1',
  '@': 'Digit2',
  '#': 'Digit3',
  $: 'Digit4',
  '%': 'Digit5',
  '^': 'Digit6',
  '&': 'Digit7',
  '*': 'Digit8',
  '(': 'Digit9',
  ')': 'Digit0',
  _: 'Minus',
  '+': 'Equal',
  '{': 'BracketLeft',
  '}': 'BracketRight',
  '|': 'Backslash',
  ':': 'Semicolon',
  '"': 'Quote',
  '<': 'Comma',
  '>': 'Period',
  '?': 'Slash',
};

/** The key presses a person makes for `character` on a US keyboard (Playwright's `press` syntax). */
function usKeyPress(character: string): string {
  if (character === '\n') return 'Enter';
  if (character === ' ') return 'Space';
  if (/^[A-Z]$/.test(character)) return `Shift+Key${character}`;
  const shifted = shiftedUsKeys[character];
  return shifted === undefined ? character : `Shift+${shifted}`;
}

/**
 * Types text into the console with the keyboard focus on its canvas, key by key as a person on a US keyboard does:
 * Shift held for capitals and shifted symbols (the viewer sends the guest physical keys, so a capital typed without
 * Shift would arrive in lower case), slowly enough for an emulated guest's keyboard buffer.
 */
export async function typeIntoViewer(page: Page, viewerTestId: string, text: string): Promise<void> {
  await consolePanel(page).getByTestId(viewerTestId).locator('canvas').first().click();
  for (const character of text) await page.keyboard.press(usKeyPress(character), { delay: 20 });
}

/** A name no earlier run used, for files written in a guest. */
export function uniqueMark(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
