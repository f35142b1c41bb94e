import type { JobTitle } from '../../../shared/domain/jobs';

/** What a migration task's log tells of it so far: seconds it took, milliseconds the guest was paused. */
export interface MigrationFacts {
  duration?: number;
  downtime?: number;
}

/** pve-guest-common AbstractMigrate.pm: `migration finished successfully (duration 00:01:12)`. */
const finished = /migration finished successfully \(duration (\d+):(\d{2}):(\d{2})\)/;
/** qemu-server QemuMigrate.pm phase2: `average migration speed: 110.5 MiB/s - downtime 37 ms`. */
const downtime = / - downtime (\d+) ms\b/;

/** Adds what new log lines say to the facts read before (a task's log arrives in several reads). */
export function readMigrationFacts(lines: readonly string[], previous: MigrationFacts): MigrationFacts {
  const facts = { ...previous };
  for (const line of lines) {
    const end = finished.exec(line);
    if (end) facts.duration = Number(end[1]) * 3600 + Number(end[2]) * 60 + Number(end[3]);
    const pause = downtime.exec(line);
    if (pause) facts.downtime = Number(pause[1]);
  }
  return facts;
}

/**
 * A finished migration's outcome for the task pane: the duration and, for a
 * live one, the downtime (the renderer formats seconds and milliseconds).
 * Undefined until PVE has written that it finished.
 */
export function migrationOutcome(facts: MigrationFacts): JobTitle | undefined {
  if (facts.duration === undefined) return undefined;
  if (facts.downtime === undefined) return { key: 'tasks.outcome.migrationOffline', params: { duration: facts.duration } };
  return { key: 'tasks.outcome.migration', params: { duration: facts.duration, downtime: facts.downtime } };
}
