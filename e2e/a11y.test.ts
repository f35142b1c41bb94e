import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from './support/app-session';
import { describeFindings, seriousViolations, type AxeFinding } from './support/axe';
import { dismissMessages, field } from './support/browser';
import { modes, switchTo } from './support/display-modes';
import { acceptHostKey, closeSshTest, runUntilHostKeyQuestion } from './support/ssh-test-dialog';
import { testOutput } from './support/paths';
import { sharedLab } from './support/shared-lab';
import { firstCluster } from '../lab/api/lab-harness';

const screenshots = join(testOutput, 'screenshots');

function totp(secret: string): string {
  return execFileSync('oathtool', ['--totp', '-b', secret], { encoding: 'utf8' }).trim();
}

/** The outline or box shadow that shows where the keyboard is; Naive UI draws its focus as a box shadow. */
async function focusRing(page: Page): Promise<{ tag: string; visible: boolean; ring: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement)) return { tag: String(element?.tagName), visible: false, ring: false };
    // An input shows its focus on the Naive UI wrapper around it.
    const drawn = element.closest('.n-input, .n-base-selection, .n-input-number') ?? element;
    const style = getComputedStyle(drawn);
    const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadowed = style.boxShadow !== 'none';
    const wrapperFocused = drawn !== element && /--focus/.test(drawn.className);
    return { tag: element.tagName, visible: element.matches(':focus-visible'), ring: outlined || shadowed || wrapperFocused };
  });
}

/**
 * Every view and dialog of the app, in both themes and both languages,
 * checked by axe-core in Chromium against the lab cluster: none may have a
 * serious or critical violation. Each state is also photographed, to be
 * looked at.
 */
