import type { P2vArtifact } from '../../../../shared/domain/p2v';
import type { P2vJobRecord } from './job-record';
import { describeArtifact, messageOf, sameArtifact } from './artifacts';

/** Removes one thing a job created; resolves when it is gone (or was never there). */
export interface ArtifactCleaner {
  clean(record: P2vJobRecord, artifact: P2vArtifact): Promise<void>;
}

/**
 * Removes what the job created, newest first, each one moved from `created` to `cleaned` as soon as it is gone,
 * and answers a sentence for the error: what was cleaned, and what is left for the user to remove by hand. What
 * could not be removed stays in `created`, so running it again (a second cancel) retries only that.
 */
export async function rollBack(record: P2vJobRecord, cleaner: ArtifactCleaner, log: (line: string) => void, save: () => Promise<void>): Promise<string> {
  const view = record.view;
  const left: string[] = [];
  for (const artifact of [...view.created].reverse()) {
    try {
      await cleaner.clean(record, artifact);
      view.created = view.created.filter((entry) => !sameArtifact(entry, artifact));
      if (!view.cleaned.some((done) => sameArtifact(done, artifact))) view.cleaned.push(artifact);
      log(`Removed ${describeArtifact(artifact)}.`);
      await save();
    } catch (error) {
      left.push(`${describeArtifact(artifact)} (${messageOf(error)})`);
      log(`Could not remove ${describeArtifact(artifact)}: ${messageOf(error)}.`);
    }
  }
  const cleaned = view.cleaned.map(describeArtifact);
  const done = cleaned.length > 0 ? `Removed what it had created: ${cleaned.join(', ')}.` : 'It had created nothing yet.';
  if (left.length === 0) return `${done} Nothing is left behind; the source was only read. Fix the cause, then start the migration again.`;
  return `${done} Could not remove: ${left.join('; ')}. Remove these by hand (or cancel the migration again to retry), then start it again.`;
}
