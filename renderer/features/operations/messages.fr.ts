import type { operationsEn } from './messages.en';
import { backupsFr } from './messages/backups.fr';
import { commonFr } from './messages/common.fr';
import { configFr } from './messages/config.fr';
import { createFr } from './messages/create.fr';
import { graphsFr } from './messages/graphs.fr';
import { jobsFr } from './messages/jobs.fr';
import { migrationFr } from './messages/migration.fr';
import { snapshotsFr } from './messages/snapshots.fr';

/** Les messages de la fonctionnalité operations en français ; mêmes clés que l'anglais (vérifié par le type). */
export const operationsFr: typeof operationsEn = {
  common: commonFr,
  create: createFr,
  config: configFr,
  snapshots: snapshotsFr,
  backups: backupsFr,
  migration: migrationFr,
  graphs: graphsFr,
  jobs: jobsFr,
};
