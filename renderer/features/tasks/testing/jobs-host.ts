import type { JobLogChunk, JobView } from '../../../../shared/domain/jobs';
import type { FakeIpc } from '../../../testing';

/**
 * What main's jobs service answers, for component tests: `jobs` is the list,
 * `logs` the lines `jobs.log` pages through (an id in `ended` reports its log
 * complete), `cancelled` records every stop asked. `serveJobs` puts it behind
 * a fake IPC client.
 */
export interface JobsHost {
  jobs: JobView[];
  logs: Map<string, string[]>;
  ended: Set<string>;
  cancelled: string[];
  logCalls: { id: string; from: number }[];
}

export function serveJobs(fake: FakeIpc): JobsHost {
  const host: JobsHost = { jobs: [], logs: new Map(), ended: new Set(), cancelled: [], logCalls: [] };
  fake.answer('jobs.list', () => host.jobs);
  fake.answer('jobs.cancel', ({ id }) => {
    host.cancelled.push(id);
    return { cancelled: true };
  });
  fake.answer('jobs.log', ({ id, from = 0, limit = 500 }): JobLogChunk => {
    host.logCalls.push({ id, from });
    const all = host.logs.get(id) ?? [];
    const lines = all.slice(from, from + limit);
    const next = from + lines.length;
    return { id, from, lines, next, complete: host.ended.has(id) && next >= all.length };
  });
  return host;
}

let counter = 0;

/** A running job the app started; tests override what they look at. A PVE task is titled by its type, as main does. */
export function jobView(overrides: Partial<JobView> = {}): JobView {
  counter++;
  const kind = overrides.kind ?? 'pve:qmstart';
  const subject = overrides.subject ?? { profileId: '11111111-1111-4111-8111-111111111111', node: 'pve1', vmid: 100 };
  const target = String(subject.vmid ?? subject.node ?? '');
  return {
    id: `app:${counter.toString(16).padStart(32, '0')}`,
    kind,
    title: kind.startsWith('pve:') ? { key: `tasks.kinds.${kind.slice('pve:'.length)}`, params: { target } } : { key: 'jobs.titles.none' },
    subject,
    origin: 'app',
    user: 'labadmin@pve',
    state: 'running',
    startedAt: '2026-01-01T10:00:00Z',
    cancellable: true,
    ...overrides,
  };
}
