import { FitAddon } from '@xterm/addon-fit';
import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { maxViewerFrameBytes, relayCloseCodes, type ConsoleSession } from '../../../../shared/domain/consoles';
import { byTestId, click, mountInApp, type } from '../../../testing';
import TerminalViewer from './TerminalViewer.vue';

/** A relay socket the test plays the server of. */
class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static opened: FakeWebSocket[] = [];
  readyState = FakeWebSocket.CONNECTING;
  binaryType = 'blob';
  sent: (string | Uint8Array)[] = [];
  closedWith: number | undefined;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    super();
    FakeWebSocket.opened.push(this);
  }
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = FakeWebSocket.CLOSED;
  }

  accept(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  output(bytes: Uint8Array): void {
    this.dispatchEvent(new MessageEvent('message', { data: bytes.slice().buffer }));
  }
  drop(code: number, reason = ''): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.dispatchEvent(new CloseEvent('close', { code, reason }));
  }
  /** What the viewer sent as binary frames, decoded; and its control frames, parsed. */
  get input(): string {
    return this.sent
      .filter((frame) => frame instanceof Uint8Array)
      .map((frame) => new TextDecoder().decode(frame))
      .join('');
  }
  get controls(): unknown[] {
    return this.sent.filter((frame) => typeof frame === 'string').map((frame) => JSON.parse(frame));
  }
}

/** The ResizeObserver of the viewer, so a test can say the tab changed size. */
let resized: (() => void) | undefined;
class FakeResizeObserver {
  constructor(callback: () => void) {
    resized = callback;
  }
  observe(): void {}
  disconnect(): void {}
}

let sessionCount = 0;
function session(overrides: Partial<ConsoleSession> = {}): ConsoleSession {
  sessionCount += 1;
  return {
    kind: 'serial',
    url: `ws://127.0.0.1:40000/relay/token-${sessionCount}`,
    protocols: ['binary', 'pvedesk-window.key'],
    expiresInMs: 10_000,
    title: 'debian-lab (100)',
    profileId: 'lab',
    node: 'pve1',
    vmid: 100,
    clipboardSharing: true,
    ...overrides,
  };
}

async function mountViewer(shown: ConsoleSession) {
  const events = { connected: vi.fn(), disconnected: vi.fn(), guestClipboard: vi.fn() };
  const wrapper = await mountInApp(TerminalViewer, {
    session: shown,
    onConnected: events.connected,
    onDisconnected: events.disconnected,
    onGuestClipboard: events.guestClipboard,
  });
  const socket = FakeWebSocket.opened.at(-1);
  if (socket === undefined) throw new Error('the viewer opened no socket');
  return { wrapper, socket, events };
}

const textarea = () => byTestId('terminal-viewer').querySelector('textarea') as HTMLTextAreaElement;
const shownText = () => byTestId('terminal-viewer').querySelector('.xterm-rows')?.textContent ?? '';

function press(init: KeyboardEventInit & { keyCode?: number }) {
  textarea().dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
}

async function chooseFromMenu(label: string) {
  const options = Array.from(document.querySelectorAll<HTMLElement>('.n-dropdown-option-body'));
  const option = options.find((body) => body.textContent?.includes(label));
  if (option === undefined) throw new Error(`no menu item ${label} among ${options.map((body) => body.textContent).join(', ')}`);
  option.click();
  await flushPromises();
}

beforeEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
  FakeWebSocket.opened = [];
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal('ResizeObserver', FakeResizeObserver);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('TerminalViewer', { timeout: 20_000 }, () => {
  it("opens the session's URL with its protocols, reads binary frames, and says when it is connected", async () => {
    const shown = session();
    const { socket, events } = await mountViewer(shown);
    expect(socket.url).toBe(shown.url);
    expect(socket.protocols).toEqual(['binary', 'pvedesk-window.key']);
    expect(socket.binaryType).toBe('arraybuffer');
    expect(events.connected).not.toHaveBeenCalled();
    socket.accept();
    expect(events.connected).toHaveBeenCalledOnce();
  });

  it('shows the bytes that come in, UTF-8 split across frames included', async () => {
    const { socket } = await mountViewer(session());
    socket.accept();
    const bytes = new TextEncoder().encode('root@debian-lab:~# héllo wörld');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of é
    socket.output(bytes.slice(0, cut));
    socket.output(bytes.slice(cut));
    await vi.waitFor(() => expect(shownText()).toContain('root@debian-lab:~# héllo wörld'));
  });

  it('sends the keys typed as binary UTF-8 frames', async () => {
    const { socket } = await mountViewer(session());
    socket.accept();
    press({ key: 'l', code: 'KeyL', keyCode: 76 });
    press({ key: 's', code: 'KeyS', keyCode: 83 });
    press({ key: 'é', code: 'Digit2', keyCode: 50 });
    press({ key: 'Enter', code: 'Enter', keyCode: 13 });
    press({ key: 'c', code: 'KeyC', keyCode: 67, ctrlKey: true });
    expect(socket.input).toBe('lsé\r\u0003');
    expect(socket.sent.filter((frame) => frame instanceof Uint8Array).length).toBeGreaterThan(0);
    expect(new Uint8Array(socket.sent.find((frame): frame is Uint8Array => frame instanceof Uint8Array && frame.length === 2) ?? [])).toEqual(
      new Uint8Array([0xc3, 0xa9]),
    );
  });

  it('sends a paste bigger than a relay frame in frames the relay accepts, nothing lost', async () => {
    const { wrapper, socket } = await mountViewer(session());
    socket.accept();
    const text = 'é'.repeat(50_000) + 'end';
    expect((wrapper.findComponent(TerminalViewer).vm as unknown as { pasteToGuest(text: string): boolean }).pasteToGuest(text)).toBe(true);
    const frames = socket.sent.filter((frame): frame is Uint8Array => frame instanceof Uint8Array);
    expect(frames.length).toBeGreaterThan(1);
    expect(Math.max(...frames.map((frame) => frame.length))).toBeLessThanOrEqual(maxViewerFrameBytes);
    expect(socket.input).toBe(text);
  });

  it('sends its size as a resize text frame when it opens, and again when the tab changes size', async () => {
    const { socket } = await mountViewer(session());
    socket.accept();
    expect(socket.controls).toEqual([{ type: 'resize', cols: 80, rows: 24 }]);
    vi.spyOn(FitAddon.prototype, 'proposeDimensions').mockReturnValue({ cols: 132, rows: 43 });
    resized?.();
    await vi.waitFor(() =>
      expect(socket.controls).toEqual([
        { type: 'resize', cols: 80, rows: 24 },
        { type: 'resize', cols: 132, rows: 43 },
      ]),
    );
  });

  it('says why the relay closed, from its close code', async () => {
    const first = await mountViewer(session());
    first.socket.accept();
    first.socket.drop(relayCloseCodes.authFailed, 'The ticket was refused');
    expect(first.events.disconnected).toHaveBeenCalledWith({ kind: 'auth-failed' });
    first.wrapper.unmount();

    const second = await mountViewer(session());
    second.socket.drop(1006);
    expect(second.events.disconnected).toHaveBeenCalledWith({ kind: 'dropped' });
  });

  it('connects once per session, and closes quietly when the tab disconnects it', async () => {
    const shown = session();
    const { wrapper, socket, events } = await mountViewer(shown);
    const viewer = wrapper.findComponent(TerminalViewer).vm as unknown as { connect(s: ConsoleSession): void; disconnect(): void };
    viewer.connect(shown);
    expect(FakeWebSocket.opened).toHaveLength(1);
    viewer.disconnect();
    expect(socket.closedWith).toBe(1000);
    expect(events.disconnected).not.toHaveBeenCalled();
    const next = session();
    viewer.connect(next);
    expect(FakeWebSocket.opened.map((opened) => opened.url)).toEqual([shown.url, next.url]);
  });

  it('keeps the old output on a new session but not the modes its program left on', async () => {
    const { wrapper, socket } = await mountViewer(session());
    socket.accept();
    // The old program asked for bracketed paste, then the connection dropped.
    socket.output(new TextEncoder().encode('before the drop\x1b[?2004h'));
    socket.drop(1006);
    const viewer = wrapper.findComponent(TerminalViewer).vm as unknown as { connect(s: ConsoleSession): void };
    viewer.connect(session());
    const next = FakeWebSocket.opened.at(-1) as FakeWebSocket;
    next.accept();
    next.output(new TextEncoder().encode('new login: '));
    await vi.waitFor(() => expect(shownText()).toContain('new login:'));
    vi.spyOn(navigator.clipboard, 'readText').mockResolvedValue('ls');
    byTestId('terminal-viewer')
      .querySelector('.screen')
      ?.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 5, clientY: 5 }));
    await flushPromises();
    await chooseFromMenu('Paste');
    expect(next.input).toBe('ls');
    expect(shownText()).toContain('before the drop');
  });

  it('keeps its tools off while no shell is connected: before the socket opens and after it drops', async () => {
    const { socket } = await mountViewer(session());
    const tools = ['terminal-font-larger', 'terminal-font-smaller'].map((id) => byTestId(id) as HTMLButtonElement);
    const search = () => byTestId('terminal-search').querySelector('input') as HTMLInputElement;
    expect(tools.map((tool) => tool.disabled)).toEqual([true, true]);
    expect(search().disabled).toBe(true);
    socket.accept();
    await flushPromises();
    expect(tools.map((tool) => tool.disabled)).toEqual([false, false]);
    expect(search().disabled).toBe(false);
    socket.drop(1006);
    await flushPromises();
    expect(tools.map((tool) => tool.disabled)).toEqual([true, true]);
    expect(search().disabled).toBe(true);
  });

  it('changes the font size and remembers it for the same console', async () => {
    const shown = session();
    const { wrapper, socket } = await mountViewer(shown);
    socket.accept();
    await flushPromises();
    expect(byTestId('terminal-font-size').textContent).toBe('Text size: 14 px');
    await click('terminal-font-larger');
    await click('terminal-font-larger');
    await click('terminal-font-smaller');
    expect(byTestId('terminal-font-size').textContent).toBe('Text size: 15 px');
    wrapper.unmount();

    await mountViewer(session());
    expect(byTestId('terminal-font-size').textContent).toBe('Text size: 15 px');
    document.body.innerHTML = '';
    await mountViewer(session({ vmid: 101 }));
    expect(byTestId('terminal-font-size').textContent).toBe('Text size: 14 px');
  });

  it('finds text in the terminal, and Escape ends the search', async () => {
    const { socket } = await mountViewer(session());
    socket.accept();
    socket.output(new TextEncoder().encode('error one\r\nfine\r\nerror two\r\n'));
    await vi.waitFor(() => expect(shownText()).toContain('error two'));
    await type('terminal-search', 'error');
    await vi.waitFor(() => expect(byTestId('terminal-search-results').textContent).toMatch(/Match \d of 2/));
    const input = byTestId('terminal-search').querySelector('input') as HTMLInputElement;
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flushPromises();
    expect(input.value).toBe('');
    expect(byTestId('terminal-search-results').textContent).toBe('');
    expect(document.activeElement).toBe(textarea());
  });

  it('copies the selection on Ctrl+Shift+C and offers it as the clipboard text', async () => {
    const { socket, events } = await mountViewer(session());
    socket.accept();
    socket.output(new TextEncoder().encode('copy me'));
    await vi.waitFor(() => expect(shownText()).toContain('copy me'));
    const copy = vi.fn(() => true);
    Object.defineProperty(document, 'execCommand', { value: copy, configurable: true });
    byTestId('terminal-viewer')
      .querySelector('.screen')
      ?.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 5, clientY: 5 }));
    await flushPromises();
    await chooseFromMenu('Select all');
    await flushPromises();
    expect(events.guestClipboard).toHaveBeenLastCalledWith(expect.stringContaining('copy me'));
    press({ key: 'C', code: 'KeyC', keyCode: 67, ctrlKey: true, shiftKey: true });
    expect(copy).toHaveBeenCalledWith('copy');
    expect(socket.input).toBe('');
  });

  it('pastes the clipboard from its context menu as input', async () => {
    vi.spyOn(navigator.clipboard, 'readText').mockResolvedValue('echo pasted');
    const { socket } = await mountViewer(session());
    socket.accept();
    byTestId('terminal-viewer')
      .querySelector('.screen')
      ?.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 5, clientY: 5 }));
    await flushPromises();
    await chooseFromMenu('Paste');
    await flushPromises();
    expect(socket.input).toBe('echo pasted');
  });
});
