import type {
  CertificateQuestion,
  ConnectionList,
  ConnectionProfile,
  ConnectionState,
  EndpointSetting,
  ImportChoice,
  ImportPlan,
  ImportResult,
  LoginOutcome,
  ProfileFields,
  ProfileView,
  RealmsOutcome,
  SecondFactorAnswer,
  SecretChanges,
  SshTestResult,
  TestOutcome,
} from '../../../shared/domain/connections';
import { secretBinding } from '../../../shared/domain/connections';
import type { CertificateInfo } from '../../../shared/domain/certificate';
import type { PermissionMap } from '../../../shared/domain/permissions';
import { IpcError } from '../../../shared/ipc/errors';
import { firstLineShown } from '../../../shared/text/bidi-controls';
import type { EventHub } from '../ipc/event-hub';
import type { Logger } from '../log/logger';
import { createPveClient, type PveClient, type PveClientOptions } from '../pve/client';
import { endpointLabel, type PveEndpoint } from '../pve/endpoint';
import { isPveError } from '../pve/errors';
import type { LoginResult } from '../pve/auth/login-result';
import type { PveAuthMethod } from '../pve/auth/auth-method';
import { probeCertificate } from '../pve/tls/probe-certificate';
import type { SecretStore } from '../secrets/secret-store';
import type { KnownHostsStore } from '../ssh/known-hosts-store';
import type { SshPool } from '../ssh/ssh-pool';
import type { SshSession } from '../ssh/ssh-session';
import { failedState, identityOf, stateAfterEvent, stateOf, statusAfterFailure } from './connection-state';
import { HostKeyQuestions } from './host-key-questions';
import { IssuedItems } from './issued-items';
import { exportProfiles, fieldsToApply, nameKey, parseExport, planImport, type PlannedEntry } from './profile-exchange';
import { ProfileSecrets } from './profile-secrets';
import { ProfileStore } from './profile-store';
import { sshAddressOf, sshAuthOf } from './ssh-target';

export interface ConnectionsServiceOptions {
  configDir: string;
  events: EventHub;
  secrets: SecretStore;
  knownHosts: KnownHostsStore;
  /** Built by the caller with `confirmHostKey: (q) => service.confirmHostKey(q)`. */
  sshPool: SshPool;
  hostKeyQuestions: HostKeyQuestions;
  logger: Logger;
  /** Timeouts and renewal period; tests shorten them. */
  clientTuning?: Pick<PveClientOptions, 'timeoutMs' | 'connectTimeoutMs' | 'renewIntervalMs'>;
  /** How often open sessions are checked, so the list shows a cluster going offline and coming back. Default 30 s. */
  heartbeatMs?: number;
}

const defaultHeartbeatMs = 30_000;
/** A certificate question is answered within minutes, if at all; a few dozen open ones is plenty. */
const certificateQuestionLimits = { maxItems: 64, ttlMs: 10 * 60_000 };
/** One import is reviewed at a time; a few spare for other windows. */
const importPlanLimits = { maxItems: 4, ttlMs: 30 * 60_000 };

/** What the main process asked the user about: the one certificate `trustCertificate` may then pin. */
interface IssuedCertificateQuestion {
  /** Absent for a question about settings not saved yet (the add dialog pins in its own draft). */
  profileId?: string;
  endpointIndex: number;
  endpoint: string;
  fingerprint: string;
}

interface LiveSession {
  client: PveClient;
  /** The profile as it was when the session opened: editing it closes the session. */
  profile: ConnectionProfile;
  pendingSecondFactor?: Extract<LoginResult, { kind: 'second-factor' }>;
  /** A typed password to keep in the keychain once the login succeeds, not before (a wrong one must not be kept). */
  rememberOnSuccess?: string;
  unsubscribe: () => void;
}

/**
 * The connections of the app: profiles, their secrets and their live PVE
 * sessions, in the main process only. What leaves it is profiles, which
 * secrets exist, and states; never a password, token secret or ticket.
 */
export class ConnectionsService {
  private readonly store: ProfileStore;
  private readonly secrets: ProfileSecrets;
  private readonly sessions = new Map<string, LiveSession>();
  private readonly states = new Map<string, ConnectionState>();
  /** Who asked for an SSH connection to `host:port`, to name it in the host-key question. */
  private readonly sshAsker = new Map<string, { profileName: string; node: string }>();
  private readonly certificateQuestions = new IssuedItems<IssuedCertificateQuestion>(certificateQuestionLimits);
  private readonly importPlans = new IssuedItems<PlannedEntry[]>(importPlanLimits);

