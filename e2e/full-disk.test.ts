import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from './support/app-session';
import { dismissMessages, field, pick } from './support/browser';
import { testOutput } from './support/paths';
import { mountTinyDisk, type TinyDisk } from '../electron/services/config/testing';

/**
 * The app's config folder on a real tmpfs that the test fills: a setting
 * that cannot be saved is not shown as changed, saving a new connection
 * says the disk is full and what to do, the dialog keeps what the user
 * typed, and the same Save works once space is freed.
 */
describe('saving a connection when the disk is full', () => {
  let disk: TinyDisk;
  let app: AppSession;
  let page: Page;
  let pageErrors: string[];
  const name = 'Saved after the disk was full';

  beforeAll(async () => {
    disk = await mountTinyDisk(512);
    app = await openAppSession(disk.path);
    ({ page, errors: pageErrors } = app);
    await page.locator('.n-menu-item').filter({ hasText: 'Connections' }).click();
    await page.getByTestId('connections-empty').waitFor();
  });

  afterAll(async () => {
    await app?.close();
    await disk?.unmount();
  });

  it('keeps the theme it cannot save, and says why', async () => {
    await disk.fill();
    await pick(page, 'theme-switch', 'Dark');
    const toast = page.locator('.n-message').filter({ hasText: 'Your settings could not be saved' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain('is full');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.screenshot({ path: join(testOutput, 'screenshots', 'settings-disk-full-en-light.png') });
    expect(existsSync(join(disk.path, 'settings.json'))).toBe(false);
    await toast.locator('.n-base-close').click();
  });

  it('says the disk is full and keeps the dialog as typed', async () => {
    await page.getByTestId('add-connection').click();
    await field(page, 'profile-name').fill(name);
    await field(page, 'endpoint-host').fill('pve.invalid');
    await field(page, 'endpoint-port').fill('8006');
    await page.getByTestId('auth-kind').getByText('API token').click();
    await field(page, 'auth-token-id').fill('automation@pve!desk');

    await page.getByTestId('save-profile').click();
    const error = page.getByTestId('save-error');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('This computer’s disk refused the write');
    expect(text).toContain('is full');
    expect(text).toContain('Free some space');
    expect(await field(page, 'profile-name').inputValue()).toBe(name);
    expect(await field(page, 'auth-token-id').inputValue()).toBe('automation@pve!desk');
    expect((await app.host.services.connections.list()).profiles).toHaveLength(0);
    await page.screenshot({ path: join(testOutput, 'screenshots', 'save-error-disk-full-en-light.png') });
  });

  it('saves with the same button once space is freed, and the profile is on disk', async () => {
    await disk.free();
    await page.getByTestId('save-profile').click();
    await page.getByTestId('profile-dialog').waitFor({ state: 'detached' });
    await page.locator('tr.connection-row').filter({ hasText: name }).waitFor();
    const stored = readFileSync(join(disk.path, 'connections.json'), 'utf8');
    expect(stored).toContain(name);
  });

  it('says it in French and in the dark theme too, when an edit cannot be saved', async () => {
    await pick(page, 'theme-switch', 'Dark');
    await pick(page, 'locale-switch', 'Français');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await page.locator('tr.connection-row').filter({ hasText: name }).getByTestId('edit').click();
    await field(page, 'profile-name').fill(`${name} (edited)`);
    await disk.fill();
    try {
      await page.getByTestId('save-profile').click();
      const error = page.getByTestId('save-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('Le disque de cet ordinateur a refusé l’écriture.');
      await dismissMessages(page);
      await page.screenshot({ path: join(testOutput, 'screenshots', 'save-error-disk-full-fr-dark.png') });
      expect(readFileSync(join(disk.path, 'connections.json'), 'utf8')).not.toContain('(edited)');
    } finally {
      await disk.free();
    }
  });

  it('ran without a page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
