import { describe, expect, it } from 'vitest';
import { backupViews, haResourceView, snapshotViews, storageView } from './views';

describe('snapshotViews', () => {
  it('keeps current with its parent, drops empty descriptions, and marks saved RAM', () => {
    expect(
      snapshotViews([
        { name: 'before-upgrade', snaptime: 1700000000, description: '', vmstate: true },
        { name: 'current', description: 'You are here!', parent: 'before-upgrade' },
      ]),
    ).toEqual([
      { name: 'before-upgrade', snaptime: 1700000000, vmstate: true },
      { name: 'current', description: 'You are here!', parent: 'before-upgrade', vmstate: false },
    ]);
  });
});

describe('backupViews', () => {
  it('lists backups of several storages newest first, each with its storage', () => {
    const views = backupViews([
      { storage: 'local', volumes: [{ volid: 'local:backup/a.vma.zst', content: 'backup', ctime: 10, size: 5, vmid: 100 }] },
      { storage: 'nfs', volumes: [{ volid: 'nfs:backup/b.vma.zst', content: 'backup', ctime: 20, format: 'vma.zst' }] },
    ]);
    expect(views.map((view) => [view.volid, view.storage, view.size])).toEqual([
      ['nfs:backup/b.vma.zst', 'nfs', 0],
      ['local:backup/a.vma.zst', 'local', 5],
    ]);
  });
});

describe('storageView and haResourceView', () => {
  it('split the content list and apply HA defaults', () => {
    expect(storageView({ storage: 'local', type: 'dir', content: 'iso,backup,images', active: true })).toEqual({
      storage: 'local',
      type: 'dir',
      content: ['iso', 'backup', 'images'],
      shared: false,
      active: true,
    });
    expect(haResourceView({ sid: 'vm:100', state: 'enabled', digest: 'd' })).toEqual({
      sid: 'vm:100',
      state: 'enabled',
      maxRestart: 1,
      maxRelocate: 1,
      digest: 'd',
    });
  });
});
