import { describe, expect, it } from 'vitest';
import { createCredential, LaunchCredentials } from './launch-credentials';

describe('LaunchCredentials', () => {
  it('exchanges the launch token once for a session credential, which then reopens the tab', () => {
    const token = createCredential();
    const credentials = new LaunchCredentials(token);
    const session = credentials.admit(token);
    expect(session).toMatch(/^[0-9a-f]{64}$/);
    expect(session).not.toBe(token);
    expect(credentials.admit(token)).toBeNull();
    expect(credentials.admit(session ?? '')).toBe(session);
    expect(credentials.isLive(session ?? '')).toBe(true);
  });

  it.each([
    ['a wrong token', createCredential()],
    ['a truncated token', 'a'.repeat(63)],
    ['no token', ''],
  ])('opens nothing for %s', (_label, presented) => {
    const credentials = new LaunchCredentials('a'.repeat(64));
    expect(credentials.admit(presented)).toBeNull();
  });

  it('opens nothing once revoked (the host stopped)', () => {
    const token = createCredential();
    const credentials = new LaunchCredentials(token);
    const session = credentials.admit(token) ?? '';
    credentials.revoke();
    expect(credentials.admit(session)).toBeNull();
    expect(credentials.isLive(session)).toBe(false);
  });
});
