import { z } from 'zod';
import { profileIdSchema } from '../../domain/connections';
import { coresSchema, diskGiBSchema, memoryMiBSchema } from '../../domain/settings';
import type { JobView } from '../../domain/jobs';
import {
  backupCompressions,
  backupModes,
  diskBuses,
  diskFormats,
  haStates,
  nicModels,
  osTypes,
  rrdConsolidations,
  rrdTimeframes,
  type BackupJobView,
  type BackupView,
  type EvacuationPlan,
  type GuestConfigView,
  type HaResourceView,
  type MigrationCheck,
  type RrdSeries,
  type SnapshotView,
  type StorageView,
  type VolumeView,
} from '../../domain/operations';
import { nodeNameSchema, poolIdSchema, vmidSchema } from './inventory';
import { method } from './method';

/** PVE's `pve-storage-id` (pve-storage `parse_storage_id`). */
export const storageIdSchema = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i, 'must be a storage id');
/** A volume id `storage:name` (`local:iso/debian.iso`, `local:backup/vzdump-qemu-100-….vma.zst`). */
export const volumeIdSchema = z
  .string()
  .max(1024)
  .regex(/^[a-z][a-z0-9\-_.]*[a-z0-9]:[^\0\n\r]+$/i, 'must be a volume id');
/** qemu-server's `pve-snapshot-name`. */
export const snapshotNameSchema = z
  .string()
  .max(40)
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]+$/, 'must be a snapshot name');
/** A guest's name: pve-common's `dns-name` (qemu-server's `name`). */
export const guestNameSchema = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/, 'must be a DNS name');
/** A config key: `scsi0`, `net1`, `boot`, `unused2`… */
export const configKeySchema = z
  .string()
  .max(32)
  .regex(/^[a-z][a-z0-9_-]*$/, 'must be a config key');
/** A config value; no control characters but in `description`, checked in main. */
const configValueSchema = z.union([z.string().max(65_536), z.number().finite()]);
/** A disk's key (`scsi0`, `virtio1`, `efidisk0`…). */
const diskKeySchema = z.string().regex(/^(?:ide\d|sata\d|scsi\d{1,2}|virtio\d{1,2}|efidisk0|tpmstate0|unused\d{1,3})$/, 'must be a disk key');
const digestSchema = z.string().regex(/^[0-9a-f]{40,64}$/, 'must be a config digest');
const backupIdSchema = z
  .string()
  .max(50)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.\-:]*$/, 'must be a backup job id');
/** PVE's calendar event; checked by PVE, bounded here. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above; a comment may span lines
const controlCharactersButNewline = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/** PVE's calendar event; checked by PVE, bounded here. */
const calendarEventSchema = z
  .string()
  .min(1)
  .max(128)
  .refine((text) => !controlCharacters.test(text), 'must be one line');
const commentSchema = z
  .string()
  .max(4096)
  .refine((text) => !controlCharactersButNewline.test(text), 'must not contain control characters');

const clusterRef = { profileId: profileIdSchema };
const nodeRef = { profileId: profileIdSchema, node: nodeNameSchema };
const guestRef = { profileId: profileIdSchema, node: nodeNameSchema, vmid: vmidSchema };

const retentionSchema = z
  .object({
    keepLast: z.number().int().min(1).max(1000).optional(),
    keepHourly: z.number().int().min(1).max(1000).optional(),
    keepDaily: z.number().int().min(1).max(1000).optional(),
    keepWeekly: z.number().int().min(1).max(1000).optional(),
    keepMonthly: z.number().int().min(1).max(1000).optional(),
    keepYearly: z.number().int().min(1).max(1000).optional(),
    keepAll: z.boolean().optional(),
  })
  .strict();

const backupSelectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all'), exclude: z.array(vmidSchema).max(5000) }).strict(),
  z.object({ kind: z.literal('guests'), vmids: z.array(vmidSchema).min(1).max(5000) }).strict(),
  z.object({ kind: z.literal('pool'), pool: poolIdSchema }).strict(),
]);

const backupJobSchema = z
  .object({
    id: backupIdSchema.optional(),
    enabled: z.boolean(),
    schedule: calendarEventSchema,
    node: nodeNameSchema.optional(),
    storage: storageIdSchema,
    mode: z.enum(backupModes),
    compress: z.enum(backupCompressions),
    selection: backupSelectionSchema,
    retention: retentionSchema.optional(),
    comment: commentSchema.optional(),
    notesTemplate: commentSchema.optional(),
  })
  .strict();

