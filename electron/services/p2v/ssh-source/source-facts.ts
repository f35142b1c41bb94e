/**
 * Pure parsers of what a Linux server prints about itself (os-release, meminfo, lsblk, ip, lvs/vgs), each
 * returning undefined for text it cannot read, so the probe can say "could not read …" instead of failing.
 */
import { z } from 'zod';
import type { SshSourceFacts } from '../../../../shared/domain/p2v';

type Disk = SshSourceFacts['disks'][number];
type Nic = SshSourceFacts['nics'][number];
type LogicalVolume = SshSourceFacts['lvm'][number];

/** `PRETTY_NAME` of /etc/os-release, else `NAME VERSION`. */
export function parseOsRelease(text: string): string | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) fields.set(match[1], match[2].replace(/^(["'])(.*)\1$/, '$2'));
  }
  const pretty = fields.get('PRETTY_NAME');
  if (pretty !== undefined && pretty !== '') return pretty;
  const name = fields.get('NAME');
  return name === undefined ? undefined : [name, fields.get('VERSION')].filter(Boolean).join(' ');
}

/** `nproc`'s answer. */
export function parseCpuCount(text: string): number | undefined {
  const count = Number(text.trim());
  return Number.isSafeInteger(count) && count > 0 ? count : undefined;
}

/** `MemTotal` of /proc/meminfo, in bytes. */
export function parseMemTotal(text: string): number | undefined {
  const match = /^MemTotal:\s+(\d+)\s*kB$/m.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

/** lsblk prints sizes as numbers with `-b`, as strings in util-linux before 2.33; MOUNTPOINTS came in 2.37, before it one MOUNTPOINT. */
interface LsblkDevice {
  name: string;
  path?: string | undefined;
  size: number;
  type: string;
  model?: string | null | undefined;
  pttype?: string | null | undefined;
  mountpoints?: (string | null)[] | undefined;
  mountpoint?: string | null | undefined;
  children?: LsblkDevice[] | undefined;
}
const lsblkDeviceSchema: z.ZodType<LsblkDevice> = z.lazy(() =>
  z.object({
    name: z.string(),
    path: z.string().optional(),
    size: z.coerce.number().int().nonnegative(),
    type: z.string(),
    model: z.string().nullish(),
    pttype: z.string().nullish(),
    mountpoints: z.array(z.string().nullable()).optional(),
    mountpoint: z.string().nullish(),
    children: z.array(lsblkDeviceSchema).optional(),
  }),
);
const lsblkSchema = z.object({ blockdevices: z.array(lsblkDeviceSchema) });

function mountsUnder(device: LsblkDevice): string[] {
  const own = [...(device.mountpoints ?? []), device.mountpoint].filter((mount): mount is string => typeof mount === 'string' && mount !== '');
  return [...new Set([...own, ...(device.children ?? []).flatMap(mountsUnder)])];
}

/** The whole disks of `lsblk -J -b -o NAME,PATH,SIZE,TYPE,MODEL,PTTYPE,MOUNTPOINTS,FSTYPE`, each with what is mounted from it. */
export function parseLsblk(text: string): Disk[] | undefined {
  const parsed = lsblkSchema.safeParse(safeJson(text));
  if (!parsed.success) return undefined;
  return parsed.data.blockdevices
    .filter((device) => device.type === 'disk' && device.size > 0)
    .map((device) => {
      const model = device.model?.trim();
      const partitionTable = device.pttype === 'gpt' ? 'gpt' : device.pttype === 'dos' ? 'mbr' : undefined;
      return {
        device: device.path ?? `/dev/${device.name}`,
        sizeBytes: device.size,
        ...(model ? { model } : {}),
        ...(partitionTable === undefined ? {} : { partitionTable }),
        mounted: mountsUnder(device),
      };
    });
}

/** What is mounted from `device` (its partitions and volumes included), from the same lsblk JSON; undefined when it is not listed. */
export function mountsOf(text: string, device: string): string[] | undefined {
  const parsed = lsblkSchema.safeParse(safeJson(text));
  if (!parsed.success) return undefined;
  const find = (devices: LsblkDevice[]): LsblkDevice | undefined => {
    for (const candidate of devices) {
      if ((candidate.path ?? `/dev/${candidate.name}`) === device) return candidate;
      const inside = find(candidate.children ?? []);
      if (inside !== undefined) return inside;
    }
    return undefined;
  };
  const found = find(parsed.data.blockdevices);
  return found === undefined ? undefined : mountsUnder(found);
}

const ipLinkSchema = z.array(
  z.object({
    ifname: z.string(),
    address: z.string().optional(),
    link_type: z.string().optional(),
    linkinfo: z.object({ info_kind: z.string().optional() }).optional(),
  }),
);
const macPattern = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** The Ethernet NICs of `ip -j -d link show`: bridges, bonds, VLANs, veths and tunnels (they have a `linkinfo` kind) left out. */
export function parseIpLink(text: string): Nic[] | undefined {
  const parsed = ipLinkSchema.safeParse(safeJson(text));
  if (!parsed.success) return undefined;
  return parsed.data
    .filter((link) => link.link_type === 'ether' && link.linkinfo?.info_kind === undefined && macPattern.test(link.address ?? ''))
    .map((link) => ({ name: link.ifname, mac: (link.address ?? '').toLowerCase() }));
}

/** `name mac physical|virtual` lines, the /sys/class/net fallback when `ip` has no JSON (iproute2 before 4.14). */
export function parseSysNet(text: string): Nic[] | undefined {
  const nics: Nic[] = [];
  for (const line of text.split('\n')) {
    const [name, mac, kind] = line.trim().split(/\s+/);
    if (name !== undefined && mac !== undefined && kind === 'physical' && macPattern.test(mac)) nics.push({ name, mac: mac.toLowerCase() });
  }
  return text.trim() === '' ? undefined : nics;
}

const lvsSchema = z.object({
  report: z.array(
    z.object({
      lv: z.array(z.object({ vg_name: z.string(), lv_name: z.string(), lv_size: z.coerce.number(), lv_path: z.string().optional(), lv_attr: z.string() })),
    }),
  ),
});
const vgsSchema = z.object({ report: z.array(z.object({ vg: z.array(z.object({ vg_name: z.string(), vg_free: z.coerce.number() })) })) });

/**
 * The logical volumes a classic snapshot can be taken of, from
 * `lvs --reportformat json --units b --nosuffix -o vg_name,lv_name,lv_size,lv_path,lv_attr` and
 * `vgs --reportformat json --units b --nosuffix -o vg_name,vg_free`: plain volumes and snapshot origins
 * (attribute `-` or `o`), not snapshots, thin pools or their volumes (thin snapshots take no size).
 */
export function parseLvm(lvsText: string, vgsText: string): LogicalVolume[] | undefined {
  const lvs = lvsSchema.safeParse(safeJson(lvsText));
  const vgs = vgsSchema.safeParse(safeJson(vgsText));
  if (!lvs.success || !vgs.success) return undefined;
  const free = new Map(vgs.data.report.flatMap((report) => report.vg).map((vg) => [vg.vg_name, vg.vg_free]));
  return lvs.data.report
    .flatMap((report) => report.lv)
    .filter((lv) => lv.lv_attr.startsWith('-') || lv.lv_attr.startsWith('o'))
    .map((lv) => ({
      volumeGroup: lv.vg_name,
      logicalVolume: lv.lv_name,
      sizeBytes: lv.lv_size,
      groupFreeBytes: free.get(lv.vg_name) ?? 0,
      device: lv.lv_path !== undefined && lv.lv_path !== '' ? lv.lv_path : `/dev/${lv.vg_name}/${lv.lv_name}`,
    }));
}

/** JSON.parse that answers undefined for what is not JSON. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
