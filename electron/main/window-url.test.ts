import { describe, expect, it } from 'vitest';
import { windowUrl, type AppRoute } from './window-url';

describe('windowUrl', () => {
  it('puts the route in the fragment of the app page, in production and with the dev server', () => {
    expect(windowUrl('app://pve-desk/index.html', '/console/lab1/qemu/100')).toBe('app://pve-desk/index.html#/console/lab1/qemu/100');
    expect(windowUrl('http://localhost:5173/', '/inventory')).toBe('http://localhost:5173/#/inventory');
  });

  it('refuses what is not a route, so no caller can point a window elsewhere', () => {
    for (const route of ['//evil.example/x', '/a#b', 'https://evil.example'] as AppRoute[]) {
      expect(() => windowUrl('app://pve-desk/index.html', route)).toThrow(/Not a route/);
    }
  });
});
