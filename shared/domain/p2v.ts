/**
 * P2V: moving a physical server, or a disk image of one, into a cluster VM.
 * A migration is a job of named steps whose state is kept in the app's config
 * folder, so it resumes after a restart and rolls back what it created when it
 * fails. What crosses IPC, as the wizard shows it. Sizes are bytes.
 */
import type { JobTitle } from './jobs';
import type { DiskBus, NicModel, OsType } from './operations';
import type { Translations } from '../text/sentence';

/** qemu-img's format names of the images the wizard takes (`vpc` is VHD). */
export const imageFormats = ['raw', 'qcow2', 'vmdk', 'vpc', 'vhdx', 'vdi'] as const;
export type ImageFormat = (typeof imageFormats)[number];

/** What the target disk is written as: qcow2 on file storages, raw on block storages. */
export const targetFormats = ['qcow2', 'raw'] as const;
export type TargetFormat = (typeof targetFormats)[number];

export const firmwares = ['seabios', 'ovmf'] as const;
export type Firmware = (typeof firmwares)[number];

/**
 * A disk image file on this workstation, as `p2v.probeImage` read it without any qemu tool: the format the user
 * confirmed (from the extension; the header is only compared, never trusted, so a raw disk that starts with a
 * qcow2 header stays raw), and for a VMDK descriptor the extent files beside it.
 */
export interface WorkstationImage {
  path: string;
  /** Bytes on disk of the file (and its extents). */
  fileSize: number;
  /** From the file name (`.img`/`.raw` raw, `.qcow2`, `.vmdk`, `.vhd` vpc, `.vhdx`, `.vdi`); absent when the name says nothing. */
  formatByName?: ImageFormat;
  /** What the first bytes look like; absent for no known header (then it can only be raw). */
  formatByHeader?: ImageFormat;
  /** A VMDK text descriptor's extent files, resolved beside it; each must exist. */
  extents?: { path: string; size: number }[];
  /** For the wizard to show: the header contradicts the name (e.g. a `.img` starting with a qcow2 header). */
  warnings: JobTitle[];
}

/** How the wizard logs in to the physical server; the password or passphrase goes to the keychain, never back. */
export type SshSourceAuth =
  { method: 'password'; password: string } | { method: 'key-file'; privateKeyPath: string; passphrase?: string } | { method: 'agent' };

export interface SshSourceAddress {
  host: string;
  port: number;
  username: string;
}

/** Where the data comes from. The source is only ever read. */
export type P2vSource =
  | { kind: 'workstation'; path: string; format: ImageFormat }
  | {
      kind: 'ssh';
      address: SshSourceAddress;
      /** The credentials `p2v.probeSsh` put in the keychain (a 32-hex id); the secret itself never comes back. */
      credentialId: string;
      /** The block device to capture (`/dev/sda`), as the probe listed it. */
      device: string;
      /** Capture from an LVM snapshot of this logical volume instead of the live device. */
      lvmSnapshot?: { volumeGroup: string; logicalVolume: string; sizeBytes: number };
      /** `auto`: straight from the server to the node when the node reaches it, else through this computer. */
      route: 'auto' | 'direct' | 'workstation';
    }
  | { kind: 'node-import'; profileId: string; node: string; volid: string; format: ImageFormat };

/** What the node's `qemu-img` says about the source (every call names the format with `-f`). */
export interface ImageInspection {
  format: ImageFormat;
  virtualSize: number;
  /** Bytes allocated in the source (the data that will cross the wire). */
  allocatedSize?: number;
  /** `format-specific.data.create-type` of a VMDK (monolithicSparse, streamOptimized, twoGbMaxExtentSparse…). */
  vmdkSubformat?: string;
  /** Refused unless the chain is provided: an image with a backing file is half a disk. */
  backingFile?: string;
  /** From the first sectors of the guest-visible disk. */
  partitionTable: 'gpt' | 'mbr' | 'none';
  /** GPT → OVMF, MBR → SeaBIOS. */
  firmwareProposal: Firmware;
  /** `qemu-img check` where the format has it; absent for raw and VHD. */
  check?: { errors: number; leaks: number; corruptions: number };
  /** `qemu-img measure -O <format>` for each target format. */
  measure: Record<TargetFormat, { required: number; fullyAllocated: number }>;
  warnings: JobTitle[];
}

/** The physical machine's own figures, read over SSH before anything is captured. */
export interface SshSourceFacts {
  hostname: string;
  os: string;
  cpus: number;
  memoryBytes: number;
  disks: { device: string; sizeBytes: number; model?: string; partitionTable?: 'gpt' | 'mbr'; mounted: string[] }[];
  nics: { name: string; mac: string }[];
  /** Logical volumes a snapshot could be taken of, with the free space of their group. */
  lvm: { volumeGroup: string; logicalVolume: string; sizeBytes: number; groupFreeBytes: number; device: string }[];
  checklist: LinuxChecklistItem[];
}

