import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLab } from '../../lab/api/lab-harness';
import { repoRoot, rendererDir } from './paths';
import { sharedLabArgs } from './shared-lab';

/** Two clusters' nodes and sshd on a machine the other helpers share: more than the one-cluster default. */
const LAB_START_TIMEOUT_MS = 120_000;

/**
 * The end-to-end tests drive the built app (built here when `npm test` has not
 * already) against one lab, started here once for every file and stopped when
 * the run ends: by the teardown below, or, should the run be killed, by the
 * lab's own watch on its parents.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(join(rendererDir, 'index.html')) || process.env.PVE_DESK_SKIP_BUILD !== '1') {
    execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const lab = await startLab(sharedLabArgs, LAB_START_TIMEOUT_MS);
  project.provide('lab', lab.ready);
  return () => lab.stop();
}
