/**
 * What the migrate dialog may offer, from PVE's precondition check
 * (`GET .../migrate`, qemu-server `migrate_vm_precondition`): which nodes,
 * which disks must be copied, what pins the guest to its node, and why the
 * migrate button waits. Pure, so each rule is tested without a dialog.
 */
import type { MigrationCheck, MigrationTarget } from '../../../../shared/domain/operations';

/** A thing that pins the guest to its node, by the kind of explanation it needs. */
export type BlockerKind = 'pci' | 'usb' | 'serial' | 'parallel' | 'virtiofs' | 'sharedMemory' | 'encrypted' | 'vncClipboard' | 'cdrom' | 'other';

export interface Blocker {
  kind: BlockerKind;
  /** The config key, resource or volume PVE named. */
  name: string;
}

/** qemu-server's `check_local_resources` and `check_non_migratable_resources` names, with the VNC clipboard of QEMU before 10.1. */
export function blockerKind(resource: string): BlockerKind {
  if (/^hostpci/.test(resource)) return 'pci';
  if (/^(usb\d|hostusb)/.test(resource)) return 'usb';
  if (/^serial\d/.test(resource)) return 'serial';
  if (/^parallel\d/.test(resource)) return 'parallel';
  if (/^virtiofs/.test(resource)) return 'virtiofs';
  if (resource === 'ivshmem') return 'sharedMemory';
  if (resource === 'amd-sev' || resource === 'intel-tdx') return 'encrypted';
  if (/clipboard/.test(resource)) return 'vncClipboard';
  return 'other';
}

/**
 * Everything that stops the migration whatever the target: local resources,
 * and CD images on a storage only this node has (PVE stops on "local cdrom
 * image").
 */
export function blockers(check: MigrationCheck): Blocker[] {
  const resources = check.localResources.map((name) => ({ kind: blockerKind(name), name }));
  const cdroms = check.localDisks.filter((disk) => disk.cdrom).map((disk) => ({ kind: 'cdrom' as const, name: disk.volid }));
  return [...resources, ...cdroms];
}

/**
 * Whether the running guest's VNC clipboard (`vga: …,clipboard=vnc`) stops its state from leaving QEMU: PVE names it
 * among the local resources only while the guest's QEMU machine is older than 10.1, whose vdagent chardev can be
 * neither migrated nor saved, so a snapshot with RAM fails the same way.
 */
export function vncClipboardPinsState(check: MigrationCheck): boolean {
  return blockers(check).some((blocker) => blocker.kind === 'vncClipboard');
}

/** The disks that must be copied to the target: local volumes but CD images. */
export function copiedDisks(check: MigrationCheck): MigrationCheck['localDisks'] {
  return check.localDisks.filter((disk) => !disk.cdrom);
}

/** A node the guest may go to now: online, and the check named nothing missing there. */
export function canTake(target: MigrationTarget): boolean {
  return target.online && target.allowed;
}

/** The target offered first: the allowed node with the most free memory. */
export function suggestedTarget(check: MigrationCheck): string | undefined {
  const candidates = check.targets.filter(canTake).sort((a, b) => (b.freeMemory ?? 0) - (a.freeMemory ?? 0));
  return candidates[0]?.node;
}

/** What the user chose in the dialog. */
export interface MigrationChoice {
  target: string | undefined;
  withLocalDisks: boolean;
}

/** Why the migrate button waits, the first reason only; undefined when the migration may start. */
export type Refusal = 'blocked' | 'noTarget' | 'targetRefused' | 'needsLocalDisks';

export function refusal(check: MigrationCheck, choice: MigrationChoice): Refusal | undefined {
  if (blockers(check).length > 0) return 'blocked';
  if (choice.target === undefined) return 'noTarget';
  const target = check.targets.find((candidate) => candidate.node === choice.target);
  if (target === undefined || !canTake(target)) return 'targetRefused';
  // A running guest's local disks are copied only when asked (`with-local-disks`); a stopped one's always are.
  if (check.running && copiedDisks(check).length > 0 && !choice.withLocalDisks) return 'needsLocalDisks';
  return undefined;
}
