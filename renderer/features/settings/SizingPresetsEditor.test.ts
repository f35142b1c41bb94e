import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings, type SettingsPatch } from '../../../shared/domain/settings';
import { byTestId, click, fakeIpc, mountInApp, type } from '../../testing';
import { useSettingsStore } from './settings-store';
import SizingPresetsEditor from './SizingPresetsEditor.vue';

const rows = () => [...document.querySelectorAll<HTMLElement>('[data-testid="preset-row"]')];
const inRow = (row: HTMLElement, testId: string) => row.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
const button = (testId: string) => byTestId(testId) as HTMLButtonElement;

/** Types into a field of one row and leaves it (a number field with a precision takes its value on blur). */
async function enter(row: HTMLElement, testId: string, text: string): Promise<void> {
  const input = inRow(row, testId)?.querySelector('input');
  if (input === null || input === undefined) throw new Error(`no input ${testId}`);
  input.value = text;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new FocusEvent('blur'));
  await flushPromises();
}

async function showEditor() {
  let stored: Settings = structuredClone(defaultSettings);
  fakeIpc.answer('settings.get', () => stored);
  fakeIpc.answer('settings.update', (patch: SettingsPatch) => (stored = { ...stored, ...patch }));
  await mountInApp(SizingPresetsEditor);
  await useSettingsStore().load();
  await flushPromises();
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('SizingPresetsEditor', { timeout: 20_000 }, () => {
  it('lists the sizes, and saves an edited, an added and a removed one together', async () => {
    await showEditor();
    expect(rows()).toHaveLength(2);
    expect(button('presets-save').disabled).toBe(true);

    const [standard] = rows();
    if (standard === undefined) throw new Error('no row');
    await enter(standard, 'preset-cores', '2');
    await enter(standard, 'preset-memory', '8');
    await click('preset-add');
    const added = rows()[2];
    if (added === undefined) throw new Error('no added row');
    await type('preset-name', 'Tiny');
    await enter(added, 'preset-cores', '1');
    await enter(added, 'preset-memory', '0.5');
    await enter(added, 'preset-disk', '10');
    inRow(rows()[1] ?? standard, 'preset-remove')?.click();
    await flushPromises();

    expect(button('presets-save').disabled).toBe(false);
    await click('presets-save');
    expect(fakeIpc.callsOf('settings.update')).toEqual([
      {
        sizingPresets: [
          { id: 'standard', name: 'Standard', cores: 2, memory: 8192, diskGiB: 40 },
          { id: 'size-3', name: 'Tiny', cores: 1, memory: 512, diskGiB: 10 },
        ],
      },
    ]);
    expect(byTestId('sizing-presets').textContent).toContain('Sizes saved.');
  });

  it('keeps at least one size and refuses to save an incomplete one', async () => {
    await showEditor();
    inRow(rows()[1] ?? document.body, 'preset-remove')?.click();
    await flushPromises();
    expect(rows()).toHaveLength(1);
    expect((inRow(rows()[0] ?? document.body, 'preset-remove') as HTMLButtonElement).disabled).toBe(true);

    await type('preset-name', '');
    expect(byTestId('presets-invalid').textContent).toContain('Each size needs a name');
    expect(button('presets-save').disabled).toBe(true);
    expect(fakeIpc.callsOf('settings.update')).toEqual([]);
  });
});
