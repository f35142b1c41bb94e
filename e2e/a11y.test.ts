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
import { connectLabProfile } from './support/lab-profile';
import { sharedLab } from './support/shared-lab';
import { call, firstCluster, waitTask } from '../lab/api/lab-harness';

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
      await page.getByTestId('inventory-tree').waitFor();
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
    it('moves through the tree with the arrows and opens the chosen row with Enter', async () => {
      // The tree is one focusable element; the row the keyboard is on is its active descendant.
      const tree = page.getByTestId('inventory-tree');
      await tree.focus();
      await page.keyboard.press('ArrowDown');
      const first = await tree.getAttribute('aria-activedescendant');
      expect(first).toBeTruthy();
      await page.keyboard.press('ArrowDown');
      expect(await tree.getAttribute('aria-activedescendant')).not.toBe(first);
      await page.keyboard.press('Enter');
      // The row's own view: a cluster's or a node's summary.
      await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/inventory\/[^/]+/);
    });
  });

  /**
   * The inventory with both lab clusters (labadmin on the first, root on the
   * second) and one running guest, so summaries show live figures: every
   * view in the four modes (these are also its screenshots), and the list
   * by keyboard.
   */
  describe('the inventory views', () => {
    const auth = { token: lab.ready.accounts.token.value };
    const groupings = ['Pools', 'Tags', 'Status', 'OS type', 'Folders (tag prefixes)', 'Nodes'];
    let first = '';
    let guest100: { node: string } = { node: '' };

    async function show(route: string, testId: string): Promise<void> {
      await page.goto(new URL(`#/inventory${route}`, page.url()).href);
      await page.getByTestId(testId).first().waitFor({ timeout: 15_000 });
    }

    async function powerGuest100(action: 'start' | 'stop'): Promise<void> {
      const answer = await call(lab, 'POST', `/nodes/${guest100.node}/qemu/100/status/${action}`, { auth });
      expect((await waitTask(lab, auth, answer.body.data as string)).exitstatus).toBe('OK');
    }

    beforeAll(async () => {
      const { profiles } = await app.host.services.connections.list();
      const idOf = (name: string) => profiles.find((profile) => profile.name === name)?.id ?? '';
      // One profile per cluster: the auditor's second view of the first cluster would list each guest twice.
      await app.host.services.connections.disconnect(idOf('Two factors'));
      first = idOf('Institute lab');
      // Saving the SSH settings above ended its session, as editing a profile does.
      expect((await app.host.services.connections.connect(first, undefined, false)).kind).toBe('connected');
      const second = lab.ready.clusters[1];
      if (second === undefined) throw new Error('the shared lab has one cluster');
      await connectLabProfile(app.host, second, lab.ready.accounts.root, 'Lab cluster lab2');
      const guests = (await call(lab, 'GET', '/cluster/resources', { auth, params: { type: 'vm' } })).body.data as { vmid: number; node: string }[];
      guest100 = { node: guests.find((guest) => guest.vmid === 100)?.node ?? '' };
      await powerGuest100('start');
    });

    afterAll(async () => {
      await powerGuest100('stop');
    });

    it('the list of both clusters', async () => {
      await show('', 'inventory-row');
      await expect.poll(() => page.locator('[data-testid="inventory-row"][data-state="running"]').count(), { timeout: 10_000 }).toBe(1);
      await checkEveryMode('inventory-list');
    });

    it('the tree in each grouping', async () => {
      for (const grouping of groupings) {
        await page.getByTestId('tree-grouping').click();
        await page.locator('.n-base-select-option').filter({ hasText: grouping }).click();
        await page.getByTestId('inventory-tree').locator('[data-testid="tree-item"], [data-testid="tree-group"]').first().waitFor();
        await checkEveryMode(`inventory-tree-${grouping.split(' ')[0]?.toLowerCase() ?? ''}`);
      }
    });

    it('the summary of a running guest', async () => {
      await show(`/${first}/guest/100`, 'guest-summary');
      await page.locator('[data-testid="guest-summary"][data-state="running"]').waitFor({ timeout: 10_000 });
      await checkEveryMode('inventory-guest');
    });

    it('the summary of a node', async () => {
      await show(`/${first}/node/${guest100.node}`, 'node-summary');
      await page.locator('[data-testid="node-summary"][data-state="online"]').waitFor({ timeout: 10_000 });
      await checkEveryMode('inventory-node');
    });

    it('the summary of a cluster with its balance view', async () => {
      await show(`/${first}`, 'cluster-summary');
      await page.locator('[data-testid="cluster-summary"][data-quorate="true"]').waitFor({ timeout: 10_000 });
      await page.getByTestId('balance-view').waitFor();
      await checkEveryMode('inventory-cluster');
    });

    it('the balance of both clusters side by side', async () => {
      await show('/balance', 'balance-view');
      await checkEveryMode('inventory-balance');
    });

    it('a pool with its guests', async () => {
      await show(`/${first}/pool/students`, 'pool-view');
      await page.getByTestId('pool-view').getByTestId('inventory-row').first().waitFor({ timeout: 10_000 });
      await checkEveryMode('inventory-pool');
    });

    it('the power confirmation of a bulk action', async () => {
      await show('', 'inventory-row');
      await page.locator('[data-testid="inventory-row"][data-state="running"]').getByTestId('row-select').check();
      await page.getByTestId('bulk-stop').click();
      await page.getByTestId('power-confirm').waitFor();
      try {
        await checkEveryMode('inventory-power-confirm');
      } finally {
        // Cancelled, the guest keeps running; the next test starts from the list without a selection.
        await page.keyboard.press('Escape');
        await page.getByTestId('power-confirm').waitFor({ state: 'detached' });
        await page.getByTestId('clear-selection').click();
      }
    });

    it('reaches the guest list by Tab, moves with the arrows and opens a guest with Enter', async () => {
      await show('', 'inventory-row');
      await page.getByTestId('inventory-search').locator('input').focus();
      const onRow = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'inventory-row');
      for (let presses = 0; presses < 15 && !(await onRow()); presses++) await page.keyboard.press('Tab');
      expect(await onRow()).toBe(true);
      expect(await focusRing(page)).toMatchObject({ visible: true, ring: true });
      const key = () => page.evaluate(() => document.activeElement?.getAttribute('data-key'));
      const before = await key();
      await page.keyboard.press('ArrowDown');
      expect(await key()).not.toBe(before);
      await page.screenshot({ path: join(screenshots, 'a11y-keyboard-inventory-list-en-light.png') });
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/\/guest\/\d+$/);
      await page.getByTestId('guest-summary').waitFor();
    });
  });
});
