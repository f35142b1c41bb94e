/** The unit in which the export decides "zero or data", and in which the range digest hashes. */
export const BLOCK_SIZE = 1024 * 1024;

/**
 * What is known about each 1 MiB block of a file: unknown until read once,
 * then zero or data. Two bits a block, so a 1 TiB disk costs 256 KiB.
 */
export class BlockMap {
  private readonly known: Uint8Array;
  private readonly zero: Uint8Array;

  constructor(readonly blocks: number) {
    this.known = new Uint8Array(Math.ceil(blocks / 8));
    this.zero = new Uint8Array(Math.ceil(blocks / 8));
  }

  /** `true` all zero, `false` holds data, `undefined` not read yet. */
  isZero(index: number): boolean | undefined {
    const [byte, bit] = [index >> 3, 1 << (index & 7)];
    if (((this.known[byte] ?? 0) & bit) === 0) return undefined;
    return ((this.zero[byte] ?? 0) & bit) !== 0;
  }

  remember(index: number, isZero: boolean): void {
    const [byte, bit] = [index >> 3, 1 << (index & 7)];
    this.known[byte] = (this.known[byte] ?? 0) | bit;
    this.zero[byte] = isZero ? (this.zero[byte] ?? 0) | bit : (this.zero[byte] ?? 0) & ~bit;
  }
}
