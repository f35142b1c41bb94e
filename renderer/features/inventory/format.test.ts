import { describe, expect, it } from 'vitest';
import { fillLevel, fillRatio, formatBytes, formatNumber, formatPercent, formatUptime } from './format';

const gib = 1024 ** 3;

describe('inventory formatting', () => {
  it('writes sizes in binary units, with French octets and decimal commas', () => {
    expect(formatBytes(0, 'en')).toBe('0\u00a0B');
    expect(formatBytes(1536 * 1024 * 1024, 'en')).toBe('1.5\u00a0GiB');
    expect(formatBytes(1536 * 1024 * 1024, 'fr')).toBe('1,5\u00a0Gio');
    expect(formatBytes(512 * 1024, 'fr')).toBe('512\u00a0Kio');
    expect(formatBytes(250 * gib, 'en')).toBe('250\u00a0GiB');
    expect(formatBytes(3 * 1024 * 1024 * gib, 'en')).toBe('3\u00a0PiB');
    expect(formatBytes(-5, 'en')).toBe('0\u00a0B');
  });

  it('writes uptimes with their two largest units', () => {
    expect(formatUptime(3 * 86_400 + 4 * 3600 + 59, 'en')).toBe('3\u00a0d 4\u00a0h');
    expect(formatUptime(3 * 86_400 + 4 * 3600, 'fr')).toBe('3\u00a0j 4\u00a0h');
    expect(formatUptime(4 * 3600 + 12 * 60, 'en')).toBe('4\u00a0h 12\u00a0min');
    expect(formatUptime(12 * 60 + 5, 'en')).toBe('12\u00a0min');
    expect(formatUptime(45.7, 'en')).toBe('45\u00a0s');
  });

  it('writes shares and numbers the locale’s way', () => {
    expect(formatPercent(0.425, 'en')).toBe('42.5%');
    expect(formatPercent(0.425, 'fr')).toMatch(/^42,5\s%$/); // ICU versions differ on the space before %
    expect(formatNumber(1.256, 'fr')).toBe('1,26');
  });

  it('clamps fill ratios and treats an unknown or zero total as empty', () => {
    expect(fillRatio(5, 10)).toBe(0.5);
    expect(fillRatio(15, 10)).toBe(1);
    expect(fillRatio(5, 0)).toBe(0);
    expect(fillRatio(undefined, 10)).toBe(0);
  });

  it('warns past 80 % and alerts past 90 %', () => {
    expect([0.5, 0.8, 0.81, 0.9, 0.95, 1.4].map(fillLevel)).toEqual(['normal', 'normal', 'warning', 'warning', 'error', 'error']);
  });
});
