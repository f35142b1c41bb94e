/**
 * Copies a block device of the source into the node's raw staging file, segment by segment from an offset, by one
 * of two routes: `direct` (the node runs OpenSSH to the source and pipes `dd` into `dd`) or `workstation` (the
 * source's `dd` output flows through this process into the node's `dd`, with back-pressure both ways). Writes go in
 * order and skip zero blocks (`conv=sparse`), so an interrupted copy resumes from the staging file's last data
 * extent; each segment is made durable (`fsync`) before the next starts.
 */
import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import { IpcError } from '../../../../shared/ipc/errors';
import type { Sentence } from '../../../../shared/text/sentence';
import { shellCommand, shellQuote, type NodeShell } from '../node';
import type { SourceShell } from './source-command';
import { nodeSshCommand, type SourceEndpoint } from './temporary-key';

const MiB = 1024 * 1024;
/** One segment: long enough that a connection per segment costs nothing, short enough to bound a lost one. */
export const SEGMENT_BYTES = 256 * MiB;

export interface Segment {
  offset: number;
  length: number;
}

/** The segments from `fromOffset` (rounded down to 1 MiB) to `size`. */
export function segmentsFrom(fromOffset: number, size: number, segmentBytes = SEGMENT_BYTES): Segment[] {
  const segments: Segment[] = [];
  for (let offset = Math.floor(Math.max(0, fromOffset) / MiB) * MiB; offset < size; offset += segmentBytes) {
    segments.push({ offset, length: Math.min(segmentBytes, size - offset) });
  }
  return segments;
}

/** The source's read of one segment (GNU dd: byte offsets with `skip_bytes,count_bytes`). */
export function readSegmentCommand(device: string, segment: Segment): string {
  return shellCommand(['dd', `if=${device}`, 'iflag=skip_bytes,count_bytes', `skip=${segment.offset}`, `count=${segment.length}`, 'bs=1M', 'status=none']);
}

/** The node's write of one segment into the staging file: zero blocks skipped, nothing truncated, synced at the end. */
export function writeSegmentCommand(staging: string, segment: Segment, progress: boolean): string {
  return shellCommand([
    'dd',
    `of=${staging}`,
    'conv=sparse,notrunc,fsync',
    'iflag=fullblock',
    'oflag=seek_bytes',
    `seek=${segment.offset}`,
    'bs=1M',
    progress ? 'status=progress' : 'status=none',
  ]);
}

/** The bytes GNU dd's `status=progress` last reported in `text` (`123456 bytes (123 kB, 121 KiB) copied, …`). */
export function lastProgressBytes(text: string): number | undefined {
  const matches = [...text.matchAll(/(\d+) bytes(?: \([^)]*\))? copied/g)];
  const last = matches.at(-1)?.[1];
  return last === undefined ? undefined : Number(last);
}

export type CopyRoute =
  | { kind: 'direct'; node: NodeShell; files: { key: string; knownHosts: string }; endpoint: SourceEndpoint }
  | { kind: 'workstation'; node: NodeShell; source: SourceShell };

export interface CopySegmentOptions {
  route: CopyRoute;
  device: string;
  staging: string;
  segment: Segment;
  signal: AbortSignal;
  /** Bytes of this segment copied so far. */
  onBytes: (copied: number) => void;
}

/** Copies one segment by its route; throws what failed, on which side, with the end of its stderr. */
export async function copySegment(options: CopySegmentOptions): Promise<void> {
  if (options.route.kind === 'direct') await copyDirect(options, options.route);
  else await copyThroughWorkstation(options, options.route);
}

async function copyDirect(options: CopySegmentOptions, route: Extract<CopyRoute, { kind: 'direct' }>): Promise<void> {
  const read = nodeSshCommand(route.files, route.endpoint, readSegmentCommand(options.device, options.segment));
  // pipefail: a failed read on the source (or a dropped connection) must fail the segment, not look like its end.
  // The pipeline runs in the background of a shell waiting for it, so a cancel (TERM to that shell) stops ssh and
  // dd at once: bash runs a trap only between commands, and `wait` is one.
  const pipeline = `(set -o pipefail; ${read} | ${writeSegmentCommand(options.staging, options.segment, true)}) & wait $!`;
  const command = `trap 'trap - TERM; kill 0' TERM; ${pipeline}`;
  let stderr = '';
  const result = await route.node.exec(`bash -c ${shellQuote(command)}`, {
    signal: options.signal,
    onStderr: (chunk) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4096);
      const copied = lastProgressBytes(stderr);
      if (copied !== undefined) options.onBytes(copied);
    },
  });
  if (result.exitCode !== 0)
    throw copyFailed(
      { en: 'The direct copy from the source to the node', fr: 'La copie directe de la source vers le nœud' },
      result.exitCode,
      stderr.replace(/\d+ bytes[^\r\n]*copied[^\r\n]*/g, ''),
    );
  options.onBytes(options.segment.length);
}

