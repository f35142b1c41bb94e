import type { ImageInspection, P2vSource } from '../../../../../shared/domain/p2v';
import { storagesWithContentCall } from '../../../pve';
import { compareImages, convertToStaging, createRawStaging, freeBytes, stagedExtentEnd, stagingDigest } from '../../node';
import type { MigrationDeps } from '../deps';
import { inspectImage, inspectWorkstationImage, refuseBackingFile } from '../inspect-image';
import type { StepOutcome, StepRun } from '../runner';
import { ensureWorkDir, nodeOf, stagingName, type SourceAccess } from '../source-access';
import { formatBytes } from '../report';
import { settleInOrder } from '../settle';
import { importOnce } from './vm-steps';

/** A resumed conversion starts this far before where the staged data ends: the last writes may not have reached the disk. */
export const resumeMarginBytes = 4 * 1024 * 1024;
const alignment = 1024 * 1024;

function inspectionOf(run: StepRun): ImageInspection {
  const inspection = run.record.work.inspection;
  if (inspection === undefined) throw new Error('The source was not inspected; start the migration again');
  return inspection;
}

function stagingOf(run: StepRun): string {
  const staging = run.record.work.stagingPath;
  if (staging === undefined) throw new Error('The node was not prepared; start the migration again');
  return staging;
}

/** What the source is, read on the node; a workstation image is served over NBD from a temporary folder for it. */
async function inspectSource(run: StepRun, deps: MigrationDeps, access: SourceAccess): Promise<ImageInspection> {
  const source = run.record.view.plan.source;
  if (source.kind === 'ssh') return deps.sshSource.inspect(source, nodeOf(run), run.signal);
  const shell = await access.shell();
  if (source.kind === 'workstation' && !(await access.isSplitVmdk())) {
    return inspectWorkstationImage(
      { shell, workstation: deps.workstation, node: nodeOf(run), path: source.path, format: source.format, signal: run.signal },
      run,
    );
  }
  return inspectImage(shell, await access.image(), run.signal);
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
  if (entry === undefined) throw new Error(`Storage ${storage} on ${node} does not take VM disks (or is disabled). Choose another storage`);
  const needed = inspection.measure[format].required;
  if (entry.avail !== undefined && entry.avail < needed) {
    throw new Error(
      `Storage ${storage} has ${formatBytes(entry.avail)} free and the disk needs ${formatBytes(needed)} as ${format}. Free some space there or choose another storage`,
    );
  }
}

/** The work dir and the raw staging file of the disk's size; a node-import source is imported from where it is. */
export async function prepareStep(run: StepRun, deps: MigrationDeps, access: SourceAccess): Promise<StepOutcome> {
  const inspection = inspectionOf(run);
  await checkTargetSpace(run, deps, inspection);
  if (run.record.view.plan.source.kind === 'node-import') return { skipped: true };
  const shell = await access.shell();
  const workDir = await ensureWorkDir(run, shell);
  const needed = inspection.allocatedSize ?? inspection.measure.raw.required;
  const free = await freeBytes(shell, workDir, run.signal);
  if (free < needed) {
    throw new Error(
      `${run.record.view.plan.target.node} has ${formatBytes(free)} free under ${workDir}, and the staging file needs about ${formatBytes(needed)}. Free some space on the node or choose another storage`,
    );
  }
  const staging = `${workDir}/${stagingName}`;
  await createRawStaging(shell, staging, inspection.virtualSize, run.signal);
  run.record.work.stagingPath = staging;
  await run.save();
  return {};
}

/** Where a conversion starts: never from zero when data is already staged. */
async function resumeOffset(run: StepRun, access: SourceAccess, staging: string): Promise<number> {
  const end = await stagedExtentEnd(await access.shell(), staging, run.signal);
  const offset = Math.max(0, Math.floor((end - resumeMarginBytes) / alignment) * alignment);
  if (offset > 0) run.log(`Resuming the transfer at ${formatBytes(offset)}.`);
  return offset;
}

