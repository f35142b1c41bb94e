/**
 * The Windows switch from SATA to a virtio bus, planned from the VM's config
 * alone: the change each step sends (one config call, so a step never stops
 * half done) and what the config must show afterwards, field by field. A
 * second run of a step finds its work done and plans no change.
 *
 * Why these choices (qemu-server PVE/API2/Qemu.pm `update_vm`, PVE/QemuServer.pm):
 * - Every step wants the guest stopped: a stopped guest applies a change at
 *   once (`vmconfig_apply_pending`), so the check reads the final config; a
 *   running one would keep `scsihw` pending, and the driver is installed by
 *   starting Windows after the temporary disk is there anyway.
 * - The temporary disk carries `serial=p2v-driver-disk`: a drive has no
 *   comment field, the serial is valid on every bus and stays in the config,
 *   so the disk is found again by its mark, never guessed from its size.
 * - It is removed with `force`: PVE frees the volume in the same call rather
 *   than leaving an `unusedN` a second call would have to find.
 * - The boot disk moves in one call: `delete=sataN` (without `force`, the
 *   volume is kept) with `<bus>0=<same volume>` and the new boot order; PVE
 *   detaches first (the volume becomes `unusedN`), attaches it to the new key,
 *   and drops the `unusedN` of a volume a drive uses when it writes the config
 *   (`write_vm_config`): the config an admin gets by Detach, Add on the unused
 *   disk and Boot Order in the web UI.
 */
import type { JobTitle } from '../../../../shared/domain/jobs';
import type { VirtioBus, WindowsSwitchResult, WindowsSwitchStep } from '../../../../shared/domain/p2v';
import { IpcError } from '../../../../shared/ipc/errors';
import type { Sentence } from '../../../../shared/text/sentence';
import type { GuestConfig } from '../../pve';
import {
  bootDiskKey,
  bootOrder,
  busOf,
  diskDrives,
  driveOption,
  firstFreeKey,
  isCdrom,
  isDriveKey,
  optionValidOn,
  parseDriveValue,
  printDriveValue,
  type DriveValue,
} from './drive-value';

/** The mark of the temporary disk (a drive's serial: up to 20 bytes). */
export const temporaryDiskSerial = 'p2v-driver-disk';
/** 1 GiB: enough for Windows to see a disk on the new bus and bind its driver. */
const temporaryDiskGiB = 1;
/** The virtio-win drivers Windows needs for each bus. */
const driverOf: Record<VirtioBus, string> = { virtio: 'viostor', scsi: 'vioscsi' };
const virtioScsiControllers = ['virtio-scsi-single', 'virtio-scsi-pci'];

export interface SwitchRequest {
  step: WindowsSwitchStep;
  bus: VirtioBus;
  temporaryStorage: string;
}

/** One `POST .../config`: keys to set, keys to delete, `force` to free deleted disks' volumes. */
export interface SwitchChange {
  set: Record<string, string>;
  delete: string[];
  force: boolean;
}

/** One field the config must show after the step. */
export interface Expectation {
  key: string;
  expected: string;
  /** Whether `config` shows it, and what it shows instead. */
  verify(config: GuestConfig): { ok: boolean; actual?: string };
}

export interface SwitchPlan {
  /** Absent when the config already is what the step leaves (the step ran before). */
  change?: SwitchChange;
  expectations: Expectation[];
  /** Volumes the change frees: the runner checks they are gone from their storage. */
  freedVolumes: string[];
  next: JobTitle;
}

type Check = WindowsSwitchResult['checks'][number];

export function checkConfig(expectations: readonly Expectation[], config: GuestConfig): Check[] {
  return expectations.map((expectation) => {
    const { ok, actual } = expectation.verify(config);
    return { key: expectation.key, expected: expectation.expected, ...(actual !== undefined ? { actual } : {}), ok };
  });
}

function valueOf(config: GuestConfig, key: string): string | undefined {
  const value = config[key];
  return value === undefined ? undefined : String(value);
}

