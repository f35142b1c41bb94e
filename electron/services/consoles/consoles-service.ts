import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import type { ConsoleSession, RemoteViewerLaunch } from '../../../shared/domain/consoles';
import type { Logger } from '../log';
import type { ProfileStore } from '../profiles';
import type { ClusterSessions } from '../sessions';
import type { ConsoleContext } from './context';
import { RelayServer } from './relay/relay-server';
import { openRemoteViewer } from './remote-viewer/open-remote-viewer';
import { openSpiceConsole } from './spice/open-spice';
import { openSerialConsole } from './terminal/open-serial';
import { openShellConsole } from './terminal/open-shell';
import { openVncConsole } from './vnc/open-vnc';

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
  private constructor(
    private readonly context: ConsoleContext,
    private readonly relay: RelayServer,
  ) {}

  static async start(options: ConsolesServiceOptions): Promise<ConsolesService> {
    const relay = await RelayServer.listen({ logger: options.logger });
    const context: ConsoleContext = {
      sessions: options.sessions,
      profiles: options.store,
      configDir: options.configDir,
      logger: options.logger,
      issue: (entry) => relay.issue(entry),
    };
    return new ConsolesService(context, relay);
  }

  async open(target: ConsoleTarget, caller: string): Promise<ConsoleSession> {
    switch (target.kind) {
      case 'vnc':
        return await openVncConsole(this.context, target, caller);
      case 'serial':
        return await openSerialConsole(this.context, target, caller);
      case 'shell':
        return await openShellConsole(this.context, target, caller);
      case 'spice':
        return await openSpiceConsole(this.context, target, caller);
    }
  }

  async openRemoteViewer(target: { profileId: string; node: string; vmid: number }): Promise<RemoteViewerLaunch> {
    return await openRemoteViewer(this.context, target);
  }

  /** Closes the relay server and every console it carries. */
  async close(): Promise<void> {
    await this.relay.close();
  }
}
