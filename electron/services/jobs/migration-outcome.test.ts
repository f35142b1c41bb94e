import { describe, expect, it } from 'vitest';
import { migrationOutcome, readMigrationFacts } from './migration-outcome';

describe('migration outcome', () => {
  it('reads the downtime and the duration from lines that arrive in several reads', () => {
    const first = readMigrationFacts(
      ['migration active, transferred 1.0 GiB of 4.0 GiB VM-state, 110.5 MiB/s', 'average migration speed: 120.1 MiB/s - downtime 37 ms'],
      {},
    );
    expect(migrationOutcome(first)).toBeUndefined();
    const done = readMigrationFacts(['migration status: completed', 'migration finished successfully (duration 01:02:03)'], first);
    expect(migrationOutcome(done)).toEqual({ key: 'tasks.outcome.migration', params: { duration: 3723, downtime: 37 } });
  });

  it('gives an offline migration its duration alone', () => {
    expect(migrationOutcome(readMigrationFacts(['migration finished successfully (duration 00:00:05)'], {}))).toEqual({
      key: 'tasks.outcome.migrationOffline',
      params: { duration: 5 },
    });
  });

  it('ignores other lines', () => {
    expect(readMigrationFacts(['migration downtime limit: 100 ms', 'starting migration of VM 100'], {})).toEqual({});
  });
});
