import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from './support/app-session';
import { pick } from './support/browser';
import { testOutput } from './support/paths';

const screenshots = join(testOutput, 'screenshots');

async function backgroundOf(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

describe('the app shell in Chromium, served by the web host', () => {
  let app: AppSession;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    app = await openAppSession();
    ({ page, errors: pageErrors } = app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows the three panes with their empty states, in English and light by default', async () => {
    await expect.poll(() => page.getByTestId('tree-empty').isVisible()).toBe(true);
    expect(await page.getByTestId('inventory-view').textContent()).toContain('Nothing to show yet');
    expect(await page.getByTestId('task-log').textContent()).toContain('No tasks yet');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.screenshot({ path: join(screenshots, 'shell-en-light.png') });
  });

  it('removes the launch token from the address bar', () => {
    expect(page.url()).not.toContain(app.host.token);
  });

  it('switches to the dark theme and remembers it in the config folder', async () => {
    const before = await backgroundOf(page);
    await pick(page, 'theme-switch', 'Dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await expect.poll(() => backgroundOf(page)).not.toBe(before);
    const saved = JSON.parse(readFileSync(join(app.host.configDir, 'settings.json'), 'utf8')) as { theme: string };
    expect(saved.theme).toBe('dark');
    await page.screenshot({ path: join(screenshots, 'shell-en-dark.png') });
  });

  it('switches to French: every pane speaks French', async () => {
    await pick(page, 'locale-switch', 'Français');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await page.getByTestId('tree-empty').textContent()).toContain('Aucun cluster connecté');
    expect(await page.getByTestId('inventory-view').textContent()).toContain('Rien à afficher');
    expect(await page.getByTestId('task-log').textContent()).toContain('Aucune tâche');
    await page.screenshot({ path: join(screenshots, 'shell-fr-dark.png') });
    await pick(page, 'theme-switch', 'Clair');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.screenshot({ path: join(screenshots, 'shell-fr-light.png') });
  });

  it('keeps the choices after a reload', async () => {
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });

  it('opens the command palette with Ctrl+K and runs a command from the keyboard', async () => {
    await page.keyboard.press('Control+k');
    const input = page.getByTestId('palette-input').locator('input');
    await expect.poll(() => input.isVisible()).toBe(true);
    await input.fill('paramètres');
    await page.screenshot({ path: join(screenshots, 'palette-fr-light.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('settings-view').isVisible()).toBe(true);
    await page.getByTestId('palette').waitFor({ state: 'detached' });
    expect(await page.getByTestId('about').textContent()).toContain('0.0.0-test');
    await page.screenshot({ path: join(screenshots, 'settings-fr-light.png') });
  });

  it('hides the task log and brings it back', async () => {
    await page.getByTestId('task-log').getByRole('button').click();
    await expect.poll(() => page.getByTestId('task-log').count()).toBe(0);
    await page.getByTestId('show-tasks').click();
    await expect.poll(() => page.getByTestId('task-log').isVisible()).toBe(true);
  });

  it('follows the operating system theme when asked to', async () => {
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').locator('input').fill('système');
    await page.keyboard.press('Enter');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });

  it('ran without a page error or a CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });

  it('never wrote the launch token to the log', () => {
    expect(readFileSync(app.host.logFile, 'utf8')).not.toContain(app.host.token);
  });
});
