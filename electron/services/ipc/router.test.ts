import { describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../../shared/domain/settings';
import { ipcMethods } from '../../../shared/ipc/contract';
import { StorageError } from '../config';
import { type Logger, redact } from '../log';
import { SshError } from '../ssh';
import { createIpcRouter, type MethodHandlers } from './router';
import { electronSenderPolicy, isAppPage, webSenderPolicy, type ElectronSender } from './sender-policies';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (event: string, fields?: Record<string, unknown>) => lines.push(`${event} ${JSON.stringify(redact(fields))}`);
  return { lines, debug: record, info: record, warn: record, error: record };
}

function handlers(overrides: Partial<MethodHandlers> = {}): MethodHandlers {
  const notCalledHere = (): never => {
    throw new Error('not called by these tests');
  };
  return {
    ...(Object.fromEntries(Object.keys(ipcMethods).map((name) => [name, notCalledHere])) as unknown as MethodHandlers),
    'app.info': () => ({ name: 'PVE Desk', version: '1.0.0', host: 'web', platform: 'linux' }),
    'settings.get': () => defaultSettings,
    'settings.update': vi.fn((patch) => ({ ...defaultSettings, ...patch })),
    ...overrides,
  };
}

const ownWindow = 7;
const appSender: ElectronSender = { webContentsId: ownWindow, frameUrl: 'app://renderer/index.html#/inventory', isMainFrame: true };
const electronPolicy = electronSenderPolicy({ appOrigins: ['app://renderer'], isOwnWindow: (id) => id === ownWindow });

