import { describe, expect, it } from 'vitest';
import { lineSplitter, progressFraction } from './progress';

describe('progress', () => {
  it("reads qemu-img -p's and qm disk import's percentages", () => {
    expect(progressFraction('    (12.50/100%)')).toBe(0.125);
    expect(progressFraction('    (100.00/100%)')).toBe(1);
    expect(progressFraction('transferred 1.0 GiB of 4.0 GiB (25.00%)')).toBe(0.25);
    expect(progressFraction("importing disk '/x' to VM 100 ...")).toBeUndefined();
  });

  it('splits at \\r and \\n and joins a line cut between chunks', () => {
    const lines: string[] = [];
    const split = lineSplitter((line) => lines.push(line));
    split.push('    (0.00/100%)\r    (50');
    split.push('.00/100%)\r');
    split.push(Buffer.from('last\n\ntail'));
    split.end();
    expect(lines).toEqual(['    (0.00/100%)', '    (50.00/100%)', 'last', 'tail']);
  });
});
