import { z } from 'zod';
import { imageFormats, type ImageFormat, type TargetFormat } from '../../../../shared/domain/p2v';
import { IpcError } from '../../../../shared/ipc/errors';
import type { Sentence } from '../../../../shared/text/sentence';
import { describeImage, imageSpec, type ImageRef } from './image-ref';
import { runOnNode, type NodeShell } from './node-command';
import { shellCommand } from './shell-quote';

/** `qemu-img info --output=json`, the fields P2V reads (qemu adds others as it grows). */
const infoSchema = z.object({
  format: z.string(),
  'virtual-size': z.number().int().nonnegative(),
  'actual-size': z.number().int().nonnegative().optional(),
  'backing-filename': z.string().optional(),
  'dirty-flag': z.boolean().optional(),
  'format-specific': z.object({ type: z.string(), data: z.record(z.string(), z.unknown()).optional() }).optional(),
});

export interface QemuImgInfo {
  format: ImageFormat;
  virtualSize: number;
  /** Bytes the image takes on its storage (absent over NBD, where qemu cannot tell). */
  actualSize?: number;
  /** A VMDK's `create-type` (monolithicSparse, streamOptimized, twoGbMaxExtentSparse…). */
  vmdkCreateType?: string;
  backingFile?: string;
  /** Set when the image was not closed cleanly (qcow2 lazy refcounts, VHDX log). */
  dirty: boolean;
}

export interface QemuImgCheck {
  errors: number;
  leaks: number;
  corruptions: number;
}

export interface QemuImgMeasure {
  /** Bytes the converted image needs as the data stands. */
  required: number;
  /** Bytes it needs once the guest has written every block. */
  fullyAllocated: number;
}

function parseJson<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new IpcError('BAD_RESPONSE', {
      en: `${what} answered something that is not JSON; check the qemu-img installed on the node.`,
      fr: `${what} a répondu autre chose que du JSON ; vérifiez le qemu-img installé sur le nœud.`,
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]?.message;
    throw new IpcError('BAD_RESPONSE', {
      en: `${what} answered an unexpected JSON document (${issue ?? 'invalid'}).`,
      fr: `${what} a répondu par un document JSON inattendu (${issue ?? 'invalide'}).`,
    });
  }
  return parsed.data;
}

/** Reads `qemu-img info --output=json` (exported for its unit test). */
export function parseQemuImgInfo(text: string): QemuImgInfo {
  const info = parseJson(infoSchema, text, 'qemu-img info');
  const format = imageFormats.find((known) => known === info.format);
  if (format === undefined) {
    throw new IpcError('BAD_RESPONSE', {
      en: `qemu-img info reports the format "${info.format}", which P2V does not take.`,
      fr: `qemu-img info indique le format « ${info.format} », que P2V ne prend pas en charge.`,
    });
  }
  const createType = format === 'vmdk' ? info['format-specific']?.data?.['create-type'] : undefined;
  return {
    format,
    virtualSize: info['virtual-size'],
    ...(info['actual-size'] === undefined ? {} : { actualSize: info['actual-size'] }),
    ...(typeof createType === 'string' ? { vmdkCreateType: createType } : {}),
    ...(info['backing-filename'] === undefined ? {} : { backingFile: info['backing-filename'] }),
    dirty: info['dirty-flag'] ?? false,
  };
}

/** What to check when qemu-img cannot open an image. */
function isImageHint(image: ImageRef): Sentence {
  const named = describeImage(image);
  return { en: `Check that ${named.en} is a ${image.format} image.`, fr: `Vérifiez que ${named.fr} est bien une image ${image.format}.` };
}

/** What qemu-img says about an image, opened with its named format (never probed). */
export async function qemuImgInfo(ssh: NodeShell, image: ImageRef, signal?: AbortSignal): Promise<QemuImgInfo> {
  const command = shellCommand(['qemu-img', 'info', '--output=json', imageSpec(image)]);
  const { stdout } = await runOnNode(ssh, 'qemu-img info', command, {
    ...(signal === undefined ? {} : { signal }),
    hint: isImageHint(image),
  });
  return parseQemuImgInfo(stdout);
}

/** `qemu-img check --output=json` (exit 0 clean, 2 corrupted, 3 leaked clusters: all carry the report). */
const checkSchema = z.object({
  'check-errors': z.number().int().nonnegative(),
  leaks: z.number().int().nonnegative().optional(),
  corruptions: z.number().int().nonnegative().optional(),
});

/** Reads `qemu-img check --output=json` (exported for its unit test). */
export function parseQemuImgCheck(text: string): QemuImgCheck {
  const check = parseJson(checkSchema, text, 'qemu-img check');
  return { errors: check['check-errors'], leaks: check.leaks ?? 0, corruptions: check.corruptions ?? 0 };
}

/** qemu-img check's exit code for "this format has no check" (raw, vpc). */
const NO_CHECK = 63;

/** `qemu-img check` of an image; undefined for formats without a check (raw, vpc). Never repairs. */
export async function qemuImgCheck(ssh: NodeShell, image: ImageRef, signal?: AbortSignal): Promise<QemuImgCheck | undefined> {
  if (image.format === 'raw' || image.format === 'vpc') return undefined;
  const command = shellCommand(['qemu-img', 'check', '--output=json', imageSpec(image)]);
  const result = await runOnNode(ssh, 'qemu-img check', command, {
    ...(signal === undefined ? {} : { signal }),
    okExitCodes: [0, 2, 3, NO_CHECK],
    hint: isImageHint(image),
  });
  return result.exitCode === NO_CHECK ? undefined : parseQemuImgCheck(result.stdout);
}

const measureSchema = z.object({ required: z.number().int().nonnegative(), 'fully-allocated': z.number().int().nonnegative() });

/** Reads `qemu-img measure --output=json` (exported for its unit test). */
export function parseQemuImgMeasure(text: string): QemuImgMeasure {
  const measure = parseJson(measureSchema, text, 'qemu-img measure');
  return { required: measure.required, fullyAllocated: measure['fully-allocated'] };
}

/** Space the image needs once converted to `targetFormat` (`qemu-img measure`). */
export async function qemuImgMeasure(ssh: NodeShell, image: ImageRef, targetFormat: TargetFormat, signal?: AbortSignal): Promise<QemuImgMeasure> {
  const command = shellCommand(['qemu-img', 'measure', '--output=json', '-O', targetFormat, imageSpec(image)]);
  const { stdout } = await runOnNode(ssh, 'qemu-img measure', command, signal === undefined ? {} : { signal });
  return parseQemuImgMeasure(stdout);
}
