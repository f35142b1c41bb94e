import type { Browser, Page } from 'playwright-core';
import { launchChromium, openAppPage } from './browser';
import { startTestHost, type TestHost } from './web-host';

/** The web host (fresh config folder unless one is given) with the app open in Chromium: where most end-to-end tests start. */
export interface AppSession {
  host: TestHost;
  browser: Browser;
  page: Page;
  /** Page errors and console errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export async function openAppSession(configDir?: string): Promise<AppSession> {
  const host = await startTestHost(configDir);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const { page, errors } = await openAppPage(browser, host.launchUrl);
    const opened = browser;
    return {
      host,
      browser,
      page,
      errors,
      close: async () => {
        await opened.close();
        await host.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await host.close();
    throw error;
  }
}
