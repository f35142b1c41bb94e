import type { TestProject } from 'vitest/node';
import { startLab } from '../../lab/api/lab-harness';
import { buildApp } from './build-app';

/** Both clusters, so the inventory is tested merged; no guest running: the files that need one boot it and stop it after. */
const sharedLabArgs = ['--clusters', '2', '--onboot', '0'];
/** Two clusters' nodes and sshd on a machine the other helpers share: more than the one-cluster default. */
const LAB_START_TIMEOUT_MS = 120_000;

/**
 * The end-to-end tests drive the built app (built here when `npm test` has not
 * already) against one lab, started here once for every file and stopped when
 * the run ends: by the teardown below, or, should the run be killed, by the
 * lab's own watch on its parents. Its LAB READY answer reaches the files
 * through `provide` (read with `sharedLab()`, e2e/support/shared-lab.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildApp();
  const lab = await startLab(sharedLabArgs, LAB_START_TIMEOUT_MS);
  project.provide('lab', lab.ready);
  return () => lab.stop();
}
