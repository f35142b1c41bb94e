import { describe, expect, it } from 'vitest';
import { IpcError } from '../../../shared/ipc/errors';
import { configChangeForm, pendingView } from './config-change';

const digest = 'a'.repeat(40);

describe('configChangeForm', () => {
  it('sends the keys to set, delete and revert as comma lists, and the digest', () => {
    expect(configChangeForm({ digest, set: { cores: 4, name: 'db-01' }, delete: ['net1', 'unused0'], revert: ['memory'] })).toEqual({
      cores: 4,
      name: 'db-01',
      delete: 'net1,unused0',
      revert: 'memory',
      digest,
    });
  });

  it('leaves out empty delete and revert lists', () => {
    expect(configChangeForm({ digest, set: { onboot: 1 }, delete: [], revert: [] })).toEqual({ onboot: 1, delete: undefined, revert: undefined, digest });
  });

  it('allows newlines in the description only', () => {
    expect(configChangeForm({ digest, set: { description: 'line 1\nline 2' }, delete: [], revert: [] }).description).toBe('line 1\nline 2');
    expect(() => configChangeForm({ digest, set: { name: 'web\n01' }, delete: [], revert: [] })).toThrow(IpcError);
    expect(() => configChangeForm({ digest, set: { description: 'bell\u0007' }, delete: [], revert: [] })).toThrow(/control characters/);
  });

  it('refuses a key both set and deleted', () => {
    expect(() => configChangeForm({ digest, set: { cores: 2 }, delete: ['cores'], revert: [] })).toThrow(/cores/);
  });
});

describe('pendingView', () => {
  it('takes the digest out of the keys and keeps values, pending values and deletions', () => {
    const view = pendingView([
      { key: 'digest', value: digest },
      { key: 'cores', value: 2, pending: 4 },
      { key: 'net1', value: 'virtio,bridge=vmbr0', delete: 1 },
      { key: 'name', value: 'web-01', delete: 0 },
    ]);
    expect(view).toEqual({
      digest,
      entries: [
        { key: 'cores', value: 2, pending: 4 },
        { key: 'net1', value: 'virtio,bridge=vmbr0', delete: 1 },
        { key: 'name', value: 'web-01' },
      ],
    });
  });

  it('answers no digest when PVE lists none', () => {
    expect(pendingView([{ key: 'memory', value: 2048 }]).digest).toBeUndefined();
  });
});
