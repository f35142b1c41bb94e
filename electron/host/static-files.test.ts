import { describe, expect, it } from 'vitest';
import { resolveInside } from './static-files';

describe('resolveInside', () => {
  const root = '/srv/app';
  it('resolves paths inside the root', () => {
    expect(resolveInside(root, '/assets/index.js')).toBe('/srv/app/assets/index.js');
  });
  it.each(['/../etc/passwd', '/%2e%2e/etc/passwd', '/assets/../../etc/passwd', '/a%00b', '/%E0%A4%A'])('refuses %s', (path) => {
    expect(resolveInside(root, path)).toBeNull();
  });
});
