import type { Duplex } from 'node:stream';
import { Client, type ClientChannel } from 'ssh2';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets';
import { hostKeyFingerprint, hostKeyType } from './host-key';
import type { KnownHostsStore, PinnedHostKey } from './known-hosts-store';
import { startLocalForward, type LocalForward } from './local-forward';
import { startRemoteForward } from './remote-forward';
import { SftpSession } from './sftp-session';
import { resolveAuth, type SshAuth } from './ssh-auth';
import { hostPortLabel } from '../../../shared/domain/host-port';
import { DescribedError, sentenceOfError, type Sentence } from '../../../shared/text/sentence';
import { SshError } from './ssh-error';
import { runExec, type ExecOptions, type ExecResult } from './ssh-exec';

/** Where and how to connect. Holds no secret, only the names they are stored under. */
export interface SshTarget {
  host: string;
  port: number;
  username: string;
  auth: SshAuth;
  /** Reach `host:port` through this session's tunnel (a jump host). */
  jump?: SshSession;
  /** Whole handshake + auth; default 20 s. */
  readyTimeoutMs?: number;
  /** Default 15 s; with `keepaliveCountMax` (default 3) a silent dead link is noticed within about a minute. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

export interface HostKeyQuestion {
  host: string;
  port: number;
  fingerprint: string;
  keyType: string;
}

/** Asks the user whether to trust an unknown host key (the renderer's dialog). */
export type ConfirmHostKey = (question: HostKeyQuestion) => Promise<boolean>;

export interface SshDependencies {
  knownHosts: KnownHostsStore;
  secrets: SecretStore;
  confirmHostKey: ConfirmHostKey;
  logger: Logger;
  /** For SSH_AUTH_SOCK; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export type SshSessionState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'closed';

/** What the host-key check saw during the handshake, to explain a refused connection. */
type HostKeyVerdict =
  | { kind: 'match' }
  | { kind: 'mismatch'; pinned: PinnedHostKey; presented: string; keyType: string }
  | { kind: 'unknown'; fingerprint: string; keyType: string };

/** Why a login failed when the server hung up without saying more (ssh2 reports no error then). */
const closedDuringLogin: Sentence = {
  en: 'The server closed the connection during login',
  fr: 'Le serveur a fermé la connexion pendant l’ouverture de session',
};

/** Thrown by one attempt when the key is not pinned yet; the session then asks and retries. */
class UnknownHostKey extends Error {
  constructor(readonly question: HostKeyQuestion) {
    super('unknown host key');
  }
}

/**
 * One SSH connection to one node, opened on first use and reopened on the
 * next use after it dropped (commands are never re-run by themselves: they
 * may not be idempotent). Host keys are checked against the app's pins
 * before anything else is sent.
 */
export class SshSession {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private currentState: SshSessionState = 'idle';
  private readonly listeners = new Set<(state: SshSessionState) => void>();
  private readonly forwards = new Set<{ close(): Promise<void> }>();
  private readonly label: string;

  constructor(
    readonly target: SshTarget,
    private readonly deps: SshDependencies,
  ) {
    this.label = `${target.username}@${hostPortLabel(target.host, target.port)}`;
  }

  get state(): SshSessionState {
    return this.currentState;
  }

