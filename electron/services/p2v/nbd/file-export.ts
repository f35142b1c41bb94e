import { createHash, webcrypto } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { DescribedError } from '../../../../shared/text/sentence';
import { BLOCK_SIZE, BlockMap } from './block-map';

const ZEROES = Buffer.alloc(BLOCK_SIZE);

/**
 * What is known of recently served files' blocks, by file identity: the inspection's export scans the whole disk for
 * qemu-img measure, and the migration's export that follows would read it all again to answer the same block
 * status. A write to the file changes its mtime (or size), and so its identity: a changed file is scanned afresh.
 */
const knownMaps = new Map<string, BlockMap>();
/** Files remembered at once: a wizard serves one image at a time; two bits per MiB each. */
const KNOWN_MAPS_KEPT = 4;

function blockMapOf(identity: string, blocks: number): BlockMap {
  let map = knownMaps.get(identity);
  // Deleted and set again: the Map's order is then the order of use, the oldest first.
  knownMaps.delete(identity);
  map ??= new BlockMap(blocks);
  knownMaps.set(identity, map);
  for (const oldest of knownMaps.keys()) {
    if (knownMaps.size <= KNOWN_MAPS_KEPT) break;
    knownMaps.delete(oldest);
  }
  return map;
}

/**
 * One piece of a block as a read serves it: a run of zeroes (not read again once known) or the bytes, in a buffer the
 * export reuses once `release` is called (when the bytes are sent or hashed; a piece never released is only garbage).
 */
export type BlockPiece = { zero: true } | { zero: false; data: Buffer; release(): void };

/**
 * Block buffers an export keeps for reuse: what a connection has in flight (its stream's high-water mark, the piece
 * held back for the DONE flag) and the digest's block. Each block read used to get a fresh 1 MiB buffer, and that
 * much memory outside V8's heap, allocated at the copy's pace, made V8 run a full collection of main's heap every
 * few dozen megabytes: a third of the process's time during a transfer (perf, `npm run bench` P2V).
 */
const BUFFERS_KEPT = 8;
/** Block reads at once while learning which blocks are zero: a disk and every core kept busy, not one block after another. */
const SCAN_READS = 4;

/**
 * A workstation file opened read-only: its size, its bytes, and which 1 MiB
 * blocks are all zero (learnt by reading each block the first time it is
 * asked about, by this export or an earlier one of the same unchanged file,
 * so a sparse or zero-filled image sends only its data).
 */
export class FileExport {
  /** OFFSET_DATA payload bytes sent to clients: what crossed the wire as data. */
  sentBytes = 0;
  private readonly map: BlockMap;
  /** Free block buffers; taken for a read and given back by its piece's `release` (an empty list allocates). */
  private readonly buffers: Buffer[] = [];

  private constructor(
    private readonly file: FileHandle,
    readonly size: number,
    identity: string,
  ) {
    this.map = blockMapOf(identity, Math.ceil(size / BLOCK_SIZE));
  }

