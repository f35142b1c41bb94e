import { describe, expect, it } from 'vitest';
import { lastDataExtentEnd } from './staging';

describe('lastDataExtentEnd', () => {
  it('is the end of the last extent with data, 0 when there is none', () => {
    const map = [
      { start: 0, length: 5242880, depth: 0, present: true, zero: true, data: false, offset: 0 },
      { start: 5242880, length: 4096, depth: 0, present: true, zero: false, data: true, offset: 5242880 },
      { start: 5246976, length: 61861888, depth: 0, present: true, zero: true, data: false, offset: 5246976 },
    ];
    expect(lastDataExtentEnd(JSON.stringify(map))).toBe(5246976);
    expect(lastDataExtentEnd(JSON.stringify([map[0]]))).toBe(0);
    expect(() => lastDataExtentEnd('nope')).toThrow(/unexpected/);
  });

  it('does not count data that reads as zeros: the clusters of a qcow2 preallocated with its metadata', () => {
    const preallocated = [
      { start: 0, length: 1048576, depth: 0, present: true, zero: false, data: true, offset: 327680 },
      { start: 1048576, length: 66060288, depth: 0, present: true, zero: true, data: true, offset: 1376256 },
    ];
    expect(lastDataExtentEnd(JSON.stringify(preallocated))).toBe(1048576);
    expect(lastDataExtentEnd(JSON.stringify([preallocated[1]]))).toBe(0);
  });
});
