/**
 * Driving the P2V wizard as a user does: the step it shows, what a step shows
 * once main answered (or the error it answered), Next, the host-key question
 * of a first SSH contact, an image file typed by its path, and a small sparse
 * raw image made on this machine to move; and the lab's P2V source server.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { P2vJobView } from '../../shared/domain/p2v';
import type { AppSession } from './app-session';
import { screenshots } from './operations-page';

const mib = 1024 ** 2;

/** The migrations main knows, as the list shows them. */
export async function p2vJobs(app: AppSession): Promise<P2vJobView[]> {
  return (await app.host.services.handlers['p2v.list']({}, { caller: 'e2e' })) as P2vJobView[];
}

/** Waits until the wizard shows this step (its `data-step`); fails with what the step says is missing otherwise. */
export async function stepShown(page: Page, step: string, timeout = 30_000): Promise<void> {
  const wizard = page.getByTestId('p2v-wizard');
  try {
    await expect.poll(() => wizard.getAttribute('data-step'), { timeout }).toBe(step);
  } catch (error) {
    await page.screenshot({ path: join(screenshots, `p2v-not-at-${step}.png`) });
    const said = await wizard.locator('[data-testid="p2v-missing"], [data-testid="dialog-error"], .n-form-item-feedback').allInnerTexts();
    throw new Error(`the wizard did not reach ${step}; it says: ${said.join(' / ') || 'nothing'}`, { cause: error });
  }
}

/** Waits for what a step shows once main answered, failing with the step's error alert when it answered a failure. */
export async function answered(page: Page, testId: string, timeout: number): Promise<void> {
  const shown = page.getByTestId(testId).or(page.getByTestId('dialog-error')).first();
  await shown.waitFor({ timeout });
  if ((await shown.getAttribute('data-testid')) === 'dialog-error') throw new Error(`main refused: ${await shown.innerText()}`);
}

/** Presses Next and waits for the step it leads to. */
export async function nextStep(page: Page, step: string): Promise<void> {
  await page.getByTestId('p2v-next').click();
  await stepShown(page, step);
}

/**
 * Answers the app's host-key question of a first SSH contact, as a user trusting the key on first use, once it
 * is asked within `timeout`; returns the fingerprint the dialog showed.
 */
export async function acceptHostKey(page: Page, timeout = 60_000): Promise<string> {
  const question = page.getByTestId('host-key-dialog');
  await question.waitFor({ timeout });
  const fingerprint = ((await question.getByTestId('host-key-fingerprint').textContent()) ?? '').trim();
  await page.getByTestId('accept-host-key').click();
  await question.waitFor({ state: 'detached' });
  return fingerprint;
}

/** Chooses the image-file source and types the image's path (no file dialog in a browser), read on Enter. */
export async function typeImagePath(page: Page, image: string): Promise<void> {
  await page.getByTestId('p2v-source-workstation').click();
  await page.getByTestId('p2v-pick-image').click();
  const path = page.getByTestId('p2v-image-path').locator('input');
  await path.waitFor();
  await path.fill(image);
  await path.press('Enter');
  await answered(page, 'p2v-image', 30_000);
}

/** A raw image of `sizeMiB` with 1 MiB of random data at each offset (in MiB), holes between. */
export function sparseRawImage(path: string, sizeMiB: number, dataAtMiB: number[]): void {
  execFileSync('qemu-img', ['create', '-q', '-f', 'raw', path, `${sizeMiB * mib}`]);
  for (const offset of dataAtMiB) execFileSync('dd', ['if=/dev/urandom', `of=${path}`, 'bs=1M', 'count=1', `seek=${offset}`, 'conv=notrunc', 'status=none']);
}

/** What the end-to-end tests use of the lab's P2V source server (lab/README.md, "P2V source server"). */
export interface P2vSourceServer {
  host: string;
  port: number;
  /** root's password on this server only. */
  password: string;
  hostKeyFingerprint: string;
  /** root's `~/.ssh/authorized_keys`, where the capture adds its temporary key and takes it off again. */
  authorizedKeysPath: string;
  close(): Promise<void>;
}

/**
 * Starts the lab's P2V source server in this process (its sshd dies with it): a real sshd on 127.0.0.1 whose
 * /dev/sda is a disk file of `diskBytes`. Loaded by its URL because tsconfig.e2e.json type-checks the lab's harness
 * only, not its test servers and the service test helpers they import; the interface above is what this file uses.
 */
export async function startP2vSourceServer(dir: string, diskBytes: number): Promise<P2vSourceServer> {
  const url = new URL('../../lab/p2v-source/p2v-source-server.ts', import.meta.url).href;
  const loaded = (await import(/* @vite-ignore */ url)) as {
    startP2vSourceServer(options: { dir: string; diskBytes?: number }): Promise<P2vSourceServer>;
  };
  return loaded.startP2vSourceServer({ dir, diskBytes });
}
