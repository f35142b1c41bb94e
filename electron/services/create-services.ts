import type { HostKind } from '../../shared/domain/app-info';
import { describeApp } from './app/app-service';
import { ConnectionsService, type ConnectionsServiceOptions } from './connections/connections-service';
import { HostKeyQuestions } from './connections/host-key-questions';
import { EventHub } from './ipc/event-hub';
import { JobsService, jobsHandlers, type JobNotifier } from './jobs';
import type { MethodHandlers } from './ipc/router';
import type { Logger } from './log/logger';
import { createSecretStore } from './secrets/create-secret-store';
import type { Encryptor } from './secrets/encryptor';
import { SettingsService } from './settings/settings-service';
import { KnownHostsStore } from './ssh/known-hosts-store';
import { SshPool } from './ssh/ssh-pool';

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
  clientTuning?: ConnectionsServiceOptions['clientTuning'];
  heartbeatMs?: number;
  /** Tells the user a job they started has ended: Electron's system notification; the web host shows in-app toasts instead. */
  jobNotifier?: JobNotifier;
}

export interface Services {
  handlers: MethodHandlers;
  events: EventHub;
  connections: ConnectionsService;
  jobs: JobsService;
  close(): Promise<void>;
}

/** Builds every service once and maps each IPC method to it; both hosts call this. */
export async function createServices(options: ServiceOptions): Promise<Services> {
  const { configDir, logger } = options;
  const events = new EventHub();
  const settings = new SettingsService(configDir, events, logger);
  const appInfo = describeApp({ name: options.appName, version: options.appVersion, host: options.host });
  const secrets = await createSecretStore({
    configDir,
    encryptor: options.encryptor,
    logger,
    ...(options.keychainService !== undefined ? { service: options.keychainService } : {}),
  });
  const knownHosts = new KnownHostsStore(configDir, logger);
  const hostKeyQuestions = new HostKeyQuestions(events);
  // The pool needs the service to ask about host keys, and the service needs the pool.
  const sshPool: SshPool = new SshPool({ knownHosts, secrets, logger, confirmHostKey: (question): Promise<boolean> => connections.confirmHostKey(question) });
  const connections: ConnectionsService = new ConnectionsService({
    configDir,
    events,
    secrets,
    knownHosts,
    sshPool,
    hostKeyQuestions,
    logger,
    ...(options.clientTuning !== undefined ? { clientTuning: options.clientTuning } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });

  const jobs = new JobsService({ events, ...(options.jobNotifier !== undefined ? { notifier: options.jobNotifier } : {}) });

  const handlers: MethodHandlers = {
    'app.info': () => appInfo,
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    'connections.list': () => connections.list(),
    'connections.save': ({ id, fields, secrets: changes }) => connections.save(id, fields, changes),
    'connections.delete': ({ id }) => connections.delete(id),
    'connections.realms': ({ endpoint }) => connections.realms(endpoint),
    'connections.test': ({ id, fields, secrets: changes }) => connections.test(id, fields, changes),
    'connections.connect': ({ id, password, remember }) => connections.connect(id, password, remember),
    'connections.secondFactor': ({ id, answer }) => connections.secondFactor(id, answer),
    'connections.disconnect': ({ id }) => connections.disconnect(id),
    'connections.trustCertificate': ({ id, questionId }) => connections.trustCertificate(id, questionId),
    'connections.reviewCertificate': ({ id, endpointIndex }) => connections.reviewCertificate(id, endpointIndex),
    'connections.permissions': ({ id }) => connections.permissions(id),
    'connections.testSsh': ({ id, node }) => connections.testSsh(id, node),
    'connections.answerHostKey': ({ questionId, accept }) => connections.answerHostKey(questionId, accept),
    'connections.export': ({ ids }) => connections.exportProfiles(ids),
    'connections.previewImport': ({ content }) => connections.previewImport(content),
    'connections.applyImport': ({ planId, choices }) => connections.applyImport(planId, choices),
    ...jobsHandlers(jobs),
  };
  const close = async (): Promise<void> => {
    jobs.close();
    await connections.close();
  };
  return { handlers, events, connections, jobs, close };
}
