import type { ImageInspection, P2vSource } from '../../../../../shared/domain/p2v';
import { DescribedError } from '../../../../../shared/text/sentence';
import { allocateVolumeCall, storageContentCall, storagesWithContentCall } from '../../../pve';
import {
  compareImages,
  convertIntoFile,
  createRawStaging,
  freeBytes,
  nodeFileDigest,
  volumePath,
  writtenExtentEnd,
  type NodeDisk,
  type NodeShell,
} from '../../node';
import type { MigrationDeps } from '../deps';
import { inspectImage, refuseBackingFile } from '../inspect-image';
import type { StepOutcome, StepRun } from '../runner';
import { ensureWorkDir, nodeOf, stagingName, type SourceAccess } from '../source-access';
import { formatBytes } from '../report';
import { settleInOrder } from '../settle';
import { importOnce, notPrepared } from './vm-steps';

/** A resumed conversion starts this far before where the staged data ends: the last writes may not have reached the disk. */
export const resumeMarginBytes = 4 * 1024 * 1024;
const alignment = 1024 * 1024;

function inspectionOf(run: StepRun): ImageInspection {
  const inspection = run.record.work.inspection;
  if (inspection === undefined) {
    throw new DescribedError({ en: 'The source was not inspected; start the migration again', fr: 'La source n’a pas été inspectée ; relancez la migration' });
  }
  return inspection;
}

function stagingOf(run: StepRun): string {
  const staging = run.record.work.stagingPath;
  if (staging === undefined) throw new DescribedError(notPrepared);
  return staging;
}

/**
 * What the source is, read on the node. A workstation image is served over the job's own NBD export, in the job's
 * work dir, which the transfer then goes on using.
 */
async function inspectSource(run: StepRun, deps: MigrationDeps, access: SourceAccess): Promise<ImageInspection> {
  const source = run.record.view.plan.source;
  if (source.kind === 'ssh') return deps.sshSource.inspect(source, nodeOf(run), run.signal);
  return inspectImage(await access.shell(), await access.image(), run.signal);
}

export async function inspectStep(run: StepRun, deps: MigrationDeps, access: SourceAccess): Promise<StepOutcome> {
  const inspection = await inspectSource(run, deps, access);
  refuseBackingFile(inspection);
  run.record.work.inspection = inspection;
  run.log(
    `Source: ${inspection.format}, ${formatBytes(inspection.virtualSize)} virtual${inspection.allocatedSize !== undefined ? `, ${formatBytes(inspection.allocatedSize)} allocated` : ''}.`,
  );
  return { detail: { key: 'p2v.step.inspected', params: { format: inspection.format, virtualSize: inspection.virtualSize } } };
}

/** The target storage must hold the imported disk as `qemu-img measure` sized it for the target format. */
async function checkTargetSpace(run: StepRun, deps: MigrationDeps, inspection: ImageInspection): Promise<void> {
  const { profileId, node, storage, format } = run.record.view.plan.target;
  const entry = (await deps.cluster.send(profileId, storagesWithContentCall(node, 'images'))).find((candidate) => candidate.storage === storage);
  if (entry === undefined) {
    throw new DescribedError({
      en: `Storage ${storage} on ${node} does not take VM disks (or is disabled). Choose another storage`,
      fr: `Le stockage ${storage} sur ${node} n’accepte pas les disques de VM (ou est désactivé). Choisissez un autre stockage`,
    });
  }
  const needed = inspection.measure[format].required;
  if (entry.avail !== undefined && entry.avail < needed) {
    throw new DescribedError({
      en: `Storage ${storage} has ${formatBytes(entry.avail)} free and the disk needs ${formatBytes(needed)} as ${format}. Free some space there or choose another storage`,
      fr: `Le stockage ${storage} a ${formatBytes(entry.avail)} libres et le disque demande ${formatBytes(needed)} en ${format}. Libérez-y de la place ou choisissez un autre stockage`,
    });
  }
}

/**
 * The work dir, and what the source is converted into: a workstation image going to a qcow2 storage straight into
 * the VM's volume, allocated by PVE now (no staging copy, no import: the data is written once); anything else into a
 * raw staging file of the disk's size, imported later. A node-import source is imported from where it is.
 */
export async function prepareStep(run: StepRun, deps: MigrationDeps, access: SourceAccess): Promise<StepOutcome> {
  const inspection = inspectionOf(run);
  const { source, target } = run.record.view.plan;
  if (source.kind === 'node-import') {
    await checkTargetSpace(run, deps, inspection);
    return { skipped: true };
  }
  const shell = await access.shell();
  const [, workDir] = await settleInOrder([checkTargetSpace(run, deps, inspection), ensureWorkDir(run, shell)]);
  if (source.kind === 'workstation' && target.format === 'qcow2') {
    await allocateInPlaceTarget(run, deps, shell, inspection.virtualSize);
    return {};
  }
  const needed = inspection.allocatedSize ?? inspection.measure.raw.required;
  const free = await freeBytes(shell, workDir, run.signal);
  if (free < needed) {
    throw new DescribedError({
      en: `${target.node} has ${formatBytes(free)} free under ${workDir}, and the staging file needs about ${formatBytes(needed)}. Free some space on the node or choose another storage`,
      fr: `${target.node} a ${formatBytes(free)} libres sous ${workDir}, et le fichier intermédiaire demande environ ${formatBytes(needed)}. Libérez de la place sur le nœud ou choisissez un autre stockage`,
    });
  }
  const staging = `${workDir}/${stagingName}`;
  await createRawStaging(shell, staging, inspection.virtualSize, run.signal);
  run.record.work.stagingPath = staging;
  await run.save();
  return {};
}

