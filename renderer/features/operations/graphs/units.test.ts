import { describe, expect, it } from 'vitest';
import { formatTick, formatValue, tickIncrements, valueRange } from './units';

describe('formatValue', () => {
  it('writes sizes in binary units and rates per second, in the reader’s language', () => {
    expect(formatValue(1536 * 1024 ** 2, 'bytes', 'en')).toBe('1.5\u00a0GiB');
    expect(formatValue(1536 * 1024 ** 2, 'bytes', 'fr')).toBe('1,5\u00a0Gio');
    expect(formatValue(200 * 1024, 'bytesPerSecond', 'en')).toBe('200\u00a0KiB/s');
  });

  it('writes shares as percentages and plain numbers with two decimals at most', () => {
    expect(formatValue(0.425, 'percent', 'en')).toBe('42.5%');
    expect(formatValue(1.234, 'number', 'en')).toBe('1.23');
  });

  it('writes a missing value as a dash, not as zero', () => {
    expect(formatValue(null, 'bytes', 'en')).toBe('—');
    expect(formatValue(Number.NaN, 'percent', 'en')).toBe('—');
  });
});

describe('formatTick', () => {
  it('writes percentage ticks without decimals', () => {
    expect(formatTick(0.25, 'percent', 'en')).toBe('25%');
    expect(formatTick(512 * 1024 ** 2, 'bytes', 'en')).toBe('512\u00a0MiB');
  });
});

describe('tickIncrements', () => {
  it('steps sizes by powers of two of binary units', () => {
    const steps = tickIncrements('bytes') ?? [];
    expect(steps).toContain(256 * 1024 ** 2);
    expect(steps).toContain(1024 ** 3);
    expect(steps.every((step, index) => index === 0 || step > (steps[index - 1] ?? 0))).toBe(true);
  });

  it('leaves shares and numbers to uPlot’s decimal steps', () => {
    expect(tickIncrements('percent')).toBeUndefined();
    expect(tickIncrements('number')).toBeUndefined();
  });
});

describe('valueRange', () => {
  it('starts at zero and reaches at least 100 % for shares', () => {
    expect(valueRange('percent', 0.3)).toEqual([0, 1]);
    expect(valueRange('percent', undefined)).toEqual([0, 1]);
  });

  it('leaves headroom above the largest size', () => {
    expect(valueRange('bytes', 1000)).toEqual([0, 1050]);
    expect(valueRange('number', 0)).toEqual([0, 1]);
  });
});
