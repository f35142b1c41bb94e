import { describe, expect, it } from 'vitest';
import { formatMilliseconds, formatSeconds, readableParams } from './job-outcome';

describe('job outcome figures', () => {
  it('writes durations with their two largest units', () => {
    expect(formatSeconds(12)).toBe('12\u00a0s');
    expect(formatSeconds(65)).toBe('1\u00a0min 5\u00a0s');
    expect(formatSeconds(120)).toBe('2\u00a0min');
    expect(formatSeconds(3725)).toBe('1\u00a0h 2\u00a0min');
  });

  it('writes a downtime in milliseconds below a second, in seconds above', () => {
    expect(formatMilliseconds(45, 'en')).toBe('45\u00a0ms');
    expect(formatMilliseconds(1234, 'en')).toBe('1.2\u00a0s');
    expect(formatMilliseconds(1234, 'fr')).toBe('1,2\u00a0s');
  });

  it('formats the parameters it knows by name and leaves the others', () => {
    expect(readableParams({ duration: 72, downtime: 37, guest: 'web01', count: 3 }, 'en')).toEqual({
      duration: '1\u00a0min 12\u00a0s',
      downtime: '37\u00a0ms',
      guest: 'web01',
      count: 3,
    });
  });
});
