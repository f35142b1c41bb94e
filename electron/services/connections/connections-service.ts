import {
  type CertificateQuestion,
  type ConnectionList,
  type ConnectionProfile,
  type EndpointSetting,
  type ImportChoice,
  type ImportPlan,
  type ImportResult,
  type LoginOutcome,
  type ProfileFields,
  type ProfileView,
  type RealmsOutcome,
  type SecondFactorAnswer,
  type SecretChanges,
  type SshTestResult,
  type TestOutcome,
  secretBinding,
} from '../../../shared/domain/connections';
import type { PermissionMap } from '../../../shared/domain/permissions';
import { IpcError } from '../../../shared/ipc/errors';
import { firstLineShown } from '../../../shared/text/bidi-controls';
import { sentenceOfError, type Sentence } from '../../../shared/text/sentence';
import { type EventHub, IssuedItems } from '../ipc';
import type { Logger } from '../log';
import type { ProfileSecrets, ProfileStore } from '../profiles';
import { endpointLabel, probeCertificate, type LoginResult } from '../pve';
import { failedState, stateOf, type LiveSession, type SessionRegistry } from '../sessions';
import type { SshSession } from '../ssh';
import { exportProfiles, fieldsToApply, nameKey, parseExport, planImport, type PlannedEntry } from './profile-exchange';

export interface ConnectionsServiceOptions {
  store: ProfileStore;
  secrets: ProfileSecrets;
  sessions: SessionRegistry;
  events: EventHub;
  logger: Logger;
}

/** One import is reviewed at a time; a few spare for other windows. */
const importPlanLimits = { maxItems: 4, ttlMs: 30 * 60_000 };

/**
 * What the connections view asks for: profiles and their secrets (through the
 * profile store), logins and trust decisions (through the session registry),
 * import and export. What leaves it is profiles, which secrets exist, and
 * states; never a password, token secret or ticket.
 */
export class ConnectionsService {
  private readonly store: ProfileStore;
  private readonly secrets: ProfileSecrets;
  private readonly sessions: SessionRegistry;
  private readonly importPlans = new IssuedItems<PlannedEntry[]>(importPlanLimits);

  constructor(private readonly options: ConnectionsServiceOptions) {
    this.store = options.store;
    this.secrets = options.secrets;
    this.sessions = options.sessions;
    this.sessions.onChange(() => this.publish());
  }

  async list(): Promise<ConnectionList> {
    const profiles = await Promise.all((await this.store.list()).map((profile) => this.view(profile)));
    return { profiles, secretBackend: this.secrets.backend };
  }

  save(id: string | undefined, fields: ProfileFields, changes: SecretChanges): Promise<ProfileView> {
    return this.saveProfile(id, fields, changes, 'drop-unbound-secrets');
  }

  async delete(id: string): Promise<{ deleted: boolean }> {
    await this.sessions.forget(id);
    await this.secrets.deleteAll(id);
    const deleted = await this.store.delete(id);
    if (deleted) this.options.logger.info('connections.deleted', { profile: id });
    await this.publish();
    return { deleted };
  }

