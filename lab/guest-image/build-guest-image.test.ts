import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGuestImage } from './build-guest-image';

describe('buildGuestImage', () => {
  const cache = mkdtempSync(join(tmpdir(), 'pvelab-guest-image-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it("uses Debian's kernel and builds a busybox initramfs with init, getty, acpid and the virtio-serial driver", async () => {
    const image = await buildGuestImage(cache);
    expect(image.kernel).toMatch(/^\/boot\/vmlinuz-/);
    expect(existsSync(image.kernel)).toBe(true);
    const listing = execFileSync('cpio', ['-t', '--quiet'], { input: gunzipSync(readFileSync(image.initrd)), encoding: 'utf8' }).split('\n');
    for (const path of [
      'init',
      'bin/busybox',
      'sbin/getty',
      'bin/login',
      'sbin/init',
      'etc/acpi/PWRF/00000080',
      'lib/modules/evdev.ko',
      'lib/modules/button.ko',
      'lib/modules/virtio_console.ko',
    ]) {
      expect(listing).toContain(path);
    }
    // /init loads the listed drivers in order: the virtio-serial ports' driver after the virtio bus it sits on.
    const modules = execFileSync('cpio', ['-i', '--to-stdout', '--quiet', 'etc/modules'], { input: gunzipSync(readFileSync(image.initrd)), encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(modules.indexOf('virtio_console.ko')).toBeGreaterThan(modules.indexOf('virtio_pci.ko'));
    expect(modules.indexOf('virtio_pci.ko')).toBeGreaterThan(modules.indexOf('virtio_ring.ko'));
  });

  it('is cached by content: a second build reuses the same file', async () => {
    const first = await buildGuestImage(cache);
    const mtime = statSync(first.initrd).mtimeMs;
    const second = await buildGuestImage(cache);
    expect(second).toEqual(first);
    expect(statSync(second.initrd).mtimeMs).toBe(mtime);
  });
});
