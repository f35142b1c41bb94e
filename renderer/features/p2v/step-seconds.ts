import type { P2vJobView, P2vStepView } from '../../../shared/domain/p2v';

/** How long a step took, up to the job's last change while it runs; undefined before it started. */
export function stepSeconds(job: P2vJobView, step: P2vStepView): number | undefined {
  if (step.startedAt === undefined) return undefined;
  const end = step.endedAt === undefined ? Date.parse(job.updatedAt) : Date.parse(step.endedAt);
  const value = (end - Date.parse(step.startedAt)) / 1000;
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
