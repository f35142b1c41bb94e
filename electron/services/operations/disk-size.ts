import { IpcError } from '../../../shared/ipc/errors';
import { parseDiskSize, parsePropertyString } from '../../../shared/pve/guest-config';
import type { GuestConfig } from '../pve';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

/** Bytes in PVE's size syntax (`\d+[KMGT]?`), the largest unit that divides them, else whole KiB rounded up (PVE sizes in K at least). */
export function pveSize(bytes: number): string {
  for (const [unit, factor] of [
    ['T', TiB],
    ['G', GiB],
    ['M', MiB],
  ] as const) {
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return `${Math.ceil(bytes / KiB)}K`;
}

/** A disk's size in bytes from its config entry (`local:100/vm-100-disk-0.qcow2,size=32G`), undefined when it has none. */
export function diskSizeOf(config: GuestConfig, disk: string): number | undefined {
  const value = config[disk];
  if (typeof value !== 'string') {
    throw new IpcError('NOT_FOUND', {
      en: `The guest has no disk ${disk} (any more). Refresh its hardware and try again.`,
      fr: `L’invité n’a pas (ou plus) de disque ${disk}. Actualisez l’affichage de son matériel, puis réessayez.`,
    });
  }
  const size = parsePropertyString(value, 'file').size;
  return size !== undefined ? parseDiskSize(size) : undefined;
}

/** The size to send to `PUT .../resize`: PVE only grows disks, so a smaller or equal size is refused before asking. */
export function growSize(current: number | undefined, wanted: number): string {
  if (current !== undefined && wanted <= current) {
    throw new IpcError('BAD_INPUT', {
      en: `A disk can only grow: choose a size above its current ${pveSize(current)}.`,
      fr: `Un disque peut seulement être agrandi : choisissez une taille supérieure à sa taille actuelle (${pveSize(current)}).`,
    });
  }
  return pveSize(wanted);
}
