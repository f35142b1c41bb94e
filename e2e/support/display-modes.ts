/**
 * The four ways the app can look (two languages, two themes), which the
 * screenshot and accessibility tests go through one after another.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { SupportedLocale } from '../../shared/domain/settings';
import type { AppSession } from './app-session';

export interface Mode {
  locale: SupportedLocale;
  theme: 'light' | 'dark';
}

/** English and light first: tests come back to it after going through the others. */
export const modes: readonly [Mode, ...Mode[]] = [
  { locale: 'en', theme: 'light' },
  { locale: 'en', theme: 'dark' },
  { locale: 'fr', theme: 'light' },
  { locale: 'fr', theme: 'dark' },
];

/** Changes the settings the way another window of the app would: the page follows, whatever dialog is open. */
export async function switchTo(app: AppSession, page: Page, mode: Mode): Promise<void> {
  await app.host.services.handlers['settings.update']({ theme: mode.theme, locale: mode.locale }, { caller: 'e2e' });
  await expect.poll(() => page.evaluate(() => [document.documentElement.lang, document.documentElement.dataset.theme])).toEqual([mode.locale, mode.theme]);
}
