import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleSession, KeyboardLayout } from '../../../../shared/domain/consoles';
import { byTestId, click, exists, mountInApp, settle } from '../../../testing';
import { keySteps } from './key-steps';
import TypeClipboardDialog from './TypeClipboardDialog.vue';

const session: ConsoleSession = {
  kind: 'vnc',
  url: 'ws://127.0.0.1:1/relay/x',
  protocols: ['binary'],
  expiresInMs: 10_000,
  title: 'debian-lab (100)',
  profileId: 'lab',
  node: 'pve1',
  vmid: 100,
  clipboardSharing: true,
};

/** A viewer's typeText: records what it was asked and answers what the real planner skips. */
function fakeTyping() {
  const calls: { text: string; layout: KeyboardLayout }[] = [];
  const typeText = async (text: string, layout: KeyboardLayout) => {
    calls.push({ text, layout });
    return { skipped: keySteps(text, layout).skipped };
  };
  return { calls, typeText };
}

function stubClipboard(readText: () => Promise<string>) {
  vi.spyOn(navigator.clipboard, 'readText').mockImplementation(readText);
}

async function open(overrides: Partial<ConsoleSession> = {}, typing = fakeTyping()) {
  await mountInApp(TypeClipboardDialog, { show: true, session: { ...session, ...overrides }, typeText: typing.typeText });
  await flushPromises();
  return typing;
}

const textarea = () => byTestId('field-text').querySelector('textarea') as HTMLTextAreaElement;

async function enter(text: string) {
  textarea().value = text;
  textarea().dispatchEvent(new Event('input'));
  await flushPromises();
}

beforeEach(() => {
  document.body.innerHTML = '';
  stubClipboard(() => Promise.reject(new DOMException('denied', 'NotAllowedError')));
});
afterEach(() => vi.restoreAllMocks());

describe('TypeClipboardDialog', { timeout: 20_000 }, () => {
  it('starts with the clipboard text when the page may read it, and the guest layout', async () => {
    stubClipboard(() => Promise.resolve('from the clipboard'));
    await open({ keyboard: 'fr' });
    expect(textarea().value).toBe('from the clipboard');
    expect(byTestId('field-layout').textContent).toContain('French (AZERTY)');
  });

  it('starts empty when the clipboard is refused, with US when the guest sets no layout', async () => {
    await open();
    expect(textarea().value).toBe('');
    expect(byTestId('field-layout').textContent).toContain('English (US)');
    expect((byTestId('dialog-submit') as HTMLButtonElement).disabled).toBe(true);
  });

  it('types at once up to 1 000 characters and says none was skipped', async () => {
    const typing = await open();
    await enter('x'.repeat(1000));
    await click('dialog-submit');
    expect(exists('type-clipboard-confirm')).toBe(false);
    expect(typing.calls).toEqual([{ text: 'x'.repeat(1000), layout: 'en-us' }]);
    expect(byTestId('type-clipboard-skipped').textContent).toContain('Typed 1000 characters; none was skipped.');
  });

  it('asks before typing more than 1 000 characters, and types only once confirmed', async () => {
    const typing = await open();
    await enter('y'.repeat(1001));
    await click('dialog-submit');
    expect(typing.calls).toEqual([]);
    expect(byTestId('type-clipboard-dialog').textContent).toContain('This text has 1001 characters');
    await click('type-clipboard-confirm');
    expect(typing.calls).toHaveLength(1);
    expect(typing.calls[0]?.text).toHaveLength(1001);
    expect(exists('type-clipboard-confirm')).toBe(false);
  });

  it('counts characters, not UTF-16 units: 1 000 emoji need no confirmation', async () => {
    const typing = await open();
    await enter('😀'.repeat(1000));
    await click('dialog-submit');
    expect(typing.calls).toHaveLength(1);
  });

  it('lists the skipped characters once each, in order, with their code points', async () => {
    const typing = await open({ keyboard: 'fr' });
    await enter('ßa😀ßb\u00a0');
    await click('dialog-submit');
    expect(typing.calls).toEqual([{ text: 'ßa😀ßb\u00a0', layout: 'fr' }]);
    expect(byTestId('type-clipboard-skipped').dataset.count).toBe('3');
    expect(byTestId('type-clipboard-skipped').textContent).toContain(
      'French (AZERTY) layout cannot produce these characters, so they were not typed: ß (U+00DF), 😀 (U+1F600), \u00a0 (U+00A0)',
    );
  });

  it('says why typing failed', async () => {
    await open({}, { calls: [], typeText: () => Promise.reject(new Error('not connected')) });
    await enter('abc');
    await click('dialog-submit');
    expect(byTestId('dialog-error').textContent).toContain('the console is not connected');
    expect(exists('type-clipboard-skipped')).toBe(false);
  });

  it('stays closed for a profile that does not share the clipboard', async () => {
    await open({ clipboardSharing: false });
    await settle();
    expect(exists('type-clipboard-dialog')).toBe(false);
  });
});
