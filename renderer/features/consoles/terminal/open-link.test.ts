import { afterEach, describe, expect, it, vi } from 'vitest';
import { openLink } from './open-link';

afterEach(() => vi.restoreAllMocks());

describe('openLink', () => {
  it('opens web addresses as a new window without opener, which the app routes to the system browser', () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    openLink('https://pve.proxmox.com/wiki/Serial_Terminal');
    openLink('HTTP://example.org/');
    expect(open.mock.calls).toEqual([
      ['https://pve.proxmox.com/wiki/Serial_Terminal', '_blank', 'noopener,noreferrer'],
      ['HTTP://example.org/', '_blank', 'noopener,noreferrer'],
    ]);
  });

  it('follows nothing else a program may print as a link', () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    for (const uri of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', '//example.org/']) openLink(uri);
    expect(open).not.toHaveBeenCalled();
  });
});