/** The first `vm-<vmid>-disk-<n>.qcow2` the storage does not hold (a VMID's old volumes may still be there). */
async function freeDiskName(run: StepRun, deps: MigrationDeps): Promise<string> {
  const { profileId, node, storage, vmid } = run.record.view.plan.target;
  const held = new Set(
    (await deps.cluster.send(profileId, storageContentCall(node, storage, { content: 'images', vmid }))).map((entry) =>
      entry.volid
        .split('/')
        .pop()
        ?.replace(/\.[a-z0-9]+$/, ''),
    ),
  );
  let index = 0;
  while (held.has(`vm-${vmid}-disk-${index}`)) index += 1;
  return `vm-${vmid}-disk-${index}.qcow2`;
}

/**
 * The VM's qcow2 volume, allocated through the API as PVE makes any disk (its storage's preallocation, its lock) and
 * recorded at once as the job's. A fresh volume whose map shows written data (a storage preallocating in full)
 * cannot tell a resumed copy where it stopped: such a copy starts over.
 */
async function allocateInPlaceTarget(run: StepRun, deps: MigrationDeps, shell: NodeShell, virtualSize: number): Promise<void> {
  const { work } = run.record;
  const { profileId, node, storage, vmid } = run.record.view.plan.target;
  if (work.inPlace !== undefined) return;
  // A run that stopped between the allocation and the save of its path finds the volume recorded already.
  let volid = work.importedVolid;
  if (volid === undefined) {
    const filename = await freeDiskName(run, deps);
    volid = await deps.cluster.send(profileId, allocateVolumeCall(node, storage, { vmid, filename, sizeBytes: virtualSize, format: 'qcow2' }));
    work.importedVolid = volid;
    await run.created({ kind: 'volume', ref: volid, node });
  }
  const path = await volumePath(shell, volid, run.signal);
  const resumable = (await writtenExtentEnd(shell, { path, format: 'qcow2' }, run.signal)) === 0;
  if (!resumable) work.warnings.push(`Storage ${storage} preallocates its qcow2 volumes in full: an interrupted copy into ${volid} starts over.`);
  work.inPlace = { path, resumable };
  await run.save();
  run.log(`Converting into ${volid} in place.`);
}

/** A raw workstation image served over NBD is verified by digests of both sides; other sources by `qemu-img compare`. */
function hashedOnWorkstation(run: StepRun): boolean {
  const { source } = run.record.view.plan;
  return source.kind === 'workstation' && source.format === 'raw' && run.record.work.nodeSourcePath === undefined;
}

/** The file the transfer writes: the VM's volume when converted in place, else the raw staging file. */
function transferTarget(run: StepRun): NodeDisk {
  const { inPlace } = run.record.work;
  return inPlace !== undefined ? { path: inPlace.path, format: 'qcow2' } : { path: stagingOf(run), format: 'raw' };
}

/** Where a conversion starts: never from zero when data is already written, unless the target cannot tell. */
async function resumeOffset(run: StepRun, access: SourceAccess, target: NodeDisk): Promise<number> {
  if (run.record.work.inPlace?.resumable === false) return 0;
  const end = await writtenExtentEnd(await access.shell(), target, run.signal);
  const offset = Math.max(0, Math.floor((end - resumeMarginBytes) / alignment) * alignment);
  if (offset > 0) run.log(`Resuming the transfer at ${formatBytes(offset)}.`);
  return offset;
}

