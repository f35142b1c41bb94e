import type { P2vArtifact } from '../../../../shared/domain/p2v';

export function sameArtifact(a: P2vArtifact, b: P2vArtifact): boolean {
  return a.kind === b.kind && a.ref === b.ref && a.node === b.node;
}

/** An artifact in words, for the log and the failure message. */
export function describeArtifact(artifact: P2vArtifact): string {
  const where = artifact.node !== undefined ? ` on ${artifact.node}` : '';
  switch (artifact.kind) {
    case 'vm':
      return `VM ${artifact.ref}${where}`;
    case 'volume':
      return `volume ${artifact.ref}${where}`;
    case 'node-file':
      return `${artifact.ref}${where}`;
    case 'ssh-key':
      return `temporary SSH key ${artifact.ref}`;
    case 'lvm-snapshot':
      return `LVM snapshot ${artifact.ref}`;
  }
}

/** An error's message without its final full stop, to be put in a sentence. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/[.\s]+$/, '');
}
