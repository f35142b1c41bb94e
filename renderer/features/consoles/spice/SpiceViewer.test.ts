import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { reactive } from 'vue';
import { relayCloseCodes, type ConsoleSession } from '../../../../shared/domain/consoles';
import { byTestId, exists, mountInApp } from '../../../testing';
import { ctrlAltDel } from '../key-combinations';
import type { ConsoleViewer } from '../viewer';
import type { SpiceClient, SpiceClientEvents } from './spice-client';
import SpiceViewer from './SpiceViewer.vue';

/** A spice client that records what the viewer asks and lets the test play the session's events. */
interface FakeSpice {
  session: ConsoleSession;
  screen: HTMLElement;
  events: SpiceClientEvents;
  keys: [code: string, down: boolean][];
  pasted: string[];
  resized: [number, number][];
  disconnected: boolean;
}

const clients: FakeSpice[] = [];

vi.mock('./spice-client', () => ({
  createSpiceClient: (session: ConsoleSession, screen: HTMLElement, events: SpiceClientEvents): SpiceClient => {
    const fake: FakeSpice = { session, screen, events, keys: [], pasted: [], resized: [], disconnected: false };
    clients.push(fake);
    return {
      sendKey: (code, down) => (fake.keys.push([code, down]), true),
      movePointer: () => undefined,
      pressButton: () => undefined,
      pasteToGuest: (text) => (fake.pasted.push(text), true),
      resizeGuest: (width, height) => (fake.resized.push([width, height]), true),
      disconnect: () => (fake.disconnected = true),
    };
  },
}));

const spiceSession = (overrides: Partial<ConsoleSession> = {}): ConsoleSession => ({
  kind: 'spice',
  url: 'ws://127.0.0.1:40000/relay/aa',
  protocols: ['binary', 'pvedesk-window.k'],
  expiresInMs: 10_000,
  title: 'spice-desktop (101)',
  profileId: 'lab',
  node: 'pve2',
  vmid: 101,
  clipboardSharing: true,
  spicePath: { via: 'answered', address: '127.0.0.1:3128', unreachable: [] },
  ...overrides,
});

async function showViewer(session: ConsoleSession | null = spiceSession()) {
  const props = reactive<{ session: ConsoleSession | null }>({ session });
  const wrapper = await mountInApp(SpiceViewer, props);
  const component = wrapper.findComponent(SpiceViewer);
  const viewer = component.vm as unknown as ConsoleViewer;
  const emitted = (name: string) => component.emitted(name) ?? [];
  return { props, wrapper, viewer, emitted, client: () => clients[clients.length - 1] as FakeSpice };
}

beforeEach(() => {
  clients.length = 0;
  document.body.innerHTML = '';
});

