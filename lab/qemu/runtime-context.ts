/**
 * What the runtime's operation modules (lifecycle, disks, migration, backup)
 * share: options, the table of running processes, and launching one.
 */
import type { GuestRef, LabNodeInfo, SpiceTlsMaterial, TaskContext } from '../contracts';
import type { GuestImage } from '../guest-image/build-guest-image';
import type { GuestProcess } from './guest-process';

export interface QemuRuntimeOptions {
  /** Folder for the runtime's own files (sockets under run/, the guest image cache under guest-image/). */
  stateDir: string;
  nodes: () => LabNodeInfo[];
  /** Absolute path of a volume (`local:100/vm-100-disk-0.qcow2`, `local:iso/x.iso`) as seen from `node`. */
  resolveVolume: (volid: string, node: string) => string;
  spiceTls: SpiceTlsMaterial;
  /** Kernel + initramfs for guests that boot Linux; built into stateDir/guest-image when absent. */
  guestImage?: GuestImage;
  /**
   * Which guests boot the lab's Linux (the rest sit at the SeaBIOS screen with
   * their disks attached). Default: `ostype: l26`.
   */
  bootsLinux?: (guest: GuestRef) => boolean;
  /** root password of the Linux guests (no spaces); default `lab`. */
  guestPassword?: string;
  log?: (line: string) => void;
}

export interface LaunchExtras {
  node?: string;
  diskPaths?: Record<string, string>;
  incoming?: string;
  loadvm?: string;
}

export interface RuntimeContext {
  options: QemuRuntimeOptions;
  guests: Map<number, GuestProcess>;
  log(line: string): void;
  /** Spawns QEMU for a guest (prelaunch, not yet running) and records it as the guest's process. */
  launch(ref: GuestRef, extras?: LaunchExtras): Promise<GuestProcess>;
  /** Absolute image paths of the guest's disks on `node` (cdroms included when they hold a volume). */
  diskPaths(ref: GuestRef, node: string): Record<string, string>;
  running(vmid: number): GuestProcess | undefined;
  requireRunning(vmid: number): GuestProcess;
  startGuest(ref: GuestRef, task: TaskContext): Promise<void>;
  stopGuest(vmid: number): Promise<void>;
  /** ACPI power-off; resolves true when QEMU exited within timeoutSeconds. */
  powerdown(guest: GuestProcess, timeoutSeconds: number): Promise<boolean>;
}