describe('accessibility of every view, against the lab cluster', () => {
  const lab = sharedLab();
  let app: AppSession;
  let page: Page;

  const cluster = () => firstCluster(lab.ready);
  const api = () => new URL(cluster().api);
  const row = (name: string) => page.locator('tr.connection-row').filter({ has: page.locator('.name', { hasText: name }) });
  const statusOf = (name: string) => row(name).locator('[data-status]').getAttribute('data-status');

  /** Checks the page as it is in the four modes; fails listing every violation found, with the mode and the view. */
  async function checkEveryMode(view: string, target: Page = page): Promise<void> {
    const found: string[] = [];
    for (const mode of modes) {
      await switchTo(app, page, mode);
      await dismissMessages(target);
      // Let theme transitions end: axe reads the colours as they are painted.
      await target.waitForTimeout(400);
      await target.screenshot({ path: join(screenshots, `a11y-${view}-${mode.locale}-${mode.theme}.png`) });
      const findings: AxeFinding[] = await seriousViolations(target);
      if (findings.length > 0) found.push(describeFindings(`${view} (${mode.locale}, ${mode.theme})`, findings));
    }
    await switchTo(app, page, modes[0]);
    expect(found, found.join('\n')).toEqual([]);
  }

  async function pickRealm(realm: string): Promise<void> {
    await page.getByTestId('auth-realm').click();
    await page
      .locator('.n-base-select-option')
      .filter({ hasText: new RegExp(`^${realm}\\b`) })
      .click();
  }

  async function openConnections(): Promise<void> {
    await page.goto(new URL('#/connections', page.url()).href);
    await page.getByTestId('connections-view').waitFor();
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    app = await openAppSession();
    page = app.page;
    await page.getByTestId('inventory-view').waitFor();
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('by keyboard alone', () => {
    it('reaches the connections view from the top bar, with a visible focus ring', async () => {
      await page.locator('body').focus();
      for (let presses = 0; presses < 10; presses++) {
        await page.keyboard.press('Tab');
        if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === 'Connections') break;
      }
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Connections');
      expect(await focusRing(page)).toMatchObject({ visible: true, ring: true });
      await page.keyboard.press('Enter');
      await page.getByTestId('connections-empty').waitFor();
      await page.screenshot({ path: join(screenshots, 'a11y-keyboard-nav-focus-en-light.png') });
    });

    it('opens the add dialog, fills it, then closes it with Escape, focus shown all along', async () => {
      const add = page.getByTestId('add-connection');
      for (let presses = 0; presses < 10 && !(await add.evaluate((element) => element === document.activeElement)); presses++) await page.keyboard.press('Tab');
      expect(await add.evaluate((element) => element === document.activeElement)).toBe(true);
      expect(await focusRing(page)).toMatchObject({ visible: true, ring: true });
      await page.keyboard.press('Enter');
      const dialog = page.getByTestId('profile-dialog');
      await dialog.waitFor();
      // Focus moves into the dialog, to its first field, which takes what is typed.
      await expect.poll(() => field(page, 'profile-name').evaluate((element) => element === document.activeElement)).toBe(true);
      await page.keyboard.type('Typed only');
      expect(await field(page, 'profile-name').inputValue()).toBe('Typed only');
      await page.keyboard.press('Tab');
      expect(await focusRing(page)).toMatchObject({ ring: true });
      await page.screenshot({ path: join(screenshots, 'a11y-keyboard-dialog-focus-en-light.png') });
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      // Back where the dialog was opened from.
      await expect.poll(() => add.evaluate((element) => element === document.activeElement)).toBe(true);
    });

    it('walks the command palette with the arrows and runs the chosen command with Enter', async () => {
      await page.keyboard.press('Control+k');
      await page.getByTestId('palette').waitFor();
      // "Go to inventory", "Go to connections": the arrow picks the second.
      await page.keyboard.type('go to');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/connections');
      await page.getByTestId('palette').waitFor({ state: 'detached' });
    });
  });

  describe('axe-core, light and dark, English and French', () => {
    it('the shell with its empty states: tree pane, main view, task pane, top bar', async () => {
      await page.goto(new URL('#/inventory', page.url()).href);
      await page.getByTestId('tree-empty').waitFor();
      await checkEveryMode('shell-empty');
    });

    it('settings', async () => {
      await page.goto(new URL('#/settings', page.url()).href);
      await page.getByTestId('about').waitFor();
      await checkEveryMode('settings');
    });

    it('the command palette', async () => {
      await page.keyboard.press('Control+k');
      await page.getByTestId('palette').waitFor();
      await checkEveryMode('palette');
      await page.keyboard.press('Escape');
      await page.getByTestId('palette').waitFor({ state: 'detached' });
    });

    it('the connections view, empty', async () => {
      await openConnections();
      await page.getByTestId('connections-empty').waitFor();
      await checkEveryMode('connections-empty');
    });

    it('the profile dialog, then the certificate question it raises', async () => {
      await page.getByTestId('add-connection').click();
      await page.getByTestId('profile-dialog').waitFor();
      await checkEveryMode('profile-add');
      await field(page, 'profile-name').fill('Institute lab');
      await field(page, 'endpoint-host').fill(api().hostname);
      await field(page, 'endpoint-port').fill(api().port);
      const certificate = page.getByTestId('certificate-dialog');
      await certificate.waitFor();
      await checkEveryMode('certificate-trust');
      await page.getByTestId('accept-certificate').click();
      await certificate.waitFor({ state: 'detached' });
      await pickRealm('pve');
      await field(page, 'auth-username').fill(lab.ready.accounts.admin.userid.split('@')[0] ?? '');
      await field(page, 'auth-password').fill(lab.ready.accounts.admin.password);
      await page.getByTestId('test-profile').click();
      await expect.poll(() => page.getByTestId('test-result').getAttribute('data-result'), { timeout: 30_000 }).toBe('ok');
      await checkEveryMode('profile-tested');
      await page.getByTestId('save-profile').click();
      await page.getByTestId('profile-dialog').waitFor({ state: 'detached' });
    });

    it('the list with a connected cluster, and the tree pane showing it', async () => {
      await row('Institute lab').getByTestId('connect').click();
      await expect.poll(() => statusOf('Institute lab'), { timeout: 30_000 }).toBe('connected');
      await checkEveryMode('connections-list');
    });

    it('the profile dialog editing a saved profile', async () => {
      await row('Institute lab').getByTestId('edit').click();
      await page.getByTestId('profile-dialog').waitFor();
      await checkEveryMode('profile-edit');
      await page.keyboard.press('Escape');
      await page.getByTestId('profile-dialog').waitFor({ state: 'detached' });
    });

    it('the SSH test dialog and the host key question', async () => {
      const node = cluster().nodes.find((candidate) => candidate.ssh !== undefined);
      if (node === undefined) throw new Error('no lab node has SSH');
      await row('Institute lab').getByTestId('edit').click();
      await page.getByTestId('ssh-method').getByText('Key file').click();
      await field(page, 'ssh-key-path').fill(node.ssh.key);
      await page.getByTestId('add-node-override').click();
      const override = page.getByTestId('node-override-row').first().locator('input');
      await override.nth(0).fill(node.name);
      await override.nth(1).fill(node.ssh.host);
      await override.nth(2).fill(String(node.ssh.port));
      await override.nth(3).fill(node.ssh.user);
      await page.getByTestId('save-profile').click();
      await page.getByTestId('profile-dialog').waitFor({ state: 'detached' });

      await row('Institute lab').getByTestId('test-ssh').click();
      await page.getByTestId('ssh-test-dialog').waitFor();
      await checkEveryMode('ssh-test');
      await runUntilHostKeyQuestion(page);
      await checkEveryMode('host-key');
      await acceptHostKey(page);
      await checkEveryMode('ssh-test-result');
      await closeSshTest(page);
    });

    it('the login and second factor dialogs', async () => {
      const { tfa } = lab.ready.accounts;
      await page.getByTestId('add-connection').click();
      await field(page, 'profile-name').fill('Two factors');
      await page.getByTestId('endpoint-trust').click();
      await page.locator('.n-base-select-option').filter({ hasText: 'Pinned fingerprint' }).click();
      await field(page, 'endpoint-fingerprint').fill(cluster().fingerprint);
      await field(page, 'endpoint-host').fill(api().hostname);
      await field(page, 'endpoint-port').fill(api().port);
      await pickRealm('pve');
      await field(page, 'auth-username').fill(tfa.userid.split('@')[0] ?? '');
      await page.getByTestId('save-profile').click();
      await page.getByTestId('profile-dialog').waitFor({ state: 'detached' });

      await row('Two factors').getByTestId('connect').click();
      await page.getByTestId('login-dialog').waitFor();
      await checkEveryMode('login');
      await field(page, 'login-password').fill(tfa.password);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('second-factor-dialog').waitFor();
      await page.getByTestId('login-dialog').waitFor({ state: 'detached' });
      await checkEveryMode('second-factor');
      await field(page, 'second-factor-code').fill(totp(tfa.totpSecret));
      await page.getByTestId('second-factor-submit').click();
      await page.getByTestId('second-factor-dialog').waitFor({ state: 'detached', timeout: 30_000 });
      await expect.poll(() => statusOf('Two factors')).toBe('connected');
    });

    it('the import review dialog and the result alert', async () => {
      const file = {
        format: 'pve-desk.connections',
        version: 1,
        profiles: [
          { name: 'Institute lab', endpoints: [{ host: api().hostname, port: Number(api().port) }], auth: { kind: 'password', username: 'x', realm: 'pve' } },
          { name: 'Imported', endpoints: [{ host: 'pve.invalid', port: 8006 }], auth: { kind: 'token', tokenId: 'automation@pve!desk' } },
        ],
      };
      await page
        .getByTestId('import-file')
        .setInputFiles({ name: 'connections.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
      await page.getByTestId('import-review').waitFor();
      await checkEveryMode('import-review');
      await page.getByTestId('apply-import').click();
      await page.getByTestId('import-review').waitFor({ state: 'detached' });
      await page.getByTestId('import-result').waitFor();
      await checkEveryMode('import-result');
    });

    it('the delete confirmation', async () => {
      await row('Imported').getByTestId('delete').click();
      const confirm = page.getByTestId('delete-dialog');
      await confirm.waitFor();
      await checkEveryMode('delete-confirm');
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      expect(await row('Imported').count()).toBe(1);
    });

    it('the shell with a cluster in the tree pane', async () => {
      await page.goto(new URL('#/inventory', page.url()).href);
      await page.getByTestId('resource-tree').waitFor();
      await checkEveryMode('shell-tree');
    });

    it("the web host's alert in a second tab opened with the spent launch URL", async () => {
      const browser: Browser = app.browser;
      const found: string[] = [];
      for (const mode of modes) {
        const tab = await browser.newPage({
          viewport: { width: 1366, height: 800 },
          colorScheme: mode.theme,
          locale: mode.locale === 'fr' ? 'fr-FR' : 'en-US',
        });
        try {
          await tab.goto(app.host.launchUrl);
          await tab.getByTestId('host-refused').waitFor();
          await dismissMessages(tab);
          await tab.screenshot({ path: join(screenshots, `a11y-refused-tab-${mode.locale}-${mode.theme}.png`) });
          const findings = await seriousViolations(tab);
          if (findings.length > 0) found.push(describeFindings(`refused tab (${mode.locale}, ${mode.theme})`, findings));
        } finally {
          await tab.close();
        }
      }
      expect(found, found.join('\n')).toEqual([]);
    });
  });

  describe('the tree pane by keyboard', () => {
    it('moves between clusters with the arrows', async () => {
      const tree = page.getByTestId('resource-tree');
      await tree.focus();
      await page.keyboard.press('ArrowDown');
      expect(await tree.locator('.n-tree-node--pending').count()).toBe(1);
      const first = await tree.locator('.n-tree-node--pending').textContent();
      await page.keyboard.press('ArrowDown');
      expect(await tree.locator('.n-tree-node--pending').textContent()).not.toBe(first);
      await page.keyboard.press('Enter');
      expect(await tree.locator('.n-tree-node--selected').count()).toBe(1);
    });
  });
});
