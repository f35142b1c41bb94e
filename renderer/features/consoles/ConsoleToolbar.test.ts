import { beforeEach, describe, expect, it } from 'vitest';
import { byTestId, click, exists, mountInApp } from '../../testing';
import ConsoleToolbar, { type ToolbarFeatures } from './ConsoleToolbar.vue';

const everything: ToolbarFeatures = {
  scaling: true,
  keys: true,
  fullscreen: true,
  viewOnly: true,
  screenshot: true,
  clipboard: true,
  typeClipboard: true,
  detach: true,
  remoteViewer: true,
  releaseKeyboard: true,
  reconnect: true,
};

async function mountToolbar(features: ToolbarFeatures) {
  const emitted: string[] = [];
  const record = (name: string) => () => emitted.push(name);
  await mountInApp(ConsoleToolbar, {
    features,
    scaling: 'fit',
    viewOnly: false,
    fullscreen: false,
    onScreenshot: record('screenshot'),
    onClipboard: record('clipboard'),
    onTypeClipboard: record('typeClipboard'),
    onRemoteViewer: record('remoteViewer'),
    onDetach: record('detach'),
  });
  return emitted;
}

/** The test ids of the controls on the toolbar's row. */
const onTheRow = () => [...byTestId('console-toolbar').querySelectorAll<HTMLElement>('[data-testid]')].map((control) => control.dataset.testid);

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('ConsoleToolbar', () => {
  it('keeps the occasional actions in the More menu, each item with its test id and doing its action', async () => {
    const emitted = await mountToolbar(everything);
    expect(onTheRow()).toEqual([
      'console-scaling',
      'console-keys',
      'console-fullscreen',
      'console-view-only',
      'console-more',
      'console-detach',
      'console-release-keyboard',
      'console-reconnect',
      'console-close',
    ]);
    await click('console-more');
    for (const id of ['console-screenshot', 'console-clipboard', 'console-type-clipboard']) expect(exists(id)).toBe(true);
    expect(byTestId('console-remote-viewer').textContent).toContain('Open in remote-viewer');
    await click('console-type-clipboard');
    expect(emitted).toEqual(['typeClipboard']);
  });

  it('names its icon-only buttons and says the whole keyboard hint to screen readers', async () => {
    await mountToolbar(everything);
    expect(byTestId('console-fullscreen').getAttribute('aria-label')).toBe('Full screen');
    expect(byTestId('console-detach').getAttribute('aria-label')).toBe('Detach');
    const hintId = byTestId('console-release-keyboard').getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(hintId)?.textContent).toContain('Ctrl+Alt+Shift');
  });

  it('shows a lone occasional action as a button of its own', async () => {
    const emitted = await mountToolbar({ ...everything, screenshot: false, typeClipboard: false, remoteViewer: false });
    expect(exists('console-more')).toBe(false);
    expect(byTestId('console-clipboard').textContent).toContain('Clipboard');
    await click('console-clipboard');
    expect(emitted).toEqual(['clipboard']);
  });
});