  private readonly heartbeat: NodeJS.Timeout;
  private checking = false;

  constructor(private readonly options: ConnectionsServiceOptions) {
    this.store = new ProfileStore(options.configDir, options.logger);
    this.secrets = new ProfileSecrets(options.secrets);
    this.heartbeat = setInterval(() => void this.checkSessions(), options.heartbeatMs ?? defaultHeartbeatMs);
    this.heartbeat.unref();
  }

  async list(): Promise<ConnectionList> {
    const profiles = await Promise.all((await this.store.list()).map((profile) => this.view(profile)));
    return { profiles, secretBackend: this.secrets.backend };
  }

  save(id: string | undefined, fields: ProfileFields, changes: SecretChanges): Promise<ProfileView> {
    return this.saveProfile(id, fields, changes, 'drop-unbound-secrets');
  }

  async delete(id: string): Promise<{ deleted: boolean }> {
    await this.endSession(id, 'profile deleted');
    await this.options.sshPool.closeProfile(id);
    await this.secrets.deleteAll(id);
    const deleted = await this.store.delete(id);
    this.states.delete(id);
    if (deleted) this.options.logger.info('connections.deleted', { profile: id });
    await this.publish();
    return { deleted };
  }

  /** The realms of a cluster not saved yet; PVE answers them without a login. */
  async realms(endpoint: EndpointSetting): Promise<RealmsOutcome> {
    const client = this.createClient({ endpoints: [endpoint], auth: { kind: 'password', username: 'nobody', realm: 'pam' } }, () => Promise.resolve(undefined));
    try {
      const realms = await client.getDomains();
      return {
        kind: 'realms' as const,
        realms: realms.map((realm) => ({
          realm: realm.realm,
          type: realm.type,
          default: realm.default === true,
          ...(realm.comment !== undefined ? { comment: realm.comment } : {}),
          ...(realm.tfa !== undefined ? { tfa: realm.tfa } : {}),
        })),
      };
    } catch (error) {
      return this.certificateQuestionOr(error, [endpoint]);
    } finally {
      client.close();
    }
  }

  /**
   * Logs in once with what the dialog holds, falling back on the stored secret
   * of a saved profile only when the dialog still has the endpoints and the
   * account that secret was stored for.
   */
  async test(id: string | undefined, fields: ProfileFields, changes: SecretChanges): Promise<TestOutcome> {
    const secretName = fields.auth.kind === 'token' ? 'tokenSecret' : 'password';
    const credentials = async (): Promise<string | undefined> => {
      // Typed in the dialog wins; null means the user is forgetting the stored one.
      const typed = changes[secretName];
      if (typed !== undefined) return typed ?? undefined;
      const saved = id === undefined ? undefined : await this.store.get(id);
      if (saved === undefined || secretBinding(saved, 'pve') !== secretBinding(fields, 'pve')) return undefined;
      return await this.secrets.get(saved.id, secretName);
    };
    const client = this.createClient(fields, credentials);
    try {
      if ((await credentials()) === undefined) throw new IpcError('AUTH_FAILED', missingSecretMessage(fields.auth));
      const result = await client.login();
      if (result.kind === 'second-factor') return { kind: 'second-factor' as const, kinds: result.kinds };
      const version = await client.getVersion();
      return {
        kind: 'ok' as const,
        endpoint: endpointLabel(client.activeEndpoint),
        userid: result.session.userid,
        version: version.version,
        ...(result.session.clusterName !== undefined ? { clusterName: result.session.clusterName } : {}),
      };
    } catch (error) {
      return this.certificateQuestionOr(error, fields.endpoints);
    } finally {
      client.close();
    }
  }