/** The disks carrying the temporary disk's mark, on any bus. */
function temporaryDisks(config: GuestConfig): [string, DriveValue][] {
  return diskDrives(config).filter(([, drive]) => driveOption(drive, 'serial') === temporaryDiskSerial);
}

function targetKeyOf(bus: VirtioBus): string {
  return `${bus}0`;
}

function refuse(message: Sentence): never {
  throw new IpcError('BAD_INPUT', message);
}

/** The SATA disk Windows boots from; refused when the VM boots from anything else. */
function sataBootDisk(config: GuestConfig, bus: VirtioBus): string {
  const key = bootDiskKey(config);
  if (key !== undefined && busOf(key) === 'sata') return key;
  if (key === targetKeyOf(bus)) {
    refuse({
      en: `The VM already boots from ${key}: its switch to ${bus} is done. Start it.`,
      fr: `La VM démarre déjà sur ${key} : son passage en ${bus} est terminé. Démarrez-la.`,
    });
  }
  const boot = valueOf(config, 'boot');
  return refuse({
    en: `The VM boots from ${key ?? 'no disk'} (boot: ${boot ?? 'unset'}), not from a SATA disk: the switch starts from a Windows booting on SATA. Check the boot order in the VM's options.`,
    fr: `La VM démarre sur ${key ?? 'aucun disque'} (boot : ${boot ?? 'non défini'}), pas sur un disque SATA : le passage part d’un Windows qui démarre sur SATA. Vérifiez l’ordre de démarrage dans les options de la VM.`,
  });
}

// --- what the config must show ---

function unchanged(key: string, value: string): Expectation {
  return { key, expected: value, verify: (config) => ({ ok: valueOf(config, key) === value, ...optional(valueOf(config, key)) }) };
}

function absent(key: string): Expectation {
  return { key, expected: 'absent', verify: (config) => ({ ok: config[key] === undefined, ...optional(valueOf(config, key)) }) };
}

function optional(actual: string | undefined): { actual?: string } {
  return actual === undefined ? {} : { actual };
}

/** No `unusedN` holds the volume (PVE's config keeps detached volumes there). */
function notUnused(volume: string): Expectation {
  return {
    key: 'unused',
    expected: `no unusedN holding ${volume}`,
    verify: (config) => {
      const holder = Object.keys(config).find((key) => /^unused\d+$/.test(key) && valueOf(config, key) === volume);
      return { ok: holder === undefined, ...(holder !== undefined ? { actual: `${holder}: ${volume}` } : {}) };
    },
  };
}

function scsiController(): Expectation {
  return {
    key: 'scsihw',
    expected: virtioScsiControllers.join(' or '),
    verify: (config) => ({ ok: virtioScsiControllers.includes(valueOf(config, 'scsihw') ?? ''), ...optional(valueOf(config, 'scsihw')) }),
  };
}

/** The firmware boots `key` first (the boot order's first disk, or the legacy `bootdisk`). */
function bootsFrom(key: string): Expectation {
  return {
    key: 'boot',
    expected: `${key} first`,
    verify: (config) => ({ ok: bootDiskKey(config) === key, ...optional(valueOf(config, 'boot')) }),
  };
}

function temporaryDiskAt(key: string, storage: string): Expectation {
  return {
    key,
    expected: `${storage}:…,serial=${temporaryDiskSerial},size=${temporaryDiskGiB}G`,
    verify: (config) => {
      const value = valueOf(config, key);
      const drive = value === undefined ? undefined : parseDriveValue(value);
      const ok =
        drive !== undefined &&
        drive.volume.startsWith(`${storage}:`) &&
        driveOption(drive, 'serial') === temporaryDiskSerial &&
        driveOption(drive, 'size') === `${temporaryDiskGiB}G`;
      return { ok, ...optional(value) };
    },
  };
}

/**
 * The virtio-win ISO in a CD drive (any ISO named `virtio…`): the engine attaches it at creation, the user may have
 * changed it since. Not there, the check fails: attaching it and pressing the step again passes (nothing is added twice).
 */
