import type { P2vArtifact } from '../../../../shared/domain/p2v';
import type { Sentence } from '../../../../shared/text/sentence';
import type { P2vJobRecord } from './job-record';
import { artifactSentence, describeArtifact, messageOf, messageSentenceOf, sameArtifact } from './artifacts';

/** Removes one thing a job created; resolves when it is gone (or was never there). */
export interface ArtifactCleaner {
  clean(record: P2vJobRecord, artifact: P2vArtifact): Promise<void>;
}

/**
 * Removes what the job created, newest first, each one moved from `created` to `cleaned` as soon as it is gone,
 * and answers a sentence for the error: what was cleaned, and what is left for the user to remove by hand. What
 * could not be removed stays in `created`, so running it again (a second cancel) retries only that.
 */
export async function rollBack(record: P2vJobRecord, cleaner: ArtifactCleaner, log: (line: string) => void, save: () => Promise<void>): Promise<Sentence> {
  const view = record.view;
  const left: Sentence[] = [];
  for (const artifact of [...view.created].reverse()) {
    try {
      await cleaner.clean(record, artifact);
      view.created = view.created.filter((entry) => !sameArtifact(entry, artifact));
      if (!view.cleaned.some((done) => sameArtifact(done, artifact))) view.cleaned.push(artifact);
      log(`Removed ${describeArtifact(artifact)}.`);
      await save();
    } catch (error) {
      const what = artifactSentence(artifact);
      const why = messageSentenceOf(error);
      left.push({ en: `${what.en} (${why.en})`, fr: `${what.fr} (${why.fr})` });
      log(`Could not remove ${describeArtifact(artifact)}: ${messageOf(error)}.`);
    }
  }
  const cleaned = view.cleaned.map(artifactSentence);
  const done: Sentence =
    cleaned.length > 0
      ? {
          en: `Removed what it had created: ${cleaned.map((entry) => entry.en).join(', ')}.`,
          fr: `Ce que la migration avait créé a été supprimé : ${cleaned.map((entry) => entry.fr).join(', ')}.`,
        }
      : { en: 'It had created nothing yet.', fr: 'La migration n’avait encore rien créé.' };
  if (left.length === 0) {
    return {
      en: `${done.en} Nothing is left behind; the source was only read. Fix the cause, then start the migration again.`,
      fr: `${done.fr} Il ne reste rien ; la source a seulement été lue. Corrigez la cause, puis relancez la migration.`,
    };
  }
  return {
    en: `${done.en} Could not remove: ${left.map((entry) => entry.en).join('; ')}. Remove these by hand (or cancel the migration again to retry), then start it again.`,
    fr: `${done.fr} Impossible de supprimer : ${left.map((entry) => entry.fr).join(' ; ')}. Supprimez-les à la main (ou annulez de nouveau la migration pour réessayer), puis relancez-la.`,
  };
}