  async connect(id: string, typedPassword: string | undefined, remember: boolean): Promise<LoginOutcome> {
    const profile = await this.profile(id);
    const live = this.sessions.get(id);
    if (live?.client.session !== undefined && this.states.get(id)?.status === 'connected')
      return { kind: 'connected' as const, profile: await this.view(profile) };
    await this.endSession(id, 'new login');

    const secretName = profile.auth.kind === 'token' ? 'tokenSecret' : 'password';
    const stored = await this.secrets.get(id, secretName);
    if (typedPassword === undefined && stored === undefined) {
      if (profile.auth.kind === 'token') throw new IpcError('AUTH_FAILED', missingSecretMessage(profile.auth));
      return { kind: 'password-required' as const };
    }

    const client = this.createClient(profile, () => this.secrets.get(id, secretName));
    const session: LiveSession = {
      client,
      profile,
      unsubscribe: () => undefined,
      ...(remember && typedPassword !== undefined ? { rememberOnSuccess: typedPassword } : {}),
    };
    session.unsubscribe = client.onEvent((event) => {
      if (this.sessions.get(id) !== session) return;
      const previous = this.states.get(id) ?? stateOf('connected');
      void this.setState(id, stateAfterEvent(event, previous));
    });
    this.sessions.set(id, session);
    await this.setState(id, stateOf('connecting', { endpoint: endpointLabel(client.activeEndpoint) }));
    try {
      return await this.finishLogin(id, session, await client.login(typedPassword !== undefined ? { secret: typedPassword } : {}));
    } catch (error) {
      await this.endSession(id, 'login failed');
      await this.setState(id, failedState(error));
      return this.certificateQuestionOr(error, profile.endpoints, id);
    }
  }

  async secondFactor(id: string, answer: SecondFactorAnswer): Promise<LoginOutcome> {
    const session = this.sessions.get(id);
    const pending = session?.pendingSecondFactor;
    if (session === undefined || pending === undefined) {
      throw new IpcError('AUTH_FAILED', 'This login is no longer waiting for a code (it was cancelled or expired). Connect again.');
    }
    // A wrong code leaves the challenge open, as PVE does: the user may try again.
    return await this.finishLogin(id, session, await pending.continue(answer));
  }

  async disconnect(id: string): Promise<ProfileView> {
    const profile = await this.profile(id);
    await this.endSession(id, 'disconnected by the user');
    await this.options.sshPool.closeProfile(id);
    await this.setState(id, stateOf('disconnected'));
    return this.view(profile);
  }

  /**
   * Pins the certificate of a question this process asked about this
   * profile's endpoint, once. The caller names the question; it cannot bring
   * a fingerprint of its own. The stored secrets stay: the user accepted the
   * certificate the profile's own endpoint presented.
   */
  async trustCertificate(id: string, questionId: string): Promise<ProfileView> {
    const question = this.certificateQuestions.take(questionId);
    const profile = await this.profile(id);
    const endpoint = question === undefined ? undefined : profile.endpoints[question.endpointIndex];
    if (question?.profileId !== id || endpoint === undefined || endpointLabel(endpoint) !== question.endpoint) {
      throw new IpcError('NOT_FOUND', 'This certificate question has expired or was about other settings: connect again to see the certificate and decide.');
    }
    const endpoints = profile.endpoints.map((candidate, i) =>
      i === question.endpointIndex ? { ...candidate, trust: { mode: 'pinned' as const, fingerprint: question.fingerprint } } : candidate,
    );
    const { id: _id, ...fields } = profile;
    this.options.logger.info('connections.certificate-pinned', { profile: id, endpoint: question.endpoint, fingerprint: question.fingerprint });
    return await this.saveProfile(id, { ...fields, endpoints }, {}, 'keep-secrets');
  }

