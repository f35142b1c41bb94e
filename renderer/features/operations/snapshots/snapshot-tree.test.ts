import { describe, expect, it } from 'vitest';
import { snapshotNameProblem } from './snapshot-name';
import { snapshotTree, type SnapshotNode } from './snapshot-tree';

/** The tree as nested names, to compare shapes. */
function shape(nodes: SnapshotNode[]): unknown[] {
  return nodes.map((node) => (node.children === undefined ? node.key : { [node.key]: shape(node.children) }));
}

describe('snapshotTree', () => {
  it('hangs each snapshot under its parent, oldest first, the current state last under the one it came from', () => {
    const tree = snapshotTree([
      { name: 'current', vmstate: false, parent: 'b' },
      { name: 'c', vmstate: false, snaptime: 30, parent: 'a' },
      { name: 'b', vmstate: true, snaptime: 20, parent: 'a' },
      { name: 'a', vmstate: false, snaptime: 10 },
    ]);
    expect(shape(tree)).toEqual([{ a: [{ b: ['current'] }, 'c'] }]);
  });

  it('keeps a snapshot whose parent is gone as a root, and a guest without snapshots shows only NOW', () => {
    expect(
      shape(
        snapshotTree([
          { name: 'orphan', vmstate: false, snaptime: 5, parent: 'deleted' },
          { name: 'current', vmstate: false, parent: 'orphan' },
        ]),
      ),
    ).toEqual([{ orphan: ['current'] }]);
    expect(shape(snapshotTree([{ name: 'current', vmstate: false }]))).toEqual(['current']);
    expect(
      shape(
        snapshotTree([
          { name: 'x', vmstate: false, snaptime: 1, parent: 'y' },
          { name: 'y', vmstate: false, snaptime: 2, parent: 'x' },
        ]),
      ),
    ).toEqual([{ x: ['y'] }]);
  });
});

describe('snapshotNameProblem', () => {
  it.each(['before_update', 'a1', 'Pre-Upgrade-2026'])('takes %s', (name) => expect(snapshotNameProblem(name, ['other'])).toBeUndefined());
  it.each(['', 'a', '1st', '_x', 'with space', 'dot.ted', 'x'.repeat(41)])('refuses %j as PVE would', (name) =>
    expect(snapshotNameProblem(name, [])).toBe('invalid'),
  );
  it('refuses a name in use and the reserved "current"', () => {
    expect(snapshotNameProblem('before', ['before'])).toBe('taken');
    expect(snapshotNameProblem('current', [])).toBe('taken');
  });
});
