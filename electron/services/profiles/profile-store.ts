import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { profileLimits, profileSchema, type ConnectionProfile, type ProfileFields } from '../../../shared/domain/connections';
import { IpcError } from '../../../shared/ipc/errors';
import { readJsonFile, writeJsonFile } from '../config';
import type { Logger } from '../log';

export const profilesFileName = 'connections.json';

const fileSchema = z.object({ version: z.literal(1), profiles: z.array(profileSchema) }).strict();
type ProfilesFile = z.infer<typeof fileSchema>;

/**
 * The connection profiles in the config folder. They hold no secret (the
 * schema has no field for one), so the file can be backed up or read by
 * support without exposing credentials. Writes are serialised and atomic.
 */
export class ProfileStore {
  private readonly file: string;
  private cache: ConnectionProfile[] | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    configDir: string,
    private readonly logger: Logger,
  ) {
    this.file = join(configDir, profilesFileName);
  }

  async list(): Promise<ConnectionProfile[]> {
    this.cache ??= (await readJsonFile<ProfilesFile>(this.file, fileSchema, { version: 1, profiles: [] }, this.logger)).profiles;
    return this.cache;
  }

  async get(id: string): Promise<ConnectionProfile | undefined> {
    return (await this.list()).find((profile) => profile.id === id);
  }

  /** Creates a profile (no id) or replaces one; answers the stored profile. */
  save(id: string | undefined, fields: ProfileFields): Promise<ConnectionProfile | undefined> {
    return this.update((profiles) => {
      if (id === undefined) {
        assertRoomFor(profiles.length, 1);
        const created: ConnectionProfile = { id: randomUUID(), ...fields };
        return { profiles: [...profiles, created], result: created };
      }
      const index = profiles.findIndex((profile) => profile.id === id);
      if (index < 0) return { profiles, result: undefined };
      const replaced: ConnectionProfile = { id, ...fields };
      return { profiles: profiles.map((profile, i) => (i === index ? replaced : profile)), result: replaced };
    });
  }

  /** Adds several profiles at once (an import); answers them with their new ids. */
  addAll(fields: ProfileFields[]): Promise<ConnectionProfile[]> {
    return this.update((profiles) => {
      assertRoomFor(profiles.length, fields.length);
      const created = fields.map((entry): ConnectionProfile => ({ id: randomUUID(), ...entry }));
      return { profiles: [...profiles, ...created], result: created };
    });
  }

  delete(id: string): Promise<boolean> {
    return this.update((profiles) => {
      const kept = profiles.filter((profile) => profile.id !== id);
      return { profiles: kept, result: kept.length !== profiles.length };
    });
  }

  private update<T>(change: (profiles: ConnectionProfile[]) => { profiles: ConnectionProfile[]; result: T }): Promise<T> {
    const run = this.queue.then(async () => {
      const { profiles, result } = change(await this.list());
      await writeJsonFile(this.file, { version: 1, profiles } satisfies ProfilesFile);
      this.cache = profiles;
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The list stays bounded: every view, event and export carries all of it. */
function assertRoomFor(existing: number, adding: number): void {
  if (existing + adding <= profileLimits.profiles) return;
  throw new IpcError('BAD_INPUT', {
    en: `The app keeps at most ${profileLimits.profiles} connections and has ${existing}: adding ${adding} would pass the limit. Delete connections you no longer use first.`,
    fr: `L’application conserve au plus ${profileLimits.profiles} connexions et en a déjà ${existing} : en ajouter ${adding} dépasserait cette limite. Supprimez d’abord les connexions dont vous ne vous servez plus.`,
  });
}