  async reviewCertificate(id: string, endpointIndex: number): Promise<CertificateQuestion> {
    const endpoint = (await this.profile(id)).endpoints[endpointIndex];
    if (endpoint === undefined) throw new IpcError('NOT_FOUND', `This connection has no endpoint number ${endpointIndex + 1}.`);
    const certificate = await probeCertificate({ host: endpoint.host, port: endpoint.port }).catch((error: unknown) => {
      throw new IpcError(
        'UNREACHABLE',
        `Could not read the certificate of ${endpointLabel(endpoint)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return this.askAboutCertificate({ profileId: id, endpointIndex, endpoint: endpointLabel(endpoint) }, certificate);
  }

  permissions(id: string): Promise<PermissionMap> {
    return this.client(id).getPermissions();
  }

  /** Opens (or reuses) the SSH session to a node and runs two harmless commands to show it works. */
  async testSsh(id: string, node: string): Promise<SshTestResult> {
    const profile = await this.profile(id);
    const ssh = await this.sshSession(profile, node);
    const hostname = await this.run(ssh, 'uname -n');
    const qemuImg = await this.run(ssh, 'qemu-img --version');
    const pin = await this.options.knownHosts.lookup(ssh.target.host, ssh.target.port);
    return {
      node,
      target: `${ssh.target.username}@${endpointLabel(ssh.target)}`,
      hostKeyFingerprint: pin?.fingerprint ?? '',
      hostname: firstLineShown(hostname),
      qemuImg: firstLineShown(qemuImg),
    };
  }

  /** Passed to the SSH pool: asks the renderer about an unknown host key. */
  confirmHostKey(question: { host: string; port: number; fingerprint: string; keyType: string }): Promise<boolean> {
    const asker = this.sshAsker.get(endpointLabel(question)) ?? { profileName: '', node: '' };
    return this.options.hostKeyQuestions.ask({ ...question, ...asker });
  }

  answerHostKey(questionId: string, accept: boolean): { answered: boolean } {
    return { answered: this.options.hostKeyQuestions.answer(questionId, accept) };
  }

  async exportProfiles(ids: string[] | undefined): Promise<{ fileName: string; content: string }> {
    const profiles = await this.store.list();
    return exportProfiles(ids === undefined ? profiles : profiles.filter((profile) => ids.includes(profile.id)));
  }

  /** Reads an import file and answers what it would do; the plan stays here, so the apply cannot bring other content. */
  async previewImport(content: string): Promise<ImportPlan> {
    const { entries, duplicates } = planImport(await this.store.list(), parseExport(content));
    const planId = this.importPlans.issue(entries);
    return { planId, entries: entries.map(({ replaces: _replaces, ...entry }) => entry), duplicates };
  }

  /**
   * Applies the chosen entries of a plan, once. An entry is skipped when the
   * list changed since the review so that it would no longer do what was shown.
   */
  async applyImport(planId: string, choices: readonly ImportChoice[]): Promise<ImportResult> {
    const entries = this.importPlans.take(planId);
    if (entries === undefined) throw new IpcError('NOT_FOUND', 'This import review has expired or was already applied: import the file again.');
    const chosen = new Map(choices.map((choice) => [choice.index, choice.keepPins]));
    const current = new Map((await this.store.list()).map((profile) => [nameKey(profile.name), profile]));
    const additions: ProfileFields[] = [];
    const replacements: Array<{ id: string; fields: ProfileFields }> = [];
    const skipped: string[] = [];
    for (const entry of entries) {
      const keepPins = chosen.get(entry.index);
      if (keepPins === undefined) continue;
      const fields = fieldsToApply(entry.fields, keepPins);
      const target = current.get(nameKey(entry.fields.name));
      if (entry.action === 'add' && target === undefined) additions.push(fields);
      else if (entry.action === 'replace' && target !== undefined && target.id === entry.replaces) replacements.push({ id: target.id, fields });
      else skipped.push(fields.name);
    }
    // Additions first, in one write: past the profile limit, the whole import is refused before anything changed.
    const created = await this.store.addAll(additions);
    for (const { id, fields } of replacements) await this.saveProfile(id, fields, {}, 'drop-unbound-secrets');
    const result: ImportResult = { imported: created.map((profile) => profile.name), replaced: replacements.map(({ fields }) => fields.name), skipped };
    this.options.logger.info('connections.imported', { imported: result.imported.length, replaced: result.replaced.length, skipped: result.skipped.length });
    await this.publish();
    return result;
  }

  /** The logged-in client of a profile, for the services that read the cluster. */
  client(id: string): PveClient {
    const client = this.sessions.get(id)?.client;
    if (client?.session === undefined) throw new IpcError('AUTH_FAILED', 'This connection is not logged in. Connect to it first.');
    return client;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.options.hostKeyQuestions.refuseAll();
    for (const id of [...this.sessions.keys()]) await this.endSession(id, 'application closing');
    await this.options.sshPool.closeAll();
  }

  /**
   * Creates or replaces a profile. Secrets the new settings would send to
   * another place or account are deleted first (before the profile changes,
   * so a failure leaves no secret bound to settings it was not typed for),
   * except when the user pinned a certificate the main process showed them.
   */
  private async saveProfile(
    id: string | undefined,
    fields: ProfileFields,
    changes: SecretChanges,
    secrets: 'drop-unbound-secrets' | 'keep-secrets',
  ): Promise<ProfileView> {
    const before = id === undefined ? undefined : await this.profile(id);
    if (before !== undefined && secrets === 'drop-unbound-secrets') {
      const dropped = await this.secrets.dropUnbound(before.id, before, fields, changes);
      if (dropped.length > 0) this.options.logger.info('connections.secrets-dropped', { profile: before.id, secrets: dropped.join(',') });
    }
    const saved = await this.store.save(id, fields);
    if (saved === undefined) throw notFound();
    await this.secrets.apply(saved.id, changes);
    const live = this.sessions.get(saved.id);
    if (live !== undefined && JSON.stringify(live.profile) !== JSON.stringify(saved)) {
      await this.endSession(saved.id, 'profile edited');
      this.states.set(saved.id, stateOf('disconnected'));
    }
    this.options.logger.info('connections.saved', { profile: saved.id, created: id === undefined });
    await this.publish();
    return this.view(saved);
  }

  private async finishLogin(id: string, session: LiveSession, result: LoginResult): Promise<LoginOutcome> {
    if (result.kind === 'second-factor') {
      session.pendingSecondFactor = result;
      await this.setState(id, stateOf('login-required', { endpoint: endpointLabel(session.client.activeEndpoint) }));
      return { kind: 'second-factor', kinds: result.kinds };
    }
    delete session.pendingSecondFactor;
    // Only while this login is still the profile's session: an edit meanwhile may have changed where the password would go.
    if (session.rememberOnSuccess !== undefined && this.sessions.get(id) === session) {
      await this.secrets.set(id, session.profile.auth.kind === 'token' ? 'tokenSecret' : 'password', session.rememberOnSuccess);
      delete session.rememberOnSuccess;
    }
    await this.setState(
      id,
      stateOf('connected', {
        endpoint: endpointLabel(session.client.activeEndpoint),
        userid: result.session.userid,
        ...(result.session.clusterName !== undefined ? { clusterName: result.session.clusterName } : {}),
      }),
    );
    this.options.logger.info('connections.connected', { profile: id, userid: result.session.userid, endpoint: endpointLabel(session.client.activeEndpoint) });
    await this.saveLearnedPins(id, session);
    return { kind: 'connected', profile: await this.view(session.profile) };
  }

  /**
   * Pins the profile's other endpoints whose certificates the cluster itself
   * lists (each node's `ssl_fingerprint`, read over the connection the user
   * trusts), so failover asks no second question. Proven by the cluster, such
   * pins keep the stored secrets, unlike a pin the user types.
   */
  private async saveLearnedPins(id: string, session: LiveSession): Promise<void> {
    const learned = await session.client.learnNodeCertificates().catch((error: unknown) => {
      this.options.logger.warn('connections.certificates-not-learned', { profile: id, error });
      return [];
    });
    const stored = await this.store.get(id);
    // Only onto the settings this session opened with: an edit meanwhile wins.
    if (learned.length === 0 || this.sessions.get(id) !== session || JSON.stringify(stored) !== JSON.stringify(session.profile)) return;
    const endpoints = session.profile.endpoints.map((endpoint, index) => {
      const pin = learned.find((candidate) => candidate.index === index);
      return pin === undefined ? endpoint : { ...endpoint, trust: { mode: 'pinned' as const, fingerprint: pin.fingerprint } };
    });
    // The live client pins them already, so saving them is no edit that ends the session.
    session.profile = { ...session.profile, endpoints };
    const { id: _id, ...fields } = session.profile;
    for (const { index, fingerprint } of learned) {
      const endpoint = endpoints[index];
      if (endpoint !== undefined) this.options.logger.info('connections.certificate-learned', { profile: id, endpoint: endpointLabel(endpoint), fingerprint });
    }
    await this.saveProfile(id, fields, {}, 'keep-secrets');
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

  private async sshSession(profile: ConnectionProfile, node: string): Promise<SshSession> {
    const clusterAddress = await this.nodeAddress(profile.id, node);
    const address = sshAddressOf(profile, node, clusterAddress);
    const stored = await this.secrets.stored(profile.id);
    const auth = sshAuthOf(profile, 'node', stored);
    let jump: SshSession | undefined;
    const jumpHost = profile.ssh.jumpHost;
    if (jumpHost !== undefined) {
      this.sshAsker.set(endpointLabel(jumpHost), { profileName: profile.name, node: `${node} (jump host)` });
      jump = this.options.sshPool.session(
        { profileId: profile.id, node: `jump:${endpointLabel(jumpHost)}` },
        { host: jumpHost.host, port: jumpHost.port, username: jumpHost.user, auth: sshAuthOf(profile, 'jump', stored) },
      );
    }
    this.sshAsker.set(endpointLabel(address), { profileName: profile.name, node });
    return this.options.sshPool.session({ profileId: profile.id, node }, { ...address, auth, ...(jump !== undefined ? { jump } : {}) });
  }

  /** The node's address from the cluster's own status, when a session is open. */
  private async nodeAddress(id: string, node: string): Promise<string | undefined> {
    const client = this.sessions.get(id)?.client;
    if (client?.session === undefined) return undefined;
    const status = await client.getClusterStatus().catch(() => undefined);
    const entry = status?.nodes.find((candidate) => candidate.name === node);
    return entry?.ip;
  }

  private async run(ssh: SshSession, command: string): Promise<string> {
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    const result = await ssh.exec(command, { onStdout: (chunk) => chunks.push(chunk), onStderr: (chunk) => errors.push(chunk) });
    if (result.exitCode !== 0) {
      const detail = firstLineShown(Buffer.concat(errors).toString('utf8')) || `exit status ${String(result.exitCode ?? result.signal)}`;
      throw new IpcError('SSH_FAILED', `"${command}" failed on ${ssh.target.host}: ${detail}. Check that the node has the tools the app uses (qemu-utils).`);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** An unknown certificate is a question for the user, not a failure; anything else is rethrown. */
  private certificateQuestionOr(error: unknown, endpoints: readonly EndpointSetting[], profileId?: string): CertificateQuestion {
    if (!isPveError(error, 'TLS_UNTRUSTED') || error.details.certificate === undefined) throw error;
    const endpointIndex = Math.max(
      0,
      endpoints.findIndex((endpoint) => endpointLabel(endpoint) === error.details.endpoint),
    );
    return this.askAboutCertificate(
      { endpointIndex, endpoint: error.details.endpoint, ...(profileId !== undefined ? { profileId } : {}) },
      error.details.certificate,
    );
  }

  private askAboutCertificate(about: Omit<IssuedCertificateQuestion, 'fingerprint'>, certificate: CertificateInfo): CertificateQuestion {
    const questionId = this.certificateQuestions.issue({ ...about, fingerprint: certificate.fingerprint256 });
    return { kind: 'certificate', questionId, endpointIndex: about.endpointIndex, endpoint: about.endpoint, certificate };
  }

  private createClient(profile: Pick<ConnectionProfile, 'endpoints' | 'auth'>, credentials: () => Promise<string | undefined>): PveClient {
    return createPveClient({
      endpoints: profile.endpoints.map(toPveEndpoint),
      auth: toAuthMethod(profile.auth),
      credentials,
      logger: this.options.logger,
      ...this.options.clientTuning,
    });
  }

  private async endSession(id: string, reason: string): Promise<void> {
    const session = this.sessions.get(id);
    if (session === undefined) return;
    this.sessions.delete(id);
    session.unsubscribe();
    session.client.close();
    this.options.logger.info('connections.session-ended', { profile: id, reason });
  }

  private async profile(id: string): Promise<ConnectionProfile> {
    const profile = await this.store.get(id);
    if (profile === undefined) throw notFound();
    return profile;
  }

  private async view(profile: ConnectionProfile): Promise<ProfileView> {
    return { ...profile, stored: await this.secrets.stored(profile.id), state: this.states.get(profile.id) ?? stateOf('disconnected') };
  }

  private async setState(id: string, state: ConnectionState): Promise<void> {
    this.states.set(id, state);
    await this.publish();
  }

  private async publish(): Promise<void> {
    this.options.events.emit('connections.changed', await this.list());
  }
}

function toPveEndpoint(endpoint: EndpointSetting): PveEndpoint {
  return { host: endpoint.host, port: endpoint.port, trust: endpoint.trust };
}

function toAuthMethod(auth: ProfileFields['auth']): PveAuthMethod {
  return auth.kind === 'token' ? { kind: 'token', tokenId: auth.tokenId } : { kind: 'password', username: auth.username, realm: auth.realm };
}

function missingSecretMessage(auth: ProfileFields['auth']): string {
  return auth.kind === 'token'
    ? `No secret is stored for the API token ${auth.tokenId}: edit the connection and paste the token secret.`
    : 'No password was given: type the password, or store it in the connection.';
}

function notFound(): IpcError {
  return new IpcError('NOT_FOUND', 'This connection no longer exists (it was deleted, maybe in another window). Refresh the list.');
}
