/** Schema of pve-manager's `GET /cluster/backup` (PVE/API2/Backup.pm `index`): vzdump's options of each job. */
import { z } from 'zod';
import { pveBoolean } from './values';

/** One job as `jobs.cfg` keeps it; `vmid` is a comma list, `prune-backups` a property string (`keep-last=2,keep-weekly=4`). */
export const backupJobData = z
  .object({
    id: z.string(),
    type: z.string().optional(),
    enabled: pveBoolean.optional(),
    schedule: z.string().optional(),
    node: z.string().optional(),
    storage: z.string().optional(),
    mode: z.string().optional(),
    compress: z.union([z.string(), z.number()]).optional(),
    all: pveBoolean.optional(),
    exclude: z.string().optional(),
    vmid: z.string().optional(),
    pool: z.string().optional(),
    'prune-backups': z.union([z.string(), z.record(z.string(), z.union([z.string(), z.number()]))]).optional(),
    comment: z.string().optional(),
    'notes-template': z.string().optional(),
  })
  .passthrough();
export type BackupJobEntry = z.infer<typeof backupJobData>;
export const backupJobListData = z.array(backupJobData);
