import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openAppPage, type AppPage } from './support/browser';
import { listedGuests } from './support/inventory-page';
import { descendants, runNpmStart, survivors, type NpmStart } from './support/npm-start';

/** Processes whose command line mentions `text` (the lab's QEMU and sshd name their state folder). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * The README's first command as a user runs it: `npm start`'s script starts
 * the lab and the app (the web host here: no Electron binary), and the app
 * already knows the lab cluster. Nothing of the test's own set-up is reused.
 */
describe('npm start', () => {
  const home = mkdtempSync(join(tmpdir(), 'pve-desk-start-'));
  const labState = join(home, 'data', 'pve-desk', 'lab');
  let started: NpmStart;
  let start: ChildProcess;
  let launchUrl: string;
  let browser: Browser;
  let app: AppPage;

  beforeAll(async () => {
    started = runNpmStart(home, { build: true });
    start = started.child;
    launchUrl = await started.launchUrl;
    browser = await launchChromium();
    app = await openAppPage(browser, launchUrl);
  });

  afterAll(async () => {
    await browser?.close();
    if (start?.exitCode === null) {
      const exited = new Promise((resolve) => start.once('exit', resolve));
      start.kill('SIGTERM');
      await exited;
    }
  });

  it('says it serves the app through the web host, and shows no password on the terminal', () => {
    const output = started.output();
    expect(output).toContain('Starting the lab cluster');
    expect(output).toContain('serving the same app through the web host');
    const ready = JSON.parse(readFileSync(join(labState, 'ready.json'), 'utf8')) as { accounts: { root: { password: string } } };
    expect(output).not.toContain(ready.accounts.root.password);
  });

  it('opens on a profile for each of the two lab clusters, each connecting without asking anything', async () => {
    const { page } = app;
    await page.getByText('Connections', { exact: true }).first().click();
    for (const cluster of ['lab1', 'lab2']) {
      const row = page.locator('tr.connection-row').filter({ has: page.locator('.name', { hasText: `Lab cluster ${cluster}` }) });
      await row.waitFor();
      await row.getByTestId('connect').click();
      await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), { timeout: 30_000 }).toBe('connected');
      expect(await row.textContent()).toContain('root@pam');
      expect(await row.textContent()).toContain(`Cluster ${cluster}`);
    }
    expect(app.errors).toEqual([]);
  });

  it('shows the guests of both clusters in one inventory', async () => {
    const { page } = app;
    await page.getByText('Inventory', { exact: true }).first().click();
    await page.getByTestId('inventory-row').first().waitFor({ timeout: 30_000 });
    const clusters = async () => new Set([...(await listedGuests(page)).keys()].map((key) => key.split(':')[0])).size;
    await expect.poll(clusters, { timeout: 10_000 }).toBe(2);
    expect(app.errors).toEqual([]);
  });

  it('SIGTERM stops the web host and the lab with it: no QEMU or sshd of it is left', async () => {
    expect(processesMentioning(labState).length).toBeGreaterThan(0);
    const tree = descendants(start.pid ?? 0);
    expect([...tree.values()].some((command) => command.includes('electron/host/main.ts'))).toBe(true);
    const exited = new Promise((resolve) => start.once('exit', resolve));
    start.kill('SIGTERM');
    await exited;
    await expect.poll(() => survivors(tree), { timeout: 30_000 }).toEqual([]);
    await expect.poll(() => processesMentioning(labState), { timeout: 30_000 }).toEqual([]);
  });
});

describe('npm start killed with SIGKILL', () => {
  const home = mkdtempSync(join(tmpdir(), 'pve-desk-start-kill-'));
  const labState = join(home, 'data', 'pve-desk', 'lab');

  it('leaves neither the web host nor the lab, its QEMU or sshd running', async () => {
    // The app was built by the run above: only the processes matter here.
    const { child, launchUrl } = runNpmStart(home, { build: false });
    try {
      await launchUrl;
      const tree = descendants(child.pid ?? 0);
      expect([...tree.values()].some((command) => command.includes('electron/host/main.ts'))).toBe(true);
      expect([...tree.values()].some((command) => command.includes('lab/main.ts'))).toBe(true);
      child.kill('SIGKILL');
      // No one forwards the signal: each watches its parents and stops on its own.
      await expect.poll(() => survivors(tree), { timeout: 30_000 }).toEqual([]);
      await expect.poll(() => processesMentioning(labState), { timeout: 30_000 }).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
