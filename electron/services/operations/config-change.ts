import type { ConfigChange, ConfigValue, PendingEntry } from '../../../shared/domain/operations';
import { IpcError } from '../../../shared/ipc/errors';
import type { FormValue, PendingAnswer } from '../pve';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above, a newline allowed
const controlCharactersButNewline = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/** Only `description` (the notes) spans lines; a control character anywhere else would corrupt PVE's config file. */
function refuseControlCharacters(key: string, value: ConfigValue): void {
  if (typeof value !== 'string') return;
  const pattern = key === 'description' ? controlCharactersButNewline : controlCharacters;
  if (pattern.test(value)) {
    throw new IpcError('BAD_INPUT', {
      en: `The value of ${key} contains control characters. Remove them and try again.`,
      fr: `La valeur de ${key} contient des caractères de contrôle. Retirez-les, puis réessayez.`,
    });
  }
}

/**
 * The form of `POST .../config`: the keys to set, `delete` and `revert` as
 * PVE's comma lists, and the digest that makes PVE refuse the change when
 * someone else changed the config since it was read.
 */
export function configChangeForm(change: ConfigChange & { digest: string }): Record<string, FormValue> {
  const overlap = change.delete.find((key) => key in change.set) ?? change.revert.find((key) => key in change.set);
  if (overlap !== undefined) {
    throw new IpcError('BAD_INPUT', {
      en: `${overlap} is both changed and removed or reverted. Choose one and try again.`,
      fr: `${overlap} est à la fois modifié et supprimé (ou sa modification en attente annulée). Choisissez l’un ou l’autre, puis réessayez.`,
    });
  }
  for (const [key, value] of Object.entries(change.set)) refuseControlCharacters(key, value);
  return {
    ...change.set,
    delete: change.delete.length > 0 ? change.delete.join(',') : undefined,
    revert: change.revert.length > 0 ? change.revert.join(',') : undefined,
    digest: change.digest,
  };
}

/** `GET .../pending` as the view shows it: the digest taken out of the keys, `delete` kept only when set. */
export function pendingView(answer: PendingAnswer): { digest: string | undefined; entries: PendingEntry[] } {
  let digest: string | undefined;
  const entries: PendingEntry[] = [];
  for (const entry of answer) {
    if (entry.key === 'digest') {
      if (typeof entry.value === 'string') digest = entry.value;
      continue;
    }
    const deletion = entry.delete === 1 || entry.delete === 2 ? { delete: entry.delete as 1 | 2 } : {};
    entries.push({
      key: entry.key,
      ...(entry.value !== undefined ? { value: entry.value } : {}),
      ...(entry.pending !== undefined ? { pending: entry.pending } : {}),
      ...deletion,
    });
  }
  return { digest, entries };
}
