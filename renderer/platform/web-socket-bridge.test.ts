import { beforeEach, describe, expect, it } from 'vitest';
import { takeLaunchToken } from './web-socket-bridge';

describe('takeLaunchToken', () => {
  beforeEach(() => {
    window.sessionStorage.clear();
  });

  it('takes the token from the fragment, keeps it for the tab, and clears the address bar', () => {
    window.history.replaceState(null, '', '/index.html#token=abc123');
    expect(takeLaunchToken(window.location, window.sessionStorage, window.history)).toBe('abc123');
    expect(window.location.hash).toBe('');
    expect(window.location.href).not.toContain('abc123');
    // After a reload the fragment is gone; the tab still knows the token.
    expect(takeLaunchToken(window.location, window.sessionStorage, window.history)).toBe('abc123');
  });

  it('gives an empty token when there is none, so the host refuses the connection', () => {
    window.history.replaceState(null, '', '/index.html');
    expect(takeLaunchToken(window.location, window.sessionStorage, window.history)).toBe('');
  });
});
