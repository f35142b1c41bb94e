import type { P2vTarget } from '../../../../../shared/domain/p2v';
import { IpcError } from '../../../../../shared/ipc/errors';
import { DescribedError, type Sentence } from '../../../../../shared/text/sentence';
import { createGuestCall, guestConfigCall, guestStatusCall, isPveError, updateGuestConfigCall, type FormValue } from '../../../pve';
import type { MigrationDeps } from '../deps';
import { compareImages, importDisk, removePath, volumePath, type ImageRef, type NodeShell } from '../../node';
import { jobMark, vmOwnership } from '../own-vm';
import { describeSource } from '../report';
import type { StepOutcome, StepRun } from '../runner';
import type { SourceAccess } from '../source-access';
import { settleInOrder } from '../settle';

/** PVE's answer when the VMID is taken (`unable to create VM N - VM N already exists on node …`). */
const vmidTaken = /already exists/i;

/** A step that needs the node's staging file, run without the step that makes it. */
export const notPrepared: Sentence = { en: 'The node was not prepared; start the migration again', fr: 'Le nœud n’a pas été préparé ; relancez la migration' };

function vmidTakenError(vmid: number): IpcError {
  return new IpcError('CONFLICT', {
    en: `VMID ${vmid} was taken by another VM since the wizard chose it. Choose another VMID and start the migration again`,
    fr: `L’ID de VM ${vmid} a été pris par une autre VM depuis que l’assistant l’a choisi. Choisissez un autre ID de VM et relancez la migration`,
  });
}

export function isWindows(target: Pick<P2vTarget, 'ostype'>): boolean {
  return target.ostype.startsWith('w');
}

/** The new VM's hardware without its disk (imported next), tagged `p2v`, its notes naming the source and the date. */
export function createVmForm(target: P2vTarget, source: string, jobId: string, now: Date): Record<string, FormValue> {
  const mac = target.nic.macAddress !== undefined ? `=${target.nic.macAddress}` : '';
  return {
    vmid: target.vmid,
    name: target.name,
    ostype: target.ostype,
    sockets: target.sockets,
    cores: target.cores,
    memory: target.memoryMiB,
    ...(target.diskBus === 'scsi' ? { scsihw: 'virtio-scsi-single' } : {}),
    net0: `${target.nic.model}${mac},bridge=${target.nic.bridge}`,
    tags: 'p2v',
    description: `Moved from ${source} by P2V on ${now.toISOString().slice(0, 10)}.\n\n${jobMark(jobId)}`,
  };
}

export async function createVmStep(run: StepRun, deps: MigrationDeps): Promise<StepOutcome> {
  const { plan, id } = run.record.view;
  const { profileId, node, vmid } = plan.target;
  const artifact = { kind: 'vm' as const, ref: String(vmid), node };
  // A resumed run finds the VM it created before the app stopped.
  const existing = await vmOwnership(deps.cluster, plan.target, id);
  if (existing.kind === 'foreign') throw vmidTakenError(vmid);
  if (existing.kind === 'ours') return { detail: { key: 'p2v.step.vmCreated', params: { vmid, node } } };
  await run.created(artifact);
  let upid: string;
  try {
    upid = await deps.cluster.send(profileId, createGuestCall(node, createVmForm(plan.target, describeSource(plan.source), id, new Date())));
  } catch (error) {
    if (!isPveError(error, 'SERVER_ERROR') || !vmidTaken.test(error.details.serverMessage)) throw error;
    // Someone else's VM: not ours to remove.
    await run.removed(artifact);
    throw vmidTakenError(vmid);
  }
  await deps.cluster.waitTask(profileId, upid);
  return { detail: { key: 'p2v.step.vmCreated', params: { vmid, node } } };
}

async function applyConfig(run: StepRun, deps: MigrationDeps, form: Record<string, FormValue>): Promise<void> {
  const { profileId, node, vmid } = run.record.view.plan.target;
  const upid = await deps.cluster.send(profileId, updateGuestConfigCall(node, vmid, form));
  if (upid !== null) await deps.cluster.waitTask(profileId, upid);
}

/**
 * `qm disk import` of `file` into the target storage and format, once per job: the volume is recorded at once as the
 * job's VM's disk, so a rollback removes it with the VM. Answers its volume id.
 */
export async function importOnce(run: StepRun, shell: NodeShell, file: string, signal: AbortSignal): Promise<string> {
  const { work } = run.record;
  const { target } = run.record.view.plan;
  if (work.importedVolid !== undefined) return work.importedVolid;
  const size = work.inspection?.virtualSize;
  const imported = await importDisk(shell, {
    vmid: target.vmid,
    file,
    storage: target.storage,
    format: target.format,
    signal,
    // qm's progress is the step's: an import of a large disk can take minutes.
    ...(size !== undefined ? { onProgress: (fraction: number) => run.progress(Math.round(fraction * size), size) } : {}),
  });
  work.importedVolid = imported.volid;
  await run.created({ kind: 'volume', ref: imported.volid, node: target.node });
  return imported.volid;
}

/**
 * The VM's disk attached as `<bus>0` and first in the boot order; the work dir goes afterwards. A disk converted in
 * place was proved equal to the source where it is. A staged disk was imported during its verification (a node
 * volume is imported here) and is compared with what it came from while it is attached.
 */
