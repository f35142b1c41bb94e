import type { HostKind } from '../../shared/domain/app-info';
import { appHandlers, describeApp, type WindowOpener } from './app';
import { ConsolesService, consolesHandlers } from './consoles';
import { ConnectionsService, connectionsHandlers } from './connections';
import { EventHub, type MethodHandlers } from './ipc';
import { InventoryService, inventoryHandlers } from './inventory';
import { JobsService, jobsHandlers, type JobNotifier } from './jobs';
import { OperationsService, operationsHandlers } from './operations';
import { P2vService, p2vHandlers } from './p2v';
import type { Logger } from './log';
import { ProfileSecrets, ProfileStore } from './profiles';
import { createSecretStore, type Encryptor } from './secrets';
import { HostKeyQuestions, SessionRegistry, sessionsHandlers, type ClientTuning } from './sessions';
import { SettingsService, settingsHandlers } from './settings';
import { KnownHostsStore, SshPool } from './ssh';

export interface ServiceOptions {
  host: HostKind;
  configDir: string;
  appName: string;
  appVersion: string;
  logger: Logger;
  /** For the encrypted-file fallback when no keychain answers: safeStorage in Electron, a key file in the web host. */
  encryptor: Encryptor;
  /** Keychain service name; tests use their own so they never touch the user's entries. */
  keychainService?: string;
  clientTuning?: ClientTuning;
  heartbeatMs?: number;
  /** Tells the user a job they started has ended: Electron's system notification; the web host shows in-app toasts instead. */
  jobNotifier?: JobNotifier;
  /** Opens a detached window (Electron); without it, `app.openWindow` answers that the page must open it itself. */
  openWindow?: WindowOpener;
  /** Electron's open dialog for a disk image (its path, undefined when dismissed); without it `p2v.pickImage` answers `{}`. */
  pickImageFile?: () => Promise<string | undefined>;
}

export interface Services {
  handlers: MethodHandlers;
  events: EventHub;
  connections: ConnectionsService;
  sessions: SessionRegistry;
  jobs: JobsService;
  consoles: ConsolesService;
  p2v: P2vService;
  close(): Promise<void>;
}

/** Builds every service once and merges each feature's handlers, one line per feature; both hosts call this. */
export async function createServices(options: ServiceOptions): Promise<Services> {
  const { configDir, logger } = options;
  const events = new EventHub();
  const settings = new SettingsService(configDir, events, logger);
  const appInfo = describeApp({ name: options.appName, version: options.appVersion, host: options.host });
  const secretStore = await createSecretStore({
    configDir,
    encryptor: options.encryptor,
    logger,
    ...(options.keychainService !== undefined ? { service: options.keychainService } : {}),
  });
  const store = new ProfileStore(configDir, logger);
  const secrets = new ProfileSecrets(secretStore);
  const knownHosts = new KnownHostsStore(configDir, logger);
  // The pool asks the registry about host keys, and the registry opens its SSH sessions in the pool.
  const sshPool: SshPool = new SshPool({
    knownHosts,
    secrets: secretStore,
    logger,
    confirmHostKey: (question): Promise<boolean> => sessions.confirmHostKey(question),
  });
  const sessions: SessionRegistry = new SessionRegistry({
    profiles: store,
    secrets,
    knownHosts,
    sshPool,
    hostKeyQuestions: new HostKeyQuestions(events),
    logger,
    ...(options.clientTuning !== undefined ? { clientTuning: options.clientTuning } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  const connections = new ConnectionsService({ store, secrets, sessions, events, logger });

  const jobs = new JobsService({ events, sessions, logger, ...(options.jobNotifier !== undefined ? { notifier: options.jobNotifier } : {}) });
  const inventory = new InventoryService({ sessions, jobs, events, logger });
  const operations = new OperationsService({ sessions, jobs, logger });
  const consoles = await ConsolesService.start({ sessions, store, configDir, logger });
  const p2v = new P2vService({
    configDir,
    sessions,
    jobs,
    events,
    logger,
    secrets: secretStore,
    ssh: { knownHosts, secrets: secretStore, logger, confirmHostKey: (question) => sessions.confirmHostKey(question) },
    ...(options.pickImageFile !== undefined ? { pickImageFile: options.pickImageFile } : {}),
  });

  const handlers: MethodHandlers = {
    ...appHandlers(appInfo, options.openWindow),
    ...settingsHandlers(settings),
    ...connectionsHandlers(connections),
    ...sessionsHandlers(sessions),
    ...jobsHandlers(jobs),
    ...inventoryHandlers(inventory),
    ...operationsHandlers(operations),
    ...consolesHandlers(consoles),
    ...p2vHandlers(p2v),
  };
  const close = async (): Promise<void> => {
    // Before the sessions close: running migrations stop their remote commands and wait as interrupted.
    await p2v.close();
    await consoles.close();
    inventory.close();
    jobs.close();
    await sessions.close();
  };
  return { handlers, events, connections, sessions, jobs, consoles, p2v, close };
}
