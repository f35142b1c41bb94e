import type { SnapshotView } from '../../../../shared/domain/operations';

/** A node of the snapshot tree as NTree takes it. */
export interface SnapshotNode {
  key: string;
  label: string;
  snapshot: SnapshotView;
  children?: SnapshotNode[];
}

/**
 * The snapshots as the tree they form: each under the snapshot it was taken
 * from, oldest first, `current` (the running state) under its parent. A
 * snapshot whose parent is missing (deleted outside PVE's bookkeeping) or
 * part of a parent loop becomes a root rather than vanish.
 */
export function snapshotTree(snapshots: readonly SnapshotView[]): SnapshotNode[] {
  const names = new Set(snapshots.map((snapshot) => snapshot.name));
  const byParent = new Map<string | undefined, SnapshotView[]>();
  for (const snapshot of snapshots) {
    const parent = snapshot.parent !== undefined && names.has(snapshot.parent) && snapshot.parent !== snapshot.name ? snapshot.parent : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), snapshot]);
  }
  // `current` last among its siblings, the others by age.
  const order = (a: SnapshotView, b: SnapshotView) => Number(a.name === 'current') - Number(b.name === 'current') || (a.snaptime ?? 0) - (b.snaptime ?? 0);
  const seen = new Set<string>();
  const node = (snapshot: SnapshotView): SnapshotNode => {
    seen.add(snapshot.name);
    const children = build(snapshot.name);
    return { key: snapshot.name, label: snapshot.name, snapshot, ...(children.length > 0 ? { children } : {}) };
  };
  const build = (parent: string | undefined): SnapshotNode[] =>
    (byParent.get(parent) ?? [])
      .filter((snapshot) => !seen.has(snapshot.name))
      .sort(order)
      .map(node);
  const roots = build(undefined);
  // Parents that name each other in a loop (a broken config) leave no root to hang from: show them from the oldest rather than drop them.
  for (const snapshot of [...snapshots].sort(order)) if (!seen.has(snapshot.name)) roots.push(node(snapshot));
  return roots;
}
