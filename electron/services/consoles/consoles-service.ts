import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import type { ConsoleSession, RemoteViewerLaunch } from '../../../shared/domain/consoles';
import { IpcError } from '../../../shared/ipc/errors';
import type { Logger } from '../log';
import type { ProfileStore } from '../profiles';
import type { ClusterSessions } from '../sessions';
import type { ConsoleContext } from './context';

export interface ConsolesServiceOptions {
  sessions: ClusterSessions;
  store: Pick<ProfileStore, 'get'>;
  configDir: string;
  logger: Logger;
}

/**
 * Opens consoles: the PVE calls in main, the bytes through the loopback relay (relay/), one opener per kind:
 * vnc/, spice/, terminal/ (guest serial, node shell by termproxy or SSH), remote-viewer/.
 */
export class ConsolesService {
  private constructor(private readonly context: ConsoleContext) {}

  static async start(options: ConsolesServiceOptions): Promise<ConsolesService> {
    // SKELETON: the relay server starts here (relay/relay-server.ts) and gives `issue`.
    return await Promise.resolve(
      new ConsolesService({
        sessions: options.sessions,
        profiles: options.store,
        configDir: options.configDir,
        logger: options.logger,
        issue: () => {
          throw new IpcError('INTERNAL', 'The console relay is not running.');
        },
      }),
    );
  }

  async open(target: ConsoleTarget, caller: string): Promise<ConsoleSession> {
    // SKELETON: vnc/open-vnc.ts, spice/open-spice.ts, terminal/open-serial.ts, terminal/open-shell.ts.
    void this.context;
    void target;
    void caller;
    return await Promise.reject(new IpcError('INTERNAL', 'Consoles are not built yet.'));
  }

  async openRemoteViewer(target: { profileId: string; node: string; vmid: number }): Promise<RemoteViewerLaunch> {
    // SKELETON: remote-viewer/open-remote-viewer.ts.
    void target;
    return await Promise.reject(new IpcError('INTERNAL', 'Consoles are not built yet.'));
  }

  async close(): Promise<void> {
    // SKELETON: closes the relay server and every console it carries.
  }
}
