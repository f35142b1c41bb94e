import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEveryMode, focusedTestId, tabTo } from './support/operations-page';
import { openOperationsSession, type OperationsSession } from './support/operations-session';
import { acceptHostKey, answered as answeredOn, nextStep, p2vJobs, sparseRawImage, stepShown as stepShownOn } from './support/p2v-page';

/**
 * The P2V wizard in Chromium against the shared lab, as root: a small raw image made on this machine (64 MiB with a
 * few MiB of data) walked through every step into a lab node, to the report. Every step is shot light/dark × en/fr
 * with an axe scan; the VM made is destroyed and the migration forgotten after.
 */
describe('P2V wizard in Chromium, against the lab (screenshots, axe)', () => {
  let session: OperationsSession;
  let page: Page;
  let folder: string;
  let image: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'pve-desk-p2v-e2e-'));
    image = join(folder, 'old-server.img');
    // A few MiB of data spread over the disk, holes between: what crosses the wire is the allocated part.
    sparseRawImage(image, 64, [0, 9, 30, 51]);
    session = await openOperationsSession({ nodeSsh: true });
    page = session.page;
    // More room for the wizard in the screenshots; the task pane comes back for the progress step.
    await session.app.host.services.handlers['settings.update']({ taskLogVisible: false }, { caller: 'e2e' });
  });

  afterAll(async () => {
    await session?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  const jobs = () => p2vJobs(session.app);
  const stepShown = (step: string) => stepShownOn(page, step);
  const answered = (testId: string, timeout: number) => answeredOn(page, testId, timeout);
  const next = (step: string) => nextStep(page, step);

  it('is reached from the command palette', async () => {
    await page.keyboard.press('Control+k');
    const input = page.getByTestId('palette-input').locator('input');
    await expect.poll(() => input.isVisible()).toBe(true);
    await input.fill('physical server');
    await page.keyboard.press('Enter');
    await page.getByTestId('p2v-view').waitFor();
    await page.getByTestId('p2v-list-empty').waitFor();
  });

  it('reads an image file typed by its path (no file dialog in a browser), keyboard only', async () => {
    await page.getByTestId('p2v-pick-image').click();
    const path = page.getByTestId('p2v-image-path').locator('input');
    await path.waitFor();
    await path.fill(image);
    await path.press('Enter');
    await answered('p2v-image', 30_000);
    // The format select starts at what the name says (raw for .img); the header is only compared.
    expect(await page.getByTestId('p2v-image-format').innerText()).toMatch(/raw/);
    await checkEveryMode(session.app, page, 'source', 'p2v');
    // Back/Next are reachable with Tab from the step's fields.
    await path.focus();
    await tabTo(page, 'p2v-next');
    expect(await focusedTestId(page)).toBe('p2v-next');
    await page.keyboard.press('Enter');
    await stepShown('inspect');
  });

  it('inspects the image on a lab node with its format named', { timeout: 300_000 }, async () => {
    // The node's host key is asked once, in the app's own dialog, as a user trusting it on first use.
    await acceptHostKey(page);
    await answered('p2v-inspection', 240_000);
    expect(await page.getByTestId('p2v-inspect-format').textContent()).toMatch(/raw/);
    expect(await page.getByTestId('p2v-inspect-virtual').textContent()).toMatch(/64/);
    await checkEveryMode(session.app, page, 'inspect', 'p2v');
    await next('target');
  });

  it('offers the node’s storages with images content, the next VMID and the presets; Enter in a field goes on', async () => {
    const storage = page.getByTestId('p2v-storage');
    await expect.poll(() => storage.innerText(), { timeout: 30_000 }).toMatch(/free|libre/);
    await expect.poll(() => page.getByTestId('field-vmid').locator('input').inputValue(), { timeout: 30_000 }).toMatch(/^\d+$/);
    const name = page.getByTestId('field-name').locator('input');
    await name.fill('e2e-p2v-old-server');
    await checkEveryMode(session.app, page, 'target', 'p2v');
    await name.press('Enter');
    await stepShown('summary');
  });

  it('says nothing was written before the start', async () => {
    expect(await page.getByTestId('p2v-nothing-written').textContent()).toContain('Nothing has been written yet');
    expect(await jobs()).toEqual([]);
    await checkEveryMode(session.app, page, 'summary', 'p2v');
  });

  it('runs the migration to its end with each step’s state', { timeout: 900_000 }, async () => {
    await page.getByTestId('p2v-next').click();
    await stepShown('progress');
    const [job] = await jobs();
    expect(job).toBeDefined();
    if (job !== undefined) session.made.add(job.plan.target.vmid);
    await session.app.host.services.handlers['settings.update']({ taskLogVisible: true }, { caller: 'e2e' });
    const progress = page.getByTestId('p2v-progress');
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: 600_000, interval: 1000 }).not.toBe('running');
    expect(await progress.getAttribute('data-state'), (await progress.innerText()) ?? '').toBe('succeeded');
    await checkEveryMode(session.app, page, 'progress', 'p2v');
    await session.app.host.services.handlers['settings.update']({ taskLogVisible: false }, { caller: 'e2e' });
  });

  it('shows the new VM’s first boot in an embedded console', async () => {
    await next('firstBoot');
    const panel = page.getByTestId('p2v-first-boot').getByTestId('console-panel');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 60_000 }).toBe('connected');
    await checkEveryMode(session.app, page, 'first-boot', 'p2v');
  });

  it('renders the report and saves it', async () => {
    await next('report');
    const body = page.getByTestId('p2v-report-body');
    await body.waitFor({ timeout: 30_000 });
    // The checksums of both sides are in it, and equal.
    expect(await body.innerText()).toMatch(/source: ([0-9a-f]{64})\s+target: \1/);
    await checkEveryMode(session.app, page, 'report', 'p2v');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('p2v-save-report').click()]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
  });

  it('lists the migration and forgets it once ended', async () => {
    const [job] = await jobs();
    if (job === undefined) throw new Error('no migration listed');
    const row = page.getByTestId(`p2v-job-${job.id}`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('succeeded');
    await row.getByTestId('p2v-forget').click();
    await row.waitFor({ state: 'detached' });
    expect(await jobs()).toEqual([]);
  });

  it('ran without a page error', () => {
    expect(session.app.errors).toEqual([]);
  });
});
