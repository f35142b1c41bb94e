import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with the background services that would try to reach the internet turned off. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page of the app and the errors it has reported so far: uncaught exceptions and console errors (CSP violations among them). */
export interface AppPage {
  page: Page;
  errors: string[];
}

/** Opens `url` as a first visit would find it: a laptop-sized window, light, in English; errors are collected from before the first load. */
export async function openAppPage(browser: Browser, url: string): Promise<AppPage> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 }, colorScheme: 'light', locale: 'en-US' });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  return { page, errors };
}

/** A Naive UI input (or number input) found by the test id on its wrapper. */
export function field(page: Page, testId: string): Locator {
  return page.getByTestId(testId).locator('input').first();
}

/** Picks `option` in the pop-select menu of the switch with this test id, then closes the menu. */
export async function pick(page: Page, switchTestId: string, option: string): Promise<void> {
  await page.getByTestId(switchTestId).click();
  await page.locator('.n-popselect-menu').getByText(option, { exact: true }).click();
  // Close the menu so screenshots show the page, not a menu fading out.
  await page.keyboard.press('Escape');
  await page.mouse.click(700, 780);
  await page.locator('.n-popselect-menu').waitFor({ state: 'detached' });
}

/** Closes the toasts that can be closed and waits for the others to fade, so they hide nothing in a screenshot. */
export async function dismissMessages(page: Page): Promise<void> {
  for (const close of await page.locator('.n-message .n-base-close').all()) await close.click().catch(() => undefined);
  await page
    .locator('.n-message')
    .first()
    .waitFor({ state: 'detached', timeout: 6_000 })
    .catch(() => undefined);
}
