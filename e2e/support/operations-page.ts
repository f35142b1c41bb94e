/**
 * Driving the operations UI as a user does: the guest's tabs and actions,
 * the dialogs' fields by their `field-<name>` test ids (Naive UI inputs,
 * selects, checkboxes, switches and radio groups alike), the task pane's
 * row of a job, and the screenshots and axe-core scan of a view in every
 * display mode.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AppSession } from './app-session';
import { describeFindings, seriousViolations, type AxeFinding } from './axe';
import { dismissMessages } from './browser';
import { modes, switchTo } from './display-modes';
import { testOutput } from './paths';

export const screenshots = join(testOutput, 'screenshots');

/** The guest page's tabs (`guest-tab-<tab>`); `summary` is the inventory's own page. */
export type GuestTab = 'summary' | 'hardware' | 'options' | 'snapshots' | 'backups' | 'graphs' | 'ha';

/** Opens a page of the app by its route (hash history), as a link or the address bar would. */
export async function openRoute(page: Page, route: string): Promise<void> {
  await page.goto(new URL(`#${route}`, page.url()).href);
}

/** Opens a guest's page on its summary, then the tab by its link, as a user clicks through. */
export async function openGuestTab(page: Page, profileId: string, vmid: number, tab: GuestTab): Promise<void> {
  await openRoute(page, `/inventory/${profileId}/guest/${vmid}`);
  const link = page.getByTestId(`guest-tab-${tab}`);
  await link.click();
  await expect.poll(() => link.getAttribute('aria-current')).toBe('page');
}

/** Clicks an action of the guest page's header (`guest-action-<key>`) and returns the dialog it opens. */
export async function guestAction(page: Page, key: string, dialogTestId: string): Promise<Locator> {
  await page.getByTestId(`guest-action-${key}`).click();
  return openedDialog(page, dialogTestId);
}

/** A dialog once it is open and its opening animation is over. */
export async function openedDialog(page: Page, testId: string): Promise<Locator> {
  const dialog = page.getByTestId(testId);
  await dialog.waitFor();
  await expect.poll(() => dialog.evaluate((element) => element.getAnimations({ subtree: true }).length)).toBe(0);
  return dialog;
}

/** A form field of a dialog by its name (`field-<name>`). */
export function field(scope: Locator, name: string): Locator {
  return scope.getByTestId(`field-${name}`);
}

/** The text box of a field: the element itself when the test id is on it, else the first input or textarea inside. */
async function textBox(scope: Locator, name: string): Promise<Locator> {
  const wrapper = field(scope, name);
  const tag = await wrapper.evaluate((element) => element.tagName);
  return tag === 'INPUT' || tag === 'TEXTAREA' ? wrapper : wrapper.locator('input:not([type=checkbox]):not([type=radio]), textarea').first();
}

/** Types a value into a text or number field, replacing what it had, and leaves it so number inputs commit it. */
export async function fill(scope: Locator, name: string, value: string | number): Promise<void> {
  const box = await textBox(scope, name);
  await box.fill(String(value));
  await box.press('Tab');
}

/** What a text or number field holds now. */
export async function valueOf(scope: Locator, name: string): Promise<string> {
  return (await textBox(scope, name)).inputValue();
}

/**
 * Picks an option of a field: a radio of a radio group by its label, or an
 * entry of a select's menu (Naive renders it in a popover outside the dialog).
 * `filter` is typed into a filterable select first, for long lists that draw
 * only the options in view.
 */
export async function choose(scope: Locator, name: string, option: string | RegExp, filter?: string): Promise<void> {
  const wrapper = field(scope, name);
  const radios = wrapper.locator('.n-radio, .n-radio-button');
  if ((await radios.count()) > 0) {
    await radios.filter({ hasText: option }).first().click();
    return;
  }
  await wrapper.click();
  const menu = scope.page().locator('.n-base-select-menu').last();
  await menu.waitFor();
  if (filter !== undefined) await scope.page().keyboard.type(filter);
  await menu.locator('.n-base-select-option').filter({ hasText: option }).first().click();
  await menu.waitFor({ state: 'hidden' });
}

/** The text a select or radio group shows as chosen. */
export async function chosen(scope: Locator, name: string): Promise<string> {
  const wrapper = field(scope, name);
  const radio = wrapper.locator('.n-radio--checked, .n-radio-button--checked');
  if ((await radio.count()) > 0) return (await radio.first().innerText()).trim();
  return (await wrapper.innerText()).trim();
}

/** The checkbox or switch of a field, whether the test id is on it or on its wrapper. */
function toggle(scope: Locator, name: string): Locator {
  const wrapper = field(scope, name);
  return wrapper.locator('xpath=self::*[@role="checkbox" or @role="switch"]').or(wrapper.locator('[role=checkbox], [role=switch]')).first();
}

/** Ticks or clears a checkbox or switch field. */
export async function setChecked(scope: Locator, name: string, on: boolean): Promise<void> {
  const box = toggle(scope, name);
  if ((await box.getAttribute('aria-checked')) !== String(on)) await box.click();
  await expect.poll(() => box.getAttribute('aria-checked')).toBe(String(on));
}