/** Counts the bytes passing through, for progress. */
class ByteCounter extends Transform {
  bytes = 0;
  constructor(private readonly onBytes: (bytes: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.onBytes(this.bytes);
    callback(null, chunk);
  }
}

async function copyThroughWorkstation(options: CopySegmentOptions, route: Extract<CopyRoute, { kind: 'workstation' }>): Promise<void> {
  // Either side failing stops the other: a writer that died would otherwise leave the reader blocked on back-pressure.
  const both = new AbortController();
  const stopBoth = (): void => both.abort();
  options.signal.addEventListener('abort', stopBoth, { once: true });
  const counter = new ByteCounter(options.onBytes);
  const pipe = new PassThrough({ highWaterMark: 4 * MiB });
  counter.pipe(pipe);
  let readError = '';
  let writeError = '';
  try {
    const writing = route.node.exec(writeSegmentCommand(options.staging, options.segment, false), {
      signal: both.signal,
      stdin: pipe,
      onStderr: (chunk) => (writeError = (writeError + chunk.toString('utf8')).slice(-4096)),
    });
    const reading = route.source
      .exec(readSegmentCommand(options.device, options.segment), {
        signal: both.signal,
        stdout: counter,
        onStderr: (chunk) => (readError = (readError + chunk.toString('utf8')).slice(-4096)),
      })
      .finally(() => counter.end());
    const [read, written] = await Promise.allSettled([
      reading.then((result) => {
        if (result.exitCode !== 0)
          throw copyFailed({ en: 'Reading the device on the source', fr: 'La lecture du périphérique sur la source' }, result.exitCode, readError);
      }),
      writing.then((result) => {
        if (result.exitCode !== 0) {
          throw copyFailed({ en: 'Writing the staging file on the node', fr: 'L’écriture du fichier intermédiaire sur le nœud' }, result.exitCode, writeError);
        }
      }),
    ]).then((settled) => {
      if (settled.some((outcome) => outcome.status === 'rejected')) stopBoth();
      return settled;
    });
    if (options.signal.aborted) throw new IpcError('CANCELLED', { en: 'The capture was cancelled.', fr: 'La copie a été annulée.' });
    // The side that failed first says why; the other was stopped because of it.
    const failure = [read, written].find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected' && !isCancel(outcome.reason));
    if (failure !== undefined) throw failure.reason;
    const other = [read, written].find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (other !== undefined) throw other.reason;
    if (counter.bytes !== options.segment.length) {
      throw new IpcError('SSH_FAILED', {
        en: `The source sent ${counter.bytes} bytes of a ${options.segment.length}-byte segment: the device may be shorter than it said.`,
        fr: `La source a envoyé ${counter.bytes} octets d’un segment de ${options.segment.length} octets : le périphérique est peut-être plus court qu’annoncé.`,
      });
    }
  } finally {
    options.signal.removeEventListener('abort', stopBoth);
  }
}

function isCancel(reason: unknown): boolean {
  return typeof reason === 'object' && reason !== null && (reason as { code?: unknown }).code === 'CANCELLED';
}

function copyFailed(what: Sentence, exitCode: number | null, stderr: string): IpcError {
  // What dd or ssh printed is their own text, the same in every language.
  const said = stderr
    .trim()
    .split(/[\r\n]+/)
    .slice(-3)
    .join(' / ');
  const saidEn = stderr.trim() === '' ? '' : `: ${said}`;
  const saidFr = stderr.trim() === '' ? '' : ` : ${said}`;
  const noSpace = /No space left on device|Disk quota exceeded/i.test(stderr);
  const how: Sentence =
    exitCode === null ? { en: 'was killed', fr: 'a échoué (processus tué)' } : { en: `failed (exit ${exitCode})`, fr: `a échoué (code de sortie ${exitCode})` };
  const advice: Sentence = noSpace
    ? {
        en: ' Free space on the node or choose another storage, then resume.',
        fr: ' Libérez de l’espace sur le nœud ou choisissez un autre stockage, puis reprenez la migration.',
      }
    : { en: ' Resume the migration to continue from where it stopped.', fr: ' Reprenez la migration pour continuer là où elle s’est arrêtée.' };
  return new IpcError(noSpace ? 'STORAGE_FAILED' : 'SSH_FAILED', {
    en: `${what.en} ${how.en}${saidEn}.${advice.en}`,
    fr: `${what.fr} ${how.fr}${saidFr}.${advice.fr}`,
  });
}
