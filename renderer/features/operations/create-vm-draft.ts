import type { SizingPreset } from '../../../shared/domain/settings';
import type { CreateVmRequest, DiskBus, DiskFormat, NicModel, OsType, StorageView } from '../../../shared/domain/operations';
import { isFileStorage } from './use-node-resources';

const gib = 1024 ** 3;

/** The create dialog's fields as the user edits them (memory and balloon in GiB, null while a number field is empty). */
export interface CreateVmDraft {
  profileId: string | null;
  node: string | null;
  vmid: number | null;
  name: string;
  ostype: OsType;
  /** An ISO volume, or '' for an empty drive. */
  iso: string;
  sockets: number | null;
  cores: number | null;
  memoryGiB: number | null;
  balloonGiB: number | null;
  bus: DiskBus;
  storage: string | null;
  sizeGiB: number | null;
  format: DiskFormat;
  bridge: string | null;
  model: NicModel;
  agent: boolean;
  start: boolean;
  /** A pool, or '' for none. */
  pool: string;
}

export function emptyDraft(preset: SizingPreset | undefined): CreateVmDraft {
  return {
    profileId: null,
    node: null,
    vmid: null,
    name: '',
    ostype: 'l26',
    iso: '',
    sockets: 1,
    cores: 1,
    memoryGiB: 2,
    balloonGiB: null,
    bus: 'scsi',
    storage: null,
    sizeGiB: 32,
    format: 'qcow2',
    bridge: null,
    model: 'virtio',
    agent: true,
    start: false,
    pool: '',
    ...(preset === undefined ? {} : presetFields(preset)),
  };
}

/** What choosing a preset fills in: its cores, memory and disk size (the fields stay editable). */
export function presetFields(preset: SizingPreset): Pick<CreateVmDraft, 'cores' | 'memoryGiB' | 'sizeGiB'> {
  return { cores: preset.cores, memoryGiB: preset.memory / 1024, sizeGiB: preset.diskGiB };
}

/** The preset the draft's sizes are, if any: once a value is edited away from every preset, the size is the user's own. */
export function matchingPreset(draft: CreateVmDraft, presets: SizingPreset[]): SizingPreset | undefined {
  return presets.find(
    (preset) => preset.cores === draft.cores && draft.memoryGiB !== null && preset.memory === toMiB(draft.memoryGiB) && preset.diskGiB === draft.sizeGiB,
  );
}

/** The memory a GiB field stands for, in whole MiB (PVE's unit). */
export function toMiB(valueGiB: number): number {
  return Math.round(valueGiB * 1024);
}

/** Whether the disk of this size fits the storage's free space (unknown space: left to PVE). */
export function diskFits(sizeGiB: number, storage: StorageView | undefined): boolean {
  return storage?.avail === undefined || sizeGiB * gib <= storage.avail;
}

/** The request a complete draft makes; undefined while a required field is empty. */
export function createRequest(draft: CreateVmDraft, storage: StorageView | undefined): CreateVmRequest | undefined {
  const { profileId, node, vmid, sockets, cores, memoryGiB, sizeGiB, bridge } = draft;
  if (profileId === null || node === null || vmid === null || sockets === null || cores === null) return undefined;
  if (memoryGiB === null || sizeGiB === null || bridge === null || storage === undefined) return undefined;
  return {
    profileId,
    node,
    vmid,
    name: draft.name,
    ostype: draft.ostype,
    ...(draft.iso === '' ? {} : { iso: draft.iso }),
    sockets,
    cores,
    memory: toMiB(memoryGiB),
    ...(draft.balloonGiB === null ? {} : { balloon: toMiB(draft.balloonGiB) }),
    disk: { bus: draft.bus, storage: storage.storage, sizeGiB, ...(isFileStorage(storage) ? { format: draft.format } : {}) },
    nic: { model: draft.model, bridge },
    agent: draft.agent,
    start: draft.start,
    ...(draft.pool === '' ? {} : { pool: draft.pool }),
  };
}

/** The smallest memory qemu-server accepts, in MiB. */
export const minMemoryMiB = 16;
