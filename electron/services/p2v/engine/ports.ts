/**
 * What the engine needs of the sources, as small interfaces: the workstation's image served over NBD to the node,
 * and the SSH source's capture. (The node's side is the `node` module's functions over the node's SSH session.)
 */
import type { ImageInspection, P2vArtifact, P2vSource, SshSourceAddress, SshSourceAuth, SshSourceFacts, WorkstationImage } from '../../../../shared/domain/p2v';

/** The workstation's image served to the node over NBD through the node's SSH session. */
export interface NbdChannel {
  /** The Unix socket on the node and the export name (a fresh random token) the node's qemu-img opens. */
  socketPath: string;
  exportName: string;
  /** Bytes sent to the node since the channel opened. */
  sentBytes(): number;
  /** SHA-256 of the guest-visible bytes `offset`…`offset + length` of a raw image, read here. */
  rangeDigest(offset: number, length: number, signal: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

export interface WorkstationPort {
  probe(path: string): Promise<WorkstationImage>;
  /** Serves `path` on a unix socket at `socketPath` on the node, under a fresh export name. */
  open(options: { path: string; node: NodeTarget; socketPath: string; signal: AbortSignal }): Promise<NbdChannel>;
}

/** Where the target node is: the job's profile and node (its SSH session comes from the session registry). */
export interface NodeTarget {
  profileId: string;
  node: string;
}

export type SshSource = Extract<P2vSource, { kind: 'ssh' }>;

/** The SSH source's own work: reading the physical server's disk into the node's staging file. */
export interface SshSourcePort {
  /** Logs in (host key pinned through the usual question), keeps the secret under a new credential id, reads the facts. */
  probe(address: SshSourceAddress, auth: SshSourceAuth): Promise<{ credentialId: string; facts: SshSourceFacts }>;
  inspect(source: SshSource, node: NodeTarget, signal: AbortSignal): Promise<ImageInspection>;
  /** Writes the device into the raw staging file from `fromOffset` on; records what it creates (a key, a snapshot) first. */
  capture(options: {
    source: SshSource;
    node: NodeTarget;
    workDir: string;
    staging: string;
    fromOffset: number;
    signal: AbortSignal;
    record: (artifact: P2vArtifact) => Promise<void>;
    onProgress: (done: number, wireBytes: number) => void;
  }): Promise<{ wireBytes: number }>;
  /** SHA-256 of the device and of the staging file, computed on both sides (over 1 MiB blocks, or of the whole stream without perl on the source). */
  verify(options: {
    source: SshSource;
    node: NodeTarget;
    staging: string;
    size: number;
    signal: AbortSignal;
  }): Promise<{ method: 'sha256-blocks' | 'sha256-stream'; source: string; target: string }>;
  /** Removes a temporary key or LVM snapshot it created. */
  cleanup(source: SshSource, artifact: P2vArtifact): Promise<void>;
  /** Deletes the stored password or passphrase of a credential id. */
  forgetCredential(credentialId: string): Promise<void>;
  /** A migration took the credential a probe stored: it is forgotten with the migration, no longer at close. */
  claim(credentialId: string): void;
  /** Forgets the credentials that probes stored and no migration took (a wizard left before its start). */
  close(): Promise<void>;
}