describe('SpiceViewer', () => {
  it('connects to the session into its own screen element and says so once spice-html5 reports the session', async () => {
    const { emitted, client } = await showViewer();
    expect(clients).toHaveLength(1);
    expect(client().session.url).toBe('ws://127.0.0.1:40000/relay/aa');
    expect(byTestId('spice-viewer').contains(client().screen)).toBe(true);
    expect(byTestId('spice-viewer').getAttribute('aria-label')).toContain('spice-desktop (101)');
    expect(emitted('connected')).toHaveLength(0);
    client().events.connected();
    expect(emitted('connected')).toHaveLength(1);
  });

  it('waits without a session, and connects when the tab hands one', async () => {
    const { props } = await showViewer(null);
    expect(clients).toHaveLength(0);
    props.session = spiceSession();
    await flushPromises();
    expect(clients).toHaveLength(1);
  });

  it.each([
    [{ kind: 'closed', code: relayCloseCodes.tokenRefused, reason: 'token spent' }, { kind: 'token-refused' }],
    [{ kind: 'closed', code: relayCloseCodes.unreachable, reason: '' }, { kind: 'unreachable' }],
    [{ kind: 'closed', code: relayCloseCodes.certificate, reason: 'host-subject mismatch' }, { kind: 'certificate' }],
    [{ kind: 'closed', code: relayCloseCodes.authFailed, reason: '' }, { kind: 'auth-failed' }],
    [{ kind: 'closed', code: relayCloseCodes.upstreamClosed, reason: '' }, { kind: 'dropped' }],
    [
      { kind: 'closed', code: relayCloseCodes.protocolError, reason: 'bad SPICE link' },
      { kind: 'protocol', detail: 'bad SPICE link' },
    ],
    [{ kind: 'closed', code: 1006, reason: '' }, { kind: 'dropped' }],
    [{ kind: 'error', message: 'Permission denied.' }, { kind: 'auth-failed' }],
    [{ kind: 'error', message: 'Connection timed out.' }, { kind: 'unreachable' }],
    [
      { kind: 'error', message: 'Error: magic mismatch: 0' },
      { kind: 'protocol', detail: 'Error: magic mismatch: 0' },
    ],
  ] as const)('reports the end %j as %j', async (end, failure) => {
    const { emitted, client } = await showViewer();
    client().events.connected();
    client().events.ended(end);
    expect(emitted('disconnected')).toEqual([[failure]]);
  });

  it('reports nothing when the tab disconnects it, or when it goes away', async () => {
    const { emitted, viewer, client, wrapper } = await showViewer();
    viewer.disconnect();
    expect(client().disconnected).toBe(true);
    viewer.connect(spiceSession({ url: 'ws://127.0.0.1:40000/relay/bb' }));
    expect(clients).toHaveLength(2);
    wrapper.unmount();
    expect(clients[1]?.disconnected).toBe(true);
    expect(emitted('disconnected')).toEqual([]);
  });

  it('passes the guest’s clipboard on only when the profile shares it, and pastes through the agent', async () => {
    const shared = await showViewer();
    shared.client().events.guestClipboard('from the guest');
    expect(shared.emitted('guestClipboard')).toEqual([['from the guest']]);
    expect(shared.viewer.pasteToGuest?.('to the guest')).toBe(true);
    expect(shared.client().pasted).toEqual(['to the guest']);
    shared.wrapper.unmount();

    const unshared = await showViewer(spiceSession({ clipboardSharing: false }));
    unshared.client().events.guestClipboard('from the guest');
    expect(unshared.emitted('guestClipboard')).toEqual([]);
    expect(unshared.viewer.pasteToGuest?.('to the guest')).toBe(false);
    expect(unshared.client().pasted).toEqual([]);
  });

  it('sends Ctrl+Alt+Del as physical keys: pressed in order, released in reverse', async () => {
    const { viewer, client } = await showViewer();
    viewer.sendKeys?.(ctrlAltDel);
    expect(client().keys).toEqual([
      ['ControlLeft', true],
      ['AltLeft', true],
      ['Delete', true],
      ['Delete', false],
      ['AltLeft', false],
      ['ControlLeft', false],
    ]);
  });

  it('types text with the layout’s keys, Shift included, and answers what it skipped', async () => {
    const { viewer, client } = await showViewer();
    await expect(viewer.typeText?.('a!€', 'en-us')).resolves.toEqual({ skipped: ['€'] });
    expect(client().keys).toEqual([
      ['KeyA', true],
      ['KeyA', false],
      ['ShiftLeft', true],
      ['Digit1', true],
      ['Digit1', false],
      ['ShiftLeft', false],
    ]);
  });

  it('sends the keys typed on the focused screen, releases held ones when it loses the focus, and none in view-only mode', async () => {
    const { viewer, client } = await showViewer();
    const screen = byTestId('spice-viewer');
    screen.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyQ', bubbles: true, cancelable: true }));
    screen.dispatchEvent(new KeyboardEvent('keyup', { code: 'KeyQ', bubbles: true, cancelable: true }));
    screen.dispatchEvent(new KeyboardEvent('keydown', { code: 'ShiftLeft', bubbles: true, cancelable: true }));
    screen.dispatchEvent(new FocusEvent('blur'));
    expect(client().keys).toEqual([
      ['KeyQ', true],
      ['KeyQ', false],
      ['ShiftLeft', true],
      ['ShiftLeft', false],
    ]);
    viewer.setViewOnly?.(true);
    screen.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyW', bubbles: true, cancelable: true }));
    expect(client().keys).toHaveLength(4);
  });

  it('asks the agent to resize the guest in the remote mode, and says when the guest has no agent', async () => {
    const { viewer, client } = await showViewer();
    const frame = byTestId('spice-viewer');
    Object.defineProperty(frame, 'clientWidth', { value: 1024 });
    Object.defineProperty(frame, 'clientHeight', { value: 700 });
    client().events.connected();
    viewer.setScaling?.('remote');
    await flushPromises();
    expect(exists('spice-no-agent')).toBe(true);
    client().events.agent(true);
    await flushPromises();
    expect(exists('spice-no-agent')).toBe(false);
    expect(byTestId('spice-viewer').dataset.agent).toBe('present');
    expect(client().resized).toEqual([
      [1024, 700],
      [1024, 700],
    ]);
    viewer.setScaling?.('fit');
    client().events.agent(true);
    expect(client().resized).toHaveLength(2);
  });

  it('takes a screenshot of the guest’s canvas, and refuses before there is one', async () => {
    const { viewer, client } = await showViewer();
    await expect(viewer.screenshot?.()).rejects.toThrow('no screen yet');
    const canvas = document.createElement('canvas');
    const png = new Blob(['png'], { type: 'image/png' });
    canvas.toBlob = (callback: BlobCallback) => callback(png);
    client().events.screen(canvas);
    await expect(viewer.screenshot?.()).resolves.toBe(png);
  });
});
