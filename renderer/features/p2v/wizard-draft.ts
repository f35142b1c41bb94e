import type { DiskBus, NicModel, OsType, StorageView } from '../../../shared/domain/operations';
import type {
  Firmware,
  ImageFormat,
  ImageInspection,
  P2vPlan,
  P2vSource,
  P2vTarget,
  SshSourceAuth,
  SshSourceFacts,
  TargetFormat,
  WorkstationImage,
} from '../../../shared/domain/p2v';

export const sourceKinds = ['workstation', 'ssh', 'node-import'] as const;
export type SourceKind = (typeof sourceKinds)[number];
export const sshAuthMethods = ['password', 'key-file', 'agent'] as const;
export type SshAuthMethod = (typeof sshAuthMethods)[number];
export const sshRoutes = ['auto', 'direct', 'workstation'] as const;
export type SshRoute = (typeof sshRoutes)[number];

/** The wizard's steps, in order; the first four only read, `start` is the line between them and the rest. */
export const wizardSteps = ['source', 'inspect', 'target', 'summary', 'progress', 'firstBoot', 'report'] as const;
export type WizardStep = (typeof wizardSteps)[number];

const mib = 1024 ** 2;

/** The SSH login form; the secrets leave it only for `p2v.probeSsh`, which keeps them in the keychain. */
export interface SshForm {
  host: string;
  port: number | null;
  username: string;
  auth: SshAuthMethod;
  password: string;
  keyPath: string;
  passphrase: string;
}

/** Everything the user chooses, as the fields hold it (null while a field is empty, memory in GiB). */
export interface WizardDraft {
  sourceKind: SourceKind;
  imagePath: string;
  imageFormat: ImageFormat | null;
  ssh: SshForm;
  device: string | null;
  lvmSnapshot: boolean;
  route: SshRoute;
  importVolid: string | null;
  importFormat: ImageFormat | null;
  /** The cluster and node that convert the image and hold the VM (for an image on a node: that node). */
  profileId: string | null;
  node: string | null;
  storage: string | null;
  vmid: number | null;
  name: string;
  ostype: OsType;
  firmware: Firmware;
  diskBus: DiskBus;
  sockets: number | null;
  cores: number | null;
  memoryGiB: number | null;
  bridge: string | null;
  model: NicModel;
  /** A MAC of the physical machine to keep, or '' for a new one. */
  macAddress: string;
  agent: boolean;
  /** A virtio-win ISO for a Windows guest, or '' for none. */
  virtioIso: string;
  start: boolean;
}

/** What the wizard learnt from the host while the user filled it in. */
export interface WizardFindings {
  image?: WorkstationImage;
  ssh?: { credentialId: string; facts: SshSourceFacts };
  inspection?: ImageInspection;
}

export function emptyDraft(): WizardDraft {
  return {
    sourceKind: 'workstation',
    imagePath: '',
    imageFormat: null,
    ssh: { host: '', port: 22, username: 'root', auth: 'password', password: '', keyPath: '', passphrase: '' },
    device: null,
    lvmSnapshot: false,
    route: 'auto',
    importVolid: null,
    importFormat: null,
    profileId: null,
    node: null,
    storage: null,
    vmid: null,
    name: '',
    ostype: 'l26',
    firmware: 'seabios',
    diskBus: 'scsi',
    sockets: 1,
    cores: 4,
    memoryGiB: 4,
    bridge: null,
    model: 'virtio',
    macAddress: '',
    agent: true,
    virtioIso: '',
    start: true,
  };
}

export function isWindows(ostype: OsType): boolean {
  return ostype.startsWith('w');
}

/** The credentials the SSH form holds, or undefined while one is missing. */
export function sshAuth(form: SshForm): SshSourceAuth | undefined {
  if (form.auth === 'agent') return { method: 'agent' };
  if (form.auth === 'password') return form.password === '' ? undefined : { method: 'password', password: form.password };
  if (form.keyPath.trim() === '') return undefined;
  return { method: 'key-file', privateKeyPath: form.keyPath.trim(), ...(form.passphrase === '' ? {} : { passphrase: form.passphrase }) };
}

/** The logical volume a device is, when the probe found it on LVM (a snapshot of it can be offered). */
export function logicalVolumeOf(facts: SshSourceFacts | undefined, device: string | null): SshSourceFacts['lvm'][number] | undefined {
  return device === null ? undefined : facts?.lvm.find((volume) => volume.device === device);
}

