import { describe, expect, it } from 'vitest';
import { parseCompare } from './compare';

describe('parseCompare', () => {
  it('reads identical, and the offset of the first difference', () => {
    expect(parseCompare(0, 'Images are identical.\n')).toEqual({ identical: true });
    expect(parseCompare(1, 'Content mismatch at offset 5242880!\n')).toEqual({ identical: false, firstDifference: 5242880 });
    expect(parseCompare(1, 'Image size mismatch!\n')).toEqual({ identical: false });
  });
});
