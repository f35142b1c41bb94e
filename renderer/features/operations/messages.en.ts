import { backupsEn } from './messages/backups.en';
import { commonEn } from './messages/common.en';
import { configEn } from './messages/config.en';
import { createEn } from './messages/create.en';
import { graphsEn } from './messages/graphs.en';
import { jobsEn } from './messages/jobs.en';
import { migrationEn } from './messages/migration.en';
import { snapshotsEn } from './messages/snapshots.en';

/** The operations feature's English messages, merged under `operations` into the app's catalogue; one file per part. */
export const operationsEn = {
  common: commonEn,
  create: createEn,
  config: configEn,
  snapshots: snapshotsEn,
  backups: backupsEn,
  migration: migrationEn,
  graphs: graphsEn,
  jobs: jobsEn,
};
