import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StorageView } from '../../../shared/domain/operations';
import type { JobView } from '../../../shared/domain/jobs';
import { IpcError } from '../../../shared/ipc/errors';
import { byTestId, click, exists, fakeIpc, mountInApp, settle, type } from '../../testing';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from '../inventory/testing';
import { useOperationsDialogs } from './operations-dialogs';
import OperationsHost from './OperationsHost.vue';
import { choose, enter, inputOf, options, problemAt } from './testing';

const gib = 1024 ** 3;

function storage(name: string, type: string, avail: number): StorageView {
  return { storage: name, type, content: ['images'], shared: false, active: true, avail, total: avail * 2, used: avail };
}

function serveCluster(): void {
  serveInventory(fakeIpc, [
    {
      feed: clusterFeed(),
      items: [nodeItem('pve1', { maxmem: 32 * gib, mem: 8 * gib }), nodeItem('pve2', { maxmem: 16 * gib, mem: 4 * gib }), guestItem(100)],
    },
  ]);
  fakeIpc.answer('operations.nextVmid', () => 101);
  fakeIpc.answer('operations.storages', ({ content }) =>
    content === 'iso'
      ? [{ ...storage('local', 'dir', 50 * gib), content: ['iso'] }]
      : [storage('local-lvm', 'lvmthin', 100 * gib), storage('local', 'dir', 60 * gib)],
  );
  fakeIpc.answer('operations.volumes', () => [{ volid: 'local:iso/debian-13.iso', content: 'iso', format: 'iso', size: 600 * 1024 ** 2 }]);
  fakeIpc.answer('operations.bridges', () => ['vmbr0', 'vmbr1']);
  fakeIpc.answer('operations.create', () => ({ id: 'pve:x:UPID' }) as unknown as JobView);
}

async function openDialog(node?: { profileId: string; node: string }) {
  serveCluster();
  await mountInApp(OperationsHost);
  useOperationsDialogs().open({ kind: 'create', ...(node === undefined ? {} : { node }) });
  await flushPromises();
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('CreateVmDialog', { timeout: 20_000 }, () => {
  it('offers the next free VMID and the nodes with their free memory, and the chosen preset fills cores, memory and disk', async () => {
    await openDialog();
    expect(inputOf('field-vmid').value).toBe('101');
    expect(inputOf('field-cores').value).toBe('4');
    expect(inputOf('field-memory').value).toBe('4');
    expect(inputOf('field-size').value).toBe('40');

    const nodes = (await options('field-node')).map((option) => option.textContent);
    expect(nodes).toEqual(['pve1 — 24\u00a0GiB memory free', 'pve2 — 12\u00a0GiB memory free']);
    document.body.click();

    await choose('field-preset', 'Large');
    expect(inputOf('field-cores').value).toBe('8');
    expect(inputOf('field-memory').value).toBe('16');
    expect(inputOf('field-size').value).toBe('40');
    expect(byTestId('field-preset').textContent).toContain('Large');
    // Still editable after the preset filled it; the size is then the user's own.
    await enter('field-cores', '6');
    expect(inputOf('field-cores').value).toBe('6');
    expect(byTestId('field-preset').textContent).not.toContain('Large');
    // An empty balloon says what empty means, not Naive UI's "Please Input".
    expect(inputOf('field-balloon').placeholder).toBe('No minimum');
  });

  it('says what a VM name may hold and creates nothing until the name is valid', async () => {
    await openDialog();
    await type('field-name', 'web_01');
    await click('dialog-submit');
    expect(problemAt('field-name')).toContain('letters (a–z, A–Z), digits and hyphens');
    expect(fakeIpc.callsOf('operations.create')).toEqual([]);

    await type('field-name', '-web');
    expect(problemAt('field-name')).toContain('starts and ends with a letter or digit');
    await type('field-name', 'web-01.lab');
    expect(problemAt('field-name')).toBe('');
  });

  it('refuses a VMID already in the cluster and a disk larger than the storage’s free space', async () => {
    await openDialog();
    await enter('field-vmid', '100');
    expect(problemAt('field-vmid')).toContain('already used');
    await enter('field-size', '200');
    expect(problemAt('field-storage')).toContain('does not fit: 100\u00a0GiB is free');
    await type('field-name', 'web-01');
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.create')).toEqual([]);
  });

  it('sends what the user chose, with the format only for a file storage, and closes', async () => {
    await openDialog({ profileId: labProfileId, node: 'pve2' });
    await type('field-name', 'web-01');
    await choose('field-iso', 'debian-13.iso');
    await choose('field-storage', 'local (dir)');
    expect(exists('field-format')).toBe(true);
    await enter('field-balloon', '2');
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.create')).toEqual([
      {
        profileId: labProfileId,
        node: 'pve2',
        vmid: 101,
        name: 'web-01',
        ostype: 'l26',
        iso: 'local:iso/debian-13.iso',
        sockets: 1,
        cores: 4,
        memory: 4096,
        balloon: 2048,
        disk: { bus: 'scsi', storage: 'local', sizeGiB: 40, format: 'qcow2' },
        nic: { model: 'virtio', bridge: 'vmbr0' },
        agent: true,
        start: false,
      },
    ]);
    await settle();
    expect(exists('create-vm-dialog')).toBe(false);
  });

  it('shows the host’s refusal with its code and stays open', async () => {
    await openDialog();
    fakeIpc.answer('operations.create', () => {
      throw new IpcError('PERMISSION_DENIED', 'VM.Allocate');
    });
    await type('field-name', 'web-01');
    await click('dialog-submit');
    expect(byTestId('dialog-error').dataset.code).toBe('PERMISSION_DENIED');
    expect(exists('create-vm-dialog')).toBe(true);
  });
});
