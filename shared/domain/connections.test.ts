import { describe, expect, it } from 'vitest';
import { exportFileSchema, maxKeyPathLength, profileFieldsSchema, profileLimits } from './connections';

const base = { name: 'Lab', endpoints: [{ host: 'pve1.lab' }], auth: { kind: 'password', username: 'root', realm: 'pam' } };
const overrides = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`node${i}`, { port: 22 }]));

/** Every list in a profile is bounded, so neither a caller nor an import file can make one huge. */
describe('profile limits', () => {
  it('takes at most 64 node overrides', () => {
    expect(profileFieldsSchema.safeParse({ ...base, ssh: { nodes: overrides(profileLimits.nodeOverrides) } }).success).toBe(true);
    const tooMany = profileFieldsSchema.safeParse({ ...base, ssh: { nodes: overrides(profileLimits.nodeOverrides + 1) } });
    expect(tooMany.error?.issues[0]?.message).toMatch(/at most 64 node overrides/);
  });

  it('takes at most 16 endpoints', () => {
    const endpoints = (count: number) => Array.from({ length: count }, (_, i) => ({ host: `pve${i}.lab` }));
    expect(profileFieldsSchema.safeParse({ ...base, endpoints: endpoints(profileLimits.endpoints) }).success).toBe(true);
    expect(profileFieldsSchema.safeParse({ ...base, endpoints: endpoints(profileLimits.endpoints + 1) }).success).toBe(false);
  });

  it('bounds names and key paths, the jump host’s too', () => {
    expect(profileFieldsSchema.safeParse({ ...base, name: 'x'.repeat(101) }).success).toBe(false);
    const keyFile = (length: number) => ({ method: 'key-file', privateKeyPath: '/'.padEnd(length, 'k') });
    expect(profileFieldsSchema.safeParse({ ...base, ssh: { auth: keyFile(maxKeyPathLength + 1) } }).success).toBe(false);
    expect(profileFieldsSchema.safeParse({ ...base, ssh: { jumpHost: { host: 'bastion', auth: keyFile(maxKeyPathLength + 1) } } }).success).toBe(false);
    expect(profileFieldsSchema.safeParse({ ...base, ssh: { jumpHost: { host: 'bastion', auth: keyFile(maxKeyPathLength) } } }).success).toBe(true);
  });

  it('takes at most 500 profiles in an import file', () => {
    const file = (count: number) => ({ format: 'pve-desk.connections', version: 1, profiles: Array.from({ length: count }, () => base) });
    expect(exportFileSchema.safeParse(file(profileLimits.profiles)).success).toBe(true);
    expect(exportFileSchema.safeParse(file(profileLimits.profiles + 1)).success).toBe(false);
  });
});
