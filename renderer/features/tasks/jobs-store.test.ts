import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from 'vue';
import type { JobsDelta, JobView } from '../../../shared/domain/jobs';
import { ipcPlugin } from '../../platform/use-ipc';
import { fakeIpc } from '../../testing';
import { useJobsStore } from './jobs-store';
import { jobView, serveJobs, type JobsHost } from './testing/jobs-host';

let host: JobsHost;

beforeEach(() => {
  fakeIpc.reset();
  host = serveJobs(fakeIpc);
  // The store takes its client from the app it belongs to, as in the page.
  const pinia = createPinia();
  createApp({}).use(ipcPlugin(fakeIpc.client)).use(pinia);
  setActivePinia(pinia);
});

function push(delta: Partial<JobsDelta>): void {
  fakeIpc.emit('jobs.changed', { upserted: delta.upserted ?? [], removed: delta.removed ?? [] });
}

describe('jobs store', () => {
  it('lists once, newest first, then applies deltas by id and keeps the unchanged jobs as they were', async () => {
    const older = jobView({ startedAt: '2026-01-01T09:00:00Z' });
    const newer = jobView({ startedAt: '2026-01-01T10:00:00Z' });
    host.jobs = [older, newer];
    const store = useJobsStore();
    await store.start();
    expect(store.jobs.map((job) => job.id)).toEqual([newer.id, older.id]);

    const newest = jobView({ startedAt: '2026-01-01T11:00:00Z' });
    const olderDone: JobView = { ...older, state: 'succeeded', endedAt: '2026-01-01T09:01:00Z' };
    push({ upserted: [olderDone, newest] });
    expect(store.jobs.map((job) => job.id)).toEqual([newest.id, newer.id, older.id]);
    expect(store.get(older.id)?.state).toBe('succeeded');
    expect(store.get(newer.id)).toBe(newer);

    push({ removed: [newer.id] });
    expect(store.jobs.map((job) => job.id)).toEqual([newest.id, older.id]);
  });

  it('applies deltas that arrive while the first list is on its way on top of it', async () => {
    const job = jobView();
    host.jobs = [job];
    const store = useJobsStore();
    const starting = store.start();
    push({ upserted: [{ ...job, state: 'failed', error: 'boom' }] });
    await starting;
    expect(store.get(job.id)?.state).toBe('failed');
  });

  it('announces the end of a job the user started once, and never the end of a cluster task or of one already over', async () => {
    const mine = jobView();
    const theirs = jobView({ origin: 'cluster', user: 'root@pam' });
    const over = jobView({ state: 'succeeded' });
    host.jobs = [mine, theirs, over];
    const store = useJobsStore();
    const ended = vi.fn();
    store.onJobEnded(ended);
    await store.start();

    push({
      upserted: [
        { ...mine, state: 'failed', error: 'no' },
        { ...theirs, state: 'succeeded' },
        { ...over, warnings: 1 },
      ],
    });
    push({ upserted: [{ ...mine, state: 'failed', error: 'no' }] });
    expect(ended.mock.calls.map(([job]) => (job as JobView).id)).toEqual([mine.id]);
  });

  it('keeps what went wrong when the list cannot be read', async () => {
    fakeIpc.answer('jobs.list', () => {
      throw new Error('host gone');
    });
    const store = useJobsStore();
    await store.start();
    expect(store.loaded).toBe(false);
    expect(store.loadError).toBeInstanceOf(Error);
  });
});
