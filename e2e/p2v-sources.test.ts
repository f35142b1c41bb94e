import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { P2vJobView } from '../shared/domain/p2v';
import { checkEveryMode, focusedTestId, openRoute, tabTo } from './support/operations-page';
import { openOperationsSession, type OperationsSession } from './support/operations-session';
import {
  acceptHostKey,
  answered,
  nextStep,
  p2vJobs,
  sparseRawImage,
  startP2vSourceServer,
  stepShown,
  typeImagePath,
  type P2vSourceServer,
} from './support/p2v-page';

const mib = 1024 ** 2;
/** The lab's physical server's NICs (lab/p2v-source/fake-answers.ts). */
const nics = [
  { name: 'eno1', mac: '18:66:da:5e:2c:10' },
  { name: 'eno2', mac: '18:66:da:5e:2c:11' },
];

/**
 * The P2V wizard's other sources in Chromium, against the shared lab as root: the lab's "physical server" (a real
 * sshd whose /dev/sda is a 32 MiB file) signed in to by keyboard, its figures and Linux checklist shown, moved into
 * a VM that starts; then a small image moved into a Windows-type VM, whose first-boot step runs the switch from SATA
 * to virtio by its three buttons, each checked in the VM's config through the API. Every screen of both is shot
 * light/dark × en/fr with an axe scan; the VMs are destroyed after.
 */
