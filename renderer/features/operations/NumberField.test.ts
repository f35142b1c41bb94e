import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { byTestId, mountInApp } from '../../testing';
import NumberField from './NumberField.vue';

const value = ref<number | null>(0.5);
let locale: Ref<string> | undefined;
const Host = defineComponent(() => {
  locale = useI18n().locale;
  return () =>
    h(NumberField, {
      label: 'Memory (GiB)',
      testId: 'memory',
      precision: 2,
      value: value.value,
      'onUpdate:value': (next: number | null) => (value.value = next),
    });
});

function input(): HTMLInputElement {
  return byTestId('memory').querySelector('input') as HTMLInputElement;
}

afterEach(() => {
  if (locale !== undefined) locale.value = 'en';
  document.body.innerHTML = '';
});

describe('NumberField', () => {
  it('writes decimals in the user’s language without trailing zeros, and reads a comma or a point', async () => {
    value.value = 0.5;
    await mountInApp(Host);
    expect(input().value).toBe('0.5');
    if (locale !== undefined) locale.value = 'fr';
    await flushPromises();
    // The number shown follows a change of language at once.
    expect(input().value).toBe('0,5');
    value.value = 4;
    await flushPromises();
    expect(input().value).toBe('4');
    value.value = 0.25;
    await flushPromises();
    expect(input().value).toBe('0,25');
    for (const [typed, read] of [
      ['1,5', 1.5],
      ['2.75', 2.75],
    ] as const) {
      input().value = typed;
      input().dispatchEvent(new Event('input'));
      // Naive takes a formatted number once the field is left (or Enter pressed), not at each key.
      input().dispatchEvent(new Event('blur'));
      await flushPromises();
      expect(value.value).toBe(read);
    }
  });
});