function virtioIsoInserted(config: GuestConfig): Expectation {
  const cdroms = (current: GuestConfig): [string, string][] =>
    Object.keys(current)
      .filter((key) => isDriveKey(key) && isCdrom(valueOf(current, key) ?? ''))
      .map((key) => [key, valueOf(current, key) ?? '']);
  const holder = (current: GuestConfig): [string, string] | undefined => cdroms(current).find(([, value]) => /virtio[^,]*\.iso/i.test(value));
  return {
    key: holder(config)?.[0] ?? 'cdrom',
    expected: 'a CD-ROM holding the virtio-win ISO (if missing: attach it in Hardware → CD/DVD Drive, then press this step again)',
    verify: (current) => {
      const found = holder(current);
      const shown = found !== undefined ? [found] : cdroms(current);
      return { ok: found !== undefined, actual: shown.length > 0 ? shown.map(([key, value]) => `${key}: ${value}`).join('; ') : 'no CD-ROM' };
    },
  };
}

/** The moved boot disk: the same volume with each option the new bus takes (PVE adds the size back itself). */
function movedDisk(key: string, drive: DriveValue, dropped: readonly [string, string][]): Expectation {
  const droppedText = dropped.length > 0 ? ` (${dropped.map(([name, value]) => `${name}=${value}`).join(',')} left out: not a ${key} option)` : '';
  return {
    key,
    expected: `${printDriveValue(drive)}${droppedText}`,
    verify: (config) => {
      const value = valueOf(config, key);
      if (value === undefined) return { ok: false };
      const actual = parseDriveValue(value);
      const ok =
        actual.volume === drive.volume &&
        drive.options.every(([name, option]) => driveOption(actual, name) === option) &&
        dropped.every(([name]) => driveOption(actual, name) === undefined);
      return { ok, actual: value };
    },
  };
}

// --- the steps ---

function planAddTemporaryDisk(config: GuestConfig, request: SwitchRequest): SwitchPlan {
  const bootKey = sataBootDisk(config, request.bus);
  const existing = temporaryDisks(config).find(([key]) => busOf(key) === request.bus)?.[0];
  const key =
    existing ??
    firstFreeKey(config, request.bus) ??
    refuse({
      en: `Every ${request.bus} slot of the VM is taken: remove one, then try again.`,
      fr: `Tous les emplacements ${request.bus} de la VM sont pris : libérez-en un, puis réessayez.`,
    });
  const set: Record<string, string> = {};
  if (existing === undefined) set[key] = `${request.temporaryStorage}:${temporaryDiskGiB},serial=${temporaryDiskSerial}`;
  if (request.bus === 'scsi' && !virtioScsiControllers.includes(valueOf(config, 'scsihw') ?? '')) set.scsihw = 'virtio-scsi-single';
  const storage = existing !== undefined ? (parseDriveValue(valueOf(config, key) ?? '').volume.split(':')[0] ?? '') : request.temporaryStorage;
  return {
    ...(Object.keys(set).length > 0 ? { change: { set, delete: [], force: false } } : {}),
    expectations: [
      temporaryDiskAt(key, storage),
      ...(request.bus === 'scsi' ? [scsiController()] : []),
      unchanged(bootKey, valueOf(config, bootKey) ?? ''),
      bootsFrom(bootKey),
      virtioIsoInserted(config),
    ],
    freedVolumes: [],
    next: { key: 'p2v.windowsSwitch.next.installDriver', params: { driver: driverOf[request.bus], disk: key } },
  };
}

