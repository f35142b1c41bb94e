import { describe, expect, it } from 'vitest';
import type { JobView } from '../../shared/domain/jobs';
import { jobNotificationText } from './job-notification-text';

const base: JobView = {
  id: 'pve:0f6b8a52-6d1e-4a43-9d4e-3f1f5c2a7b10:UPID:pve1:00000001:00000001:00000001:qmstart:100:root@pam:',
  kind: 'pve:qmstart',
  title: { key: 'tasks.kinds.qmstart', params: { type: 'qmstart', id: '100', node: 'pve1', target: '100' } },
  subject: { node: 'pve1', vmid: 100, cluster: 'lab1' },
  origin: 'app',
  state: 'succeeded',
  startedAt: '2026-01-01T00:00:00.000Z',
  cancellable: false,
};

describe('job notification text', () => {
  it('names the task, its node and cluster, in English or French', () => {
    expect(jobNotificationText({ ...base, state: 'succeeded' }, 'en-US')).toEqual({ title: 'Task done', body: 'qmstart 100 on pve1 (lab1)' });
    expect(jobNotificationText({ ...base, state: 'cancelled' }, 'fr-FR')).toEqual({ title: 'Tâche arrêtée', body: 'qmstart 100 sur pve1 (lab1)' });
  });

  it("gives PVE's error for a failure and points at the log for warnings", () => {
    expect(jobNotificationText({ ...base, state: 'failed', error: 'VM 100 already running' }, 'en')).toEqual({
      title: 'Task failed',
      body: 'qmstart 100 on pve1 (lab1): VM 100 already running',
    });
    expect(jobNotificationText({ ...base, state: 'succeeded', warnings: 2 }, 'fr').body).toBe(
      'qmstart 100 sur pve1 (lab1). Tâche terminée avec 2 avertissements : voyez son journal dans le panneau des tâches.',
    );
  });
});
