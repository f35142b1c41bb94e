import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IpcError } from '../../../shared/ipc/errors';
import type { JobView, JobsDelta } from '../../../shared/domain/jobs';
import { JobRegistry, type JobContext } from './job-registry';

const title = { key: 'jobs.test' };

/** A job whose work waits until the test ends it, exposing its context. */
function pendingWork(): { work: (context: JobContext) => Promise<void>; context: Promise<JobContext>; finish: () => void; fail: (error: Error) => void } {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  let started!: (context: JobContext) => void;
  const context = new Promise<JobContext>((resolve) => (started = resolve));
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return {
    work: (ctx) => {
      started(ctx);
      return done;
    },
    context,
    finish,
    fail,
  };
}

describe('JobRegistry', () => {
  let deltas: JobsDelta[];
  let ended: JobView[];
  let registry: JobRegistry;

  beforeEach(() => {
    vi.useFakeTimers();
    deltas = [];
    ended = [];
    registry = new JobRegistry({ emit: (delta) => deltas.push(delta), notifier: { jobEnded: (job) => ended.push(job) }, maxFinished: 500 });
  });
  afterEach(() => {
    registry.close();
    vi.useRealTimers();
  });

  it('sends one delta for a burst of 1 000 jobs, each with its latest state', async () => {
    const jobs = Array.from({ length: 1000 }, () => pendingWork());
    for (const job of jobs) registry.start('test', title, {}, job.work);
    const contexts = await Promise.all(jobs.map((job) => job.context));
    for (let step = 1; step <= 20; step++) for (const context of contexts) context.progress({ unit: 'items', done: step, total: 20 });
    expect(deltas).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(250);
    expect(deltas).toHaveLength(1);
    expect(deltas[0]?.upserted).toHaveLength(1000);
    expect(deltas[0]?.upserted.every((view) => view.progress?.done === 20)).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(deltas).toHaveLength(1);
  });

  it('keeps log lines out of the delta and sends nothing for a chatty log', async () => {
    const job = pendingWork();
    const view = registry.start('test', title, {}, job.work);
    await vi.advanceTimersByTimeAsync(250);
    deltas.length = 0;
    const context = await job.context;
    for (let i = 0; i < 10_000; i++) context.log(`line ${i}`);
    await vi.advanceTimersByTimeAsync(1000);
    expect(deltas).toHaveLength(0);
    expect(registry.log(view.id, 9998, 10)).toMatchObject({ lines: ['line 9998', 'line 9999'], next: 10_000, complete: false });
  });

  it('tells who waits for a job its end, and a job already ended or unknown at once', async () => {
    const job = pendingWork();
    const view = registry.start('test', title, {}, job.work);
    const waiting = registry.whenEnded(view.id);
    await job.context;
    job.finish();
    await expect(waiting).resolves.toMatchObject({ id: view.id, state: 'succeeded' });
    await expect(registry.whenEnded(view.id)).resolves.toMatchObject({ state: 'succeeded' });
    await expect(registry.whenEnded('app:unknown')).resolves.toBeUndefined();
  });

  it('answers undefined to who waits for a job forgotten before its end', async () => {
    registry.add(
      {
        id: 'pve:p:UPID',
        kind: 'pve:qmigrate',
        title,
        subject: {},
        origin: 'cluster',
        state: 'running',
        startedAt: new Date().toISOString(),
        cancellable: false,
      },
      () => Promise.resolve(false),
    );
    const waiting = registry.whenEnded('pve:p:UPID');
    registry.remove('pve:p:UPID');
    await expect(waiting).resolves.toBeUndefined();
  });

  it('forgets the oldest finished jobs beyond the bound and says so in the delta', async () => {
    const small = new JobRegistry({ emit: (delta) => deltas.push(delta), maxFinished: 3 });
    const views = [];
    for (let i = 0; i < 5; i++) views.push(small.start('test', title, {}, () => Promise.resolve()));
    await vi.advanceTimersByTimeAsync(250);
    small.close();
    expect(
      small
        .list()
        .map((view) => view.id)
        .sort(),
    ).toEqual(
      views
        .slice(2)
        .map((view) => view.id)
        .sort(),
    );
    const removed = deltas.flatMap((delta) => delta.removed);
    expect(removed.sort()).toEqual(
      views
        .slice(0, 2)
        .map((view) => view.id)
        .sort(),
    );
  });

  it('ends succeeded, failed with the error, or cancelled when cancel aborted the signal', async () => {
    const ok = pendingWork();
    const bad = pendingWork();
    const stopped = pendingWork();
    const okView = registry.start('test', title, {}, ok.work);
    const badView = registry.start('test', title, {}, bad.work);
    const stoppedView = registry.start('test', title, {}, stopped.work);
    const stoppedContext = await stopped.context;
    stoppedContext.signal.addEventListener('abort', () => stopped.fail(new Error('aborted')));
    expect(registry.view(okView.id)?.state).toBe('running');

    ok.finish();
    bad.fail(new Error('disk full: free some space and retry'));
    expect(await registry.cancel(stoppedView.id)).toEqual({ cancelled: true });
    expect(stoppedContext.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(0);

    expect(registry.view(okView.id)).toMatchObject({ state: 'succeeded', cancellable: false });
    expect(registry.view(badView.id)).toMatchObject({ state: 'failed', error: 'disk full: free some space and retry' });
    expect(registry.view(stoppedView.id)).toMatchObject({ state: 'cancelled' });
    expect(await registry.cancel(okView.id)).toEqual({ cancelled: false });
    expect(ended.map((view) => view.state).sort()).toEqual(['cancelled', 'failed', 'succeeded']);
    expect(registry.log(okView.id, 0, 10).complete).toBe(true);
  });

  it('keeps the translations of a failure the app wrote in its languages', async () => {
    const translated = pendingWork();
    const plain = pendingWork();
    const translatedView = registry.start('test', title, {}, translated.work);
    const plainView = registry.start('test', title, {}, plain.work);
    translated.fail(new IpcError('STORAGE_FAILED', { en: 'The disk is full.', fr: 'Le disque est plein.' }));
    plain.fail(new Error('exit code 1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(registry.view(translatedView.id)).toMatchObject({ error: 'The disk is full.', errorTranslations: { fr: 'Le disque est plein.' } });
    expect(registry.view(plainView.id)?.error).toBe('exit code 1');
    expect(registry.view(plainView.id)).not.toHaveProperty('errorTranslations');
  });

  it('adds a rate and an ETA to progress reports', async () => {
    const job = pendingWork();
    const view = registry.start('test', title, {}, job.work);
    const context = await job.context;
    context.progress({ unit: 'bytes', done: 0, total: 1000 });
    await vi.advanceTimersByTimeAsync(2000);
    context.progress({ unit: 'bytes', done: 200, total: 1000 });
    expect(registry.view(view.id)?.progress).toEqual({ unit: 'bytes', done: 200, total: 1000, rate: 100, etaSeconds: 8 });
  });

  it('refuses the log and the cancel of an unknown job with NOT_FOUND', async () => {
    await expect(registry.cancel('app:0123')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      translations: { fr: 'Cette tâche ne figure plus dans la liste. Actualisez la liste des tâches.' },
    });
    expect(() => registry.log('app:0123', 0, 1)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
  });
  it("does not count a cluster's finished tasks toward the bound of the app's own", async () => {
    const small = new JobRegistry({ emit: () => undefined, maxFinished: 2 });
    for (let i = 0; i < 5; i++) {
      small.add(
        {
          id: `pve:x:${i}`,
          kind: 'pve:qmstart',
          title,
          subject: {},
          origin: 'cluster',
          state: 'succeeded',
          startedAt: new Date(i).toISOString(),
          cancellable: false,
        },
        () => Promise.resolve(false),
      );
    }
    small.start('test', title, {}, () => Promise.resolve());
    await vi.advanceTimersByTimeAsync(0);
    small.close();
    expect(small.list()).toHaveLength(6);
  });
});
