import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { P2vJobView } from '../../../../shared/domain/p2v';
import { silentLogger } from '../../log';
import { JobBook } from './job-book';
import { newJobRecord } from './job-record';
import { JobStore } from './job-store';
import { jobId as id, testPlan } from './testing';

describe('JobStore', () => {
  it('writes one private file per migration and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2v-store-'));
    const store = new JobStore(dir, silentLogger);
    const record = newJobRecord(id(1), testPlan, new Date('2026-01-02T03:04:05Z'));
    record.view.created.push({ kind: 'node-file', ref: '/var/tmp/p2v.abc', node: 'pve1' });
    await store.save(record);
    expect(statSync(join(dir, 'p2v', `${id(1)}.json`)).mode & 0o777).toBe(0o600);
    expect(await store.loadAll()).toEqual([record]);
  });

  it('moves a damaged file aside, says so, and still reads the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2v-store-'));
    const warn = vi.fn();
    const store = new JobStore(dir, { ...silentLogger, warn });
    const good = newJobRecord(id(2), testPlan, new Date());
    await store.save(good);
    writeFileSync(join(dir, 'p2v', `${id(3)}.json`), '{"view": {"id": "not a job"');
    writeFileSync(join(dir, 'p2v', `${id(4)}.json`), JSON.stringify({ view: { ...good.view, id: id(4), state: 'exploded' }, work: good.work }));
    expect(await store.loadAll()).toEqual([good]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(readdirSync(join(dir, 'p2v')).filter((name) => name.includes('.damaged-'))).toHaveLength(2);
  });

  it('reads nothing from a config folder without migrations', async () => {
    expect(await new JobStore(mkdtempSync(join(tmpdir(), 'p2v-store-')), silentLogger).loadAll()).toEqual([]);
  });
});

describe('JobBook', () => {
  it('marks a job found running as interrupted when the app starts again, on disk too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2v-book-'));
    const store = new JobStore(dir, silentLogger);
    const crashed = newJobRecord(id(5), testPlan, new Date());
    crashed.view.jobId = 'app:gone';
    const ended = newJobRecord(id(6), testPlan, new Date());
    ended.view.state = 'succeeded';
    await store.save(crashed);
    await store.save(ended);

    const emitted: P2vJobView[] = [];
    const book = new JobBook(store, (view) => emitted.push(view), silentLogger);
    await book.load();
    expect(book.get(id(5))?.view.state).toBe('interrupted');
    expect(book.get(id(5))?.view.jobId).toBeUndefined();
    expect(book.get(id(6))?.view.state).toBe('succeeded');
    expect(emitted.map((view) => [view.id, view.state])).toEqual([[id(5), 'interrupted']]);
    const reread = await new JobStore(dir, silentLogger).loadAll();
    expect(reread.find((record) => record.view.id === id(5))?.view.state).toBe('interrupted');
  });

  it('forgets a record on disk too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2v-book-'));
    const store = new JobStore(dir, silentLogger);
    const book = new JobBook(store, () => undefined, silentLogger);
    await book.add(newJobRecord(id(7), testPlan, new Date()));
    await book.remove(id(7));
    expect(book.list()).toEqual([]);
    expect(await store.loadAll()).toEqual([]);
  });
});
