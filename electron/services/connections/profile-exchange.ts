import {
  canonicalJson,
  exportFileSchema,
  importedSettings,
  type ConnectionProfile,
  type ExportFile,
  type ImportedSetting,
  type ImportPlanEntry,
  type ProfileFields,
} from '../../../shared/domain/connections';
import { IpcError } from '../../../shared/ipc/errors';
import type { Sentence } from '../../../shared/text/sentence';

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
    throw new IpcError('BAD_FILE', {
      en: 'This file is not a connections export (it is not JSON). Choose a file made with Export in the connections view.',
      fr: 'Ce fichier n’est pas un export de connexions (ce n’est pas du JSON). Choisissez un fichier créé avec Exporter dans la vue des connexions.',
    });
  }
  const parsed = exportFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined || issue.path.length === 0 ? undefined : issue.path.join('.');
    // zod's issue is quoted as it is in both languages.
    const problem: Sentence = issue !== undefined ? { en: issue.message, fr: issue.message } : { en: 'unreadable', fr: 'illisible' };
    throw new IpcError('BAD_FILE', {
      en: `This file is not a valid connections export (${path ?? 'the file'}: ${problem.en}). Nothing was imported.`,
      fr: `Ce fichier n’est pas un export de connexions valable (${path ?? 'le fichier'} : ${problem.fr}). Rien n’a été importé.`,
    });
  }
  return parsed.data.profiles;
}

/** A plan entry as main keeps it: with the id of the profile a replace overwrites. */
export type PlannedEntry = ImportPlanEntry & { replaces?: string };

/**
 * What an import would do, profile by profile: a name not in use is added,
 * a name in use (ignoring case) replaces that profile. Nothing is applied here.
 */
export function planImport(existing: readonly ConnectionProfile[], incoming: readonly ProfileFields[]): { entries: PlannedEntry[]; duplicates: string[] } {
  const byName = new Map(existing.map((profile) => [nameKey(profile.name), profile]));
  const seen = new Set<string>();
  const entries: PlannedEntry[] = [];
  const duplicates: string[] = [];
  incoming.forEach((fields, index) => {
    const key = nameKey(fields.name);
    if (seen.has(key)) {
      duplicates.push(fields.name);
      return;
    }
    seen.add(key);
    const target = byName.get(key);
    const pinnedFromFile = fields.endpoints.filter((endpoint) => endpoint.trust.mode === 'pinned').length;
    entries.push(
      target === undefined
        ? { index, action: 'add', fields, changes: [], pinnedFromFile }
        : { index, action: 'replace', fields, changes: changedSettings(target, fields), pinnedFromFile, replaces: target.id },
    );
  });
  return { entries, duplicates };
}

/** The fields an entry is applied with: pins the user did not keep become system trust, so the first connect asks. */
export function fieldsToApply(fields: ProfileFields, keepPins: boolean): ProfileFields {
  if (keepPins) return fields;
  return { ...fields, endpoints: fields.endpoints.map((endpoint) => ({ ...endpoint, trust: { mode: 'system' } })) };
}

export function nameKey(name: string): string {
  return name.toLocaleLowerCase();
}

function changedSettings(before: ProfileFields, after: ProfileFields): ImportedSetting[] {
  const valueOf = (fields: ProfileFields, setting: ImportedSetting): unknown => {
    switch (setting) {
      case 'endpoints':
        return fields.endpoints;
      case 'auth':
        return fields.auth;
      case 'ssh.user':
        return fields.ssh.user;
      case 'ssh.port':
        return fields.ssh.port;
      case 'ssh.auth':
        return fields.ssh.auth;
      case 'ssh.jumpHost':
        return fields.ssh.jumpHost;
      case 'ssh.nodes':
        return fields.ssh.nodes;
    }
  };
  return importedSettings.filter((setting) => canonicalJson(valueOf(before, setting)) !== canonicalJson(valueOf(after, setting)));
}
