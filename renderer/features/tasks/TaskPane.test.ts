import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import type { JobsDelta } from '../../../shared/domain/jobs';
import { byTestId, click, exists, fakeIpc, mountInApp, settle } from '../../testing';
import { connectionList, profileView } from '../connections/testing';
import TaskPane from './TaskPane.vue';
import { jobView, serveJobs, type JobsHost } from './testing/jobs-host';
import { logPollMs } from './use-job-log';

const profileId = '11111111-1111-4111-8111-111111111111';

let host: JobsHost;

beforeEach(() => {
  fakeIpc.reset();
  host = serveJobs(fakeIpc);
  window.localStorage.clear();
  fakeIpc.answer('connections.list', () =>
    connectionList([profileView({ id: profileId, state: { status: 'connected', userid: 'labadmin@pve', since: '2026-01-01T00:00:00Z' } })]),
  );
  fakeIpc.answer('settings.update', (patch) => ({ locale: 'en', theme: 'light', taskLogVisible: true, ...patch }) as never);
});
afterEach(() => vi.useRealTimers());

function rows(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="job-row"]')];
}

function row(id: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`[data-job-id="${id}"]`);
  if (found === null) throw new Error(`no row for ${id}`);
  return found;
}

function push(delta: Partial<JobsDelta>): void {
  fakeIpc.emit('jobs.changed', { upserted: delta.upserted ?? [], removed: delta.removed ?? [] });
}

async function mountPane() {
  const wrapper = await mountInApp(TaskPane);
  await flushPromises();
  return wrapper;
}