  /** The realms of a cluster not saved yet; PVE answers them without a login. */
  async realms(endpoint: EndpointSetting): Promise<RealmsOutcome> {
    const client = this.sessions.createClient({ endpoints: [endpoint], auth: { kind: 'password', username: 'nobody', realm: 'pam' } }, () =>
      Promise.resolve(undefined),
    );
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
      return this.sessions.certificateQuestions.questionOr(error, [endpoint]);
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
    const client = this.sessions.createClient(fields, credentials);
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
      return this.sessions.certificateQuestions.questionOr(error, fields.endpoints);
    } finally {
      client.close();
    }
  }

  async connect(id: string, typedPassword: string | undefined, remember: boolean): Promise<LoginOutcome> {
    const profile = await this.profile(id);
    const live = this.sessions.live(id);
    if (live?.client.session !== undefined && this.sessions.state(id).status === 'connected')
      return { kind: 'connected' as const, profile: await this.view(profile) };
    await this.sessions.end(id, 'new login');

    const secretName = profile.auth.kind === 'token' ? 'tokenSecret' : 'password';
    const stored = await this.secrets.get(id, secretName);
    if (typedPassword === undefined && stored === undefined) {
      if (profile.auth.kind === 'token') throw new IpcError('AUTH_FAILED', missingSecretMessage(profile.auth));
      return { kind: 'password-required' as const };
    }

    const session = await this.sessions.open(profile, () => this.secrets.get(id, secretName), remember ? typedPassword : undefined);
    try {
      return await this.finishLogin(id, session, await session.client.login(typedPassword !== undefined ? { secret: typedPassword } : {}));
    } catch (error) {
      await this.sessions.end(id, 'login failed');
      await this.sessions.setState(id, failedState(error));
      return this.sessions.certificateQuestions.questionOr(error, profile.endpoints, id);
    }
  }

  async secondFactor(id: string, answer: SecondFactorAnswer): Promise<LoginOutcome> {
    const session = this.sessions.live(id);
    const pending = session?.pendingSecondFactor;
    if (session === undefined || pending === undefined) {
      throw new IpcError('AUTH_FAILED', {
        en: 'This login is no longer waiting for a code (it was cancelled or expired). Connect again.',
        fr: 'Cette authentification n’attend plus de code (elle a été annulée ou a expiré). Reconnectez-vous.',
      });
    }
    // A wrong code leaves the challenge open, as PVE does: the user may try again.
    return await this.finishLogin(id, session, await pending.continue(answer));
  }

  async disconnect(id: string): Promise<ProfileView> {
    const profile = await this.profile(id);
    await this.sessions.disconnect(id);
    return this.view(profile);
  }

  /**
   * Pins the certificate of a question this process asked about this
   * profile's endpoint, once. The caller names the question; it cannot bring
   * a fingerprint of its own. The stored secrets stay: the user accepted the
   * certificate the profile's own endpoint presented.
   */
  async trustCertificate(id: string, questionId: string): Promise<ProfileView> {
    const question = this.sessions.certificateQuestions.take(questionId);
    const profile = await this.profile(id);
    const endpoint = question === undefined ? undefined : profile.endpoints[question.endpointIndex];
    if (question?.profileId !== id || endpoint === undefined || endpointLabel(endpoint) !== question.endpoint) {
      throw new IpcError('NOT_FOUND', {
        en: 'This certificate question has expired or was about other settings: connect again to see the certificate and decide.',
        fr: 'Cette question sur le certificat a expiré ou portait sur d’autres réglages : reconnectez-vous pour revoir le certificat et décider.',
      });
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
    if (endpoint === undefined) {
      throw new IpcError('NOT_FOUND', {
        en: `This connection has no endpoint number ${endpointIndex + 1}.`,
        fr: `Cette connexion n’a pas d’adresse numéro ${endpointIndex + 1}.`,
      });
    }
    const certificate = await probeCertificate({ host: endpoint.host, port: endpoint.port }).catch((error: unknown) => {
      const reason = sentenceOfError(error);
      throw new IpcError('UNREACHABLE', {
        en: `Could not read the certificate of ${endpointLabel(endpoint)}: ${reason.en}`,
        fr: `Impossible de lire le certificat de ${endpointLabel(endpoint)} : ${reason.fr}`,
      });
    });
    return this.sessions.certificateQuestions.ask({ profileId: id, endpointIndex, endpoint: endpointLabel(endpoint) }, certificate);
  }

  permissions(id: string): Promise<PermissionMap> {
    return this.sessions.client(id).getPermissions();
  }

  /** Opens (or reuses) the SSH session to a node and runs two harmless commands to show it works. */
  async testSsh(id: string, node: string): Promise<SshTestResult> {
    await this.profile(id);
    const ssh = await this.sessions.ssh(id, node);
    const hostname = await run(ssh, 'uname -n');
    const qemuImg = await run(ssh, 'qemu-img --version');
    return {
      node,
      target: `${ssh.target.username}@${endpointLabel(ssh.target)}`,
      hostKeyFingerprint: (await this.sessions.hostKeyOf(ssh)) ?? '',
      hostname: firstLineShown(hostname),
      qemuImg: firstLineShown(qemuImg),
    };
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
    if (entries === undefined) {
      throw new IpcError('NOT_FOUND', {
        en: 'This import review has expired or was already applied: import the file again.',
        fr: 'Cette vérification d’import a expiré ou a déjà été appliquée : importez de nouveau le fichier.',
      });
    }
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
    await this.sessions.profileSaved(saved);
    this.options.logger.info('connections.saved', { profile: saved.id, created: id === undefined });
    await this.publish();
    return this.view(saved);
  }

  private async finishLogin(id: string, session: LiveSession, result: LoginResult): Promise<LoginOutcome> {
    if (result.kind === 'second-factor') {
      session.pendingSecondFactor = result;
      await this.sessions.setState(id, stateOf('login-required', { endpoint: endpointLabel(session.client.activeEndpoint) }));
      return { kind: 'second-factor', kinds: result.kinds };
    }
    delete session.pendingSecondFactor;
    // Only while this login is still the profile's session: an edit meanwhile may have changed where the password would go.
    if (session.rememberOnSuccess !== undefined && this.sessions.isCurrent(id, session)) {
      await this.secrets.set(id, session.profile.auth.kind === 'token' ? 'tokenSecret' : 'password', session.rememberOnSuccess);
      delete session.rememberOnSuccess;
    }
    await this.sessions.setState(
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
    if (learned.length === 0 || !this.sessions.isCurrent(id, session) || JSON.stringify(stored) !== JSON.stringify(session.profile)) return;
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

  private async profile(id: string): Promise<ConnectionProfile> {
    const profile = await this.store.get(id);
    if (profile === undefined) throw notFound();
    return profile;
  }

  private async view(profile: ConnectionProfile): Promise<ProfileView> {
    return { ...profile, stored: await this.secrets.stored(profile.id), state: this.sessions.state(profile.id) };
  }

  private async publish(): Promise<void> {
    this.options.events.emit('connections.changed', await this.list());
  }
}

async function run(ssh: SshSession, command: string): Promise<string> {
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  const result = await ssh.exec(command, { onStdout: (chunk) => chunks.push(chunk), onStderr: (chunk) => errors.push(chunk) });
  if (result.exitCode !== 0) {
    const stderr = firstLineShown(Buffer.concat(errors).toString('utf8'));
    const status = String(result.exitCode ?? result.signal);
    const detail: Sentence = stderr !== '' ? { en: stderr, fr: stderr } : { en: `exit status ${status}`, fr: `code de sortie ${status}` };
    throw new IpcError('SSH_FAILED', {
      en: `"${command}" failed on ${ssh.target.host}: ${detail.en}. Check that the node has the tools the app uses (qemu-utils).`,
      fr: `« ${command} » a échoué sur ${ssh.target.host} : ${detail.fr}. Vérifiez que le nœud dispose des outils qu’utilise l’application (qemu-utils).`,
    });
  }
  return Buffer.concat(chunks).toString('utf8');
}

function missingSecretMessage(auth: ProfileFields['auth']): Sentence {
  return auth.kind === 'token'
    ? {
        en: `No secret is stored for the API token ${auth.tokenId}: edit the connection and paste the token secret.`,
        fr: `Aucun secret n’est enregistré pour le jeton d’API ${auth.tokenId} : modifiez la connexion et collez le secret du jeton.`,
      }
    : {
        en: 'No password was given: type the password, or store it in the connection.',
        fr: 'Aucun mot de passe n’a été fourni : saisissez-le, ou enregistrez-le dans la connexion.',
      };
}

function notFound(): IpcError {
  return new IpcError('NOT_FOUND', {
    en: 'This connection no longer exists (it was deleted, maybe in another window). Refresh the list.',
    fr: 'Cette connexion n’existe plus (elle a été supprimée, peut-être dans une autre fenêtre). Actualisez la liste.',
  });
}
