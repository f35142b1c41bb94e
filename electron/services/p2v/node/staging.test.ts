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
});
