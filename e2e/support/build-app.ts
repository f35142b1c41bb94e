import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, rendererDir } from './paths';

/** Builds the app the end-to-end tests and the bench drive, unless PVE_DESK_SKIP_BUILD=1 says the last build is current. */
export function buildApp(): void {
  if (existsSync(join(rendererDir, 'index.html')) && process.env.PVE_DESK_SKIP_BUILD === '1') return;
  execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
}
