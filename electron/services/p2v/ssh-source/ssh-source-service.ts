/**
 * The SSH source of a migration, as the engine uses it: probe a running Linux server, inspect the chosen device,
 * capture it into the node's raw staging file (straight from the server to the node when the node reaches it,
 * else through this computer), verify the copy by digests computed on both sides, and remove what the capture
 * created (a temporary key, an LVM snapshot). The source is only ever read; a hot capture of a device in use is
 * crash-consistent at best, which the inspection says.
 */
import { createHash } from 'node:crypto';
import type { ImageInspection, P2vArtifact, P2vSource, SshSourceAddress, SshSourceAuth, SshSourceFacts } from '../../../../shared/domain/p2v';
import type { JobTitle } from '../../../../shared/domain/jobs';
import { IpcError } from '../../../../shared/ipc/errors';
import type { Sentence } from '../../../../shared/text/sentence';
import type { Logger } from '../../log';
import type { SecretStore } from '../../secrets';
import type { ClusterSessions } from '../../sessions';
import { SshSession, type ConfirmHostKey, type KnownHostsStore } from '../../ssh';
import { partitionTableOf, shellCommand, type NodeShell } from '../node';
import { copySegment, segmentsFrom, type CopyRoute } from './capture';
import { ensureSnapshot, removeSnapshot, snapshotDevice, snapshotName, snapshotRef } from './lvm-snapshot';
import { probeCommands, probeSource } from './probe-source';
import { readCommand, runOnSource, type SourceShell } from './source-command';
import { forgetSourceCredential, sourceAuth, storeSourceCredential } from './source-credentials';
import { digestBothSides, type DigestMethod } from './source-digest';
import { mountsOf } from './source-facts';
import {
  authorizedKeyLine,
  authorizeOnSource,
  directRouteFiles,
  nodeAddressSeenBySource,
  revokeOnSource,
  temporaryKeyOnNode,
  writeKnownHostsOnNode,
  type SourceEndpoint,
} from './temporary-key';

export type SshSource = Extract<P2vSource, { kind: 'ssh' }>;

/** Which job's node and profile: the node's SSH session comes from the session registry. */
export interface NodeRef {
  profileId: string;
  node: string;
}

export interface SshSourceServiceOptions {
  /** The node sessions (the session registry). */
  sessions: Pick<ClusterSessions, 'ssh'>;
  knownHosts: KnownHostsStore;
  secrets: SecretStore;
  /** Asks the user about the source's unknown host key (the app's usual host-key question). */
  confirmHostKey: ConfirmHostKey;
  logger: Logger;
  /** For SSH_AUTH_SOCK; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface CaptureOptions {
  source: SshSource;
  node: NodeRef;
  /** The job's private folder on the node (the temporary key and known-hosts file go there). */
  workDir: string;
  /** The raw staging file on the node, already of the device's size. */
  staging: string;
  /** Where to start (an interrupted capture resumes from the staging file's last data extent); rounded down to 1 MiB. */
  fromOffset: number;
  signal: AbortSignal;
  /** Called BEFORE something is created on the source, so a crash leaves nothing unknown. */
  record: (artifact: P2vArtifact) => Promise<void>;
  /** `done`: the device offset copied up to; `wireBytes`: bytes read from the source by this call. */
  onProgress: (done: number, wireBytes: number) => void;
}

export interface VerifyOptions {
  source: SshSource;
  node: NodeRef;
  staging: string;
  size: number;
  signal: AbortSignal;
}

const temporaryKeyComment = /^pve-desk-p2v-[0-9a-f]{12}$/;

/** 12 hex naming a job's key and snapshot: from the staging path, which is the job's own and survives a resume. */
function jobTag(staging: string): string {
  return createHash('sha256').update(staging).digest('hex').slice(0, 12);
}

/** The device's size: a block device's by ioctl, a file's by stat (a lab "disk" is a file). */
export function deviceSizeCommand(device: string): string {
  return `${shellCommand(['blockdev', '--getsize64', device])} 2>/dev/null || ${shellCommand(['stat', '-L', '-c', '%s', device])}`;
}

/** qcow2 metadata of a fully allocated image (64 KiB clusters: L2 entries, refcounts, header): an upper bound. */
function qcow2Overhead(size: number): number {
  const clusters = Math.ceil(size / (64 * 1024));
  return Math.ceil((clusters * 8 + clusters * 2) / (64 * 1024)) * 64 * 1024 + 5 * 64 * 1024;
}

