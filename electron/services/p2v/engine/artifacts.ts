import type { P2vArtifact } from '../../../../shared/domain/p2v';
import { sentenceOfError, type Sentence } from '../../../../shared/text/sentence';

export function sameArtifact(a: P2vArtifact, b: P2vArtifact): boolean {
  return a.kind === b.kind && a.ref === b.ref && a.node === b.node;
}

/** An artifact in words, for the log. */
export function describeArtifact(artifact: P2vArtifact): string {
  return artifactSentence(artifact).en;
}

/** An artifact in words, in every language, for the failure message. */
export function artifactSentence(artifact: P2vArtifact): Sentence {
  const where: Sentence = artifact.node !== undefined ? { en: ` on ${artifact.node}`, fr: ` sur ${artifact.node}` } : { en: '', fr: '' };
  switch (artifact.kind) {
    case 'vm':
      return { en: `VM ${artifact.ref}${where.en}`, fr: `VM ${artifact.ref}${where.fr}` };
    case 'volume':
      return { en: `volume ${artifact.ref}${where.en}`, fr: `volume ${artifact.ref}${where.fr}` };
    case 'node-file':
      return { en: `${artifact.ref}${where.en}`, fr: `${artifact.ref}${where.fr}` };
    case 'ssh-key':
      return { en: `temporary SSH key ${artifact.ref}`, fr: `clé SSH temporaire ${artifact.ref}` };
    case 'lvm-snapshot':
      return { en: `LVM snapshot ${artifact.ref}`, fr: `instantané LVM ${artifact.ref}` };
  }
}

/** An error's message without its final full stop, to be put in a sentence. */
export function messageOf(error: unknown): string {
  return messageSentenceOf(error).en;
}

/** An error's message in every language (English in each when it has no other), without its final full stops. */
export function messageSentenceOf(error: unknown): Sentence {
  const { en, fr } = sentenceOfError(error);
  return { en: withoutFullStop(en), fr: withoutFullStop(fr) };
}

function withoutFullStop(text: string): string {
  return text.replace(/[.\s]+$/, '');
}
