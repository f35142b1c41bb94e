import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../../config';
import type { Logger } from '../../log';
import { jobRecordSchema, type P2vJobRecord } from './job-record';

const fileName = /^([0-9a-f]{32})\.json$/;

/**
 * One JSON file per migration in `<configDir>/p2v/`, written whole (0600, through a rename) after every change of
 * state, so a crash leaves the last state recorded. A damaged file is moved aside and skipped: one bad record must
 * never keep the app from starting or hide the other migrations.
 */
export class JobStore {
  readonly folder: string;

  constructor(
    configDir: string,
    private readonly logger: Logger,
  ) {
    this.folder = join(configDir, 'p2v');
  }

  async loadAll(): Promise<P2vJobRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: P2vJobRecord[] = [];
    for (const name of names) {
      const id = fileName.exec(name)?.[1];
      if (id === undefined) continue;
      try {
        const record = await readJsonFile<P2vJobRecord | null>(this.pathOf(id), jobRecordSchema.nullable(), null, this.logger);
        if (record !== null && record.view.id === id) records.push(record);
        else if (record !== null) this.logger.warn('p2v.record-id-mismatch', { file: name });
      } catch (error) {
        this.logger.warn('p2v.record-unreadable', { file: name, error });
      }
    }
    return records;
  }

  /** Throws StorageError (full disk, read-only folder) with a message saying what to do. */
  save(record: P2vJobRecord): Promise<void> {
    return writeJsonFile(this.pathOf(record.view.id), record);
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  private pathOf(id: string): string {
    return join(this.folder, `${id}.json`);
  }
}
