import { describe, expect, it } from 'vitest';
import type { BackupJobDraft } from '../../../shared/domain/operations';
import { backupJobData as backupJobEntrySchema } from '../../../shared/pve/backup-job';
import { backupJobForm, backupJobView, parseRetention, printRetention, runNowForm } from './backup-job-form';

const weekly: BackupJobDraft = {
  id: 'weekly',
  enabled: true,
  schedule: 'sat 02:00',
  storage: 'backup-nfs',
  mode: 'snapshot',
  compress: 'zstd',
  selection: { kind: 'all', exclude: [] },
  retention: { keepLast: 2 },
};

describe('retention', () => {
  it('reads prune-backups as a property string or an object, and prints it back', () => {
    expect(parseRetention('keep-last=2,keep-weekly=4')).toEqual({ keepLast: 2, keepWeekly: 4 });
    expect(parseRetention({ 'keep-daily': '7', 'keep-yearly': 1 })).toEqual({ keepDaily: 7, keepYearly: 1 });
    expect(parseRetention('keep-all=1')).toEqual({ keepAll: true });
    expect(parseRetention(undefined)).toBeUndefined();
    expect(printRetention({ keepLast: 2, keepMonthly: 3 })).toBe('keep-last=2,keep-monthly=3');
    expect(printRetention({ keepAll: true, keepLast: 2 })).toBe('keep-all=1');
    expect(printRetention({})).toBeUndefined();
  });
});

describe('backupJobView', () => {
  it('maps a job of all guests with exclusions, vzdump defaults where options are absent', () => {
    const entry = backupJobEntrySchema.parse({
      id: 'weekly',
      type: 'vzdump',
      enabled: 1,
      schedule: 'sat 02:00',
      storage: 'local',
      all: 1,
      exclude: '101,102',
      'prune-backups': 'keep-last=2',
    });
    expect(backupJobView(entry)).toEqual({
      id: 'weekly',
      enabled: true,
      schedule: 'sat 02:00',
      storage: 'local',
      mode: 'snapshot',
      compress: '0',
      selection: { kind: 'all', exclude: [101, 102] },
      retention: { keepLast: 2 },
    });
  });

  it('maps a guest list, a pool, lzo spelt 1, and a disabled job with its node and notes', () => {
    const guests = backupJobView(
      backupJobEntrySchema.parse({ id: 'a', vmid: '100,105', compress: '1', enabled: 0, node: 'pve2', 'notes-template': '{{guestname}}' }),
    );
    expect(guests).toMatchObject({
      selection: { kind: 'guests', vmids: [100, 105] },
      compress: 'lzo',
      enabled: false,
      node: 'pve2',
      notesTemplate: '{{guestname}}',
    });
    expect(backupJobView(backupJobEntrySchema.parse({ id: 'b', pool: 'prod', mode: 'stop' })).selection).toEqual({ kind: 'pool', pool: 'prod' });
  });
});

describe('backupJobForm', () => {
  it('creates a job with its id, all guests and the retention', () => {
    expect(backupJobForm(weekly)).toEqual({
      id: 'weekly',
      enabled: 1,
      schedule: 'sat 02:00',
      storage: 'backup-nfs',
      mode: 'snapshot',
      compress: 'zstd',
      node: undefined,
      all: 1,
      exclude: undefined,
      'prune-backups': 'keep-last=2',
      comment: undefined,
      'notes-template': undefined,
    });
  });

  it('updates a job naming in delete the options it dropped, without its id', () => {
    const stored = backupJobEntrySchema.parse({ id: 'weekly', all: 1, node: 'pve1', 'prune-backups': 'keep-last=2', storage: 'local' });
    const form = backupJobForm({ ...weekly, selection: { kind: 'guests', vmids: [100, 101] }, retention: undefined, comment: 'nightly' }, stored);
    expect(form).not.toHaveProperty('id');
    expect(form).toMatchObject({ all: 0, vmid: '100,101', comment: 'nightly', delete: 'node,prune-backups' });
  });

  it('drops the exclusions of an all-guests job when none are left, and deletes nothing the job lacks', () => {
    const stored = backupJobEntrySchema.parse({ id: 'weekly', all: 1, exclude: '101' });
    expect(backupJobForm({ ...weekly, node: 'pve1', comment: 'c', notesTemplate: 'n' }, stored).delete).toBe('exclude');
    expect(backupJobForm({ ...weekly, retention: undefined }, backupJobEntrySchema.parse({ id: 'weekly', all: 1 })).delete).toBeUndefined();
  });
});

describe('runNowForm', () => {
  it('sends the job options without the scheduling ones, all as 0/1 and property strings printed', () => {
    const entry = backupJobEntrySchema.parse({
      id: 'weekly',
      type: 'vzdump',
      enabled: 1,
      schedule: 'sat 02:00',
      node: 'pve1',
      comment: 'c',
      'repeat-missed': 0,
      digest: 'abc',
      storage: 'local',
      all: 1,
      exclude: '101',
      mode: 'snapshot',
      'prune-backups': { 'keep-last': 2 },
      'notes-template': '{{guestname}}',
    });
    expect(runNowForm(entry)).toEqual({
      storage: 'local',
      all: 1,
      exclude: '101',
      mode: 'snapshot',
      'prune-backups': 'keep-last=2',
      'notes-template': '{{guestname}}',
    });
  });
});
