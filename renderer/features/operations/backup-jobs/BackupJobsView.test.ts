import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../../../shared/domain/jobs';
import type { BackupJobView } from '../../../../shared/domain/operations';
import { byTestId, click, exists, fakeIpc, mountInApp } from '../../../testing';
import { labProfileId } from '../../inventory/testing';
import BackupJobsView from './BackupJobsView.vue';

const job: BackupJobView = {
  id: 'backup-weekly',
  enabled: true,
  schedule: 'sat 02:00',
  storage: 'local',
  mode: 'snapshot',
  compress: 'zstd',
  selection: { kind: 'all', exclude: [113] },
  retention: { keepLast: 2, keepWeekly: 4 },
  comment: '<img src=x onerror=alert(1)> nightly',
};

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
  fakeIpc.answer('operations.backupJobs', () => [job]);
  fakeIpc.answer('operations.saveBackupJob', ({ job: saved }) => ({ ...saved, id: saved.id ?? '' }) as BackupJobView);
  fakeIpc.answer('operations.runBackupJob', () => [{ id: 'pve:x:UPID' } as unknown as JobView]);
});

describe('BackupJobsView', { timeout: 20_000 }, () => {
  it('lists a job with its schedule in words, guests, retention and the comment as text', async () => {
    await mountInApp(BackupJobsView, { profileId: labProfileId });
    const row = byTestId('backup-job-backup-weekly');
    expect(row.textContent).toContain('every Saturday at 02:00');
    expect(row.textContent).toContain('All guests except 113');
    expect(row.textContent).toContain('last 2, weekly 4');
    expect(row.textContent).toContain('<img src=x onerror=alert(1)> nightly');
    expect(row.querySelector('img')).toBeNull();
    expect(row.querySelector('[role="switch"]')?.getAttribute('aria-label')).toBe('Job backup-weekly enabled');
  });

  it('switches a job off in place, keeping the rest of it', async () => {
    await mountInApp(BackupJobsView, { profileId: labProfileId });
    byTestId('backup-job-toggle').click();
    await flushPromises();
    expect(fakeIpc.callsOf('operations.saveBackupJob')).toEqual([{ profileId: labProfileId, create: false, job: { ...job, enabled: false } }]);
  });

  it('runs a job only once the question is answered', async () => {
    await mountInApp(BackupJobsView, { profileId: labProfileId });
    await click('backup-job-run');
    expect(byTestId('confirm-dialog').textContent).toContain('Run job backup-weekly now?');
    expect(fakeIpc.callsOf('operations.runBackupJob')).toEqual([]);
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.runBackupJob')).toEqual([{ profileId: labProfileId, id: 'backup-weekly' }]);
    expect(exists('confirm-dialog')).toBe(false);
  });
});