  onStateChange(listener: (state: SshSessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens the connection if it is not open; resolves when authenticated. */
  async connect(): Promise<void> {
    await this.connection();
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return runExec(await this.connection(), command, options);
  }

  async sftp(): Promise<SftpSession> {
    const client = await this.connection();
    return new Promise((resolve, reject) => {
      client.sftp((error, sftp) => {
        if (error) {
          const cause = sentenceOfError(error);
          reject(
            new SshError(
              'CHANNEL_FAILED',
              {
                en: `${this.label} refused SFTP: ${cause.en}. Check that the sftp subsystem is enabled in sshd_config.`,
                fr: `${this.label} a refusé SFTP : ${cause.fr}. Vérifiez que le sous-système sftp est activé dans sshd_config.`,
              },
              { cause: error },
            ),
          );
        } else resolve(new SftpSession(sftp));
      });
    });
  }

  /** An interactive shell on a PTY (`xterm-256color`) of `cols` × `rows`; the channel's `setWindow` resizes it. */
  async shell(size: { cols: number; rows: number }): Promise<ClientChannel> {
    const client = await this.connection();
    return new Promise<ClientChannel>((resolve, reject) => {
      client.shell({ term: 'xterm-256color', cols: size.cols, rows: size.rows }, (error, channel) => {
        if (error) {
          const cause = sentenceOfError(error);
          reject(
            new SshError(
              'CHANNEL_FAILED',
              { en: `${this.label} refused to open a shell: ${cause.en}.`, fr: `${this.label} a refusé d’ouvrir un shell : ${cause.fr}.` },
              { cause: error },
            ),
          );
        } else resolve(channel);
      });
    });
  }

  /** A TCP stream to `remoteHost:remotePort` as seen from the node (for jump hosts and console relays). */
  async openTunnel(remoteHost: string, remotePort: number): Promise<Duplex> {
    const client = await this.connection();
    return new Promise<ClientChannel>((resolve, reject) => {
      // The originator address is informational for sshd; loopback says what it is.
      client.forwardOut('127.0.0.1', 0, remoteHost, remotePort, (error, channel) => {
        if (error) {
          const cause = sentenceOfError(error);
          const to = hostPortLabel(remoteHost, remotePort);
          reject(
            new SshError(
              'CHANNEL_FAILED',
              {
                en: `${this.label} refused to open a tunnel to ${to}: ${cause.en}. Check AllowTcpForwarding on the node.`,
                fr: `${this.label} a refusé d’ouvrir un tunnel vers ${to} : ${cause.fr}. Vérifiez AllowTcpForwarding sur le nœud.`,
              },
              { cause: error },
            ),
          );
        } else resolve(channel);
      });
    });
  }

  /** A 127.0.0.1 port whose connections reach `remoteHost:remotePort` through this session. */
  async forwardLocal(options: { remoteHost: string; remotePort: number; localPort?: number }): Promise<LocalForward> {
    this.assertOpen();
    const forward = await startLocalForward({
      openTunnel: () => this.openTunnel(options.remoteHost, options.remotePort),
      label: `${this.label} -> ${hostPortLabel(options.remoteHost, options.remotePort)}`,
      ...(options.localPort === undefined ? {} : { localPort: options.localPort }),
      logger: this.deps.logger,
    });
    this.forwards.add(forward);
    return {
      host: forward.host,
      port: forward.port,
      close: async () => {
        this.forwards.delete(forward);
        await forward.close();
      },
    };
  }

  /**
   * A unix socket on the node whose connections come back here as streams (the node's qemu-img reads the
   * workstation's NBD export through it). It lives as long as this connection: a dropped connection takes it along.
   */
  async forwardStreamLocal(remoteSocketPath: string, onStream: (stream: Duplex) => void): Promise<{ close(): Promise<void> }> {
    const client = await this.connection();
    const forward = await startRemoteForward({ client, remoteSocketPath, onStream, label: this.label, logger: this.deps.logger });
    this.forwards.add(forward);
    return {
      close: async () => {
        this.forwards.delete(forward);
        await forward.close();
      },
    };
  }

  /** Closes forwards and the connection; the session cannot be used again. */
  async close(): Promise<void> {
    if (this.currentState === 'closed') return;
    this.setState('closed');
    await Promise.all([...this.forwards].map((forward) => forward.close()));
    this.forwards.clear();
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      await new Promise<void>((resolve) => {
        client.once('close', () => resolve());
        client.end();
      });
    }
  }

  private assertOpen(): void {
    if (this.currentState === 'closed') throw this.closedError();
  }

  private closedError(): SshError {
    return new SshError('CLOSED', { en: `The SSH session to ${this.label} was closed.`, fr: `La session SSH vers ${this.label} a été fermée.` });
  }

  private async connection(): Promise<Client> {
    this.assertOpen();
    if (this.client !== undefined) return this.client;
    this.connecting ??= this.establish().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async establish(): Promise<Client> {
    this.setState('connecting');
    try {
      let client: Client;
      try {
        client = await this.attempt();
      } catch (error) {
        if (!(error instanceof UnknownHostKey)) throw error;
        client = await this.trustOnFirstUse(error.question);
      }
      if (this.currentState === 'closed') {
        client.end();
        throw this.closedError();
      }
      this.client = client;
      client.once('close', () => {
        if (this.client !== client) return;
        this.client = undefined;
        this.deps.logger.info('ssh.disconnected', { session: this.label });
        if (this.currentState !== 'closed') this.setState('disconnected');
      });
      this.setState('connected');
      this.deps.logger.info('ssh.connected', { session: this.label });
      return client;
    } catch (error) {
      if (this.currentState !== 'closed') this.setState('disconnected');
      throw error;
    }
  }

  /**
   * The first connection was dropped during key exchange; only now, with no
   * connection held open, is the user asked, so a slow answer cannot run into
   * the server's LoginGraceTime. Accepting pins the key and connects again,
   * and that connection must present the very key that was accepted.
   */
  private async trustOnFirstUse(question: HostKeyQuestion): Promise<Client> {
    this.deps.logger.info('ssh.host-key-unknown', { ...question });
    const accepted = await this.deps.confirmHostKey(question);
    if (!accepted) {
      const key = `${hostPortLabel(question.host, question.port)} (${question.keyType} ${question.fingerprint})`;
      throw new SshError('HOST_KEY_REFUSED', {
        en: `The host key of ${key} was not accepted, so the connection was not made.`,
        fr: `La clé d’hôte de ${key} n’a pas été acceptée, la connexion n’a donc pas été établie.`,
      });
    }
    await this.deps.knownHosts.pin(question.host, question.port, question);
    return this.attempt();
  }

  /** One connection attempt: handshake with the host-key check, then auth. */
  private async attempt(): Promise<Client> {
    const { host, port, username } = this.target;
    const pinned = await this.deps.knownHosts.lookup(host, port);
    // Secrets and key files first: a missing one fails here, before any traffic.
    const auth = await resolveAuth(this.target.auth, this.deps.secrets, this.deps.env ?? process.env);
    const sock = this.target.jump === undefined ? undefined : await this.target.jump.openTunnel(host, port);

    const client = new Client();
    let verdict: HostKeyVerdict | undefined;
    return new Promise<Client>((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        client.destroy();
        reject(error);
      };
      client.once('ready', () => {
        settled = true;
        client.removeListener('error', onConnectError);
        // Later errors (keepalive timeout, reset) end in 'close', handled by the session.
        client.on('error', (error) => this.deps.logger.warn('ssh.connection-error', { session: this.label, error }));
        resolve(client);
      });
      const onConnectError = (error: Error & { level?: string; code?: string }) => fail(this.describeFailure(error, verdict));
      client.on('error', onConnectError);
      client.once('close', () => fail(this.describeFailure(new DescribedError(closedDuringLogin), verdict)));
      try {
        client.connect({
          ...(sock === undefined ? { host, port } : { sock }),
          username,
          ...auth,
          readyTimeout: this.target.readyTimeoutMs ?? 20_000,
          keepaliveInterval: this.target.keepaliveIntervalMs ?? 15_000,
          keepaliveCountMax: this.target.keepaliveCountMax ?? 3,
          // Returning false makes ssh2 send DISCONNECT and stop: no NEWKEYS, no auth request.
          hostVerifier: (key: Buffer) => {
            verdict = judgeHostKey(key, pinned);
            return verdict.kind === 'match';
          },
        });
        // Nagle held back the small packets of request/answer traffic inside the session (a forwarded NBD export's
        // replies waited for ACKs); SSH already sends whole packets. A jump tunnel's channel has no such option.
        client.setNoDelay(true);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private describeFailure(error: Error & { level?: string; code?: string }, verdict: HostKeyVerdict | undefined): Error {
    const { host, port } = this.target;
    const where = hostPortLabel(host, port);
    if (verdict?.kind === 'unknown') return new UnknownHostKey({ host, port, fingerprint: verdict.fingerprint, keyType: verdict.keyType });
    if (verdict?.kind === 'mismatch') {
      return new SshError(
        'HOST_KEY_MISMATCH',
        {
          en:
            `The host key of ${where} has changed: pinned ${verdict.pinned.keyType} ${verdict.pinned.fingerprint}, presented ${verdict.keyType} ${verdict.presented}. ` +
            'Nothing was sent to it. This happens when a node is reinstalled, or when someone intercepts the connection: check the key on the node (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) before trusting it again.',
          fr:
            `La clé d’hôte de ${where} a changé : clé épinglée ${verdict.pinned.keyType} ${verdict.pinned.fingerprint}, clé présentée ${verdict.keyType} ${verdict.presented}. ` +
            'Rien ne lui a été envoyé. Cela arrive quand un nœud est réinstallé, ou quand quelqu’un intercepte la connexion : vérifiez la clé sur le nœud (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) avant de lui faire de nouveau confiance.',
        },
        { hostKey: { host, port, pinnedFingerprint: verdict.pinned.fingerprint, presentedFingerprint: verdict.presented, keyType: verdict.keyType } },
      );
    }
    const cause = sentenceOfError(error);
    switch (error.level) {
      case 'client-socket':
        return new SshError(
          'UNREACHABLE',
          {
            en: `Cannot reach ${where} (${error.code ?? cause.en}): check that the node is up and that sshd listens on port ${port}.`,
            fr: `Impossible de joindre ${where} (${error.code ?? cause.fr}) : vérifiez que le nœud est démarré et que sshd écoute sur le port ${port}.`,
          },
          { cause: error },
        );
      case 'client-timeout': {
        const seconds = (this.target.readyTimeoutMs ?? 20_000) / 1000;
        return new SshError(
          'TIMEOUT',
          {
            en: `${where} did not complete the SSH login within ${seconds} s: the node may be overloaded, or a firewall drops the traffic.`,
            fr: `${where} n’a pas achevé l’ouverture de session SSH en ${seconds} s : le nœud est peut-être surchargé, ou un pare-feu bloque le trafic.`,
          },
          { cause: error },
        );
      }
      case 'client-authentication': {
        const by = describeAuth(this.target.auth);
        return new SshError(
          'AUTH_FAILED',
          {
            en: `${where} refused the login of "${this.target.username}" by ${by.en}: check the user name and that the key or password is accepted on the node.`,
            fr: `${where} a refusé l’authentification de « ${this.target.username} » par ${by.fr} : vérifiez le nom d’utilisateur, et que la clé ou le mot de passe est accepté sur le nœud.`,
          },
          { cause: error },
        );
      }
      default:
        if (error instanceof SshError) return error;
        return new SshError(
          'PROTOCOL',
          { en: `The SSH connection to ${where} failed: ${cause.en}.`, fr: `La connexion SSH vers ${where} a échoué : ${cause.fr}.` },
          { cause: error },
        );
    }
  }

  private setState(state: SshSessionState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    for (const listener of this.listeners) listener(state);
  }
}

function judgeHostKey(key: Buffer, pinned: PinnedHostKey | undefined): HostKeyVerdict {
  const fingerprint = hostKeyFingerprint(key);
  const keyType = hostKeyType(key);
  if (pinned === undefined) return { kind: 'unknown', fingerprint, keyType };
  if (pinned.fingerprint === fingerprint) return { kind: 'match' };
  return { kind: 'mismatch', pinned, presented: fingerprint, keyType };
}

/** How the login was tried, after "by" (English) and "par" (French). */
function describeAuth(auth: SshAuth): Sentence {
  switch (auth.method) {
    case 'key-file':
      return { en: `the key ${auth.privateKeyPath}`, fr: `la clé ${auth.privateKeyPath}` };
    case 'agent':
      return { en: 'the keys in the SSH agent', fr: 'les clés de l’agent SSH' };
    case 'password':
      return { en: 'password', fr: 'mot de passe' };
  }
}