/** One point of the Linux checklist: what was found on the source and what to do about it. */
export interface LinuxChecklistItem {
  id: 'fstab-stable-names' | 'virtio-initramfs' | 'nic-names' | 'vendor-agents';
  status: 'ok' | 'warning';
  /** Translated by the renderer; params carry the findings (device names, modules, packages). */
  summary: JobTitle;
  /** One line per finding and what to do about it, translated the same way. */
  details: JobTitle[];
}

export interface P2vTarget {
  profileId: string;
  node: string;
  /** A storage of the node with `images` content. */
  storage: string;
  format: TargetFormat;
  vmid: number;
  name: string;
  ostype: OsType;
  firmware: Firmware;
  /** Windows starts on `sata`; the two-phase switch moves it to `virtioBus` afterwards. */
  diskBus: DiskBus;
  cores: number;
  sockets: number;
  memoryMiB: number;
  nic: { model: NicModel; bridge: string; macAddress?: string };
  agent: boolean;
  /** A virtio-win ISO (`local:iso/virtio-win.iso`) attached for Windows. */
  virtioIso?: string;
}

export interface P2vPlan {
  source: P2vSource;
  target: P2vTarget;
  /** Start the VM once created (its first boot shows in the wizard's console). */
  start: boolean;
}

/** In order. The VM is created before the verification, which imports its disk while the digests are computed. */
export const p2vStepIds = ['inspect', 'prepare', 'transfer', 'create-vm', 'verify', 'import-disk', 'configure', 'start'] as const;
export type P2vStepId = (typeof p2vStepIds)[number];

export interface P2vStepView {
  id: P2vStepId;
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  startedAt?: string;
  endedAt?: string;
  /** Bytes read, sent or written by the step, for its throughput. */
  bytes?: number;
  detail?: JobTitle;
}

export const p2vStates = ['running', 'interrupted', 'succeeded', 'failed', 'cancelled'] as const;
/** `interrupted`: the app stopped while it ran; it resumes where it stopped. */
export type P2vState = (typeof p2vStates)[number];

/** Something the job created, removed again by a rollback. */
export interface P2vArtifact {
  kind: 'node-file' | 'vm' | 'volume' | 'ssh-key' | 'lvm-snapshot';
  /** A path on the node, a VMID, a volume id, a key's comment, `vg/lv`. */
  ref: string;
  node?: string;
}

export interface P2vTransferView {
  segments: number;
  segmentsDone: number;
  /** The source's allocated bytes (what should cross the wire). */
  allocatedBytes: number;
  /** Bytes that crossed the wire in total, resumed attempts included. */
  wireBytes: number;
}

export interface P2vReport {
  startedAt: string;
  endedAt: string;
  source: string;
  vm: { profileId: string; node: string; vmid: number; name: string };
  steps: { id: P2vStepId; seconds: number; bytes?: number; bytesPerSecond?: number }[];
  /** How the content was proven identical. */
  verification: { method: 'sha256-blocks'; source: string; target: string } | { method: 'qemu-img-compare'; identical: true };
  wireBytes: number;
  warnings: string[];
}

export interface P2vJobView {
  /** 32 hex. */
  id: string;
  plan: P2vPlan;
  state: P2vState;
  steps: P2vStepView[];
  /** The entry of the task pane while it runs. */
  jobId?: string;
  transfer?: P2vTransferView;
  created: P2vArtifact[];
  /** What a rollback removed, for the failure report. */
  cleaned: P2vArtifact[];
  /** Why it failed and what the rollback left, in English. */
  error?: string;
  /** The same in the app's other languages. */
  errorTranslations?: Translations;
  report?: P2vReport;
  createdAt: string;
  updatedAt: string;
}

/** The Windows two-phase switch from SATA to a virtio bus, one button each, each followed by a check of the config. */
export const windowsSwitchSteps = ['add-temporary-disk', 'remove-temporary-disk', 'move-boot-disk'] as const;
export type WindowsSwitchStep = (typeof windowsSwitchSteps)[number];
export const virtioBuses = ['virtio', 'scsi'] as const;
export type VirtioBus = (typeof virtioBuses)[number];

export interface WindowsSwitchResult {
  step: WindowsSwitchStep;
  /** Each expectation on the config after the step, and whether it holds. */
  checks: { key: string; expected: string; actual?: string; ok: boolean }[];
  /** What the user does next (boot and install the driver, shut down…). */
  next: JobTitle;
}