describe('task pane', () => {
  it('shows each job with its state in words, its progress, rate and ETA, user, node and guest, newest first', async () => {
    const backup = jobView({
      kind: 'pve:vzdump',
      startedAt: '2026-01-01T10:05:00Z',
      progress: { done: 512 * 1024 * 1024, total: 1024 * 1024 * 1024, unit: 'bytes', rate: 20 * 1024 * 1024, etaSeconds: 75 },
    });
    const failed = jobView({
      kind: 'pve:qmstart',
      state: 'failed',
      error: "command 'qm start 101' failed: exit code 1",
      startedAt: '2026-01-01T10:00:00Z',
      endedAt: '2026-01-01T10:00:03Z',
      cancellable: false,
      subject: { node: 'pve2', vmid: 101 },
    });
    host.jobs = [failed, backup];
    await mountPane();

    expect(rows().map((element) => element.dataset.jobId)).toEqual([backup.id, failed.id]);
    const backupRow = row(backup.id);
    expect(backupRow.textContent).toContain('Backup of 100');
    expect(backupRow.textContent).toContain('Running');
    expect(backupRow.textContent).toContain('50%');
    expect(backupRow.textContent).toContain('20.0 MiB/s · 1m 15s left');
    expect(backupRow.textContent).toContain('pve1 · guest 100');
    expect(backupRow.textContent).toContain('labadmin@pve');
    expect(backupRow.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('50');

    const failedRow = row(failed.id);
    expect(failedRow.textContent).toContain('Failed');
    expect(failedRow.textContent).toContain("command 'qm start 101' failed: exit code 1");
    expect(failedRow.textContent).toContain('3s');
    expect(failedRow.querySelector('[data-testid="job-stop"]')).toBeNull();
  });

  it('gives the user column room for the usual ids, and a token id its full text in a title where it is cut short', async () => {
    const byToken = jobView({ origin: 'cluster', user: 'automation@pve!nightly-backups', startedAt: '2026-01-01T09:00:00Z' });
    host.jobs = [byToken];
    await mountPane();
    const user = row(byToken.id).querySelector<HTMLElement>('[data-testid="job-user"]');
    expect(user?.textContent).toBe('automation@pve!nightly-backups');
    expect(user?.title).toBe('automation@pve!nightly-backups');
    const userColumn = [...document.querySelectorAll('.table th')].findIndex((header) => header.textContent?.trim() === 'User');
    // 'labadmin@pve' is 12 characters: at the table's 14 px font, about 100 px of text beside the cell's padding.
    expect(parseFloat(document.querySelectorAll<HTMLElement>('.table col')[userColumn]?.style.width ?? '0')).toBeGreaterThanOrEqual(130);
  });

  it('shows a bar without a value while the amount of work is unknown', async () => {
    const job = jobView();
    host.jobs = [job];
    await mountPane();
    const bar = row(job.id).querySelector('[role="progressbar"]');
    expect(bar).not.toBeNull();
    expect(bar?.hasAttribute('aria-valuenow')).toBe(false);
  });

  it('updates a row from a delta, without another list', async () => {
    const job = jobView();
    host.jobs = [job];
    await mountPane();
    push({ upserted: [{ ...job, progress: { done: 42, unit: 'percent' } }] });
    await nextTick();
    expect(row(job.id).textContent).toContain('42%');
    const other = jobView({ origin: 'cluster', user: 'root@pam', startedAt: '2026-01-01T11:00:00Z' });
    push({ upserted: [other] });
    await nextTick();
    expect(rows().map((element) => element.dataset.jobId)).toEqual([other.id, job.id]);
  });

  it('opens the log on Enter, follows it every second while the job runs, stops when it is complete, and closes on Escape', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const job = jobView();
    host.jobs = [job];
    host.logs.set(job.id, ['starting']);
    await mountPane();

    row(job.id).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await flushPromises();
    expect(byTestId('job-log-text').textContent).toBe('starting');

    host.logs.set(job.id, ['starting', 'progress 50%', 'TASK OK']);
    host.ended.add(job.id);
    await vi.advanceTimersByTimeAsync(logPollMs);
    await flushPromises();
    expect(byTestId('job-log-text').textContent).toBe('starting\nprogress 50%\nTASK OK');
    expect(host.logCalls.map((call) => call.from)).toEqual([0, 1]);

    await vi.advanceTimersByTimeAsync(5 * logPollMs);
    expect(host.logCalls).toHaveLength(2);

    // Naive UI's focus trap reads `code`, as a real key press sets it.
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true }));
    await settle();
    expect(exists('job-log-text')).toBe(false);
  });

  it('shows PVE’s exit status in red in the log of a failed job', async () => {
    const job = jobView({ state: 'failed', error: 'job errors', cancellable: false });
    host.jobs = [job];
    host.ended.add(job.id);
    await mountPane();
    row(job.id).click();
    await flushPromises();
    expect(byTestId('job-error').textContent).toContain('job errors');
  });

  it('names in words every task type the guest operations start, when another client starts it', async () => {
    // PVE's task types behind snapshots, disks, backups, clones, migrations and HA requests (pve-manager's task_desc_table).
    const kinds = [
      ...['qmsnapshot', 'qmrollback', 'qmdelsnapshot', 'qmmove', 'resize', 'qmrestore', 'qmclone', 'qmigrate', 'imgdel', 'qmcreate', 'qmdestroy'],
      ...['qmconfig', 'vzdump', 'hamigrate', 'hastart', 'hastop', 'qmtemplate', 'download', 'imgcopy'],
    ];
    host.jobs = kinds.map((kind) => jobView({ kind: `pve:${kind}`, origin: 'cluster', user: 'root@pam' }));
    await mountPane();
    const texts = rows().map((element) => element.textContent ?? '');
    expect(texts).toHaveLength(kinds.length);
    for (const kind of kinds) expect(texts.join('\n')).not.toContain(`${kind} 100`);
    expect(texts.join('\n')).toContain('VM 100: take a snapshot');
  });

  it('shows a migration’s outcome, its figures made readable, in the row and in the log', async () => {
    const job = jobView({
      kind: 'pve:qmigrate',
      state: 'succeeded',
      endedAt: '2026-01-01T10:01:05Z',
      cancellable: false,
      outcome: { key: 'tasks.outcome.migration', params: { duration: 65, downtime: 45 } },
    });
    host.jobs = [job];
    host.ended.add(job.id);
    await mountPane();
    expect(row(job.id).querySelector('[data-testid="job-outcome"]')?.textContent).toBe('Migrated in 1\u00a0min 5\u00a0s, with 45\u00a0ms of downtime');
    row(job.id).click();
    await flushPromises();
    expect(byTestId('job-outcome').textContent).toBe('Migrated in 1\u00a0min 5\u00a0s, with 45\u00a0ms of downtime');
  });

  it('stops a job the user started at once, and asks first for a cluster task somebody else started', async () => {
    const mine = jobView();
    const theirs = jobView({ origin: 'cluster', user: 'root@pam', startedAt: '2026-01-01T09:00:00Z' });
    host.jobs = [mine, theirs];
    await mountPane();

    row(mine.id).querySelector<HTMLElement>('[data-testid="job-stop"]')?.click();
    await flushPromises();
    expect(host.cancelled).toEqual([mine.id]);
    expect(exists('job-log-text')).toBe(false);

    row(theirs.id).querySelector<HTMLElement>('[data-testid="job-stop"]')?.click();
    await flushPromises();
    expect(host.cancelled).toEqual([mine.id]);
    expect(document.body.textContent).toContain('Stop a task you did not start?');
    await click('confirm-stop');
    expect(host.cancelled).toEqual([mine.id, theirs.id]);
  });

  it('filters mine / all and running / failed, and remembers the choice', async () => {
    const mine = jobView({ startedAt: '2026-01-01T10:00:00Z' });
    const myClusterTask = jobView({ origin: 'cluster', user: 'labadmin@pve!ci', state: 'failed', startedAt: '2026-01-01T09:00:00Z' });
    const theirs = jobView({ origin: 'cluster', user: 'root@pam', state: 'succeeded', startedAt: '2026-01-01T08:00:00Z' });
    host.jobs = [mine, myClusterTask, theirs];
    const wrapper = await mountPane();

    await clickRadio('Mine');
    expect(rows().map((element) => element.dataset.jobId)).toEqual([mine.id, myClusterTask.id]);
    await clickRadio('Failed');
    expect(rows().map((element) => element.dataset.jobId)).toEqual([myClusterTask.id]);

    wrapper.unmount();
    await mountPane();
    expect(rows().map((element) => element.dataset.jobId)).toEqual([myClusterTask.id]);
  });

  it('toasts when a job the user started ends', async () => {
    const job = jobView();
    host.jobs = [job];
    await mountPane();
    push({ upserted: [{ ...job, state: 'failed', error: "command 'qm start 100' failed: exit code 1" }] });
    await flushPromises();
    expect(document.body.textContent).toContain("Failed: VM 100: start. command 'qm start 100' failed: exit code 1");
  });
});

async function clickRadio(label: string): Promise<void> {
  const input = [...document.querySelectorAll<HTMLElement>('.n-radio-button')].find((element) => element.textContent?.trim() === label);
  if (input === undefined) throw new Error(`no radio button ${label}`);
  input.querySelector('input')?.click();
  await flushPromises();
}