export async function isChecked(scope: Locator, name: string): Promise<boolean> {
  return (await toggle(scope, name).getAttribute('aria-checked')) === 'true';
}

/** Presses the dialog's submit button once it is enabled. */
export async function submit(dialog: Locator): Promise<void> {
  const button = dialog.getByTestId('dialog-submit');
  await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
  await button.click();
}

/** `closed` once the dialog is gone, else what it says is wrong (its error alert and the problems under its fields). */
async function closedOrProblems(dialog: Locator): Promise<string> {
  if ((await dialog.count()) === 0) return 'closed';
  const errors = await dialog.getByTestId('dialog-error').allTextContents();
  const problems = await dialog
    .locator('.n-form-item-feedback')
    .evaluateAll((all) =>
      all.map((feedback) => `${feedback.closest('.n-form-item')?.querySelector('.n-form-item-label')?.textContent ?? ''}: ${feedback.textContent ?? ''}`),
    );
  const said = [...errors, ...problems];
  return said.length === 0 ? 'open' : said.join(' / ');
}

/** Waits for a submitted dialog to close (the operation was accepted and runs as a job); fails with what it says otherwise. */
export async function expectClosed(dialog: Locator, timeoutMs = 30_000): Promise<void> {
  await expect.poll(() => closedOrProblems(dialog), { timeout: timeoutMs }).toBe('closed');
}

/** Submits and waits for the dialog to close. */
export async function submitAndClose(dialog: Locator): Promise<void> {
  await submit(dialog);
  await expectClosed(dialog);
}

/** Cancels a dialog and waits for it to go. */
export async function cancel(dialog: Locator): Promise<void> {
  await dialog.getByTestId('dialog-cancel').click();
  await dialog.waitFor({ state: 'detached' });
}

/** The task pane's row of a cluster task (its job id ends with the UPID). */
export function jobRow(page: Page, upid: string): Locator {
  return page.locator(`[data-testid="job-row"][data-job-id$="${upid}"]`);
}

/** Waits until the task pane shows the task's job as ended, and fails with what the row says unless it succeeded. */
export async function jobSucceeds(page: Page, upid: string, timeoutMs = 120_000): Promise<void> {
  const row = jobRow(page, upid);
  await row.waitFor({ timeout: 15_000 });
  const state = () => row.getByTestId('job-state').getAttribute('data-state');
  await expect.poll(async () => ['queued', 'running'].includes((await state()) ?? 'queued'), { timeout: timeoutMs, interval: 500 }).toBe(false);
  expect(await state(), (await row.textContent()) ?? '').toBe('succeeded');
}

/** Presses Tab until the focus is inside the element with this test id; fails naming where the focus went when `maxTabs` presses do not reach it. */
export async function tabTo(page: Page, testId: string, maxTabs = 40): Promise<void> {
  const path: string[] = [];
  for (let presses = 0; presses <= maxTabs; presses++) {
    const where = await page.evaluate((id) => {
      const active = document.activeElement;
      if (active === null) return { inside: false, name: 'nothing' };
      const named = active.closest('[data-testid]')?.getAttribute('data-testid');
      return {
        inside: active.closest(`[data-testid="${id}"]`) !== null,
        name: `${active.tagName.toLowerCase()}${named === undefined || named === null ? '' : `@${named}`}`,
      };
    }, testId);
    if (where.inside) return;
    path.push(where.name);
    await page.keyboard.press('Tab');
  }
  throw new Error(`${testId} was not reached with ${maxTabs} presses of Tab; the focus went: ${path.join(' → ')}`);
}

/** The test id of the element that has the focus, or of its nearest ancestor that has one. */
export function focusedTestId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? undefined);
}

/**
 * Where axe-core runs: one mode per theme and per language, so colour contrast is checked in both themes and the longer
 * French texts once, at half the cost of scanning all four (the whole end-to-end project must stay well under ten minutes).
 */
const scannedModes = new Set(['en-light', 'fr-dark']);

/**
 * Screenshots of the page as it is (`<feature>-<view>-<locale>-<theme>.png`)
 * in both themes and languages, with an axe-core scan in light English and
 * dark French; back to English and light after. Every mode is shot before
 * the findings are asserted, so one failing mode still leaves the others to
 * look at.
 */
export async function checkEveryMode(app: AppSession, page: Page, view: string, feature = 'operations'): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  const failures: string[] = [];
  for (const mode of modes) {
    await switchTo(app, page, mode);
    await dismissMessages(page);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(screenshots, `${feature}-${view}-${mode.locale}-${mode.theme}.png`) });
    if (!scannedModes.has(`${mode.locale}-${mode.theme}`)) continue;
    const findings: AxeFinding[] = await seriousViolations(page);
    if (findings.length > 0) failures.push(describeFindings(`${view} (${mode.locale}, ${mode.theme})`, findings));
  }
  await switchTo(app, page, modes[0]);
  // Soft: the test goes on to the operation it checks; the findings still fail it.
  expect.soft(failures, failures.join('\n')).toEqual([]);
}
