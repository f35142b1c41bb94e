import { describe, expect, it } from 'vitest';
import { parseLabOptions } from './cli-options';

describe('lab command line', () => {
  it('waits 3 s before refusing an authentication unless told otherwise, as PVE does', () => {
    expect(parseLabOptions([]).authDelayMs).toBe(3000);
    expect(parseLabOptions(['--auth-delay-ms', '0']).authDelayMs).toBe(0);
  });

  it('answers as PVE 9 unless told 8.4, and refuses a release it cannot answer as', () => {
    expect(parseLabOptions([]).pveVersion).toBe('9');
    expect(parseLabOptions(['--pve-version', '8.4']).pveVersion).toBe('8.4');
    expect(() => parseLabOptions(['--pve-version', '8.3'])).toThrow(/pve-version/);
  });
});
