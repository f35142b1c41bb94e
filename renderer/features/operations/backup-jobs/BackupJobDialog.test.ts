import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import type { BackupJobView } from '../../../../shared/domain/operations';
import { byTestId, click, fakeIpc, mountInApp, type } from '../../../testing';
import { useInventoryStore } from '../../inventory';
import { clusterFeed, guestItem, labProfileId, nodeItem, serveInventory } from '../../inventory/testing';
import BackupJobDialog from './BackupJobDialog.vue';
import { jobForm, jobFromForm } from './job-form';

const weekly: BackupJobView = {
  id: 'backup-1a2b3c4d-0001',
  enabled: true,
  schedule: 'sat 02:00',
  storage: 'shared',
  mode: 'snapshot',
  compress: 'zstd',
  selection: { kind: 'guests', vmids: [100, 101] },
  retention: { keepLast: 3 },
  notesTemplate: '{{guestname}}',
};

async function openDialog(job?: BackupJobView) {
  serveInventory(fakeIpc, [{ feed: clusterFeed(), items: [nodeItem('pve1'), nodeItem('pve2'), guestItem(100), guestItem(101)] }]);
  fakeIpc.answer('operations.storages', () => [
    { storage: 'local', type: 'dir', content: ['backup'], shared: false, active: true },
    { storage: 'shared', type: 'dir', content: ['backup'], shared: true, active: true },
  ]);
  fakeIpc.answer('operations.saveBackupJob', ({ job: saved }) => ({ ...saved, id: saved.id ?? 'backup-new' }) as BackupJobView);
  const Host = defineComponent(() => {
    const ready = ref(false);
    void useInventoryStore()
      .start()
      .then(() => (ready.value = true));
    return () => (ready.value ? h(BackupJobDialog, { profileId: labProfileId, job }) : null);
  });
  await mountInApp(Host);
  await flushPromises();
}

beforeEach(() => {
  fakeIpc.reset();
  document.body.innerHTML = '';
});

describe('BackupJobDialog', { timeout: 20_000 }, () => {
  it('reads the schedule live as it is typed, and says when it cannot', async () => {
    await openDialog();
    expect(byTestId('schedule-reading').textContent).toContain('every Saturday at 02:00');
    await type('field-schedule', 'mon..fri 22:30');
    expect(byTestId('schedule-reading').textContent).toContain('Monday to Friday at 22:30');
    await type('field-schedule', 'someday');
    expect(byTestId('schedule-reading').dataset.readable).toBe('false');
    expect(byTestId('schedule-reading').textContent).toContain('cannot be read');
  });

  it('saves an edited job with its id, guests, new schedule and keep-last', async () => {
    await openDialog(weekly);
    await type('field-schedule', 'sun 01:00');
    await type('field-keep-last', '2');
    byTestId('field-keep-last').querySelector('input')?.dispatchEvent(new Event('blur'));
    await type('field-comment', 'weekly copies');
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.saveBackupJob')).toEqual([
      {
        profileId: labProfileId,
        create: false,
        job: {
          id: weekly.id,
          enabled: true,
          schedule: 'sun 01:00',
          storage: 'shared',
          mode: 'snapshot',
          compress: 'zstd',
          selection: { kind: 'guests', vmids: [100, 101] },
          retention: { keepLast: 2 },
          notesTemplate: '{{guestname}}',
          comment: 'weekly copies',
        },
      },
    ]);
  });

  it('creates a job on the first storage that takes backups, for all guests, with PVE’s notes template', async () => {
    await openDialog();
    // An empty exclusion list says what empty means, not Naive UI's "Please Select".
    expect(byTestId('field-exclude').textContent).toContain('No guest excluded');
    await click('dialog-submit');
    expect(fakeIpc.callsOf('operations.saveBackupJob')).toEqual([
      {
        profileId: labProfileId,
        create: true,
        job: {
          enabled: true,
          schedule: 'sat 02:00',
          storage: 'local',
          mode: 'snapshot',
          compress: 'zstd',
          selection: { kind: 'all', exclude: [] },
          notesTemplate: '{{guestname}}',
        },
      },
    ]);
  });
});

describe('jobFromForm', () => {
  it('names the field that keeps a job from being saved', () => {
    expect(jobFromForm({ ...jobForm(), storage: 'local', schedule: '  ' })).toEqual({ problem: 'schedule' });
    expect(jobFromForm(jobForm())).toEqual({ problem: 'storage' });
    expect(jobFromForm({ ...jobForm(), storage: 'local', selection: 'guests' })).toEqual({ problem: 'vmids' });
    expect(jobFromForm({ ...jobForm(), storage: 'local', selection: 'pool' })).toEqual({ problem: 'pool' });
  });

  it('sends keep-all alone, the limits set, or no retention at all', () => {
    const form = { ...jobForm(), storage: 'local', node: 'pve2', selection: 'pool' as const, pool: 'students' };
    expect(jobFromForm({ ...form, keepAll: true, keep: { ...form.keep, keepLast: 2 } })).toMatchObject({ job: { retention: { keepAll: true } } });
    expect(jobFromForm({ ...form, keep: { ...form.keep, keepDaily: 7, keepWeekly: 4 } })).toMatchObject({
      job: { node: 'pve2', selection: { kind: 'pool', pool: 'students' }, retention: { keepDaily: 7, keepWeekly: 4 } },
    });
    const plain = jobFromForm(form);
    expect('job' in plain && plain.job.retention).toBe(undefined);
  });
});
