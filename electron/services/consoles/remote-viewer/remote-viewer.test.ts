import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpiceProxyAnswer } from '../../pve';
import type { ConsoleContext } from '../context';
import { findInPath, installHintFor, osReleaseIds } from './install-hint';
import { openRemoteViewer } from './open-remote-viewer';
import { vvFileContent, writeVvFile } from './vv-file';

const answer: SpiceProxyAnswer = {
  type: 'spice',
  title: 'VM 101 - spice-desktop',
  host: 'pvespiceproxy:65f0a1b2:101:pve2::0123abcd',
  proxy: 'http://pve.example.com:3128',
  'tls-port': 61001,
  password: 'one-time-pw',
  ca: '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----',
  'host-subject': 'OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve2.example.com',
  'delete-this-file': true,
  'secure-attention': 'Ctrl+Alt+Ins',
  'release-cursor': 'Ctrl+Alt+R',
  'toggle-fullscreen': 'Shift+F11',
};

describe('the .vv file', () => {
  it("holds PVE's answer under [virt-viewer], the healed proxy instead of the answered one, and asks to be deleted", () => {
    expect(vvFileContent(answer, 'http://127.0.0.1:40123')).toBe(
      [
        '[virt-viewer]',
        'type=spice',
        'title=VM 101 - spice-desktop',
        'host=pvespiceproxy:65f0a1b2:101:pve2::0123abcd',
        'tls-port=61001',
        'password=one-time-pw',
        // The CA stays on one line, its line breaks a literal \n as PVE sends it.
        'ca=-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----',
        'host-subject=OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve2.example.com',
        'secure-attention=Ctrl+Alt+Ins',
        'release-cursor=Ctrl+Alt+R',
        'toggle-fullscreen=Shift+F11',
        'proxy=http://127.0.0.1:40123',
        'delete-this-file=1',
        '',
      ].join('\n'),
    );
  });

  it('refuses a value that would start another line (a key of the server’s choosing)', () => {
    expect(() => vvFileContent({ ...answer, title: 'x\nproxy=http://evil:3128' }, 'http://127.0.0.1:1')).toThrow(/several lines/);
  });

  it('is written readable by the user only, in a private folder that remove() deletes', () => {
    const file = writeVvFile('[virt-viewer]\n');
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(file.path, '..')).mode & 0o777).toBe(0o700);
    file.remove();
    file.remove();
    expect(existsSync(join(file.path, '..'))).toBe(false);
  });
});

describe('when remote-viewer is missing', () => {
  it.each([
    ['ID=debian\nVERSION_ID="13"', 'debian'],
    ['ID=linuxmint\nID_LIKE="ubuntu debian"', 'debian'],
    ['ID="rocky"\nID_LIKE="rhel centos fedora"', 'fedora'],
    ['ID=fedora', 'fedora'],
    ['ID=manjaro\nID_LIKE=arch', 'arch'],
    ['ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"', 'suse'],
    ['ID=nixos', 'other'],
  ])('names the package family of %j', (osRelease, hint) => {
    expect(installHintFor('linux', osRelease)).toBe(hint);
  });

  it('names Windows and macOS by platform, and reads ID and ID_LIKE only', () => {
    expect(installHintFor('win32', undefined)).toBe('windows');
    expect(installHintFor('darwin', undefined)).toBe('macos');
    expect(installHintFor('linux', undefined)).toBe('other');
    expect(osReleaseIds('NAME="Debian GNU/Linux"\nID=debian\nID_LIKE=""\nVERSION_ID="13"')).toEqual(['debian']);
  });

  it('finds an executable in PATH and nothing where it is absent or not executable', () => {
    const folder = mkdtempSync(join(tmpdir(), 'pve-desk-path-'));
    const script = join(folder, 'remote-viewer');
    writeFileSync(script, '#!/bin/sh\n');
    chmodSync(script, 0o644);
    expect(findInPath('remote-viewer', folder, 'linux')).toBeUndefined();
    chmodSync(script, 0o755);
    expect(findInPath('remote-viewer', `/nonexistent:${folder}`, 'linux')).toBe(script);
  });

  it('answers the install hint without asking PVE anything', async () => {
    const asked: string[] = [];
    const context = {
      sessions: {
        client: () => {
          asked.push('client');
          throw new Error('PVE must not be asked');
        },
      },
    } as unknown as ConsoleContext;
    const emptyPath = mkdtempSync(join(tmpdir(), 'pve-desk-empty-path-'));
    const launch = await openRemoteViewer(context, { profileId: 'p', node: 'pve2', vmid: 101 }, { env: { PATH: emptyPath }, platform: 'linux' });
    const expected = installHintFor('linux', existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : undefined);
    expect(launch).toEqual({ launched: false, installHint: expected });
    expect(asked).toEqual([]);
  });
});