describe('IPC router with the Electron sender policy', () => {
  const router = () =>
    createIpcRouter({
      handlers: handlers(),
      senderPolicy: electronPolicy,
      callerOf: (sender: ElectronSender) => `window-${sender.webContentsId}`,
      logger: recordingLogger(),
    });

  it('answers a well-formed call from the main frame of our window', async () => {
    const envelope = await router().handle(appSender, 'settings.update', { theme: 'dark' });
    expect(envelope).toEqual({ ok: true, result: { ...defaultSettings, theme: 'dark' } });
  });

  it.each([
    ['another window', { ...appSender, webContentsId: 99 }, 'did not come from an application window'],
    ['a sub-frame', { ...appSender, isMainFrame: false }, 'sub-frame'],
    ['a foreign origin', { ...appSender, frameUrl: 'https://evil.example/' }, 'not the application'],
    ['a file:// page', { ...appSender, frameUrl: 'file:///etc/passwd' }, 'not the application'],
    ['a destroyed frame', { ...appSender, frameUrl: null }, 'no longer exists'],
  ])('refuses a call from %s before any service runs', async (_label, sender, reason) => {
    const update = vi.fn();
    const guarded = createIpcRouter({
      handlers: handlers({ 'settings.update': update }),
      senderPolicy: electronPolicy,
      callerOf: (sender: ElectronSender) => `window-${sender.webContentsId}`,
      logger: recordingLogger(),
    });
    const envelope = await guarded.handle(sender, 'settings.update', { theme: 'dark' });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('BAD_SENDER');
    expect(envelope.error.message).toContain(reason);
    expect(envelope.error.translations?.fr).toMatch(/^Demande refusée : (elle|son cadre) /);
    expect(update).not.toHaveBeenCalled();
  });

  it('refuses a malformed payload with an error naming the field and the expectation', async () => {
    const update = vi.fn();
    const guarded = createIpcRouter({
      handlers: handlers({ 'settings.update': update }),
      senderPolicy: electronPolicy,
      callerOf: (sender: ElectronSender) => `window-${sender.webContentsId}`,
      logger: recordingLogger(),
    });
    const envelope = await guarded.handle(appSender, 'settings.update', { theme: 'purple', extra: 1 });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    if (envelope.ok) return;
    expect(envelope.error.message).toMatch(/^Invalid input for settings.update: /);
    expect(envelope.error.message).toContain('theme');
    expect(envelope.error.message).toContain('extra');
    expect(envelope.error.translations?.fr).toMatch(/^Données invalides pour settings\.update : theme : .+ ; .*extra/);
    expect(update).not.toHaveBeenCalled();
  });

  it('refuses a payload of the wrong type altogether', async () => {
    const envelope = await router().handle(appSender, 'settings.update', 'theme=dark');
    expect(envelope).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('refuses an unknown method without echoing hostile text', async () => {
    const envelope = await router().handle(appSender, '<img src=x onerror=alert(1)>\u0007', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    if (envelope.ok) return;
    expect(envelope.error.message).not.toMatch(/[<>]/);
    expect(envelope.error.message).not.toContain('\u0007');
  });

  it('refuses inherited object keys as method names', async () => {
    const envelope = await router().handle(appSender, 'constructor', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('reports an unexpected failure as INTERNAL without its message or stack, and logs it', async () => {
    const logger = recordingLogger();
    const failing = createIpcRouter({
      handlers: handlers({
        'settings.get': () => {
          throw new Error('ENOSPC writing /home/ada/.config/pve-desk with password=hunter2');
        },
      }),
      senderPolicy: electronPolicy,
      callerOf: (sender: ElectronSender) => `window-${sender.webContentsId}`,
      logger,
    });
    const envelope = await failing.handle(appSender, 'settings.get', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(envelope)).not.toContain('hunter2');
    expect(JSON.stringify(envelope)).not.toContain('ENOSPC');
    expect(Object.keys(envelope.ok ? {} : envelope.error).sort()).toEqual(['code', 'message', 'translations']);
    expect(envelope.ok ? undefined : envelope.error.translations?.fr).toMatch(/^L’opération settings\.get a échoué de façon inattendue\./);
    expect(logger.lines.some((line) => line.startsWith('ipc.handler-failed') && line.includes('ENOSPC'))).toBe(true);
  });

  it('maps a domain error a handler throws (no service wraps it) to its code, and names the log file for an unmapped one', async () => {
    const logger = { ...recordingLogger(), file: '/home/ada/.config/pve-desk/logs/main.log' };
    const router = createIpcRouter({
      handlers: handlers({
        'settings.update': () => {
          throw new StorageError('DISK_FULL', 'The disk holding /home/ada/.config is full: free some space and try again.');
        },
        'settings.get': () => {
          throw new SshError('HOST_KEY_MISMATCH', 'The host key of pve1 changed.');
        },
        'app.info': () => {
          throw new RangeError('index out of range');
        },
      }),
      senderPolicy: electronPolicy,
      callerOf: (sender: ElectronSender) => `window-${sender.webContentsId}`,
      logger,
    });
    expect(await router.handle(appSender, 'settings.update', { theme: 'dark' })).toEqual({
      ok: false,
      error: { code: 'STORAGE_FAILED', message: 'The disk holding /home/ada/.config is full: free some space and try again.' },
    });
    expect(await router.handle(appSender, 'settings.get', {})).toMatchObject({ ok: false, error: { code: 'SSH_HOST_KEY_MISMATCH' } });
    const internal = await router.handle(appSender, 'app.info', {});
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining(logger.file) as unknown } });
    expect(logger.lines.filter((line) => line.startsWith('ipc.handler-failed'))).toHaveLength(1);
    expect(logger.lines.find((line) => line.startsWith('ipc.handler-failed'))).toContain('RangeError: index out of range\\n    at ');
  });
});

describe('IPC router with the web host sender policy', () => {
  const credential = 'a'.repeat(64);
  const router = createIpcRouter({
    handlers: handlers(),
    senderPolicy: webSenderPolicy((presented) => presented === credential),
    callerOf: (sender) => `connection-${sender.connection}`,
    logger: recordingLogger(),
  });

  it('answers a connection that holds a live credential', async () => {
    await expect(router.handle({ credential, connection: 'c1' }, 'settings.get', {})).resolves.toEqual({ ok: true, result: defaultSettings });
  });

  it('refuses a connection whose credential is not live', async () => {
    const envelope = await router.handle({ connection: 'c1', credential: 'b'.repeat(64) }, 'settings.get', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'BAD_SENDER' } });
    if (envelope.ok) return;
    expect(envelope.error.message).toContain('access credential');
  });
});

describe('isAppPage', () => {
  it.each([
    ['app://renderer/index.html#/inventory', true],
    ['http://localhost:5173/', true],
    ['https://evil.example/', false],
    ['app://other/index.html', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppPage(['app://renderer', 'http://localhost:5173'], url)).toBe(expected);
  });
});
