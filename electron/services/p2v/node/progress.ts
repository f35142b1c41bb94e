import { StringDecoder } from 'node:string_decoder';

/** qemu-img's `-p` progress: `    (12.34/100%)` ended by `\r`, on stdout even without a terminal. */
const QEMU_IMG_PROGRESS = /\((\d+(?:\.\d+)?)\/100%\)/;
/** qemu-server's import progress (`qm disk import`): `transferred 1.0 GiB of 4.0 GiB (25.00%)`. */
const QM_IMPORT_PROGRESS = /^transferred .* \((\d+(?:\.\d+)?)%\)$/;

/** The percentage a qemu-img `-p` or `qm disk import` progress line shows, as a fraction; undefined for other lines. */
export function progressFraction(line: string): number | undefined {
  const match = QEMU_IMG_PROGRESS.exec(line) ?? QM_IMPORT_PROGRESS.exec(line.trim());
  if (match?.[1] === undefined) return undefined;
  return Math.min(1, Math.max(0, Number(match[1]) / 100));
}

/**
 * Splits streamed output into lines at `\r` and `\n` (a line split across
 * chunks is joined first) and hands each to `onLine`.
 */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string | Buffer): void; end(): void } {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emit = (text: string): void => {
    const parts = (pending + text).split(/[\r\n]/);
    pending = parts.pop() ?? '';
    for (const part of parts) if (part !== '') onLine(part);
  };
  return {
    push: (chunk) => emit(typeof chunk === 'string' ? chunk : decoder.write(chunk)),
    end() {
      emit(decoder.end() + '\n');
    },
  };
}
