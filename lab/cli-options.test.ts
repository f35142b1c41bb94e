import { describe, expect, it } from 'vitest';
import { parseLabOptions } from './cli-options';

describe('lab command line', () => {
  it('waits 3 s before refusing an authentication unless told otherwise, as PVE does', () => {
    expect(parseLabOptions([]).authDelayMs).toBe(3000);
    expect(parseLabOptions(['--auth-delay-ms', '0']).authDelayMs).toBe(0);
  });
});