export class SshSourceService {
  /** Credentials of probes that no migration took yet: a wizard left before its start keeps no password past the app. */
  private readonly unclaimed = new Set<string>();

  constructor(private readonly options: SshSourceServiceOptions) {}

  /**
   * Logs in (the host key asked about once and pinned), keeps the secret under a new credential id, and reads
   * the server's figures and checklist. A failed login forgets the secret again.
   */
  async probe(address: SshSourceAddress, auth: SshSourceAuth, signal?: AbortSignal): Promise<{ credentialId: string; facts: SshSourceFacts }> {
    const credentialId = await storeSourceCredential(this.options.secrets, auth);
    try {
      const facts = await this.withSource(address, credentialId, (source) => probeSource(source, signal));
      this.options.logger.info('p2v.ssh-source.probed', { host: address.host, port: address.port, disks: facts.disks.length });
      this.unclaimed.add(credentialId);
      return { credentialId, facts };
    } catch (error) {
      await forgetSourceCredential(this.options.secrets, credentialId);
      throw error;
    }
  }

  /** The device's size and partition table, the firmware it booted with, and the consistency warnings. */
  async inspect(source: SshSource, _node: NodeRef, signal: AbortSignal): Promise<ImageInspection> {
    return this.withSource(source.address, source.credentialId, async (shell) => {
      const size = await deviceSize(shell, source.device, signal);
      const head = await runOnSource(
        shell,
        { en: 'Reading the first sectors', fr: 'La lecture des premiers secteurs' },
        `${shellCommand(['dd', `if=${source.device}`, 'bs=8192', 'count=1', 'status=none'])} | base64 -w0`,
        {
          signal,
        },
      );
      const partitionTable = partitionTableOf(Buffer.from(head.stdout.trim(), 'base64'));
      const efi = await readCommand(shell, '[ -d /sys/firmware/efi ]', { signal });
      const lsblk = await readCommand(shell, probeCommands.lsblk, { signal });
      const mounts = lsblk.exitCode === 0 ? (mountsOf(lsblk.stdout, source.device) ?? []) : [];
      const warnings: JobTitle[] =
        source.lvmSnapshot !== undefined
          ? []
          : [
              mounts.length > 0
                ? { key: 'p2v.warning.hotCaptureMounted', params: { device: source.device, mounts: mounts.join(', ') } }
                : { key: 'p2v.warning.hotCapture', params: { device: source.device } },
            ];
      return {
        format: 'raw',
        virtualSize: size,
        partitionTable,
        // The firmware the server booted with says more than the partition table (GPT disks boot by BIOS too).
        firmwareProposal: efi.exitCode === 0 || (efi.exitCode !== 1 && partitionTable === 'gpt') ? 'ovmf' : 'seabios',
        measure: {
          raw: { required: size, fullyAllocated: size },
          qcow2: { required: size + qcow2Overhead(size), fullyAllocated: size + qcow2Overhead(size) },
        },
        warnings,
      };
    });
  }

  /** Copies the device (or its LVM snapshot) into the staging file from `fromOffset` to its end; answers the bytes read from the source. */
  async capture(options: CaptureOptions): Promise<{ wireBytes: number }> {
    const { source, signal } = options;
    const node = await this.options.sessions.ssh(options.node.profileId, options.node.node);
    return this.withSource(source.address, source.credentialId, async (shell) => {
      const tag = jobTag(options.staging);
      let device = source.device;
      if (source.lvmSnapshot !== undefined) {
        const name = snapshotName(options.staging);
        await options.record({ kind: 'lvm-snapshot', ref: snapshotRef(source.lvmSnapshot.volumeGroup, name) });
        device = await ensureSnapshot(shell, source.lvmSnapshot, name, signal);
      }
      const size = await deviceSize(shell, device, signal);
      const route = await this.route(options, node, shell, tag);
      this.options.logger.info('p2v.ssh-source.capture', { host: source.address.host, device, route: route.kind, fromOffset: options.fromOffset, size });
      try {
        let wireBytes = 0;
        for (const segment of segmentsFrom(options.fromOffset, size)) {
          await copySegment({
            route,
            device,
            staging: options.staging,
            segment,
            signal,
            onBytes: (copied) => options.onProgress(segment.offset + copied, wireBytes + copied),
          });
          wireBytes += segment.length;
          options.onProgress(segment.offset + segment.length, wireBytes);
        }
        return { wireBytes };
      } finally {
        // The key goes as soon as the copy ends; the recorded artifact lets a rollback retry if this fails.
        if (route.kind === 'direct') {
          await revokeOnSource(shell, `pve-desk-p2v-${tag}`).catch((error: unknown) => this.options.logger.warn('p2v.ssh-source.revoke-failed', { error }));
        }
      }
    });
  }

