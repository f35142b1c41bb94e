// The consoles' test helpers other tests of the feature share: a console session as main answers it.
import type { ConsoleSession } from '../../../../shared/domain/consoles';

/** A session as `consoles.open` answers it (no secret: a loopback relay URL and this window's proof). */
export function consoleSession(overrides: Partial<ConsoleSession> = {}): ConsoleSession {
  return {
    kind: 'vnc',
    url: 'ws://127.0.0.1:40000/relay/0123abcd',
    protocols: ['binary', 'pvedesk-window.key'],
    expiresInMs: 10_000,
    title: 'vm-100 (100)',
    profileId: '11111111-1111-4111-8111-111111111111',
    node: 'pve1',
    vmid: 100,
    clipboardSharing: true,
    vncClipboard: true,
    ...overrides,
  };
}
