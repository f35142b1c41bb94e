import { flushPromises } from '@vue/test-utils';
import { byTestId, type } from '../../../testing';
import { layOutVirtualLists } from '../../inventory/testing';

/** The input inside the control with this test id. */
export function inputOf(testId: string): HTMLInputElement {
  const input = byTestId(testId).querySelector('input');
  if (input === null) throw new Error(`no input in ${testId}`);
  return input;
}

/** Types into a number field and leaves it, as a user moving on does: NInputNumber takes a value with a precision on blur. */
export async function enter(testId: string, text: string): Promise<void> {
  await type(testId, text);
  inputOf(testId).dispatchEvent(new FocusEvent('blur'));
  await flushPromises();
}

/** Opens the NSelect with this test id and reads its options. */
export async function options(testId: string): Promise<HTMLElement[]> {
  byTestId(testId).querySelector<HTMLElement>('.n-base-selection')?.click();
  await flushPromises();
  await layOutVirtualLists(600);
  return [...document.querySelectorAll<HTMLElement>('.n-base-select-option')];
}

/** Picks an option of the NSelect with this test id by its label. */
export async function choose(testId: string, label: string): Promise<void> {
  const option = (await options(testId)).find((candidate) => candidate.textContent?.includes(label));
  if (option === undefined) throw new Error(`no option "${label}" in ${testId}`);
  option.click();
  await flushPromises();
}

/** The problem a form field says below the control with this test id ('' when none). */
export function problemAt(testId: string): string {
  return byTestId(testId).closest('.n-form-item')?.querySelector('.n-form-item-feedback')?.textContent ?? '';
}