  static async open(path: string): Promise<FileExport> {
    const file = await open(path, 'r');
    try {
      const stats = await file.stat();
      if (!stats.isFile()) throw new DescribedError({ en: `${path} is not a regular file`, fr: `${path} n’est pas un fichier ordinaire` });
      return new FileExport(file, stats.size, `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** Bytes `from`..`to` (relative to the block's start) of block `index`, or "zero" for an all-zero block. */
  async readPiece(index: number, from: number, to: number): Promise<BlockPiece> {
    const start = index * BLOCK_SIZE;
    const known = this.map.isZero(index);
    if (known === true) return { zero: true };
    const buffer = this.takeBuffer();
    let released = false;
    // Once only: a buffer given back twice would be lent to two reads at once.
    const release = (): void => {
      if (released) return;
      released = true;
      this.giveBack(buffer);
    };
    try {
      if (known === false) {
        const data = buffer.subarray(0, to - from);
        await this.readInto(data, start + from);
        return { zero: false, data, release };
      }
      const { block, zero } = await this.readWholeBlock(buffer, index);
      if (!zero) return { zero: false, data: block.subarray(from, to), release };
    } catch (error) {
      release();
      throw error;
    }
    release();
    return { zero: true };
  }

  /** Whether block `index` is all zero (read once, then remembered). */
  async isZeroBlock(index: number): Promise<boolean> {
    const known = this.map.isZero(index);
    if (known !== undefined) return known;
    // Only the answer is kept: a fresh 1 MiB per block (its pages faulted in anew each time) cost more than reading it.
    const buffer = this.takeBuffer();
    try {
      return (await this.readWholeBlock(buffer, index)).zero;
    } finally {
      this.giveBack(buffer);
    }
  }

  /** Reads block `index` whole into `buffer` and remembers whether it is all zero. */
  private async readWholeBlock(buffer: Buffer, index: number): Promise<{ block: Buffer; zero: boolean }> {
    const start = index * BLOCK_SIZE;
    const block = buffer.subarray(0, Math.min(BLOCK_SIZE, this.size - start));
    await this.readInto(block, start);
    const zero = isAllZero(block);
    this.map.remember(index, zero);
    return { block, zero };
  }

  /** Learns, `SCAN_READS` at a time, which of blocks `first`…`last` are all zero; stops at the first failed read. */
  async learnBlocks(first: number, last: number): Promise<void> {
    let next = first;
    let failed = false;
    const reader = async (): Promise<void> => {
      while (next <= last && !failed) {
        const index = next++;
        try {
          await this.isZeroBlock(index);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: SCAN_READS }, reader));
  }

  /**
   * The "sha256-blocks" digest of `length` bytes from `offset`, which the
   * node computes the same way over the staged raw copy to prove the two equal
   * (node/staging-digest.ts):
   *
   * - the range is cut at absolute multiples of 1 MiB into blocks; block
   *   index = floor(absolute byte offset / 1 MiB); the first and last block
   *   may be short when the range does not start or end on a boundary;
   * - a block whose bytes (within the range) are all zero contributes nothing;
   * - any other block contributes the line `${index}:${sha256 hex of its bytes}\n`
   *   (decimal index, lowercase hex);
   * - the digest is the lowercase sha256 hex of all lines concatenated in
   *   block order (an all-zero range hashes the empty string).
   *
   * `signal` stops it between two blocks.
   */
  async rangeDigest(offset: number, length: number, signal?: AbortSignal): Promise<string> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`the digest range ${offset}+${length} passes the end of the file (${this.size} bytes)`);
    }
    const digest = createHash('sha256');
    const end = offset + length;
    for (let at = offset; at < end;) {
      signal?.throwIfAborted();
      const index = Math.floor(at / BLOCK_SIZE);
      const blockStart = index * BLOCK_SIZE;
      const to = Math.min(end, blockStart + BLOCK_SIZE);
      const piece = await this.readPiece(index, at - blockStart, to - blockStart);
      // A range cut inside a block may leave only its zero bytes: the piece itself is judged.
      if (!piece.zero) {
        try {
          if (!isAllZero(piece.data)) digest.update(`${index}:${await blockSha256(piece.data)}\n`);
        } finally {
          piece.release();
        }
      }
      at = to;
    }
    return digest.digest('hex');
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  private takeBuffer(): Buffer {
    return this.buffers.pop() ?? Buffer.allocUnsafe(BLOCK_SIZE);
  }

  private giveBack(buffer: Buffer): void {
    if (this.buffers.length < BUFFERS_KEPT) this.buffers.push(buffer);
  }

  /** Fills `buffer` with the file's bytes from `position`. */
  private async readInto(buffer: Buffer, position: number): Promise<void> {
    for (let done = 0; done < buffer.length;) {
      const { bytesRead } = await this.file.read(buffer, done, buffer.length - done, position + done);
      if (bytesRead === 0) {
        throw new DescribedError({
          en: `the file ended at ${position + done} bytes while ${this.size} were expected: it changed while it was served`,
          fr: `le fichier s’est terminé à ${position + done} octets alors que ${this.size} étaient attendus : il a changé pendant qu’il était servi`,
        });
      }
      done += bytesRead;
    }
  }
}

/**
 * WebCrypto's digest, which Node computes on its thread pool: the digest made during a copy then leaves main's event
 * loop free to answer the node's reads (hashing 1 MiB on it held every request back for as long).
 */
async function blockSha256(data: Buffer): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', data)).toString('hex');
}

function isAllZero(data: Buffer): boolean {
  return data.equals(ZEROES.subarray(0, data.length));
}
