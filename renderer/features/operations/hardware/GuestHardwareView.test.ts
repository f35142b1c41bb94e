import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PermissionMap } from '../../../../shared/domain/permissions';
import { IpcError } from '../../../../shared/ipc/errors';
import { byTestId, click, exists, fakeIpc, mountInApp, settle } from '../../../testing';
import { jobView } from '../../tasks/testing/jobs-host';
import GuestHardwareView from './GuestHardwareView.vue';
import { digestA, digestB, enter, inputOf, operationsRouter, pendingConfig, serveGuestConfig } from '../testing';

const gib = 1024 ** 3;

async function showHardware(config = pendingConfig, permissions?: PermissionMap) {
  const host = serveGuestConfig(fakeIpc, config, permissions);
  await mountInApp(GuestHardwareView, { profileId: host.profileId, vmid: '100' }, [operationsRouter()]);
  await flushPromises();
  return host;
}

const row = (key: string) => byTestId(`hw-row-${key}`);

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('GuestHardwareView', () => {
  it('shows each row’s value, and beside a waiting change its value at the next start in words, listed in the pending bar', async () => {
    await showHardware();
    expect(fakeIpc.callsOf('operations.config')).toEqual([{ profileId: expect.any(String), node: 'pve1', vmid: 100 }]);

    const memory = row('memory');
    expect(memory.dataset.pending).toBe('true');
    expect(memory.querySelector('[data-testid="hw-current"]')?.textContent).toBe('4\u00a0GiB, balloon minimum 2\u00a0GiB');
    expect(memory.querySelector('[data-testid="hw-pending"]')?.textContent).toContain('8\u00a0GiB, balloon minimum 2\u00a0GiB');
    expect(memory.querySelector('[data-testid="hw-pending"]')?.textContent).toContain('applies at next start');
    expect(memory.querySelector('[data-testid="hw-balloon-actual"]')?.textContent).toContain('3\u00a0GiB');

    expect(row('bios').textContent).toContain('Default (SeaBIOS)');
    expect(row('machine').textContent).toContain('Default (i440fx)');
    expect(row('processors').dataset.pending).toBeUndefined();
    expect(row('processors').textContent).toContain('1 socket(s) × 2 core(s) = 2 vCPU(s), type x86-64-v2-AES');
    expect(row('scsi0').textContent).toContain('local-lvm:vm-100-disk-0');
    expect(row('scsi0').textContent).toContain('size 32\u00a0GiB');
    expect(row('scsi0').textContent).toContain('iothread=1');
    expect(row('ide2').textContent).toContain('local:iso/debian.iso');
    expect(row('net0').textContent).toContain('bridge vmbr0');
    expect(row('net0').textContent).toContain('VLAN 20');
    expect(row('net0').textContent).toContain('firewall on');
    expect(row('net1').dataset.pending).toBe('true');
    expect(row('net1').textContent).toContain('Not there yet');
    expect(row('scsi1').querySelector('[data-testid="hw-pending"]')?.textContent).toContain('removed');
    expect(row('unused0').textContent).toContain('local:100/vm-100-disk-2.raw');
    expect(exists('hw-delete-unused0')).toBe(true);

    const bar = byTestId('pending-changes').textContent ?? '';
    expect(bar).toContain('Memory: 4\u00a0GiB, balloon minimum 2\u00a0GiB → 8\u00a0GiB, balloon minimum 2\u00a0GiB');
    expect(bar).toContain('Network device (net1)');
    expect(bar).toContain('Hard disk (scsi1)');
    expect(bar).toContain('rebooted from this app');
  });

  it('disables the edits the user may not make, naming the privilege', async () => {
    await showHardware(pendingConfig, { '/vms/100': { 'VM.Audit': 1, 'VM.Config.CDROM': 1 } });
    const edit = byTestId('hw-edit-memory');
    expect(edit.hasAttribute('disabled')).toBe(true);
    expect(edit.getAttribute('title')).toBe('You need VM.Config.Memory on /vms/100 for this.');
    expect(byTestId('hw-add-disk').hasAttribute('disabled')).toBe(true);
    expect(byTestId('hw-edit-ide2').hasAttribute('disabled')).toBe(false);
  });

  it('shows no pending bar when nothing waits', async () => {
    await showHardware(() => pendingConfig({ entries: [{ key: 'memory', value: 2048 }] }));
    expect(exists('pending-changes')).toBe(false);
    expect(row('memory').dataset.pending).toBeUndefined();
  });

  it('reverts a row’s pending keys with the digest, then reads the config again once the job has ended', async () => {
    await showHardware();
    await click('hw-revert-memory');
    expect(fakeIpc.callsOf('operations.updateConfig')).toEqual([
      { profileId: expect.any(String), node: 'pve1', vmid: 100, digest: digestA, set: {}, delete: [], revert: ['memory'] },
    ]);
    await flushPromises();
    expect(fakeIpc.callsOf('operations.config')).toHaveLength(2);
  });

  it('resizes a disk only upwards: shows the size now, the increment and the new size, and sends the new size in bytes', async () => {
    let resized: unknown;
    fakeIpc.answer('operations.resizeDisk', (input) => {
      resized = input;
      return jobView({ kind: 'pve:resize', state: 'running' });
    });
    await showHardware();
    await click('hw-resize-scsi0');
    expect(exists('disk-resize-dialog')).toBe(true);
    expect(byTestId('resize-current').textContent).toBe('32\u00a0GiB');

    await enter('field-size', '-4');
    expect(byTestId('resize-refused').textContent).toContain('can only grow');
    expect(byTestId('resize-new').textContent).toBe('—');
    expect(byTestId('dialog-submit').hasAttribute('disabled')).toBe(true);

    await enter('field-size', '8');
    expect(exists('resize-refused')).toBe(false);
    expect(byTestId('resize-increment').textContent).toBe('+ 8\u00a0GiB');
    expect(byTestId('resize-new').textContent).toBe('40\u00a0GiB');
    await click('dialog-submit');
    expect(resized).toEqual({ profileId: expect.any(String), node: 'pve1', vmid: 100, disk: 'scsi0', size: 40 * gib, digest: digestA });
    await settle();
    expect(exists('disk-resize-dialog')).toBe(false);
  });

  it('keeps the user’s input through a concurrent edit: the error says so, Reload reads the config again, applying again sends the new digest', async () => {
    let digest = digestA;
    let refuse = true;
    await showHardware(() => pendingConfig({ digest }));
    fakeIpc.answer('operations.updateConfig', () => {
      if (refuse) throw new IpcError('CONFLICT', 'detected modified configuration - file changed by other user? Try again.');
      return jobView({ kind: 'pve:qmconfig', state: 'succeeded' });
    });

    await click('hw-edit-memory');
    expect(exists('config-edit-dialog')).toBe(true);
    await enter('field-memory', '12');
    await click('dialog-submit');

    const error = byTestId('dialog-error');
    expect(error.dataset.code).toBe('CONFLICT');
    // One sentence and the Reload button: neither the code's generic text nor the host's detail repeats it.
    expect(error.textContent).toContain('Someone else changed this configuration since you opened it');
    expect(error.textContent).not.toContain('Someone changed it');
    expect(error.textContent).not.toContain('detected modified configuration');
    expect(exists('config-edit-dialog')).toBe(true);
    expect(inputOf('field-memory').value).toBe('12');

    // Someone else's change is now in the config: the reload brings its digest, the form keeps 12 GiB.
    digest = digestB;
    refuse = false;
    await click('dialog-reload');
    expect(fakeIpc.callsOf('operations.config')).toHaveLength(2);
    expect(exists('dialog-error')).toBe(false);
    expect(exists('dialog-reloaded')).toBe(true);
    expect(inputOf('field-memory').value).toBe('12');

    await click('dialog-submit');
    const calls = fakeIpc.callsOf('operations.updateConfig');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ digest: digestA, set: { memory: 12288 } });
    expect(calls[1]).toMatchObject({ digest: digestB, set: { memory: 12288 } });
    await settle();
    expect(exists('config-edit-dialog')).toBe(false);
  });

  it('detaches a disk after asking, the volume said to stay as an unused disk', async () => {
    await showHardware();
    await click('hw-detach-scsi0');
    expect(byTestId('remove-consequence').textContent).toContain('local-lvm:vm-100-disk-0');
    expect(byTestId('remove-consequence').textContent).toContain('unused disk');
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.updateConfig')[0]).toMatchObject({ digest: digestA, delete: ['scsi0'], set: {}, revert: [] });
  });
});
