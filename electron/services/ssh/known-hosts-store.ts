import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../config';
import type { Logger } from '../log';
import { hostPortLabel } from '../../../shared/domain/host-port';

export const knownHostsFileName = 'ssh-known-hosts.json';

const pinSchema = z.object({
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
  keyType: z.string().min(1).max(64),
  pinnedAt: z.string(),
});
const fileSchema = z.object({ version: z.literal(1), hosts: z.record(z.string(), pinSchema) });

export type PinnedHostKey = z.infer<typeof pinSchema>;
type KnownHostsFile = z.infer<typeof fileSchema>;

/**
 * The app's own SSH known hosts, one pinned key per host:port (`[::1]:22` for
 * IPv6), in the config folder. Separate from ~/.ssh/known_hosts so the app
 * never edits the user's OpenSSH files, and the same on every platform.
 */
export class KnownHostsStore {
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    configDir: string,
    private readonly logger: Logger,
  ) {
    this.file = join(configDir, knownHostsFileName);
  }

  async lookup(host: string, port: number): Promise<PinnedHostKey | undefined> {
    return (await this.read()).hosts[entryKey(host, port)];
  }

  async pin(host: string, port: number, key: { fingerprint: string; keyType: string }): Promise<void> {
    const pinned: PinnedHostKey = { fingerprint: key.fingerprint, keyType: key.keyType, pinnedAt: new Date().toISOString() };
    await this.update((hosts) => ({ ...hosts, [entryKey(host, port)]: pinned }));
    this.logger.info('ssh.host-key-pinned', { host, port, fingerprint: key.fingerprint, keyType: key.keyType });
  }

  /** Forgets a pin (the user confirmed a node was reinstalled); the next connection asks again. */
  async forget(host: string, port: number): Promise<boolean> {
    let found = false;
    const key = entryKey(host, port);
    await this.update((hosts) => {
      found = key in hosts;
      return Object.fromEntries(Object.entries(hosts).filter(([name]) => name !== key));
    });
    return found;
  }

  async list(): Promise<Array<{ hostPort: string } & PinnedHostKey>> {
    return Object.entries((await this.read()).hosts).map(([hostPort, pin]) => ({ hostPort, ...pin }));
  }

  private async read(): Promise<KnownHostsFile> {
    // Re-read from disk each time: another window or the web host may have pinned meanwhile.
    return readJsonFile(this.file, fileSchema, { version: 1, hosts: {} }, this.logger);
  }

  /** Serialised read-modify-write; `change` returns the new table. */
  private update(change: (hosts: Record<string, PinnedHostKey>) => Record<string, PinnedHostKey>): Promise<void> {
    const run = this.queue.then(async () => {
      const next: KnownHostsFile = { version: 1, hosts: change((await this.read()).hosts) };
      await writeJsonFile(this.file, next);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function entryKey(host: string, port: number): string {
  return hostPortLabel(host.toLowerCase(), port);
}
