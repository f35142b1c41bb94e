import { exportFileSchema, type ConnectionProfile, type ExportFile, type ProfileFields } from '../../../shared/domain/connections';
import { IpcError } from '../../../shared/ipc/errors';

/**
 * The file a cluster list is handed to colleagues in: the profiles' settings
 * without their ids (each import gets new ones) and without secrets, which
 * the profile schema cannot even hold.
 */
export function exportProfiles(profiles: readonly ConnectionProfile[]): { fileName: string; content: string } {
  const file: ExportFile = {
    format: 'pve-desk.connections',
    version: 1,
    profiles: profiles.map(({ id: _id, ...fields }) => fields),
  };
  const day = new Date().toISOString().slice(0, 10);
  return { fileName: `pve-desk-connections-${day}.json`, content: JSON.stringify(file, null, 2) + '\n' };
}

/** Reads an export file, refusing anything that is not one with a message saying what is wrong. */
export function parseExport(content: string): ProfileFields[] {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new IpcError('BAD_FILE', 'This file is not a connections export (it is not JSON). Choose a file made with Export in the connections view.');
  }
  const parsed = exportFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'the file' : issue.path.join('.');
    throw new IpcError('BAD_FILE', `This file is not a valid connections export (${where}: ${issue?.message ?? 'unreadable'}). Nothing was imported.`);
  }
  return parsed.data.profiles;
}

/** Splits imported profiles into new ones and those whose name is already taken (kept as they are). */
export function planImport(existing: readonly ConnectionProfile[], incoming: readonly ProfileFields[]): { add: ProfileFields[]; skipped: string[] } {
  const taken = new Set(existing.map((profile) => profile.name.toLocaleLowerCase()));
  const add: ProfileFields[] = [];
  const skipped: string[] = [];
  for (const profile of incoming) {
    const key = profile.name.toLocaleLowerCase();
    if (taken.has(key)) skipped.push(profile.name);
    else {
      taken.add(key);
      add.push(profile);
    }
  }
  return { add, skipped };
}
