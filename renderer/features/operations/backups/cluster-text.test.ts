import { describe, expect, it } from 'vitest';
import { formatUnixTime, oneLine } from './cluster-text';

describe('cluster text', () => {
  it('writes times to the second, so two backups of the same minute read apart', () => {
    const first = formatUnixTime(1_796_205_423, 'en');
    const second = formatUnixTime(1_796_205_441, 'en');
    expect(first).not.toBe(second);
    expect(first).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    expect(formatUnixTime(undefined, 'fr')).toBeUndefined();
  });

  it('puts notes on one line', () => {
    expect(oneLine('a\n\n  b\tc', 40)).toBe('a b c');
  });
});