describe('P2V of a Linux server by SSH and the Windows switch, in Chromium against the lab', () => {
  let session: OperationsSession;
  let page: Page;
  let folder: string;
  let server: P2vSourceServer;
  let windowsImage: string;
  let virtioIso: string | undefined;
  let linuxVmid: number | undefined;
  let windowsVmid: number | undefined;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'pve-desk-p2v-sources-'));
    windowsImage = join(folder, 'win-server.img');
    sparseRawImage(windowsImage, 16, [0, 9]);
    server = await startP2vSourceServer(join(folder, 'source'), 32 * mib);
    session = await openOperationsSession({ nodeSsh: true });
    page = session.page;
    // The virtio-win ISO the switch wants in the Windows VM's CD-ROM (its content is never read): put on pve1's
    // `local` as an admin uploads it, and taken off again after.
    const [cluster] = session.lab.ready.clusters;
    const isoDir = join(session.lab.ready.stateDir, cluster?.name ?? 'lab1', 'nodes', 'pve1', 'local', 'template', 'iso');
    mkdirSync(isoDir, { recursive: true });
    virtioIso = join(isoDir, 'virtio-win.iso');
    writeFileSync(virtioIso, Buffer.alloc(64 * 1024));
    // More room for the wizard in the screenshots.
    await session.app.host.services.handlers['settings.update']({ taskLogVisible: false }, { caller: 'e2e' });
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    if (virtioIso !== undefined) rmSync(virtioIso, { force: true });
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  async function config(vmid: number): Promise<Record<string, string>> {
    return session.api.config(vmid);
  }

  /** The migration's job once it left `running`, failing with what the progress step says unless it succeeded. */
  async function migrated(): Promise<P2vJobView> {
    const progress = page.getByTestId('p2v-progress');
    await expect.poll(() => progress.getAttribute('data-state'), { timeout: 300_000, interval: 500 }).not.toBe('running');
    expect(await progress.getAttribute('data-state'), await progress.innerText()).toBe('succeeded');
    const job = (await p2vJobs(session.app)).at(-1);
    if (job === undefined) throw new Error('no migration listed');
    return job;
  }

  /**
   * The target step once it knows the node's storages and the next free VMID, and the inventory agrees that VMID is
   * free (a VM destroyed a moment ago is listed until the inventory's next refresh): Enter before that finds it
   * incomplete.
   */
  async function targetLoaded(): Promise<void> {
    await expect.poll(() => page.getByTestId('p2v-storage').innerText(), { timeout: 30_000 }).toMatch(/free|libre/);
    await expect.poll(() => page.getByTestId('field-vmid').locator('input').inputValue(), { timeout: 30_000 }).toMatch(/^\d+$/);
    const vmidProblem = page.locator('.n-form-item', { has: page.getByTestId('field-vmid') }).locator('.n-form-item-feedback');
    await expect.poll(() => vmidProblem.allInnerTexts(), { timeout: 30_000 }).toEqual([]);
  }

  /** Types into a field's input by keyboard, replacing what it held. */
  async function typeInto(testId: string, value: string): Promise<void> {
    await page.getByTestId(testId).locator('input').focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type(value);
  }

  it('signs in to the server by keyboard, its host key accepted once compared', { timeout: 120_000 }, async () => {
    await openRoute(page, '/p2v');
    await page.getByTestId('p2v-list-empty').waitFor();
    // The source kind is a radio group: the arrow moves from the image file to the Linux server.
    await page.getByTestId('p2v-source-workstation').locator('input').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('p2v-source-ssh').locator('input').isChecked()).toBe(true);
    await tabTo(page, 'p2v-ssh-host');
    await page.keyboard.type(server.host);
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('p2v-ssh-port');
    await page.keyboard.press('Control+a');
    await page.keyboard.type(String(server.port));
    await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('p2v-ssh-user');
    expect(await page.getByTestId('p2v-ssh-user').locator('input').inputValue()).toBe('root');
    await tabTo(page, 'p2v-ssh-password');
    await page.keyboard.type(server.password);
    await tabTo(page, 'p2v-ssh-connect');
    await page.keyboard.press('Enter');
    // The server is no node of a profile: its key is asked in the same dialog, and is the server's own.
    expect(await acceptHostKey(page)).toBe(server.hostKeyFingerprint);
    await answered(page, 'p2v-ssh-facts', 60_000);
    // The keychain holds the password now; the form keeps none.
    expect(await page.getByTestId('p2v-ssh-password').locator('input').inputValue()).toBe('');
  });

  it('shows the server’s figures, the hot-capture warning and the Linux checklist', async () => {
    const facts = await page.getByTestId('p2v-ssh-facts').innerText();
    expect(facts).toContain('srv-legacy01');
    // nproc and MemTotal inside the server's namespace: this machine's.
    expect(facts).toMatch(new RegExp(`CPUs\\s+${availableParallelism()}\\b`));
    expect(facts).toMatch(/Memory\s+[\d.,]+\s+GiB/);
    for (const nic of nics) expect(facts).toMatch(new RegExp(`${nic.name}\\s+${nic.mac}`));
    expect(await page.getByTestId('p2v-ssh-device').innerText()).toMatch(/\/dev\/sda — 32(\.0)?\sMiB — PERC H730P Mini/);
    expect(await page.getByTestId('p2v-ssh-consistency').innerText()).toContain('crash-consistent');
    // The fake fstab mounts / by device name, the initramfs lacks virtio_scsi, Dell's agents are installed.
    for (const id of ['fstab-stable-names', 'virtio-initramfs', 'vendor-agents'])
      expect(await page.getByTestId(`p2v-check-${id}`).getAttribute('data-status'), id).toBe('warning');
    expect(await page.getByTestId('p2v-check-vendor-agents').innerText()).toContain('srvadmin-all');
    await checkEveryMode(session.app, page, 'ssh-source', 'p2v');
    await page.getByTestId('p2v-checklist').scrollIntoViewIfNeeded();
    await checkEveryMode(session.app, page, 'ssh-checklist', 'p2v');
  });

  it('inspects the server’s disk, read from this computer, with the hot capture said again', async () => {
    await nextStep(page, 'inspect');
    await answered(page, 'p2v-inspection', 90_000);
    expect(await page.getByTestId('p2v-inspect-virtual').textContent()).toMatch(/32/);
    expect(await page.getByTestId('p2v-inspection').innerText()).toContain('/dev/sda is mounted (/) and read while the server runs');
    await nextStep(page, 'target');
  });

  it('sets the sizes beside the physical machine’s figures and keeps its MAC, by keyboard', async () => {
    await targetLoaded();
    const physical = page.getByTestId('p2v-physical');
    const shown = await physical.innerText();
    expect(shown).toContain(`${availableParallelism()} CPUs`);
    expect(shown).toMatch(/\/dev\/sda — 32(\.0)?\sMiB/);
    for (const nic of nics) expect(shown).toContain(nic.mac);
    // Its figures replace the preset's.
    await page.getByTestId('p2v-use-physical').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('p2v-cores').locator('input').inputValue()).toBe(String(availableParallelism()));
    expect(Number(await page.getByTestId('p2v-memory').locator('input').inputValue())).toBe(Math.max(1, Math.round(totalmem() / 1024 ** 3)));
    // A lab VM needs little memory; eno1's MAC is kept.
    await typeInto('p2v-memory', '0.5');
    await page.keyboard.press('Tab');
    await tabTo(page, 'p2v-mac');
    await page.keyboard.press('Enter');
    await page.locator('.n-base-select-menu').last().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('p2v-mac').innerText()).toContain(nics[0]?.mac);
    expect(await page.getByTestId('field-name').locator('input').inputValue()).toBe('srv-legacy01');
    await physical.scrollIntoViewIfNeeded();
    await checkEveryMode(session.app, page, 'ssh-target', 'p2v');
    await page.getByTestId('p2v-memory').locator('input').press('Enter');
    await stepShown(page, 'summary');
  });

  it('moves the server into a VM tagged p2v that starts, with eno1’s MAC', { timeout: 360_000 }, async () => {
    await page.getByTestId('p2v-next').click();
    // The migration is this app's first contact with the node by SSH: its host key is asked then.
    await acceptHostKey(page);
    await stepShown(page, 'progress');
    const job = await migrated();
    expect(job.plan.source).toMatchObject({ kind: 'ssh', device: '/dev/sda' });
    linuxVmid = job.plan.target.vmid;
    session.made.add(linuxVmid);
    const made = await config(linuxVmid);
    expect(made.tags?.split(/[;, ]/)).toContain('p2v');
    expect(made.net0?.toLowerCase()).toContain(nics[0]?.mac);
    expect(made.memory).toBe('512');
    await expect.poll(async () => (await session.api.status(linuxVmid ?? 0)).status, { timeout: 30_000 }).toBe('running');
    await checkEveryMode(session.app, page, 'ssh-progress', 'p2v');
    // The capture's temporary key is off the server again.
    expect(readFileSync(server.authorizedKeysPath, 'utf8')).not.toContain('pve-desk-p2v');
    await session.api.destroy(linuxVmid);
    expect(await session.api.find(linuxVmid)).toBeUndefined();
    session.made.delete(linuxVmid);
  });

  it('moves an image into a Windows VM that first boots from SATA', { timeout: 360_000 }, async () => {
    await page.getByTestId('p2v-new').click();
    await stepShown(page, 'source');
    await typeImagePath(page, windowsImage);
    await nextStep(page, 'inspect');
    await answered(page, 'p2v-inspection', 90_000);
    await nextStep(page, 'target');
    await targetLoaded();
    await page.getByTestId('p2v-ostype').locator('input').focus();
    await page.keyboard.type('Windows 11');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('p2v-ostype').innerText()).toContain('Windows 11');
    await expect.poll(() => page.getByTestId('p2v-bus').innerText()).toContain('SATA');
    await expect.poll(() => page.getByTestId('p2v-virtio-iso').innerText(), { timeout: 15_000 }).toContain('virtio-win.iso');
    await typeInto('p2v-memory', '0.25');
    await page.keyboard.press('Tab');
    await page.getByTestId('p2v-memory').locator('input').press('Enter');
    await stepShown(page, 'summary');
    await nextStep(page, 'progress');
    const job = await migrated();
    windowsVmid = job.plan.target.vmid;
    session.made.add(windowsVmid);
    const made = await config(windowsVmid);
    expect(made).toMatchObject({ ostype: 'win11', boot: expect.stringMatching(/^order=sata0/) as unknown });
    expect(made.sata0).toBeDefined();
    expect(made.ide2).toMatch(/virtio-win\.iso,media=cdrom/);
    await nextStep(page, 'firstBoot');
    await page.getByTestId('p2v-windows-switch').waitFor();
  });

  /** Presses a switch button by keyboard: Tab from the bus radios to it, then Enter. */
  async function press(step: string): Promise<void> {
    const button = page.getByTestId(`p2v-windows-run-${step}`);
    await expect.poll(() => button.isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('p2v-windows-bus').locator('input:checked').focus();
    await tabTo(page, `p2v-windows-run-${step}`);
    await page.keyboard.press('Enter');
  }

  /** What a pressed step answered: its checks and what to do next, or the switch's error alert. */
  async function stepAnswered(step: string): Promise<void> {
    const refusal = page.getByTestId('p2v-windows-switch').getByTestId('dialog-error');
    const shown = page.getByTestId(`p2v-windows-${step}`).getByTestId('p2v-windows-next').or(refusal).first();
    await shown.waitFor({ timeout: 90_000 });
    if ((await shown.getAttribute('data-testid')) === 'dialog-error') throw new Error(`main refused ${step}: ${await shown.innerText()}`);
  }

  async function shootSwitch(view: string): Promise<void> {
    await page.getByTestId('p2v-windows-switch').scrollIntoViewIfNeeded();
    await checkEveryMode(session.app, page, view, 'p2v');
  }

  it('shows the Windows switch with only its first step open', async () => {
    const vmid = windowsVmid ?? 0;
    expect((await session.api.status(vmid)).status).toBe('running');
    expect(await page.getByTestId('p2v-windows-run-add-temporary-disk').isEnabled()).toBe(true);
    expect(await page.getByTestId('p2v-windows-run-remove-temporary-disk').isEnabled()).toBe(false);
    expect(await page.getByTestId('p2v-windows-run-move-boot-disk').isEnabled()).toBe(false);
    await shootSwitch('windows-switch');
  });

  it('refuses to change the running guest, and writes nothing', async () => {
    const vmid = windowsVmid ?? 0;
    const before = await config(vmid);
    await press('add-temporary-disk');
    const refusal = page.getByTestId('p2v-windows-switch').getByTestId('dialog-error');
    await refusal.waitFor();
    // Said in the user's words, naming the VM and what to do in Windows.
    expect(await refusal.innerText()).toContain(`VM ${vmid} is running, and these steps change its disks: nothing was changed. Shut Windows down`);
    expect(await page.getByTestId('p2v-windows-run-remove-temporary-disk').isEnabled()).toBe(false);
    expect((await config(vmid)).digest).toBe(before.digest);
    await shootSwitch('windows-switch-running');
  });

  it('leads back to the switch from the report, by keyboard', async () => {
    await page.getByTestId('p2v-next').click();
    await page.getByTestId('p2v-report-body').waitFor();
    const back = page.getByTestId('p2v-report-first-boot');
    expect((await back.innerText()).trim()).toBe('Console and switch to virtio drivers');
    await back.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('p2v-windows-switch').waitFor();
    expect(await page.getByTestId('p2v-step-title').innerText()).toContain('First boot');
    expect(await page.getByTestId('p2v-windows-run-add-temporary-disk').isEnabled()).toBe(true);
    // Its console connects again (before the next test stops the guest under it).
    const panel = page.getByTestId('p2v-first-boot').getByTestId('console-panel');
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 60_000 }).toBe('connected');
  });

  it('adds the temporary disk once Windows is off, its config check shown', { timeout: 120_000 }, async () => {
    const vmid = windowsVmid ?? 0;
    // The lab's Windows guests sit at the firmware screen, deaf to ACPI: stopped rather than shut down.
    await session.api.stop(vmid);
    await press('add-temporary-disk');
    const step = page.getByTestId('p2v-windows-add-temporary-disk');
    await stepAnswered('add-temporary-disk');
    const checks = step.locator('[data-ok]');
    expect(await checks.count()).toBeGreaterThan(0);
    expect(await step.locator('[data-ok="false"]').allInnerTexts()).toEqual([]);
    expect(await step.getByTestId('p2v-windows-next').innerText()).toContain('viostor');
    const added = await config(vmid);
    expect(added.virtio0).toMatch(/serial=p2v-driver-disk/);
    expect(added.sata0).toBeDefined();
    expect(await page.getByTestId('p2v-windows-run-remove-temporary-disk').isEnabled()).toBe(true);
    await shootSwitch('windows-switch-added');
  });

  it('removes the temporary disk, then moves the boot disk to virtio', { timeout: 120_000 }, async () => {
    const vmid = windowsVmid ?? 0;
    const bootVolume = /^([^,]+)/.exec((await config(vmid)).sata0 ?? '')?.[1];
    expect(bootVolume).toBeDefined();
    await press('remove-temporary-disk');
    await stepAnswered('remove-temporary-disk');
    const removed = await config(vmid);
    expect(removed.virtio0).toBeUndefined();
    expect(Object.keys(removed).filter((key) => key.startsWith('unused'))).toEqual([]);
    await press('move-boot-disk');
    const moved = page.getByTestId('p2v-windows-move-boot-disk');
    await stepAnswered('move-boot-disk');
    expect(await moved.locator('[data-ok="false"]').allInnerTexts()).toEqual([]);
    const switched = await config(vmid);
    expect(switched.sata0).toBeUndefined();
    expect(switched.virtio0?.startsWith(`${bootVolume},`)).toBe(true);
    expect(switched.boot).toMatch(/^order=virtio0/);
    await shootSwitch('windows-switch-done');
    await session.api.destroy(vmid);
    session.made.delete(vmid);
  });

  it('ran without a page error', () => {
    expect(session.app.errors).toEqual([]);
  });
});
