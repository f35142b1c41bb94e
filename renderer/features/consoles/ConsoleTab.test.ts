import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import { IpcError } from '../../../shared/ipc/errors';
import { byTestId, click, exists, fakeIpc, mountInApp, settle } from '../../testing';
import { clusterFeed, guestItem, labProfileId, serveInventory } from '../inventory/testing';
import ConsoleTab from './ConsoleTab.vue';

const vnc: ConsoleTarget = { kind: 'vnc', profileId: labProfileId, node: 'pve1', vmid: 100 };

async function mountTab(target: ConsoleTarget = vnc, detached = false) {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items: [guestItem(100, { status: 'stopped' })] }]);
  const wrapper = await mountInApp(ConsoleTab, { target, detached });
  await settle();
  // The viewer is its own chunk: on a busy machine it may load after the first settle.
  await vi.waitFor(() => byTestId(`${target.kind === 'spice' ? 'spice' : 'vnc'}-viewer`), { timeout: 10_000 });
  return wrapper;
}

/** The test ids of the toolbar's controls, in order. */
function toolbarControls(): string[] {
  return [...byTestId('console-toolbar').querySelectorAll<HTMLElement>('[data-testid]')].map((control) => control.dataset.testid ?? '');
}

/** Every control the keyboard reaches inside an element, in document order. */
function tabbable(root: Element): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('button, input, textarea, select, [tabindex]')].filter(
    (element) => element.tabIndex >= 0 && !(element as HTMLButtonElement).disabled,
  );
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('ConsoleTab', () => {
  it('says a stopped guest is not running and offers to start it', async () => {
    fakeIpc.answer('consoles.open', () => {
      throw new IpcError('NOT_RUNNING', 'guest 100 is not running');
    });
    await mountTab();
    expect(byTestId('console-panel').dataset.state).toBe('failed');
    expect(byTestId('console-error').dataset.kind).toBe('not-running');
    expect(byTestId('console-error').textContent).toContain('The guest is not running');
    expect(exists('console-start-guest')).toBe(true);
    expect(byTestId('console-status').textContent).toContain('Not connected');
  });

  it('says a refused privilege in words and offers no start nor reconnect that could not help', async () => {
    fakeIpc.answer('consoles.open', () => {
      throw new IpcError('PERMISSION_DENIED', 'no VM.Console');
    });
    await mountTab();
    expect(byTestId('console-error').dataset.kind).toBe('permission');
    expect(byTestId('console-error').textContent).toContain('VM.Console');
    expect(exists('console-start-guest')).toBe(false);
    expect(exists('console-error-reconnect')).toBe(false);
    expect(exists('console-reconnect')).toBe(false);
  });

  it("offers no control of a screen while the console failed, and one Reconnect: the error's", async () => {
    fakeIpc.answer('consoles.open', () => {
      throw new IpcError('UNREACHABLE', 'proxy does not answer');
    });
    await mountTab();
    expect(byTestId('console-panel').dataset.state).toBe('failed');
    expect(toolbarControls()).toEqual(['console-detach', 'console-close']);
    expect(exists('console-error-reconnect')).toBe(true);
    expect(byTestId('console-panel').textContent).not.toContain('Ctrl+Alt+Shift');
  });

  it('names the console in a window of its own, where no tab does', async () => {
    fakeIpc.answer('consoles.open', () => new Promise(() => undefined));
    await mountTab(vnc, true);
    expect(byTestId('console-title').tagName).toBe('H1');
    // Before main answers, the name the inventory knows the guest by.
    await vi.waitFor(() => expect(byTestId('console-title').textContent?.replace(/\s+/g, ' ').trim()).toBe('vm-100 (100) VNC'));
    expect(toolbarControls()).not.toContain('console-detach');
  });

  it('shows a lone occasional action as a button of its own: remote-viewer while SPICE connects', async () => {
    fakeIpc.answer('consoles.open', () => new Promise(() => undefined));
    await mountTab({ kind: 'spice', profileId: labProfileId, node: 'pve1', vmid: 100 });
    expect(exists('console-more')).toBe(false);
    expect(byTestId('console-remote-viewer').textContent).toContain('Open in remote-viewer');
  });

  it('puts every toolbar control before the screen in the tab order, each with a name', async () => {
    fakeIpc.answer('consoles.open', () => new Promise(() => undefined)); // still connecting
    await mountTab();
    const panel = byTestId('console-panel');
    const controls = tabbable(panel);
    const toolbar = byTestId('console-toolbar');
    const screen = byTestId('vnc-viewer');
    const toolbarControls = controls.filter((control) => toolbar.contains(control));
    expect(toolbarControls.map((control) => control.dataset.testid ?? control.closest('[data-testid]')?.getAttribute('data-testid'))).toEqual(
      expect.arrayContaining(['console-fullscreen', 'console-detach', 'console-reconnect', 'console-close', 'console-release-keyboard']),
    );
    for (const control of toolbarControls) expect((control.getAttribute('aria-label') ?? control.textContent ?? '').trim()).not.toBe('');
    // The screen comes after the whole toolbar: Shift+Tab from it leads back to the controls.
    const screenIndex = controls.indexOf(screen);
    expect(screenIndex).toBeGreaterThan(-1);
    expect(controls.slice(0, screenIndex)).toEqual(expect.arrayContaining(toolbarControls));
    expect(screen.getAttribute('aria-label')).toContain('Ctrl+Alt+Shift');
  });

  it('gives the keyboard back to the toolbar on Ctrl+Alt+Shift inside the screen and on Release keyboard', async () => {
    fakeIpc.answer('consoles.open', () => new Promise(() => undefined));
    await mountTab();
    const screen = byTestId('vnc-viewer');
    screen.dispatchEvent(new KeyboardEvent('keydown', { key: 'Shift', ctrlKey: true, altKey: true, shiftKey: true, bubbles: true }));
    await flushPromises();
    expect(byTestId('console-toolbar').contains(document.activeElement)).toBe(true);

    (document.activeElement as HTMLElement).blur();
    await click('console-release-keyboard');
    expect(byTestId('console-toolbar').contains(document.activeElement)).toBe(true);
  });

  it('reconnects from the error with a new consoles.open', async () => {
    let calls = 0;
    fakeIpc.answer('consoles.open', () => {
      calls += 1;
      throw new IpcError('UNREACHABLE', 'proxy does not answer');
    });
    await mountTab();
    expect(byTestId('console-error').dataset.kind).toBe('unreachable');
    await click('console-error-reconnect');
    await settle();
    expect(calls).toBe(2);
  });
});
