import { describe, expect, it } from 'vitest';
import { shallowRef } from 'vue';
import type { InventoryEntry } from './inventory-store';
import { useRowSelection } from './use-row-selection';

function entry(vmid: number): InventoryEntry {
  return { key: `p:qemu/${vmid}`, profileId: 'p', item: { id: `qemu/${vmid}`, type: 'qemu', vmid } };
}

function setUp(vmids: number[]) {
  const rows = shallowRef<readonly InventoryEntry[]>(vmids.map(entry));
  const lookup = (key: string) => rows.value.find((row) => row.key === key);
  return { rows, selection: useRowSelection(rows, lookup) };
}

const keys = (entries: readonly InventoryEntry[]) => entries.map((row) => row.key);

describe('useRowSelection', () => {
  it('toggles one row, and a Shift toggle selects the range from the last row toggled, either way', () => {
    const { selection } = setUp([100, 101, 102, 103, 104]);
    selection.toggle('p:qemu/103', false);
    selection.toggle('p:qemu/101', true);
    expect(keys(selection.entries.value).sort()).toEqual(['p:qemu/101', 'p:qemu/102', 'p:qemu/103']);
    selection.toggle('p:qemu/102', false);
    expect(selection.has('p:qemu/102')).toBe(false);
    selection.toggle('p:qemu/104', true);
    expect(keys(selection.entries.value).sort()).toEqual(['p:qemu/101', 'p:qemu/102', 'p:qemu/103', 'p:qemu/104']);
  });

  it('selects all the rows shown, or none when all were', () => {
    const { selection } = setUp([100, 101]);
    selection.toggleAll();
    expect(selection.all.value).toBe(true);
    selection.toggleAll();
    expect(selection.entries.value).toEqual([]);
  });

  it('acts only on selected rows still shown, and finds them again when they come back', () => {
    const { rows, selection } = setUp([100, 101, 102]);
    selection.selectAll();
    rows.value = [entry(100), entry(102)];
    expect(keys(selection.entries.value).sort()).toEqual(['p:qemu/100', 'p:qemu/102']);
    expect(selection.all.value).toBe(true);
    rows.value = [entry(100), entry(101), entry(102)];
    expect(selection.entries.value).toHaveLength(3);
  });

  it('toggles a single row when the range start is no longer shown', () => {
    const { rows, selection } = setUp([100, 101, 102]);
    selection.toggle('p:qemu/100', false);
    rows.value = [entry(101), entry(102)];
    selection.toggle('p:qemu/102', true);
    expect(keys(selection.entries.value)).toEqual(['p:qemu/102']);
  });
});
