/**
 * What is kept of one migration in `<configDir>/p2v/<id>.json`: the view the wizard shows, and the engine's own
 * working state (where the work dir is, what the inspection found) that a resumed run needs and IPC never carries.
 */
import { z } from 'zod';
import type { JobTitle } from '../../../../shared/domain/jobs';
import {
  firmwares,
  imageFormats,
  p2vStates,
  p2vStepIds,
  targetFormats,
  type ImageInspection,
  type P2vJobView,
  type P2vPlan,
  type P2vReport,
} from '../../../../shared/domain/p2v';
import { p2vPlanSchema } from '../../../../shared/ipc/contract/p2v';
import { translationsSchema } from '../../../../shared/text/sentence';

export interface P2vWorkState {
  /** The job's folder on the target node; every temporary file lives in it. */
  workDir?: string;
  /** The raw file the source is converted into before the import (in the work dir). */
  stagingPath?: string;
  /** A node-local copy or location of the source (uploaded VMDK extents, a node-import volume's path). */
  nodeSourcePath?: string;
  inspection?: ImageInspection;
  /** The VM's disk: the volume `qm disk import` created, or the one allocated to convert the source into in place. */
  importedVolid?: string;
  /**
   * Where the source is converted in place (a qcow2 volume PVE allocated), instead of staged and imported; and
   * whether an interrupted copy into it can resume (its map tells written data from preallocated zeros).
   */
  inPlace?: { path: string; resumable: boolean };
  verification?: P2vReport['verification'];
  /** The workstation's sha256-blocks digest of a raw source, made during the copy. */
  sourceDigest?: string;
  /** Wire bytes of the runs before this one (the current run adds its own). */
  wireBytesBefore: number;
  warnings: string[];
}

export interface P2vJobRecord {
  view: P2vJobView;
  work: P2vWorkState;
}

const titleSchema: z.ZodType<JobTitle> = z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() });
const isoDate = z.string().min(1);
const bytes = z.number().int().min(0);

const inspectionSchema: z.ZodType<ImageInspection> = z.object({
  format: z.enum(imageFormats),
  virtualSize: bytes,
  allocatedSize: bytes.optional(),
  vmdkSubformat: z.string().optional(),
  backingFile: z.string().optional(),
  partitionTable: z.enum(['gpt', 'mbr', 'none']),
  firmwareProposal: z.enum(firmwares),
  check: z.object({ errors: bytes, leaks: bytes, corruptions: bytes }).optional(),
  measure: z.record(z.enum(targetFormats), z.object({ required: bytes, fullyAllocated: bytes })),
  warnings: z.array(titleSchema),
});

const artifactSchema = z.object({
  kind: z.enum(['node-file', 'vm', 'volume', 'ssh-key', 'lvm-snapshot']),
  ref: z.string().min(1),
  node: z.string().optional(),
});

const verificationSchema: z.ZodType<P2vReport['verification']> = z.union([
  z.object({ method: z.literal('sha256-blocks'), source: z.string(), target: z.string() }),
  z.object({ method: z.literal('qemu-img-compare'), identical: z.literal(true) }),
]);

const reportSchema: z.ZodType<P2vReport> = z.object({
  startedAt: isoDate,
  endedAt: isoDate,
  source: z.string(),
  vm: z.object({ profileId: z.string(), node: z.string(), vmid: z.number().int(), name: z.string() }),
  steps: z.array(z.object({ id: z.enum(p2vStepIds), seconds: z.number().min(0), bytes: bytes.optional(), bytesPerSecond: z.number().min(0).optional() })),
  verification: verificationSchema,
  wireBytes: bytes,
  warnings: z.array(z.string()),
});

const viewSchema: z.ZodType<P2vJobView> = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  // The plan was checked when the job started; reading it back checks the file was not damaged since.
  plan: p2vPlanSchema as unknown as z.ZodType<P2vPlan>,
  state: z.enum(p2vStates),
  steps: z.array(
    z.object({
      id: z.enum(p2vStepIds),
      state: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
      startedAt: isoDate.optional(),
      endedAt: isoDate.optional(),
      bytes: bytes.optional(),
      detail: titleSchema.optional(),
    }),
  ),
  jobId: z.string().optional(),
  transfer: z.object({ segments: bytes, segmentsDone: bytes, allocatedBytes: bytes, wireBytes: bytes }).optional(),
  created: z.array(artifactSchema),
  cleaned: z.array(artifactSchema),
  error: z.string().optional(),
  errorTranslations: translationsSchema.optional(),
  report: reportSchema.optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const jobRecordSchema: z.ZodType<P2vJobRecord> = z.object({
  view: viewSchema,
  work: z.object({
    workDir: z.string().optional(),
    stagingPath: z.string().optional(),
    nodeSourcePath: z.string().optional(),
    inspection: inspectionSchema.optional(),
    importedVolid: z.string().optional(),
    inPlace: z.object({ path: z.string().min(1), resumable: z.boolean() }).optional(),
    verification: verificationSchema.optional(),
    sourceDigest: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    wireBytesBefore: bytes,
    warnings: z.array(z.string()),
  }),
});

/** A new migration: every step pending, nothing created yet. */
export function newJobRecord(id: string, plan: P2vPlan, now: Date): P2vJobRecord {
  const at = now.toISOString();
  return {
    view: {
      id,
      plan,
      state: 'running',
      steps: p2vStepIds.map((step) => ({ id: step, state: 'pending' })),
      created: [],
      cleaned: [],
      createdAt: at,
      updatedAt: at,
    },
    work: { wireBytesBefore: 0, warnings: [] },
  };
}