export async function transferStep(run: StepRun, deps: MigrationDeps, access: SourceAccess): Promise<StepOutcome> {
  const source = run.record.view.plan.source;
  if (source.kind === 'node-import') return { skipped: true };
  const inspection = inspectionOf(run);
  const staging = stagingOf(run);
  const { view, work } = run.record;
  const total = inspection.virtualSize;
  view.transfer = { segments: 1, segmentsDone: 0, allocatedBytes: inspection.allocatedSize ?? total, wireBytes: work.wireBytesBefore };
  const fromOffset = await resumeOffset(run, access, staging);
  if (source.kind === 'ssh') {
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
    await convertToStaging(await access.shell(), {
      source: image,
      staging,
      fromOffset,
      virtualSize: total,
      signal: run.signal,
      onProgress: (fraction) => {
        if (view.transfer !== undefined) view.transfer.wireBytes = work.wireBytesBefore + access.sentBytes();
        run.progress(Math.round(fraction * total), total);
      },
    });
    view.transfer.wireBytes = work.wireBytesBefore + access.sentBytes();
  }
  view.transfer.segmentsDone = 1;
  await run.save();
  return { bytes: view.transfer.wireBytes, detail: { key: 'p2v.step.transferred', params: { wireBytes: view.transfer.wireBytes } } };
}

/**
 * Proves the staged disk equal to the source: SHA-256 over blocks on both sides for raw, `qemu-img compare` else.
 * The VM exists by now, and its disk is imported meanwhile: the import reads the same staged file and mostly waits
 * on the storage's disk while the digests keep the CPU busy. A copy proved different stops the import, and the
 * rollback that follows removes what it made.
 */
export async function verifyStep(run: StepRun, deps: MigrationDeps, access: SourceAccess): Promise<StepOutcome> {
  const source = run.record.view.plan.source;
  if (source.kind === 'node-import') return { skipped: true };
  const staging = stagingOf(run);
  const disproved = new AbortController();
  const importing = importOnce(run, await access.shell(), staging, AbortSignal.any([run.signal, disproved.signal]));
  const proving = proveStagedCopy(run, deps, access, source, staging).catch((error: unknown) => {
    disproved.abort(error);
    throw error;
  });
  // Both are awaited at once (an import failing early is never an unhandled rejection); a disproof is said first.
  await settleInOrder([proving, importing]);
  await run.save();
  return { bytes: inspectionOf(run).virtualSize };
}

async function proveStagedCopy(
  run: StepRun,
  deps: MigrationDeps,
  access: SourceAccess,
  source: Exclude<P2vSource, { kind: 'node-import' }>,
  staging: string,
): Promise<void> {
  const size = inspectionOf(run).virtualSize;
  const differs = (): Error =>
    new Error('The staged disk differs from the source: the source changed while it was read, or a transfer was damaged. Start the migration again');
  if (source.kind === 'ssh') {
    const digests = await deps.sshSource.verify({ source, node: nodeOf(run), staging, size, signal: run.signal });
    if (digests.source !== digests.target) throw differs();
    run.record.work.verification = { method: 'sha256-blocks', source: digests.source, target: digests.target };
    if (digests.method === 'sha256-stream')
      run.record.work.warnings.push('The source has no perl Digest::SHA: the digests are SHA-256 of the whole device, not over blocks.');
  } else if (source.format === 'raw' && run.record.work.nodeSourcePath === undefined) {
    const nbd = await access.nbd();
    // Both sides hash at once: the workstation its file, the node the staging file.
    const [sourceDigest, targetDigest] = await Promise.all([
      nbd.rangeDigest(0, size, run.signal),
      stagingDigest(await access.shell(), staging, 0, size, run.signal),
    ]);
    if (sourceDigest !== targetDigest) throw differs();
    run.record.work.verification = { method: 'sha256-blocks', source: sourceDigest, target: targetDigest };
  } else {
    const comparison = await compareImages(await access.shell(), await access.image(), { kind: 'file', path: staging, format: 'raw' }, run.signal);
    if (!comparison.identical) throw differs();
    run.record.work.verification = { method: 'qemu-img-compare', identical: true };
  }
}