export async function importDiskStep(run: StepRun, deps: MigrationDeps, access: SourceAccess): Promise<StepOutcome> {
  const { view, work } = run.record;
  const { target } = view.plan;
  const shell = await access.shell();
  const disk = `${target.diskBus}0`;
  const attach = (volid: string): Promise<void> => applyConfig(run, deps, { [disk]: volid, boot: `order=${disk}` });
  let volid: string;
  if (work.inPlace !== undefined && work.importedVolid !== undefined) {
    volid = work.importedVolid;
    await attach(volid);
  } else {
    const from: ImageRef = view.plan.source.kind === 'node-import' ? await access.image() : { kind: 'file', path: stagingPath(run), format: 'raw' };
    if (from.kind !== 'file') throw new Error('The disk is imported from a file on the node');
    volid = await importOnce(run, shell, from.path, run.signal);
    // Attaching the disk (a PVE task, followed to its end) and comparing it with what it came from need nothing of
    // each other: they run at once.
    const [, compared] = await settleInOrder([
      attach(volid),
      volumePath(shell, volid, run.signal).then((path) => compareImages(shell, from, { kind: 'file', path, format: target.format }, run.signal)),
    ]);
    if (!compared.identical) {
      throw new DescribedError({
        en: `The imported disk ${volid} differs from what was imported. Check the storage ${target.storage}, then start the migration again`,
        fr: `Le disque importé ${volid} diffère de ce qui a été importé. Vérifiez le stockage ${target.storage}, puis relancez la migration`,
      });
    }
    work.verification ??= { method: 'qemu-img-compare', identical: true };
  }
  if (work.workDir !== undefined) {
    await removePath(shell, work.workDir, run.signal);
    await run.removed({ kind: 'node-file', ref: work.workDir, node: target.node });
    delete work.workDir;
    delete work.stagingPath;
    delete work.nodeSourcePath;
    await run.save();
  }
  run.log(`Attached ${volid} as ${disk}.`);
  return { detail: { key: 'p2v.step.diskImported', params: { volid, disk } } };
}

function stagingPath(run: StepRun): string {
  const staging = run.record.work.stagingPath;
  if (staging === undefined) throw new DescribedError(notPrepared);
  return staging;
}

/** The expected config after the configure step, key by key: what the check compares. */
export function configureForm(target: P2vTarget): Record<string, string> {
  return {
    agent: target.agent ? '1' : '0',
    ...(target.firmware === 'ovmf' ? { bios: 'ovmf', machine: 'q35', efidisk0: `${target.storage}:1,format=${target.format},efitype=4m` } : {}),
    ...(isWindows(target) && target.virtioIso !== undefined ? { ide2: `${target.virtioIso},media=cdrom` } : {}),
  };
}

/** Firmware (OVMF with its EFI disk, q35), the agent flag, the virtio-win ISO for Windows; then the config is read back and checked. */
export async function configureStep(run: StepRun, deps: MigrationDeps): Promise<StepOutcome> {
  const { target } = run.record.view.plan;
  const form = configureForm(target);
  const before = await deps.cluster.send(target.profileId, guestConfigCall(target.node, target.vmid));
  // A resumed run must not allocate a second EFI disk.
  const missing = Object.fromEntries(Object.entries(form).filter(([key]) => !(key === 'efidisk0' && before.efidisk0 !== undefined)));
  await applyConfig(run, deps, missing);
  const config = await deps.cluster.send(target.profileId, guestConfigCall(target.node, target.vmid));
  const value = (key: string): string | undefined => (config[key] === undefined ? undefined : String(config[key]));
  const disk = `${target.diskBus}0`;
  const problems: Sentence[] = [];
  if (value(disk) !== undefined && !value(disk)?.includes(run.record.work.importedVolid ?? '')) {
    problems.push({ en: `${disk} is ${value(disk)}`, fr: `${disk} vaut ${value(disk)}` });
  }
  if (value(disk) === undefined) problems.push({ en: `${disk} is missing`, fr: `${disk} est absent` });
  if (!(value('boot') ?? '').includes(`order=${disk}`)) {
    problems.push({ en: `the boot order is ${value('boot') ?? 'unset'}`, fr: `l’ordre de démarrage vaut ${value('boot') ?? 'non défini'}` });
  }
  if (target.firmware === 'ovmf' && value('bios') !== 'ovmf') problems.push({ en: 'bios is not ovmf', fr: 'bios ne vaut pas ovmf' });
  if (target.firmware === 'ovmf' && value('efidisk0') === undefined) problems.push({ en: 'efidisk0 is missing', fr: 'efidisk0 est absent' });
  if (!(value('agent') ?? '0').startsWith(target.agent ? '1' : '0')) {
    problems.push({ en: `agent is ${value('agent') ?? 'unset'}`, fr: `agent vaut ${value('agent') ?? 'non défini'}` });
  }
  if (form.ide2 !== undefined && !(value('ide2') ?? '').startsWith(target.virtioIso ?? '')) {
    problems.push(
      value('ide2') === undefined ? { en: 'ide2 is missing', fr: 'ide2 est absent' } : { en: `ide2 is ${value('ide2')}`, fr: `ide2 vaut ${value('ide2')}` },
    );
  }
  if (problems.length > 0) {
    throw new DescribedError({
      en: `The VM's config is not as set: ${problems.map((problem) => problem.en).join(', ')}. Check the VM in the cluster, then start again`,
      fr: `La configuration de la VM n’est pas celle demandée : ${problems.map((problem) => problem.fr).join(', ')}. Vérifiez la VM dans le cluster, puis relancez la migration`,
    });
  }
  return {};
}

export async function startStep(run: StepRun, deps: MigrationDeps): Promise<StepOutcome> {
  const { plan } = run.record.view;
  if (!plan.start) return { skipped: true };
  const { profileId, node, vmid } = plan.target;
  // A resumed run finds it started already.
  if ((await deps.cluster.send(profileId, guestStatusCall(node, vmid))).status === 'running') return {};
  const upid = await deps.cluster.client(profileId).guestPower(node, vmid, 'start');
  await deps.cluster.waitTask(profileId, upid);
  return {};
}
