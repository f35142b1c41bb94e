import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openAppPage, type AppPage } from './support/browser';
import { repoRoot } from './support/paths';

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
  let start: ChildProcess;
  let output = '';
  let launchUrl: string;
  let browser: Browser;
  let app: AppPage;

  beforeAll(async () => {
    start = spawn(process.execPath, [join(repoRoot, 'build/start.mjs')], {
      cwd: repoRoot,
      env: { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    start.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    start.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launchUrl = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const found = /running at (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(output);
        if (found?.[1] !== undefined) {
          clearInterval(timer);
          resolve(found[1]);
        } else if (start.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`npm start stopped:\n${output}`));
        }
      }, 200);
    });
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
    expect(output).toContain('Starting the lab cluster');
    expect(output).toContain('serving the same app through the web host');
    const ready = JSON.parse(readFileSync(join(labState, 'ready.json'), 'utf8')) as { accounts: { root: { password: string } } };
    expect(output).not.toContain(ready.accounts.root.password);
  });

  it('opens on a profile of the lab cluster that connects without asking anything', async () => {
    const { page } = app;
    await page.getByText('Connections', { exact: true }).first().click();
    const row = page.locator('tr.connection-row').filter({ has: page.locator('.name', { hasText: 'Lab cluster lab1' }) });
    await row.waitFor();
    await row.getByTestId('connect').click();
    await expect.poll(() => row.locator('[data-status]').getAttribute('data-status'), { timeout: 30_000 }).toBe('connected');
    expect(await row.textContent()).toContain('root@pam');
    expect(app.errors).toEqual([]);
  });

  it('stops the lab with the app: no QEMU or sshd of it is left', async () => {
    expect(processesMentioning(labState).length).toBeGreaterThan(0);
    const exited = new Promise((resolve) => start.once('exit', resolve));
    start.kill('SIGTERM');
    await exited;
    await expect.poll(() => processesMentioning(labState), { timeout: 30_000 }).toEqual([]);
  });
});
