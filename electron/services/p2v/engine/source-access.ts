import { randomBytes } from 'node:crypto';
import type { ImageFormat, P2vSource } from '../../../../shared/domain/p2v';
import { makeWorkDir, stagingParent, uploadFile, volumePath, type ImageRef, type NodeShell } from '../node';
import type { MigrationDeps } from './deps';
import type { NbdChannel, NodeTarget } from './ports';
import type { StepRun } from './runner';

/** The raw file the source is converted into, in the job's work dir. */
export const stagingName = 'staging.raw';

export function nodeOf(run: StepRun): NodeTarget {
  const { profileId, node } = run.record.view.plan.target;
  return { profileId, node };
}

/**
 * The job's private folder on the node (under the target storage's staging parent), made on first use and
 * recorded at once: every temporary file of the job lives in it, so removing it removes them all.
 */
export async function ensureWorkDir(run: StepRun, shell: NodeShell): Promise<string> {
  const work = run.record.work;
  if (work.workDir !== undefined) return work.workDir;
  const parent = await stagingParent(shell, run.record.view.plan.target.storage, run.signal);
  const workDir = await makeWorkDir(shell, parent, run.signal);
  work.workDir = workDir;
  await run.created({ kind: 'node-file', ref: workDir, node: run.record.view.plan.target.node });
  return workDir;
}

/**
 * How the node's qemu-img reaches the source during one run: the workstation's file over NBD (opened on first
 * use, under a fresh export name each run, closed at the end of the run), a VMDK's split extents uploaded into
 * the work dir, or a node volume's own path. Counts the run's wire bytes into the record when closed.
 */
export class SourceAccess {
  private channel: Promise<NbdChannel> | undefined;
  private opened: NbdChannel | undefined;

  constructor(
    private readonly run: StepRun,
    private readonly deps: MigrationDeps,
  ) {}

  get source(): P2vSource {
    return this.run.record.view.plan.source;
  }

  shell(): Promise<NodeShell> {
    return this.deps.nodeShell(nodeOf(this.run));
  }

  /** The source as the node's qemu-img opens it, with its format named. */
  async image(): Promise<ImageRef> {
    const source = this.source;
    if (source.kind === 'ssh') throw new Error('An SSH source is read by its capture, not by qemu-img.');
    const work = this.run.record.work;
    if (work.nodeSourcePath !== undefined) return { kind: 'file', path: work.nodeSourcePath, format: source.format };
    if (source.kind === 'node-import') {
      work.nodeSourcePath = await volumePath(await this.shell(), source.volid, this.run.signal);
      await this.run.save();
      return { kind: 'file', path: work.nodeSourcePath, format: source.format };
    }
    const extents = await this.splitExtents();
    if (extents.length > 0) return this.uploadSplitVmdk(source.path, extents, source.format);
    const nbd = await this.nbd();
    return { kind: 'nbd', socketPath: nbd.socketPath, exportName: nbd.exportName, format: source.format };
  }

  /** A VMDK descriptor with extent files beside it: copied to the node rather than served. */
  async isSplitVmdk(): Promise<boolean> {
    return (await this.splitExtents()).length > 0;
  }

  private async splitExtents(): Promise<{ path: string; size: number }[]> {
    const source = this.source;
    if (source.kind !== 'workstation' || source.format !== 'vmdk') return [];
    return (await this.deps.workstation.probe(source.path)).extents ?? [];
  }

  /** The NBD export of the workstation's image, opened once per run. */
  nbd(): Promise<NbdChannel> {
    const source = this.source;
    if (source.kind !== 'workstation') return Promise.reject(new Error('Only a workstation image is served over NBD.'));
    this.channel ??= (async () => {
      const workDir = await ensureWorkDir(this.run, await this.shell());
      const socketPath = `${workDir}/nbd-${randomBytes(4).toString('hex')}.sock`;
      const channel = await this.deps.workstation.open({ path: source.path, node: nodeOf(this.run), socketPath, signal: this.run.signal });
      this.opened = channel;
      return channel;
    })();
    return this.channel;
  }

  /** Bytes that crossed the wire in this run so far. */
  sentBytes(): number {
    return this.opened?.sentBytes() ?? 0;
  }

  /** Adds this run's wire bytes to the record and closes the export. */
  async close(): Promise<void> {
    const channel = this.opened;
    this.opened = undefined;
    this.channel = undefined;
    if (channel === undefined) return;
    const { work, view } = this.run.record;
    work.wireBytesBefore += channel.sentBytes();
    // What a verification read through the export after the transfer crossed the wire too.
    if (view.transfer !== undefined) view.transfer.wireBytes = work.wireBytesBefore;
    await channel.close();
  }

  /** A VMDK descriptor with split extents is several files, not one NBD export: they are copied into the work dir. */
  private async uploadSplitVmdk(descriptor: string, extents: { path: string; size: number }[], format: ImageFormat): Promise<ImageRef> {
    const shell = await this.shell();
    const workDir = await ensureWorkDir(this.run, shell);
    const total = extents.reduce((sum, extent) => sum + extent.size, 0);
    let done = 0;
    for (const file of [descriptor, ...extents.map((extent) => extent.path)]) {
      const before = done;
      done += await uploadFile(shell, file, `${workDir}/${baseName(file)}`, {
        fromOffset: 0,
        signal: this.run.signal,
        onBytes: (sent) => this.run.progress(before + sent, total),
      });
    }
    const work = this.run.record.work;
    work.wireBytesBefore += done;
    work.nodeSourcePath = `${workDir}/${baseName(descriptor)}`;
    await this.run.save();
    return { kind: 'file', path: work.nodeSourcePath, format };
  }
}

/** The file name of a workstation path, POSIX or Windows. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
