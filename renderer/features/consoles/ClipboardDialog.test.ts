import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { byTestId, click, exists, fakeIpc, mountInApp, settle } from '../../testing';
import ClipboardDialog from './ClipboardDialog.vue';

const sent: string[] = [];
const guestText = ref('');
const outcome = ref<'sent' | 'refused'>();
const shown = ref(true);

const Harness = defineComponent(
  () => () =>
    h(ClipboardDialog, {
      show: shown.value,
      guestText: guestText.value,
      outcome: outcome.value,
      onSend: (text: string) => sent.push(text),
      onClose: () => (shown.value = false),
    }),
);

function field(): HTMLTextAreaElement {
  const textarea = byTestId('field-clipboard').querySelector('textarea');
  if (textarea === null) throw new Error('no textarea');
  return textarea;
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
  sent.length = 0;
  guestText.value = 'copied in the guest';
  outcome.value = undefined;
  shown.value = true;
});

describe('ClipboardDialog', () => {
  it("shows the guest's last copied text, and the newer one when the guest copies again", async () => {
    await mountInApp(Harness);
    await settle();
    expect(exists('clipboard-dialog')).toBe(true);
    expect(field().value).toBe('copied in the guest');
    guestText.value = 'copied again';
    await flushPromises();
    expect(field().value).toBe('copied again');
  });

  it('sends the text as edited, and says whether the guest took it', async () => {
    await mountInApp(Harness);
    await settle();
    const textarea = field();
    textarea.value = 'mine: ünïcode & symbols';
    textarea.dispatchEvent(new Event('input'));
    await flushPromises();
    await click('clipboard-send');
    expect(sent).toEqual(['mine: ünïcode & symbols']);
    outcome.value = 'refused';
    await flushPromises();
    expect(byTestId('clipboard-outcome').textContent).toContain('cannot take');
  });

  it('closes on its close button', async () => {
    await mountInApp(Harness);
    await settle();
    await click('clipboard-close');
    await settle();
    expect(shown.value).toBe(false);
  });
});