/** Most guests one evacuation may move. */
export const maxEvacuationMoves = 500;

export const operationsMethods = {
  // Reads for the dialogs.
  /** A free VMID (`GET /cluster/nextid`). */
  'operations.nextVmid': method<number>()(z.object(clusterRef).strict()),
  /** A node's storages (`GET /nodes/{node}/storage`), only those with `content` when given. */
  'operations.storages': method<StorageView[]>()(z.object({ ...nodeRef, content: z.enum(['images', 'iso', 'backup', 'import']).optional() }).strict()),
  /** A storage's volumes of one content type, of one guest when `vmid` is given. */
  'operations.volumes': method<VolumeView[]>()(
    z.object({ ...nodeRef, storage: storageIdSchema, content: z.enum(['images', 'iso', 'backup', 'import']), vmid: vmidSchema.optional() }).strict(),
  ),
  /** The bridges a NIC can join (`GET /nodes/{node}/network?type=any_bridge`). */
  'operations.bridges': method<string[]>()(z.object(nodeRef).strict()),

  // Create, clone, delete.
  'operations.create': method<JobView>()(
    z
      .object({
        ...nodeRef,
        vmid: vmidSchema,
        name: guestNameSchema,
        ostype: z.enum(osTypes),
        iso: volumeIdSchema.optional(),
        sockets: z.number().int().min(1).max(4),
        cores: coresSchema,
        memory: memoryMiBSchema,
        balloon: z
          .number()
          .int()
          .min(0)
          .max(4 * 1024 * 1024)
          .optional(),
        disk: z
          .object({
            bus: z.enum(diskBuses),
            storage: storageIdSchema,
            sizeGiB: diskGiBSchema,
            format: z.enum(diskFormats).optional(),
          })
          .strict(),
        nic: z.object({ model: z.enum(nicModels), bridge: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/, 'must be a bridge name') }).strict(),
        agent: z.boolean(),
        start: z.boolean(),
        pool: poolIdSchema.optional(),
      })
      .strict(),
  ),
  'operations.clone': method<JobView>()(
    z
      .object({
        ...guestRef,
        newid: vmidSchema,
        name: guestNameSchema,
        target: nodeNameSchema.optional(),
        full: z.boolean(),
        storage: storageIdSchema.optional(),
        format: z.enum(diskFormats).optional(),
        pool: poolIdSchema.optional(),
      })
      .strict(),
  ),
  /** Destroys a stopped guest; `purge` also removes it from backup jobs, HA and replication. */
  'operations.destroy': method<JobView>()(z.object({ ...guestRef, purge: z.boolean(), destroyUnreferencedDisks: z.boolean() }).strict()),

  // Hardware and options.
  /** The config with its pending changes and digest (`GET .../pending` + `.../config`). */
  'operations.config': method<GuestConfigView>()(z.object(guestRef).strict()),
  /**
   * Changes the config (`POST .../config`, a `qmconfig` task) with the digest read before: a concurrent
   * edit is refused with `CONFLICT` and nothing is written.
   */
  'operations.updateConfig': method<JobView>()(
    z
      .object({
        ...guestRef,
        digest: digestSchema,
        set: z.record(configKeySchema, configValueSchema).refine((set) => Object.keys(set).length <= 64, 'at most 64 keys'),
        delete: z.array(configKeySchema).max(64),
        revert: z.array(configKeySchema).max(64),
      })
      .strict(),
  ),
  /** Grows a disk to `size` bytes (PVE refuses to shrink). */
  'operations.resizeDisk': method<JobView>()(
    z
      .object({
        ...guestRef,
        disk: diskKeySchema,
        size: z
          .number()
          .int()
          .min(1)
          .max(2 ** 50),
        digest: digestSchema.optional(),
      })
      .strict(),
  ),
  'operations.moveDisk': method<JobView>()(
    z
      .object({
        ...guestRef,
        disk: diskKeySchema,
        storage: storageIdSchema,
        format: z.enum(diskFormats).optional(),
        deleteSource: z.boolean(),
        digest: digestSchema.optional(),
      })
      .strict(),
  ),

  // Snapshots.
  'operations.snapshots': method<SnapshotView[]>()(z.object(guestRef).strict()),
  'operations.createSnapshot': method<JobView>()(
    z.object({ ...guestRef, name: snapshotNameSchema, description: commentSchema.optional(), vmstate: z.boolean() }).strict(),
  ),
  'operations.rollbackSnapshot': method<JobView>()(z.object({ ...guestRef, name: snapshotNameSchema, start: z.boolean() }).strict()),
  'operations.deleteSnapshot': method<JobView>()(z.object({ ...guestRef, name: snapshotNameSchema }).strict()),

  // Backups.
  /** Backups on the node's backup storages: of one guest with `vmid`, of one storage with `storage`. */
  'operations.backups': method<BackupView[]>()(z.object({ ...nodeRef, vmid: vmidSchema.optional(), storage: storageIdSchema.optional() }).strict()),
  'operations.backupNow': method<JobView>()(
    z
      .object({
        ...guestRef,
        storage: storageIdSchema,
        mode: z.enum(backupModes),
        compress: z.enum(backupCompressions),
        notes: commentSchema.optional(),
        protected: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Restores an archive to `vmid`; `force` overwrites an existing guest (stopped) of that id. */
  'operations.restore': method<JobView>()(
    z
      .object({
        ...nodeRef,
        archive: volumeIdSchema,
        vmid: vmidSchema,
        storage: storageIdSchema.optional(),
        force: z.boolean(),
        unique: z.boolean(),
        start: z.boolean(),
      })
      .strict(),
  ),
  /** Deletes a volume (a backup archive, an ISO); a job when PVE answers a task, else ended at once. */
  'operations.deleteVolume': method<JobView>()(z.object({ ...nodeRef, volume: volumeIdSchema }).strict()),

  // Backup jobs.
  'operations.backupJobs': method<BackupJobView[]>()(z.object(clusterRef).strict()),
  /** Creates (no `id` or a new one) or replaces a job. */
  'operations.saveBackupJob': method<BackupJobView>()(z.object({ ...clusterRef, job: backupJobSchema, create: z.boolean() }).strict()),
  'operations.deleteBackupJob': method<null>()(z.object({ ...clusterRef, id: backupIdSchema }).strict()),
  /** Runs a job now as PVE's web UI does: `POST /nodes/{node}/vzdump` with its options on each node it covers. */
  'operations.runBackupJob': method<JobView[]>()(z.object({ ...clusterRef, id: backupIdSchema }).strict()),

  // Migration.
  'operations.migrationCheck': method<MigrationCheck>()(z.object(guestRef).strict()),
  'operations.migrate': method<JobView>()(
    z.object({ ...guestRef, target: nodeNameSchema, online: z.boolean(), withLocalDisks: z.boolean(), targetStorage: storageIdSchema.optional() }).strict(),
  ),
  /** Where each guest of a node would go, balancing memory over the other online nodes. */
  'operations.evacuationPlan': method<EvacuationPlan>()(z.object(nodeRef).strict()),
  /** Migrates the listed guests off `node`: one job for the whole, each migration a job of its own. */
  'operations.evacuate': method<JobView>()(
    z
      .object({
        ...nodeRef,
        moves: z
          .array(z.object({ vmid: vmidSchema, target: nodeNameSchema }).strict())
          .min(1)
          .max(maxEvacuationMoves),
      })
      .strict(),
  ),

  // HA.
  /** The guest's HA resource, null when HA does not manage it. */
  'operations.haResource': method<HaResourceView | null>()(z.object({ ...clusterRef, vmid: vmidSchema }).strict()),
  'operations.setHa': method<HaResourceView>()(
    z
      .object({
        ...clusterRef,
        vmid: vmidSchema,
        state: z.enum(haStates),
        group: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9\-_]+$/)
          .max(128)
          .optional(),
        maxRestart: z.number().int().min(0).max(10),
        maxRelocate: z.number().int().min(0).max(10),
        comment: commentSchema.optional(),
        create: z.boolean(),
        digest: digestSchema.optional(),
      })
      .strict(),
  ),
  'operations.removeHa': method<null>()(z.object({ ...clusterRef, vmid: vmidSchema }).strict()),

  // Graphs.
  /** RRD rows of a guest (with `vmid`) or a node. */
  'operations.rrd': method<RrdSeries>()(
    z.object({ ...nodeRef, vmid: vmidSchema.optional(), timeframe: z.enum(rrdTimeframes), cf: z.enum(rrdConsolidations) }).strict(),
  ),
} as const;