/**
 * The room a snapshot gets for the writes made while the capture runs: a tenth of the volume, at least 256 MiB,
 * never more than its group has free (0 when the group has none: no snapshot can be taken).
 */
export function snapshotSize(volume: SshSourceFacts['lvm'][number]): number {
  const wanted = Math.max(256 * mib, Math.ceil(volume.sizeBytes / 10 / mib) * mib);
  return Math.min(wanted, Math.floor(volume.groupFreeBytes / mib) * mib);
}

/** The source the draft describes, or undefined while it is incomplete. */
export function sourceOf(draft: WizardDraft, findings: WizardFindings): P2vSource | undefined {
  if (draft.sourceKind === 'workstation') {
    if (findings.image === undefined || draft.imageFormat === null) return undefined;
    return { kind: 'workstation', path: findings.image.path, format: draft.imageFormat };
  }
  if (draft.sourceKind === 'node-import') {
    if (draft.profileId === null || draft.node === null || draft.importVolid === null || draft.importFormat === null) return undefined;
    return { kind: 'node-import', profileId: draft.profileId, node: draft.node, volid: draft.importVolid, format: draft.importFormat };
  }
  const probe = findings.ssh;
  if (probe === undefined || draft.device === null || draft.ssh.port === null) return undefined;
  const volume = logicalVolumeOf(probe.facts, draft.device);
  const size = volume === undefined ? 0 : snapshotSize(volume);
  return {
    kind: 'ssh',
    address: { host: draft.ssh.host.trim(), port: draft.ssh.port, username: draft.ssh.username.trim() },
    credentialId: probe.credentialId,
    device: draft.device,
    ...(draft.lvmSnapshot && volume !== undefined && size > 0
      ? { lvmSnapshot: { volumeGroup: volume.volumeGroup, logicalVolume: volume.logicalVolume, sizeBytes: size } }
      : {}),
    route: draft.route,
  };
}

/** File storages hold the disk as qcow2, block storages as raw. */
export function targetFormatOf(storage: StorageView, isFileStorage: (storage: StorageView) => boolean): TargetFormat {
  return isFileStorage(storage) ? 'qcow2' : 'raw';
}

/** Whether the converted disk fits the storage's free space, by `qemu-img measure` (unknown space: left to PVE). */
export function diskFits(inspection: ImageInspection, format: TargetFormat, storage: StorageView): boolean {
  return storage.avail === undefined || inspection.measure[format].required <= storage.avail;
}

/** The memory a GiB field stands for, in whole MiB (PVE's unit). */
export function toMiB(valueGiB: number): number {
  return Math.round(valueGiB * 1024);
}

/** The target the draft describes on this storage, or undefined while a field is empty. */
export function targetOf(draft: WizardDraft, storage: StorageView | undefined, format: TargetFormat): P2vTarget | undefined {
  const { profileId, node, vmid, sockets, cores, memoryGiB, bridge } = draft;
  if (profileId === null || node === null || storage === undefined || vmid === null) return undefined;
  if (sockets === null || cores === null || memoryGiB === null || bridge === null) return undefined;
  return {
    profileId,
    node,
    storage: storage.storage,
    format,
    vmid,
    name: draft.name.trim(),
    ostype: draft.ostype,
    firmware: draft.firmware,
    diskBus: draft.diskBus,
    cores,
    sockets,
    memoryMiB: toMiB(memoryGiB),
    nic: { model: draft.model, bridge, ...(draft.macAddress === '' ? {} : { macAddress: draft.macAddress }) },
    agent: draft.agent,
    ...(isWindows(draft.ostype) && draft.virtioIso !== '' ? { virtioIso: draft.virtioIso } : {}),
  };
}

export function planOf(source: P2vSource | undefined, target: P2vTarget | undefined, start: boolean): P2vPlan | undefined {
  return source === undefined || target === undefined ? undefined : { source, target, start };
}

/**
 * A VM name proposed from what the source is called (a host name, a file name): lower case, what a DNS name
 * cannot hold turned into hyphens, at most 63 characters; '' when nothing usable is left.
 */
export function proposedName(from: string): string {
  const base = from.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.(img|raw|bin|dd|qcow2|vmdk|vhdx?|vdi)$/i, '');
  return stem
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/** The format a file's name says, as the probe found it: what the wizard's format select starts with. */
export function initialFormat(image: WorkstationImage): ImageFormat {
  return image.formatByName ?? image.formatByHeader ?? 'raw';
}
