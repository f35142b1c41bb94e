import { z } from 'zod';
import { hostSchema, maxKeyPathLength, portSchema, profileIdSchema } from '../../domain/connections';
import { diskBuses, nicModels, osTypes } from '../../domain/operations';
import {
  firmwares,
  imageFormats,
  targetFormats,
  virtioBuses,
  windowsSwitchSteps,
  type ImageInspection,
  type P2vJobView,
  type SshSourceFacts,
  type WindowsSwitchResult,
  type WorkstationImage,
} from '../../domain/p2v';
import { guestNameSchema, storageIdSchema, volumeIdSchema } from './operations';
import { nodeNameSchema, vmidSchema } from './inventory';
import { issuedId, method, noInput } from './method';

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f]/;
/** An absolute path on this workstation (POSIX or Windows), one line. */
const localPathSchema = z
  .string()
  .min(1)
  .max(maxKeyPathLength)
  .refine((text) => !controlCharacters.test(text), 'must not contain control characters')
  .refine((text) => text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\'), 'must be an absolute path');
/** A Linux block device path on the physical server (`/dev/sda`, `/dev/mapper/vg-root`, `/dev/disk/by-id/…`). */
const devicePathSchema = z
  .string()
  .max(512)
  .regex(/^\/dev\/[A-Za-z0-9/_.:+-]+$/, 'must be a device path under /dev')
  .refine((text) => !text.split('/').includes('..'), 'must not contain ..');
const lvmNameSchema = z
  .string()
  .max(127)
  .regex(/^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/, 'must be an LVM name');
const sshUserSchema = z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'must be a user name such as root');
const secretSchema = z.string().min(1).max(4096);

export const sshSourceAddressSchema = z.object({ host: hostSchema, port: portSchema.default(22), username: sshUserSchema }).strict();
export const sshSourceAuthSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('password'), password: secretSchema }).strict(),
  z.object({ method: z.literal('key-file'), privateKeyPath: localPathSchema, passphrase: secretSchema.optional() }).strict(),
  z.object({ method: z.literal('agent') }).strict(),
]);

const nodeRef = { profileId: profileIdSchema, node: nodeNameSchema };

export const p2vSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('workstation'), path: localPathSchema, format: z.enum(imageFormats) }).strict(),
  z
    .object({
      kind: z.literal('ssh'),
      address: sshSourceAddressSchema,
      credentialId: issuedId,
      device: devicePathSchema,
      lvmSnapshot: z
        .object({
          volumeGroup: lvmNameSchema,
          logicalVolume: lvmNameSchema,
          sizeBytes: z
            .number()
            .int()
            .min(1)
            .max(2 ** 53),
        })
        .strict()
        .optional(),
      route: z.enum(['auto', 'direct', 'workstation']).default('auto'),
    })
    .strict(),
  z.object({ kind: z.literal('node-import'), ...nodeRef, volid: volumeIdSchema, format: z.enum(imageFormats) }).strict(),
]);

const macSchema = z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/, 'must be a MAC address');
const bridgeSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,14}$/, 'must be a bridge name');

export const p2vTargetSchema = z
  .object({
    ...nodeRef,
    storage: storageIdSchema,
    format: z.enum(targetFormats),
    vmid: vmidSchema,
    name: guestNameSchema,
    ostype: z.enum(osTypes),
    firmware: z.enum(firmwares),
    diskBus: z.enum(diskBuses),
    cores: z.number().int().min(1).max(1024),
    sockets: z.number().int().min(1).max(16),
    memoryMiB: z
      .number()
      .int()
      .min(16)
      .max(8 * 1024 * 1024),
    nic: z.object({ model: z.enum(nicModels), bridge: bridgeSchema, macAddress: macSchema.optional() }).strict(),
    agent: z.boolean(),
    virtioIso: volumeIdSchema.optional(),
  })
  .strict();

export const p2vPlanSchema = z.object({ source: p2vSourceSchema, target: p2vTargetSchema, start: z.boolean().default(true) }).strict();

const p2vJobRef = z.object({ id: issuedId }).strict();

export const p2vMethods = {
  /** Electron's open dialog for an image file; the web host answers `{}` and the wizard takes a typed path. */
  'p2v.pickImage': method<{ path?: string }>()(noInput),
  /** Reads the file's name, size and first bytes on this workstation (no qemu tool here); never decides the format alone. */
  'p2v.probeImage': method<WorkstationImage>()(z.object({ path: localPathSchema }).strict()),
  /** `qemu-img info` / `check` / `measure` on the node, with the format named; for SSH the device's size and partition table. */
  'p2v.inspect': method<ImageInspection>()(z.object({ source: p2vSourceSchema, ...nodeRef }).strict()),
  /**
   * Logs in to the physical server (host key pinned through the usual dialog), keeps the secret in the keychain
   * under a new credential id, and reads its CPUs, memory, disks, NICs, LVM volumes and the Linux checklist.
   */
  'p2v.probeSsh': method<{ credentialId: string; facts: SshSourceFacts }>()(z.object({ address: sshSourceAddressSchema, auth: sshSourceAuthSchema }).strict()),
  /** Images already on the node's storages (`import` content) a migration can start from. */
  'p2v.importVolumes': method<{ volid: string; size: number; format: string }[]>()(z.object(nodeRef).strict()),
  /** Starts a migration job after the wizard's summary; nothing is written before this. */
  'p2v.start': method<P2vJobView>()(p2vPlanSchema),
  /** Every migration kept in the config folder, newest first (interrupted ones can be resumed). */
  'p2v.list': method<P2vJobView[]>()(noInput),
  /** Stops a running migration and rolls back what it created. */
  'p2v.cancel': method<P2vJobView>()(p2vJobRef),
  /** Continues an interrupted or failed-but-resumable migration from its first unfinished step. */
  'p2v.resume': method<P2vJobView>()(p2vJobRef),
  /** Forgets an ended migration (its record; nothing on the cluster). */
  'p2v.forget': method<{ forgotten: boolean }>()(p2vJobRef),
  /** One step of the Windows switch from SATA to a virtio bus, then a check of the VM's config. */
  'p2v.windowsSwitch': method<WindowsSwitchResult>()(
    z.object({ ...nodeRef, vmid: vmidSchema, step: z.enum(windowsSwitchSteps), bus: z.enum(virtioBuses), temporaryStorage: storageIdSchema }).strict(),
  ),
} as const;

export interface P2vEvents {
  /** One migration's new state (steps, transfer figures, created and cleaned artifacts). */
  'p2v.changed': P2vJobView;
}
export const p2vEventNames = ['p2v.changed'] as const satisfies readonly (keyof P2vEvents)[];