  /**
   * Computes the digest of the device on the source and of the staging file on the node at the same time; throws
   * when they differ. The snapshot, if any, is removed once they match.
   */
  async verify(options: VerifyOptions): Promise<{ method: DigestMethod; source: string; target: string }> {
    const { source, signal } = options;
    const node = await this.options.sessions.ssh(options.node.profileId, options.node.node);
    return this.withSource(source.address, source.credentialId, async (shell) => {
      const snapshot = source.lvmSnapshot === undefined ? undefined : snapshotRef(source.lvmSnapshot.volumeGroup, snapshotName(options.staging));
      const device = source.lvmSnapshot === undefined ? source.device : snapshotDevice(source.lvmSnapshot.volumeGroup, snapshotName(options.staging));
      const digests = await digestBothSides(shell, node, device, options.staging, options.size, signal);
      if (digests.source !== digests.target) {
        throw new IpcError(
          'CONFLICT',
          snapshot === undefined
            ? {
                en: `The copy differs from ${device} on the source (${digests.method} ${digests.source} there, ${digests.target} on the node): the device was written to while it was captured. Capture it from an LVM snapshot, or with its filesystems unmounted or read-only.`,
                fr: `La copie diffère de ${device} sur la source (${digests.method} ${digests.source} là-bas, ${digests.target} sur le nœud) : le périphérique a été modifié pendant sa copie. Copiez-le depuis un instantané LVM, ou avec ses systèmes de fichiers démontés ou en lecture seule.`,
              }
            : {
                en: `The copy differs from the snapshot ${snapshot} (${digests.method} ${digests.source} there, ${digests.target} on the node): the snapshot may have overflowed (lvs shows its usage); capture again with a larger snapshot.`,
                fr: `La copie diffère de l’instantané ${snapshot} (${digests.method} ${digests.source} là-bas, ${digests.target} sur le nœud) : l’instantané a peut-être débordé (lvs montre son remplissage) ; refaites la copie avec un instantané plus grand.`,
              },
        );
      }
      if (snapshot !== undefined) await removeSnapshot(shell, snapshot, signal);
      return digests;
    });
  }

  /** Removes a temporary key or an LVM snapshot a capture created; other artifacts are not the source's. */
  async cleanup(source: SshSource, artifact: P2vArtifact): Promise<void> {
    if (artifact.kind === 'ssh-key') {
      if (!temporaryKeyComment.test(artifact.ref)) throw new RangeError(`cleanup: "${artifact.ref}" is not a P2V temporary key`);
      await this.withSource(source.address, source.credentialId, (shell) => revokeOnSource(shell, artifact.ref));
    } else if (artifact.kind === 'lvm-snapshot') {
      await this.withSource(source.address, source.credentialId, (shell) => removeSnapshot(shell, artifact.ref));
    }
  }

  /** Deletes the stored password or passphrase of a credential id (the job ended or was forgotten). */
  forgetCredential(credentialId: string): Promise<void> {
    this.unclaimed.delete(credentialId);
    return forgetSourceCredential(this.options.secrets, credentialId);
  }

  claim(credentialId: string): void {
    this.unclaimed.delete(credentialId);
  }

  async close(): Promise<void> {
    const forgotten = [...this.unclaimed];
    this.unclaimed.clear();
    await Promise.all(
      forgotten.map((credentialId) =>
        forgetSourceCredential(this.options.secrets, credentialId).catch((error: unknown) =>
          this.options.logger.warn('p2v.credential-not-forgotten', { credential: credentialId, error: error instanceof Error ? error.message : String(error) }),
        ),
      ),
    );
  }

