import type { ConnectionProfile, ConnectionState } from '../../../shared/domain/connections';
import { IpcError } from '../../../shared/ipc/errors';
import type { Logger } from '../log';
import type { ProfileSecrets, ProfileStore } from '../profiles';
import { endpointLabel, type LoginResult, type PveClient } from '../pve';
import type { KnownHostsStore, SshPool, SshSession } from '../ssh';
import { CertificateQuestions } from './certificate-questions';
import { failedState, identityOf, stateAfterEvent, stateOf, statusAfterFailure } from './connection-state';
import type { HostKeyQuestions } from './host-key-questions';
import { createProfileClient, type ClientTuning } from './profile-client';
import { sshAddressOf, sshAuthOf } from './ssh-target';

/** A cluster with an open, logged-in session. */
export interface ConnectedCluster {
  profileId: string;
  /** The profile's name, as the user calls it. */
  name: string;
  /** The cluster's own name, when PVE reports one. */
  clusterName?: string;
  userid?: string;
}

/** What every feature needs of the sessions: which clusters are open, and the client of one. */
export interface ClusterSessions {
  /** A promise, so a registry that must ask elsewhere (another process, later) fits the same shape. */
  connected(): Promise<ConnectedCluster[]>;
  /** The logged-in client of a profile; throws AUTH_FAILED when it is not connected. */
  client(profileId: string): PveClient;
  /** The SSH session to a node of a profile's cluster (opened on first use; its host key asked about once). */
  ssh(profileId: string, node: string): Promise<SshSession>;
}

export interface LiveSession {
  client: PveClient;
  /** The profile as it was when the session opened: editing it closes the session. */
  profile: ConnectionProfile;
  pendingSecondFactor?: Extract<LoginResult, { kind: 'second-factor' }>;
  /** A typed password to keep in the keychain once the login succeeds, not before (a wrong one must not be kept). */
  rememberOnSuccess?: string;
  unsubscribe: () => void;
}

export interface SessionRegistryOptions {
  profiles: ProfileStore;
  secrets: ProfileSecrets;
  knownHosts: KnownHostsStore;
  /** Built by the caller with `confirmHostKey: (q) => registry.confirmHostKey(q)`. */
  sshPool: SshPool;
  hostKeyQuestions: HostKeyQuestions;
  logger: Logger;
  clientTuning?: ClientTuning;
  /** How often open sessions are checked, so the list shows a cluster going offline and coming back. Default 30 s. */
  heartbeatMs?: number;
}

const defaultHeartbeatMs = 30_000;

/**
 * The live sessions of the app, in the main process only: per connected
 * profile its PVE client, its SSH sessions and its state, checked by a
 * heartbeat. Features ask it for a cluster's client or a node's SSH session
 * and never build their own; the trust questions (certificates, host keys)
 * are asked here, the same way for all of them.
 */
export class SessionRegistry implements ClusterSessions {
  readonly certificateQuestions = new CertificateQuestions();
  private readonly sessions = new Map<string, LiveSession>();
  private readonly states = new Map<string, ConnectionState>();
  /** Who asked for an SSH connection to `host:port`, to name it in the host-key question. */
  private readonly sshAsker = new Map<string, { profileName: string; node: string }>();
  private readonly listeners = new Set<() => Promise<void>>();
  private readonly heartbeat: NodeJS.Timeout;
  private checking = false;

  constructor(private readonly options: SessionRegistryOptions) {
    this.heartbeat = setInterval(() => void this.checkSessions(), options.heartbeatMs ?? defaultHeartbeatMs);
    this.heartbeat.unref();
  }

