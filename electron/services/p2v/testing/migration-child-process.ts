/**
 * Starts `migration-child.ts` (tied to the test: it dies with it) and follows the job views it prints, so the test
 * can SIGKILL it at the moment it chooses.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { P2vJobView, P2vPlan, P2vTarget } from '../../../../shared/domain/p2v';
import type { LabReady } from '../../../../lab/api/lab-harness';

export interface MigrationChildOrders {
  ready: LabReady;
  /** Keeps the child's keychain entries apart, as a test file's name does. */
  name: string;
  configDir: string;
  sshAt: Record<string, { host: string; port: number }>;
  plan: Omit<P2vPlan, 'target'> & { target: Omit<P2vTarget, 'profileId'> };
}

export interface MigrationChild {
  /** The profile the child saved and the last job view it printed, once it printed them. */
  latest(): { profileId?: string; job?: P2vJobView };
  /** Fails with the child's stderr once it has ended by itself (it never should before the test kills it). */
  assertRunning(): void;
  /** SIGKILL, as a crash: resolves once the process is gone. */
  kill(): Promise<void>;
}

const script = join(dirname(fileURLToPath(import.meta.url)), 'migration-child.ts');

export function startMigrationChild(orders: MigrationChildOrders): MigrationChild {
  const child = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', process.execPath, '--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(JSON.stringify(orders));
  let pending = '';
  let stderr = '';
  const latest: { profileId?: string; job?: P2vJobView } = {};
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('PROFILE ')) latest.profileId = line.slice('PROFILE '.length);
      else if (line.startsWith('P2V ')) latest.job = JSON.parse(line.slice('P2V '.length)) as P2vJobView;
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    latest: () => ({ ...latest }),
    assertRunning: () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the migration child ended by itself (${child.exitCode ?? child.signalCode}):\n${stderr}`);
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