  /**
   * The route of this capture. `direct` and `auto` first check that the node reaches the source and sees the
   * pinned host key, then let the node in with a temporary key (recorded first); `auto` falls back to the route
   * through this computer when any of that fails, `direct` says why it cannot.
   */
  private async route(options: CaptureOptions, node: NodeShell, shell: SourceShell, tag: string): Promise<CopyRoute> {
    const { source, signal } = options;
    const throughHere: CopyRoute = { kind: 'workstation', node, source: shell };
    if (source.route === 'workstation') return throughHere;
    const endpoint: SourceEndpoint = { host: source.address.host, port: source.address.port, username: source.address.username };
    const where = `${endpoint.host}:${endpoint.port}`;
    const unavailable = (why: Sentence): CopyRoute => {
      if (source.route === 'direct') {
        throw new IpcError('UNREACHABLE', {
          en: `The node cannot read the source directly: ${why.en}. Choose the route through this computer.`,
          fr: `Le nœud ne peut pas lire la source directement : ${why.fr}. Choisissez le chemin des données « Par cet ordinateur ».`,
        });
      }
      this.options.logger.info('p2v.ssh-source.direct-unavailable', { source: where, why: why.en });
      return throughHere;
    };
    const pinned = await this.options.knownHosts.lookup(endpoint.host, endpoint.port);
    if (pinned === undefined) return unavailable({ en: `the host key of ${where} is not pinned`, fr: `la clé d’hôte de ${where} n’est pas épinglée` });
    const files = directRouteFiles(options.workDir);
    if (!(await writeKnownHostsOnNode(node, endpoint, pinned.fingerprint, files.knownHosts, signal)))
      return unavailable({ en: `the node gets no answer from ${where}`, fr: `le nœud n’obtient aucune réponse de ${where}` });
    const comment = `pve-desk-p2v-${tag}`;
    await options.record({ kind: 'ssh-key', ref: comment, node: options.node.node });
    const publicKey = await temporaryKeyOnNode(node, files.key, comment, signal);
    await authorizeOnSource(shell, comment, authorizedKeyLine(publicKey, undefined), signal);
    const address = await nodeAddressSeenBySource(node, files, endpoint, signal);
    if (address === undefined) {
      await revokeOnSource(shell, comment, signal);
      return unavailable({
        en: `the node could not log in to ${where} with a temporary key (is ~/.ssh/authorized_keys used by its sshd?)`,
        fr: `le nœud n’a pas pu se connecter à ${where} avec une clé temporaire (son sshd utilise-t-il ~/.ssh/authorized_keys ?)`,
      });
    }
    // Now that the source has seen the node's address, the key only works from there.
    await authorizeOnSource(shell, comment, authorizedKeyLine(publicKey, address), signal);
    return { kind: 'direct', node, files, endpoint };
  }

  private async withSource<T>(address: SshSourceAddress, credentialId: string, work: (shell: SshSession) => Promise<T>): Promise<T> {
    const auth = await sourceAuth(this.options.secrets, credentialId);
    const session = new SshSession(
      { host: address.host, port: address.port, username: address.username, auth },
      {
        knownHosts: this.options.knownHosts,
        secrets: this.options.secrets,
        confirmHostKey: this.options.confirmHostKey,
        logger: this.options.logger,
        ...(this.options.env === undefined ? {} : { env: this.options.env }),
      },
    );
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }
}

async function deviceSize(shell: SourceShell, device: string, signal: AbortSignal): Promise<number> {
  const what = { en: `Reading the size of ${device}`, fr: `La lecture de la taille de ${device}` };
  const { stdout } = await runOnSource(shell, what, deviceSizeCommand(device), {
    signal,
    hint: {
      en: `Check that ${device} exists on the source and that the user can read it (root, or the disk group).`,
      fr: `Vérifiez que ${device} existe sur la source et que l’utilisateur peut le lire (root, ou le groupe disk).`,
    },
  });
  const size = Number(stdout.trim());
  if (!Number.isSafeInteger(size) || size <= 0 || size % 512 !== 0) {
    const answered = stdout.trim().slice(0, 40);
    throw new IpcError('BAD_RESPONSE', {
      en: `The size of ${device} on the source is "${answered}", not a disk size (a multiple of 512 bytes).`,
      fr: `La taille de ${device} sur la source est « ${answered} », qui n’est pas une taille de disque (un multiple de 512 octets).`,
    });
  }
  return size;
}
