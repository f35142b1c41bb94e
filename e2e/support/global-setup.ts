import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, rendererDir } from './paths';

/** The end-to-end tests drive the built app; build it when `npm test` has not already. */
export default function setup(): void {
  if (existsSync(join(rendererDir, 'index.html')) && process.env.PVE_DESK_SKIP_BUILD === '1') return;
  execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
}
