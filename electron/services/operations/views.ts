import type { BackupView, HaResourceView, HaState, SnapshotView, StorageView, VolumeView } from '../../../shared/domain/operations';
import { haStates } from '../../../shared/domain/operations';
import type { HaResourceEntry, NodeStorageEntry, SnapshotEntry, StorageContentEntry } from '../pve';

/** A storage as the dialogs list it; `content` split from PVE's comma list. */
export function storageView(entry: NodeStorageEntry): StorageView {
  return {
    storage: entry.storage,
    type: entry.type,
    content: (entry.content ?? '').split(',').filter((content) => content.length > 0),
    shared: entry.shared ?? false,
    active: entry.active ?? false,
    ...(entry.avail !== undefined ? { avail: entry.avail } : {}),
    ...(entry.total !== undefined ? { total: entry.total } : {}),
    ...(entry.used !== undefined ? { used: entry.used } : {}),
  };
}

export function volumeView(entry: StorageContentEntry): VolumeView {
  return {
    volid: entry.volid,
    content: entry.content,
    format: entry.format ?? '',
    size: entry.size ?? 0,
    ...(entry.vmid !== undefined ? { vmid: entry.vmid } : {}),
    ...(entry.ctime !== undefined ? { ctime: entry.ctime } : {}),
    ...(entry.notes !== undefined ? { notes: entry.notes } : {}),
    ...(entry.protected !== undefined ? { protected: entry.protected } : {}),
  };
}

/** Backups of several storages as one list, newest first. */
export function backupViews(byStorage: { storage: string; volumes: StorageContentEntry[] }[]): BackupView[] {
  return byStorage
    .flatMap(({ storage, volumes }) => volumes.map((volume) => ({ ...volumeView(volume), storage })))
    .sort((a, b) => (b.ctime ?? 0) - (a.ctime ?? 0) || a.volid.localeCompare(b.volid));
}

/** The snapshot list with `current` kept (the tree marks it); `vmstate` only where the RAM was saved. */
export function snapshotViews(entries: SnapshotEntry[]): SnapshotView[] {
  return entries.map((entry) => ({
    name: entry.name,
    vmstate: entry.vmstate ?? false,
    ...(entry.description !== undefined && entry.description.length > 0 ? { description: entry.description } : {}),
    ...(entry.snaptime !== undefined && entry.name !== 'current' ? { snaptime: entry.snaptime } : {}),
    ...(entry.parent !== undefined && entry.parent.length > 0 ? { parent: entry.parent } : {}),
  }));
}

function haState(state: string | undefined): HaState {
  // pve-ha-manager reads `enabled` as `started`; an absent state is the default `started`.
  return haStates.find((known) => known === state) ?? 'started';
}

export function haResourceView(entry: HaResourceEntry): HaResourceView {
  return {
    sid: entry.sid,
    state: haState(entry.state),
    maxRestart: entry.max_restart ?? 1,
    maxRelocate: entry.max_relocate ?? 1,
    ...(entry.group !== undefined ? { group: entry.group } : {}),
    ...(entry.comment !== undefined ? { comment: entry.comment } : {}),
    ...(entry.digest !== undefined ? { digest: entry.digest } : {}),
  };
}