function planRemoveTemporaryDisk(config: GuestConfig, request: SwitchRequest): SwitchPlan {
  const disks = temporaryDisks(config);
  const bootKey = bootDiskKey(config);
  const keepsBootDisk = bootKey !== undefined ? [unchanged(bootKey, valueOf(config, bootKey) ?? '')] : [];
  const next: JobTitle = { key: 'p2v.windowsSwitch.next.moveBootDisk', params: { disk: targetKeyOf(request.bus) } };
  if (disks.length === 0) {
    const none: Expectation = {
      key: `serial=${temporaryDiskSerial}`,
      expected: 'no disk with this mark',
      verify: (current) => ({ ok: temporaryDisks(current).length === 0, ...optional(temporaryDisks(current)[0]?.[0]) }),
    };
    return { expectations: [none, ...keepsBootDisk], freedVolumes: [], next };
  }
  const volumes = disks.map(([, drive]) => drive.volume);
  return {
    change: { set: {}, delete: disks.map(([key]) => key), force: true },
    expectations: [...disks.map(([key]) => absent(key)), ...volumes.map(notUnused), ...keepsBootDisk],
    freedVolumes: volumes,
    next,
  };
}

function planMoveBootDisk(config: GuestConfig, request: SwitchRequest): SwitchPlan {
  const target = targetKeyOf(request.bus);
  const next: JobTitle = { key: 'p2v.windowsSwitch.next.startOnVirtio', params: { driver: driverOf[request.bus], disk: target } };
  const leftover = temporaryDisks(config)[0]?.[0];
  if (leftover !== undefined) {
    refuse({
      en: `The temporary disk ${leftover} is still attached: remove it first (the step before this one).`,
      fr: `Le disque temporaire ${leftover} est toujours attaché : retirez-le d’abord (l’étape précédente).`,
    });
  }
  const controller = request.bus === 'scsi' ? [scsiController()] : [];
  const scsihw: Record<string, string> =
    request.bus === 'scsi' && !virtioScsiControllers.includes(valueOf(config, 'scsihw') ?? '') ? { scsihw: 'virtio-scsi-single' } : {};
  if (bootDiskKey(config) === target) {
    // Moved before: nothing to send unless the controller is still to be set.
    return {
      ...(Object.keys(scsihw).length > 0 ? { change: { set: scsihw, delete: [], force: false } } : {}),
      expectations: [bootsFrom(target), ...controller],
      freedVolumes: [],
      next,
    };
  }
  const source = sataBootDisk(config, request.bus);
  const taken = valueOf(config, target);
  if (taken !== undefined) {
    refuse({
      en: `${target} is already taken (${taken}): free it, then move the boot disk.`,
      fr: `${target} est déjà pris (${taken}) : libérez-le, puis passez-y le disque de démarrage.`,
    });
  }
  const original = parseDriveValue(valueOf(config, source) ?? '');
  const carried = original.options.filter(([name]) => name !== 'size');
  const moved: DriveValue = { volume: original.volume, options: carried.filter(([name]) => optionValidOn(request.bus, name)) };
  const dropped = carried.filter(([name]) => !optionValidOn(request.bus, name));
  const order = [target, ...(bootOrder(config) ?? []).filter((key) => key !== source && key !== target)];
  const boot = `order=${order.join(';')}`;
  // `bootdisk` is the legacy form's; PVE drops it itself once `order` is set, named here so the lab does too.
  const legacy = config.bootdisk !== undefined ? ['bootdisk'] : [];
  return {
    change: { set: { [target]: printDriveValue(moved), boot, ...scsihw }, delete: [source, ...legacy], force: false },
    expectations: [movedDisk(target, moved, dropped), absent(source), notUnused(original.volume), unchanged('boot', boot), ...controller],
    freedVolumes: [],
    next,
  };
}

const planners: Record<WindowsSwitchStep, (config: GuestConfig, request: SwitchRequest) => SwitchPlan> = {
  'add-temporary-disk': planAddTemporaryDisk,
  'remove-temporary-disk': planRemoveTemporaryDisk,
  'move-boot-disk': planMoveBootDisk,
};

/** The step's change and expectations from the config as read; refused (BAD_INPUT) when the VM is not where the step starts. */
export function planWindowsSwitchStep(config: GuestConfig, request: SwitchRequest): SwitchPlan {
  return planners[request.step](config, request);
}
