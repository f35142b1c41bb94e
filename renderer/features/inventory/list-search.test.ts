import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../../shared/domain/inventory';
import type { InventoryEntry } from './inventory-store';
import { maxQueryLength, parseQuery, search } from './list-search';

function guest(vmid: number, fields: Partial<InventoryItem> = {}): InventoryEntry {
  return { key: `a:qemu/${vmid}`, profileId: 'a', item: { id: `qemu/${vmid}`, type: 'qemu', vmid, node: 'pve1', status: 'running', ...fields } };
}

const web = guest(100, { name: 'Web-Front', tags: ['prod', 'web'], pool: 'Students', ips: ['10.0.0.5', 'fe80::1'] });
const db = guest(101, { name: 'db', node: 'pve2', status: 'stopped', tags: ['prod'] });
const backup = guest(102, { name: 'backup-web', lock: 'backup', node: 'pve10' });
const all = [web, db, backup];

function found(text: string): number[] {
  return search(all, text).map((entry) => entry.item.vmid ?? 0);
}

describe('list search', () => {
  it('finds a word in the name, vmid, tags, node, pool or an agent address, case-insensitively', () => {
    expect(found('WEB')).toEqual([100, 102]);
    expect(found('101')).toEqual([101]);
    expect(found('students')).toEqual([100]);
    expect(found('pve2')).toEqual([101]);
    expect(found('10.0.0.5')).toEqual([100]);
    expect(found('fe80::1')).toEqual([100]);
  });

  it('needs every word to match', () => {
    expect(found('web prod')).toEqual([100]);
    expect(found('web   pve10')).toEqual([102]);
    expect(found('web nothing')).toEqual([]);
  });

  it('reads tag:, node:, status: and pool: as exact filters', () => {
    expect(found('tag:prod')).toEqual([100, 101]);
    expect(found('tag:pro')).toEqual([]);
    expect(found('node:pve1')).toEqual([100]);
    expect(found('status:stopped')).toEqual([101]);
    expect(found('status:locked')).toEqual([102]);
    expect(found('status:running')).toEqual([100, 102]);
    expect(found('POOL:students web')).toEqual([100]);
    expect(found('tag:prod node:pve2')).toEqual([101]);
  });

  it('searches an unknown prefix or a bare prefix as text', () => {
    expect(parseQuery('os:linux tag:')).toEqual({ words: ['os:linux', 'tag:'], filters: [] });
  });

  it('returns the same list for an empty query', () => {
    expect(search(all, '   ')).toBe(all);
  });

  it('takes regex characters as text and survives 10 000 characters', () => {
    const odd = guest(103, { name: 'a.*(b' });
    expect(search([...all, odd], '.*(').map((entry) => entry.key)).toEqual([odd.key]);
    expect(search(all, '[')).toEqual([]);
    expect(search(all, '\\')).toEqual([]);
    const long = 'x'.repeat(10_000);
    expect(search(all, long)).toEqual([]);
    expect(parseQuery(long).words[0]).toHaveLength(maxQueryLength);
  });

  it('sees a changed item: the lowercase text is kept per item object', () => {
    const entries = [guest(104, { name: 'old' })];
    expect(search(entries, 'new')).toEqual([]);
    const renamed = [guest(104, { name: 'NEW' })];
    expect(search(renamed, 'new')).toHaveLength(1);
  });
});
