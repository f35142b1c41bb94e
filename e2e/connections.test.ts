import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, type AppSession } from './support/app-session';
import { dismissMessages, field } from './support/browser';
import { acceptHostKey, closeSshTest, runUntilHostKeyQuestion } from './support/ssh-test-dialog';
import { testOutput } from './support/paths';
import { sharedLab } from './support/shared-lab';
import { firstCluster } from '../lab/api/lab-harness';

const screenshots = join(testOutput, 'screenshots');
/** As a hostile export file could name a cluster: markup, and as long as the schema lets it be. */
const hostileName = `<img src=x onerror="document.title='pwned'"><b>${'W'.repeat(50)}`;

/** The code is computed by oathtool, an implementation independent of the lab's and the app's. */
function totp(secret: string): string {
  return execFileSync('oathtool', ['--totp', '-b', secret], { encoding: 'utf8' }).trim();
}

/**
 * The connections UI in Chromium against the lab cluster, through the web
 * host and the real connections service: every certificate, password, code
 * and host key goes the way a user's would.
 */
describe('connections in Chromium, against the lab cluster', () => {
  const lab = sharedLab();
  let app: AppSession;
  let page: Page;
  let pageErrors: string[];

  const cluster = () => firstCluster(lab.ready);
  const api = () => new URL(cluster().api);
  const sshNode = () => {
    const node = cluster().nodes.find((candidate) => candidate.ssh !== undefined);
    if (node?.ssh === undefined) throw new Error('no lab node has SSH');
    return { name: node.name, ...node.ssh };
  };
  const row = (name: string) => page.locator('tr.connection-row').filter({ has: page.locator('.name', { hasText: name }) });
  const statusOf = (name: string) => row(name).locator('[data-status]').getAttribute('data-status');

  async function runCommand(text: string): Promise<void> {
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').locator('input').fill(text);
    await page.keyboard.press('Enter');
    await page.getByTestId('palette').waitFor({ state: 'detached' });
  }

  async function shoot(name: string): Promise<void> {
    await dismissMessages(page);
    // Let transitions end.
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(screenshots, name) });
  }

  async function pickRealm(realm: string): Promise<void> {
    await page.getByTestId('auth-realm').click();
    await page
      .locator('.n-base-select-option')
      .filter({ hasText: new RegExp(`^${realm}\\b`) })
      .click();
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    app = await openAppSession();
    ({ page, errors: pageErrors } = app);
    await page.locator('.n-menu-item').filter({ hasText: 'Connections' }).click();
    await page.getByTestId('connections-empty').waitFor();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('adds a profile: certificate question, realms, test, save', async () => {
    const { admin } = lab.ready.accounts;
    const node = sshNode();
    await page.getByTestId('add-connection').click();
    await field(page, 'profile-name').fill('Institute lab');
    await field(page, 'endpoint-host').fill(api().hostname);
    await field(page, 'endpoint-port').fill(api().port);

    // The lab's node certificates are signed by the cluster's own CA, as PVE's: the realms request asks about it first.
    const certificate = page.getByTestId('certificate-dialog');
    await certificate.waitFor();
    expect(await page.getByTestId('new-fingerprint').getAttribute('aria-label')).toBe(cluster().fingerprint);
    expect(await certificate.textContent()).toContain('Proxmox Virtual Environment');
    expect(await page.getByTestId('unknown-issuer-hint').textContent()).toContain('cluster’s own authority');
    await page.getByTestId('accept-certificate').click();
    await certificate.waitFor({ state: 'detached' });
    expect(await field(page, 'endpoint-fingerprint').inputValue()).toBe(cluster().fingerprint);

    await pickRealm('pve');
    await field(page, 'auth-username').fill(admin.userid.split('@')[0] ?? '');
    await field(page, 'auth-password').fill(admin.password);

    await page.getByTestId('ssh-method').getByText('Key file').click();
    await field(page, 'ssh-key-path').fill(node.key);
    await page.getByTestId('add-node-override').click();
    const override = page.getByTestId('node-override-row').first().locator('input');
    await override.nth(0).fill(node.name);
    await override.nth(1).fill(node.host);
    await override.nth(2).fill(String(node.port));
    await override.nth(3).fill(node.user);

    await page.getByTestId('test-profile').click();
    const result = page.getByTestId('test-result');
    await expect.poll(() => result.getAttribute('data-result'), { timeout: 30_000 }).toBe('ok');
    expect(await result.textContent()).toContain(`Signed in as ${admin.userid}`);
    await shoot('connection-dialog-en-light.png');

    await page.getByTestId('save-profile').click();
    await page.getByTestId('profile-dialog').waitFor({ state: 'detached' });
    expect(await row('Institute lab').textContent()).toContain(`${admin.userid}`);
  });

  it('connects with the stored password and shows the cluster in the tree', async () => {
    await row('Institute lab').getByTestId('connect').click();
    await expect.poll(() => statusOf('Institute lab'), { timeout: 30_000 }).toBe('connected');
    expect(await row('Institute lab').textContent()).toContain('Cluster lab1');
    expect(await row('Institute lab').locator('[data-active="true"]').textContent()).toContain(`${api().hostname}:${api().port}`);
    await expect.poll(() => page.getByTestId('inventory-tree').textContent()).toContain('Institute lab');
  });

  it('asks about the unknown SSH host key of a node, then shows what the node answered', async () => {
    const node = sshNode();
    await row('Institute lab').getByTestId('test-ssh').click();
    expect(await field(page, 'ssh-test-node').inputValue()).toBe(node.name);
    const question = await runUntilHostKeyQuestion(page);
    expect(await question.textContent()).toContain(`${node.host}:${node.port}`);
    expect(await page.getByTestId('host-key-fingerprint').textContent()).toMatch(/^SHA256:/);
    await shoot('host-key-dialog-en-light.png');
    const result = await acceptHostKey(page);
    expect(await result.textContent()).toContain('qemu-img');
    await closeSshTest(page);
  });

  it('signs in a TOTP user: password, then the code oathtool computes', async () => {
    const { tfa } = lab.ready.accounts;
    await page.getByTestId('add-connection').click();
    await field(page, 'profile-name').fill('Two factors');
    // Pinned before the address is typed, so no certificate question comes up; pasted the way
    // people copy it (lower case, no colons), the dialog writes it canonically.
    await page.getByTestId('endpoint-trust').click();
    await page.locator('.n-base-select-option').filter({ hasText: 'Pinned fingerprint' }).click();
    await field(page, 'endpoint-fingerprint').fill(cluster().fingerprint.replace(/:/g, '').toLowerCase());
    await field(page, 'endpoint-fingerprint').blur();
    expect(await field(page, 'endpoint-fingerprint').inputValue()).toBe(cluster().fingerprint);
    await field(page, 'endpoint-host').fill(api().hostname);
    await field(page, 'endpoint-port').fill(api().port);
    await pickRealm('pve');
    await field(page, 'auth-username').fill(tfa.userid.split('@')[0] ?? '');
    await page.getByTestId('save-profile').click();
    await page.getByTestId('profile-dialog').waitFor({ state: 'detached' });

    await row('Two factors').getByTestId('connect').click();
    await page.getByTestId('login-dialog').waitFor();
    await field(page, 'login-password').fill(tfa.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('second-factor-dialog').waitFor();
    await page.getByTestId('login-dialog').waitFor({ state: 'detached' });
    await shoot('second-factor-en-light.png');

    await field(page, 'second-factor-code').fill(totp(tfa.totpSecret));
    await page.getByTestId('second-factor-submit').click();
    await page.getByTestId('second-factor-dialog').waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => statusOf('Two factors')).toBe('connected');
    expect((await row('Two factors').textContent()) ?? '').toContain(tfa.userid);
    await shoot('connections-list-en-light.png');
  });

  it('imports profiles from a file after a review: new ones ticked, replacing one left to the user', async () => {
    const file = {
      format: 'pve-desk.connections',
      version: 1,
      profiles: [
        { name: 'Institute lab', endpoints: [{ host: api().hostname, port: Number(api().port) }], auth: { kind: 'password', username: 'x', realm: 'pve' } },
        { name: hostileName, endpoints: [{ host: 'pve.invalid', port: 8006 }], auth: { kind: 'token', tokenId: 'automation@pve!desk' } },
      ],
    };
    await page.getByTestId('import-file').setInputFiles({ name: 'connections.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    const review = page.getByTestId('import-review');
    await review.waitFor();
    const entries = review.getByTestId('import-entry');
    expect(await entries.count()).toBe(2);
    expect(await entries.nth(0).textContent()).toContain('Replaces the connection of that name');
    expect(await entries.nth(0).getByTestId('import-entry-changes').textContent()).toContain('API addresses or certificates, sign-in account');
    expect(await entries.nth(1).textContent()).toContain('pve.invalid:8006');
    expect(await entries.nth(1).textContent()).toContain('automation@pve!desk');
    await shoot('import-review-en-light.png');
    await page.getByTestId('apply-import').click();
    await review.waitFor({ state: 'detached' });
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('1 added, 0 replaced, 0 skipped');
    // Not ticked: the existing profile kept its pinned certificate and account.
    expect(await row('Institute lab').textContent()).toContain(lab.ready.accounts.admin.userid);
    await row(hostileName).waitFor();
    expect(await row(hostileName).locator('.name').textContent()).toBe(hostileName);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
  });

  it('exports the profiles as a JSON download without any secret', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-connections').click()]);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const content = readFileSync(await download.path(), 'utf8');
    expect(JSON.parse(content)).toMatchObject({ format: 'pve-desk.connections', version: 1 });
    expect(content).toContain('Institute lab');
    expect(content).not.toContain(lab.ready.accounts.admin.password);
    expect(content).not.toContain(lab.ready.accounts.tfa.password);
  });

  it('shows the list in the dark theme and in French', async () => {
    await page.getByTestId('import-result').locator('.n-alert__close').click();
    await runCommand('dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await shoot('connections-list-en-dark.png');
    await runCommand('French');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await row('Institute lab').textContent()).toContain('Connecté');
    await shoot('connections-list-fr-dark.png');
  });

  it('stops on a changed certificate and shows the old and new fingerprints side by side', async () => {
    const wrongPin = 'AA:'.repeat(31) + 'AA';
    await row('Institute lab').getByTestId('disconnect').click();
    await expect.poll(() => statusOf('Institute lab')).toBe('disconnected');
    await row('Institute lab').getByTestId('edit').click();
    await field(page, 'endpoint-fingerprint').fill(wrongPin);
    // A stored password only goes where it was stored for: the dialog says a new pin forgets it, until it is typed again.
    expect(await page.getByTestId('secrets-to-retype').textContent()).toContain('le mot de passe');
    await field(page, 'auth-password').fill(lab.ready.accounts.admin.password);
    await page.getByTestId('secrets-to-retype').waitFor({ state: 'detached' });
    await page.getByTestId('save-profile').click();
    await page.getByTestId('profile-dialog').waitFor({ state: 'detached' });

    await row('Institute lab').getByTestId('connect').click();
    await expect.poll(() => statusOf('Institute lab'), { timeout: 30_000 }).toBe('certificate-problem');
    expect(await row('Institute lab').getByTestId('state-error').textContent()).toContain('n’est pas celui auquel vous avez fait confiance');
    await row('Institute lab').getByTestId('review-certificate').click();
    const dialog = page.getByTestId('certificate-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Le certificat a changé');
    expect(await page.getByTestId('previous-fingerprint').getAttribute('aria-label')).toBe(wrongPin);
    expect(await page.getByTestId('new-fingerprint').getAttribute('aria-label')).toBe(cluster().fingerprint);
    await shoot('certificate-dialog-fr-dark.png');

    await page.getByTestId('accept-certificate').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => statusOf('Institute lab'), { timeout: 30_000 }).toBe('connected');
  });

  it('shows the list in French and the light theme', async () => {
    await runCommand('clair');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await shoot('connections-list-fr-light.png');
  });

  it('disconnects and deletes a profile after confirming', async () => {
    await row('Two factors').getByTestId('disconnect').click();
    await expect.poll(() => statusOf('Two factors')).toBe('disconnected');
    await row(hostileName).getByTestId('delete').click();
    const confirm = page.getByTestId('delete-dialog');
    expect(await confirm.textContent()).toContain('secrets SSH enregistrés');
    await confirm.getByRole('button', { name: 'Supprimer' }).click();
    await row(hostileName).waitFor({ state: 'detached' });
  });

  it('ran without a page error', () => {
    expect(pageErrors).toEqual([]);
  });

  it('never let a password reach the page or the log', async () => {
    const html = await page.content();
    const log = readFileSync(app.host.logFile, 'utf8');
    for (const secret of [lab.ready.accounts.admin.password, lab.ready.accounts.tfa.password, lab.ready.accounts.tfa.totpSecret]) {
      expect(html).not.toContain(secret);
      expect(log).not.toContain(secret);
    }
  });
});