export async function transferStep(run: StepRun, deps: MigrationDeps, access: SourceAccess): Promise<StepOutcome> {
  const source = run.record.view.plan.source;
  if (source.kind === 'node-import') return { skipped: true };
  const inspection = inspectionOf(run);
  const target = transferTarget(run);
  const { view, work } = run.record;
  const total = inspection.virtualSize;
  view.transfer = { segments: 1, segmentsDone: 0, allocatedBytes: inspection.allocatedSize ?? total, wireBytes: work.wireBytesBefore };
  const fromOffset = await resumeOffset(run, access, target);
  if (source.kind === 'ssh') {
    const staging = target.path;
    const before = work.wireBytesBefore;
    const { wireBytes } = await deps.sshSource.capture({
      source,
      node: nodeOf(run),
      workDir: work.workDir ?? staging,
      staging,
      fromOffset,
      signal: run.signal,
      record: (artifact) => run.created(artifact),
      onProgress: (bytes, wire) => {
        if (view.transfer !== undefined) view.transfer.wireBytes = before + wire;
        run.progress(bytes, total);
      },
    });
    work.wireBytesBefore = before + wireBytes;
    view.transfer.wireBytes = work.wireBytesBefore;
  } else {
    const image = await access.image();
    // The workstation hashes its raw file for the verification while the node converts it: its CPU mostly waits
    // during the copy, and the verification is then left with the node's side only. A failed copy stops the hashing.
    const copyFailed = new AbortController();
    const hashing = hashedOnWorkstation(run)
      ? access.nbd().then((nbd) => nbd.rangeDigest(0, total, AbortSignal.any([run.signal, copyFailed.signal])))
      : Promise.resolve(undefined);
    const copying = convertIntoFile(await access.shell(), {
      source: image,
      target,
      fromOffset,
      virtualSize: total,
      signal: run.signal,
      onProgress: (fraction) => {
        if (view.transfer !== undefined) view.transfer.wireBytes = work.wireBytesBefore + access.sentBytes();
        run.progress(Math.round(fraction * total), total);
      },
    }).catch((error: unknown) => {
      copyFailed.abort(error);
      throw error;
    });
    const [, sourceDigest] = await settleInOrder([copying, hashing]);
    if (sourceDigest !== undefined) work.sourceDigest = sourceDigest;
    view.transfer.wireBytes = work.wireBytesBefore + access.sentBytes();
  }
  view.transfer.segmentsDone = 1;
  await run.save();
  return { bytes: view.transfer.wireBytes, detail: { key: 'p2v.step.transferred', params: { wireBytes: view.transfer.wireBytes } } };
}

/**
 * Proves the copy equal to the source: SHA-256 over blocks on both sides for raw, `qemu-img compare` else. A copy
 * converted in place is the VM's disk already. A staged copy is imported meanwhile: the import reads the same staged
 * file and mostly waits on the storage's disk while the digests keep the CPU busy; the VM exists by now. A copy
 * proved different stops the import, and the rollback that follows removes what it made.
 */
export async function verifyStep(run: StepRun, deps: MigrationDeps, access: SourceAccess): Promise<StepOutcome> {
  const source = run.record.view.plan.source;
  if (source.kind === 'node-import') return { skipped: true };
  const copy = transferTarget(run);
  if (run.record.work.inPlace !== undefined) {
    await proveCopy(run, deps, access, source, copy);
  } else {
    const disproved = new AbortController();
    const importing = importOnce(run, await access.shell(), copy.path, AbortSignal.any([run.signal, disproved.signal]));
    const proving = proveCopy(run, deps, access, source, copy).catch((error: unknown) => {
      disproved.abort(error);
      throw error;
    });
    // Both are awaited at once (an import failing early is never an unhandled rejection); a disproof is said first.
    await settleInOrder([proving, importing]);
  }
  await run.save();
  return { bytes: inspectionOf(run).virtualSize };
}

async function proveCopy(
  run: StepRun,
  deps: MigrationDeps,
  access: SourceAccess,
  source: Exclude<P2vSource, { kind: 'node-import' }>,
  copy: NodeDisk,
): Promise<void> {
  const size = inspectionOf(run).virtualSize;
  const differs = (): Error =>
    new DescribedError({
      en: 'The copy on the node differs from the source: the source changed while it was read, or a transfer was damaged. Start the migration again',
      fr: 'La copie sur le nœud diffère de la source : la source a changé pendant sa lecture, ou un transfert a été altéré. Relancez la migration',
    });
  if (source.kind === 'ssh') {
    const digests = await deps.sshSource.verify({ source, node: nodeOf(run), staging: copy.path, size, signal: run.signal });
    if (digests.source !== digests.target) throw differs();
    run.record.work.verification = { method: 'sha256-blocks', source: digests.source, target: digests.target };
    if (digests.method === 'sha256-stream')
      run.record.work.warnings.push('The source has no perl Digest::SHA: the digests are SHA-256 of the whole device, not over blocks.');
  } else if (hashedOnWorkstation(run)) {
    // The workstation's digest was made during the copy; a run resumed after it (the app restarted) makes it again,
    // at the same time as the node's.
    const known = run.record.work.sourceDigest;
    const [sourceDigest, targetDigest] = await Promise.all([
      known ?? access.nbd().then((nbd) => nbd.rangeDigest(0, size, run.signal)),
      nodeFileDigest(await access.shell(), copy, 0, size, run.signal),
    ]);
    if (sourceDigest !== targetDigest) throw differs();
    run.record.work.verification = { method: 'sha256-blocks', source: sourceDigest, target: targetDigest };
  } else {
    const comparison = await compareImages(await access.shell(), await access.image(), { kind: 'file', ...copy }, run.signal);
    if (!comparison.identical) throw differs();
    run.record.work.verification = { method: 'qemu-img-compare', identical: true };
  }
}