  /** Called after every change of a state; returns the way to stop listening. */
  onChange(listener: () => Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  state(id: string): ConnectionState {
    return this.states.get(id) ?? stateOf('disconnected');
  }

  async setState(id: string, state: ConnectionState): Promise<void> {
    this.states.set(id, state);
    for (const listener of [...this.listeners]) await listener();
  }

  /** The session of a profile, logged in or still logging in. */
  live(id: string): LiveSession | undefined {
    return this.sessions.get(id);
  }

  isCurrent(id: string, session: LiveSession): boolean {
    return this.sessions.get(id) === session;
  }

  /** Starts a session for a profile (the caller then logs its client in); its client's events move the state. */
  async open(profile: ConnectionProfile, credentials: () => Promise<string | undefined>, rememberOnSuccess?: string): Promise<LiveSession> {
    const client = this.createClient(profile, credentials);
    const session: LiveSession = { client, profile, unsubscribe: () => undefined, ...(rememberOnSuccess !== undefined ? { rememberOnSuccess } : {}) };
    session.unsubscribe = client.onEvent((event) => {
      if (this.sessions.get(profile.id) !== session) return;
      void this.setState(profile.id, stateAfterEvent(event, this.states.get(profile.id) ?? stateOf('connected')));
    });
    this.sessions.set(profile.id, session);
    await this.setState(profile.id, stateOf('connecting', { endpoint: endpointLabel(client.activeEndpoint) }));
    return session;
  }

  /** A client for settings that are not a session (the add dialog's test, a realm list); the caller closes it. */
  createClient(profile: Pick<ConnectionProfile, 'endpoints' | 'auth'>, credentials: () => Promise<string | undefined>): PveClient {
    return createProfileClient(profile, credentials, {
      logger: this.options.logger,
      ...(this.options.clientTuning !== undefined ? { tuning: this.options.clientTuning } : {}),
    });
  }

  async end(id: string, reason: string): Promise<void> {
    const session = this.sessions.get(id);
    if (session === undefined) return;
    this.sessions.delete(id);
    session.unsubscribe();
    session.client.close();
    this.options.logger.info('connections.session-ended', { profile: id, reason });
  }

  /** Ends the PVE and SSH sessions of a profile, as the user asked. */
  async disconnect(id: string): Promise<void> {
    await this.end(id, 'disconnected by the user');
    await this.options.sshPool.closeProfile(id);
    await this.setState(id, stateOf('disconnected'));
  }

  /** Ends everything of a deleted profile and forgets its state. */
  async forget(id: string): Promise<void> {
    await this.end(id, 'profile deleted');
    await this.options.sshPool.closeProfile(id);
    this.states.delete(id);
  }

  /** Ends the session of a profile whose settings changed: it was opened with the old ones. */
  async profileSaved(saved: ConnectionProfile): Promise<void> {
    const live = this.sessions.get(saved.id);
    if (live === undefined || JSON.stringify(live.profile) === JSON.stringify(saved)) return;
    await this.end(saved.id, 'profile edited');
    this.states.set(saved.id, stateOf('disconnected'));
  }

  client(id: string): PveClient {
    const client = this.sessions.get(id)?.client;
    if (client?.session === undefined) {
      throw new IpcError('AUTH_FAILED', {
        en: 'This connection is not logged in. Connect to it first.',
        fr: 'Aucune session n’est ouverte pour cette connexion. Connectez-vous d’abord.',
      });
    }
    return client;
  }

  connected(): Promise<ConnectedCluster[]> {
    const clusters = [...this.sessions]
      .filter(([id, session]) => session.client.session !== undefined && this.states.get(id)?.status === 'connected')
      .map(([profileId, session]) => {
        const state = this.state(profileId);
        return {
          profileId,
          name: session.profile.name,
          ...(state.clusterName !== undefined ? { clusterName: state.clusterName } : {}),
          ...(state.userid !== undefined ? { userid: state.userid } : {}),
        };
      });
    return Promise.resolve(clusters);
  }

  async ssh(profileId: string, node: string): Promise<SshSession> {
    const profile = await this.options.profiles.get(profileId);
    if (profile === undefined) {
      throw new IpcError('NOT_FOUND', {
        en: 'This connection no longer exists (it was deleted, maybe in another window). Refresh the list.',
        fr: 'Cette connexion n’existe plus (elle a été supprimée, peut-être dans une autre fenêtre). Actualisez la liste.',
      });
    }
    const address = sshAddressOf(profile, node, await this.nodeAddress(profileId, node));
    const stored = await this.options.secrets.stored(profileId);
    const auth = sshAuthOf(profile, 'node', stored);
    let jump: SshSession | undefined;
    const jumpHost = profile.ssh.jumpHost;
    if (jumpHost !== undefined) {
      this.sshAsker.set(endpointLabel(jumpHost), { profileName: profile.name, node: `${node} (jump host)` });
      jump = this.options.sshPool.session(
        { profileId, node: `jump:${endpointLabel(jumpHost)}` },
        { host: jumpHost.host, port: jumpHost.port, username: jumpHost.user, auth: sshAuthOf(profile, 'jump', stored) },
      );
    }
    this.sshAsker.set(endpointLabel(address), { profileName: profile.name, node });
    return this.options.sshPool.session({ profileId, node }, { ...address, auth, ...(jump !== undefined ? { jump } : {}) });
  }

  /** Passed to the SSH pool: asks the renderer about an unknown host key, naming the profile and node that wanted it. */
  confirmHostKey(question: { host: string; port: number; fingerprint: string; keyType: string }): Promise<boolean> {
    const asker = this.sshAsker.get(endpointLabel(question)) ?? { profileName: '', node: '' };
    return this.options.hostKeyQuestions.ask({ ...question, ...asker });
  }

  answerHostKey(questionId: string, accept: boolean): { answered: boolean } {
    return { answered: this.options.hostKeyQuestions.answer(questionId, accept) };
  }

  /** The pinned host key of a node, as the known-hosts store has it. */
  async hostKeyOf(session: SshSession): Promise<string | undefined> {
    return (await this.options.knownHosts.lookup(session.target.host, session.target.port))?.fingerprint;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.options.hostKeyQuestions.refuseAll();
    for (const id of [...this.sessions.keys()]) await this.end(id, 'application closing');
    await this.options.sshPool.closeAll();
  }

  /** One cheap call per open session: an unreachable cluster shows as offline, and as connected again once it answers. */
  private async checkSessions(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const [id, session] of [...this.sessions]) {
        if (session.client.session === undefined || session.pendingSecondFactor !== undefined) continue;
        const previous = this.states.get(id) ?? stateOf('connected');
        try {
          await session.client.getVersion();
          if (previous.status === 'offline' && this.sessions.get(id) === session) {
            await this.setState(id, stateOf('connected', { ...identityOf(previous), endpoint: endpointLabel(session.client.activeEndpoint) }));
          }
        } catch (error) {
          if (this.sessions.get(id) === session && statusAfterFailure(error) === 'offline' && previous.status !== 'offline')
            await this.setState(id, failedState(error, previous));
        }
      }
    } finally {
      this.checking = false;
    }
  }

  /** The node's address from the cluster's own status, when a session is open. */
  private async nodeAddress(id: string, node: string): Promise<string | undefined> {
    const client = this.sessions.get(id)?.client;
    if (client?.session === undefined) return undefined;
    const status = await client.getClusterStatus().catch(() => undefined);
    return status?.nodes.find((candidate) => candidate.name === node)?.ip;
  }
}
