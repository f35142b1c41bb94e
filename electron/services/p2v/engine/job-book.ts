import type { P2vJobView } from '../../../../shared/domain/p2v';
import type { Logger } from '../../log';
import { ChangeThrottle } from './change-throttle';
import type { P2vJobRecord } from './job-record';
import type { JobStore } from './job-store';

/** How often progress reaches the wizard, and the record on disk. */
const emitIntervalMs = 250;
const saveIntervalMs = 2_000;

interface Entry {
  record: P2vJobRecord;
  /** The writes of this record, one after the other, so an older snapshot never lands after a newer one. */
  saving: Promise<void>;
  emits: ChangeThrottle;
  saves: ChangeThrottle;
}

/**
 * The migrations this app knows, in memory and in the store: every change is written (progress at most every
 * 2 s) and sent as `p2v.changed` (progress a few times a second).
 */
export class JobBook {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: JobStore,
    private readonly emit: (view: P2vJobView) => void,
    private readonly logger: Logger,
  ) {}

  /** Reads the store; a job found `running` was cut off by the app's end, so it becomes `interrupted`. */
  async load(): Promise<void> {
    for (const record of await this.store.loadAll()) {
      this.track(record);
      if (record.view.state !== 'running') continue;
      record.view.state = 'interrupted';
      delete record.view.jobId;
      await this.persist(record, true).catch((error: unknown) => this.logger.warn('p2v.record-not-saved', { id: record.view.id, error }));
    }
  }

  get(id: string): P2vJobRecord | undefined {
    return this.entries.get(id)?.record;
  }

  /** Newest first. */
  list(): P2vJobView[] {
    return [...this.entries.values()]
      .map((entry) => structuredClone(entry.record.view))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  }

  async add(record: P2vJobRecord): Promise<void> {
    this.track(record);
    try {
      await this.persist(record, true);
    } catch (error) {
      this.entries.delete(record.view.id);
      throw error;
    }
  }

  /** Urgent: written and sent now (awaited). Else throttled, and a failed write is only logged (the next one retries). */
  persist(record: P2vJobRecord, urgent: boolean): Promise<void> {
    const entry = this.entries.get(record.view.id);
    if (entry === undefined) return Promise.resolve();
    entry.emits.changed(urgent);
    if (!urgent) {
      entry.saves.changed(false);
      return Promise.resolve();
    }
    entry.saves.flush();
    return this.save(entry);
  }

  async remove(id: string): Promise<void> {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    if (entry !== undefined) await entry.saving;
    await this.store.remove(id);
  }

  /** Writes what is pending, for a clean stop. */
  async flush(): Promise<void> {
    for (const entry of this.entries.values()) {
      entry.emits.flush();
      entry.saves.flush();
      await entry.saving;
    }
  }

  private track(record: P2vJobRecord): void {
    const entry: Entry = {
      record,
      saving: Promise.resolve(),
      emits: new ChangeThrottle(emitIntervalMs, () => this.emit(structuredClone(record.view))),
      saves: new ChangeThrottle(saveIntervalMs, () => {
        this.save(entry).catch((error: unknown) => this.logger.warn('p2v.record-not-saved', { id: record.view.id, error }));
      }),
    };
    this.entries.set(record.view.id, entry);
  }

  private save(entry: Entry): Promise<void> {
    const snapshot = structuredClone(entry.record);
    const write = entry.saving.then(() => this.store.save(snapshot));
    entry.saving = write.catch(() => undefined);
    return write;
  }
}
