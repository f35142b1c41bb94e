/**
 * The steps of a profile's SSH test dialog that every test takes the same
 * way; what is checked between them is each test's own.
 */
import type { Locator, Page } from 'playwright-core';

/** The first SSH connection to a lab node waits for its sshd and the jump host. */
const SSH_TIMEOUT_MS = 30_000;

/** Runs the test on a node whose host key is not known yet; returns the question about it once shown. */
export async function runUntilHostKeyQuestion(page: Page): Promise<Locator> {
  await page.getByTestId('ssh-test-run').click();
  const question = page.getByTestId('host-key-dialog');
  await question.waitFor({ timeout: SSH_TIMEOUT_MS });
  return question;
}

/** Accepts the host key in question; returns what the node answered once shown. */
export async function acceptHostKey(page: Page): Promise<Locator> {
  await page.getByTestId('accept-host-key').click();
  await page.getByTestId('host-key-dialog').waitFor({ state: 'detached' });
  const result = page.getByTestId('ssh-test-result');
  await result.waitFor({ timeout: SSH_TIMEOUT_MS });
  return result;
}

export async function closeSshTest(page: Page): Promise<void> {
  await page.getByTestId('ssh-test-close').click();
  await page.getByTestId('ssh-test-dialog').waitFor({ state: 'detached' });
}
