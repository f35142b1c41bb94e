import { describe, expect, it } from 'vitest';
import { parseResources, sameItem } from './resource-items';
import { vmItem } from './testing';

describe('parseResources', () => {
  it('keeps good items and skips each malformed one, naming its id and the wrong fields only', () => {
    const { items, skipped } = parseResources([
      vmItem(100),
      { ...vmItem(101), maxmem: 'lots', cpu: { secret: 'value-123' } },
      { type: 'qemu', vmid: 102 },
      'not an object',
      null,
      { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online' },
    ]);
    expect(items.map((item) => item.id)).toEqual(['qemu/100', 'node/pve1']);
    expect(skipped).toEqual([
      { id: 'qemu/101', fields: expect.arrayContaining(['maxmem', 'cpu']) as unknown },
      { id: '(no id)', fields: ['id'] },
      { id: '(no id)', fields: ['(item)'] },
      { id: '(no id)', fields: ['(item)'] },
    ]);
    expect(JSON.stringify(skipped)).not.toContain('value-123');
    expect(JSON.stringify(skipped)).not.toContain('lots');
  });

  it('reads Perl-typed numbers and flags, and tags as a list', () => {
    const [item] = parseResources([vmItem(100, { vmid: '100', template: '1', cpu: '0.5', tags: 'web;prod' })]).items;
    expect(item).toMatchObject({ vmid: 100, template: true, cpu: 0.5, tags: ['web', 'prod'] });
  });

  it('cleans untrusted strings of bidi controls and caps them; tags capped one by one', () => {
    const [item] = parseResources([
      vmItem(100, { name: `vm-\u202Egpj.exe${'x'.repeat(1000)}`, pool: 'stu\u2066dents', lock: 'backup\u200F', tags: `a\u202Db;${'t'.repeat(200)}` }),
    ]).items;
    expect(item?.name?.startsWith('vm-gpj.exe')).toBe(true);
    expect(item?.name).toHaveLength(256);
    expect(item?.pool).toBe('students');
    expect(item?.lock).toBe('backup');
    expect(item?.tags).toEqual(['ab', 't'.repeat(64)]);
  });

  it('keeps ids intact and skips items whose id is longer than 512 characters', () => {
    const longId = `storage/pve1/${'s'.repeat(400)}`;
    const { items, skipped } = parseResources([
      { id: longId, type: 'storage', node: 'pve1', storage: 's' },
      { id: `qemu/${'9'.repeat(600)}`, type: 'qemu' },
    ]);
    expect(items.map((item) => item.id)).toEqual([longId]);
    expect(skipped).toEqual([{ id: `qemu/${'9'.repeat(95)}`, fields: ['id'] }]);
  });
});

describe('sameItem', () => {
  it('compares field by field, arrays element by element', () => {
    const a = { id: 'qemu/100', type: 'qemu', tags: ['a', 'b'], ips: ['10.0.0.1'] };
    expect(sameItem(a, { ...a, tags: ['a', 'b'], ips: ['10.0.0.1'] })).toBe(true);
    expect(sameItem(a, { ...a, tags: ['b', 'a'] })).toBe(false);
    expect(sameItem(a, { ...a, ips: ['10.0.0.2'] })).toBe(false);
    expect(sameItem(a, { ...a, status: 'running' })).toBe(false);
    expect(sameItem({ ...a, status: undefined }, a)).toBe(true);
  });
});
