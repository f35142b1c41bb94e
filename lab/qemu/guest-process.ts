/**
 * One running qemu-system-x86_64: spawned under `setpriv --pdeathsig SIGKILL`
 * so it dies with the lab even when the lab is SIGKILLed, with its QMP
 * connection and the state `info()` reports without a round trip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { GuestRef, QmpStatus } from '../contracts';
import { buildQemuArgs, type QemuLaunchSpec } from './qemu-command';
import { QmpClient, type QmpEvent } from './qmp';

export interface GuestProcess {
  vmid: number;
  node: string;
  /** The config it was started with (kept for reboot and restarts around backups). */
  ref: GuestRef;
  bootsLinux: boolean;
  child: ChildProcess;
  pid: number;
  qmp: QmpClient;
  startedAt: number;
  qmpstatus: QmpStatus;
  vncPort: number;
  spiceTlsPort?: number;
  serialSocket?: string;
  qmpSocket: string;
  /** Resolves when the process has exited (by itself or killed). */
  exited: Promise<void>;
  hasExited(): boolean;
  stderrTail(): string;
  cpuSample?: { ticks: number; at: number };
}

const RUN_STATES: Record<string, QmpStatus> = {
  running: 'running',
  paused: 'paused',
  suspended: 'suspended',
  prelaunch: 'prelaunch',
  inmigrate: 'inmigrate',
  postmigrate: 'postmigrate',
  shutdown: 'shutdown',
  colo: 'running',
};

/** QEMU run states PVE's qmpstatus does not name (finish-migrate, save-vm, io-error, ...) read as paused. */
export function toQmpStatus(runState: string): QmpStatus {
  return RUN_STATES[runState] ?? 'paused';
}

const STATUS_EVENTS = new Set(['STOP', 'RESUME', 'SUSPEND', 'SUSPEND_DISK', 'WAKEUP', 'RESET', 'SHUTDOWN', 'MIGRATION']);

export interface LaunchOptions extends QemuLaunchSpec {
  node: string;
  ref: GuestRef;
  bootsLinux: boolean;
  log: (line: string) => void;
}

export async function launchGuestProcess(options: LaunchOptions): Promise<GuestProcess> {
  const args = buildQemuArgs(options);
  options.log(`vm ${options.vmid} on ${options.node}: qemu-system-x86_64 ${args.join(' ')}`);
  const child = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'qemu-system-x86_64', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let exitedFlag = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exitedFlag = true;
      resolve();
    });
    child.once('error', (error) => {
      stderr += `\n${error.message}`;
      exitedFlag = true;
      resolve();
    });
  });
  const pid = child.pid;
  let qmp: QmpClient;
  try {
    if (pid === undefined) throw new Error('spawn failed');
    qmp = await QmpClient.connect(options.qmpSocket, { isAlive: () => !exitedFlag });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`start failed: ${stderr.trim() || (error as Error).message}`);
  }

  const processState: GuestProcess = {
    vmid: options.vmid,
    node: options.node,
    ref: options.ref,
    bootsLinux: options.bootsLinux,
    child,
    pid,
    qmp,
    startedAt: Math.floor(Date.now() / 1000),
    qmpstatus: 'prelaunch',
    vncPort: 0,
    qmpSocket: options.qmpSocket,
    exited,
    hasExited: () => exitedFlag,
    stderrTail: () => stderr.trim(),
    ...(options.serialSocket ? { serialSocket: options.serialSocket } : {}),
    ...(options.spice ? { spiceTlsPort: options.spice.tlsPort } : {}),
  };
  try {
    const vnc = await qmp.execute<{ service?: string }>('query-vnc');
    processState.vncPort = Number(vnc.service);
    await refreshStatus(processState);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  qmp.on('event', (event: QmpEvent) => {
    if (STATUS_EVENTS.has(event.event)) void refreshStatus(processState).catch(() => undefined);
  });
  void exited.then(async () => {
    qmp.close();
    await Promise.all([options.qmpSocket, options.serialSocket].map((path) => (path ? rm(path, { force: true }) : undefined)));
  });
  return processState;
}

export async function refreshStatus(guest: GuestProcess): Promise<QmpStatus> {
  const status = await guest.qmp.execute<{ status: string }>('query-status');
  guest.qmpstatus = toQmpStatus(status.status);
  return guest.qmpstatus;
}

/** QMP `quit`, then SIGKILL if QEMU has not gone within graceMs. */
export async function quitGuestProcess(guest: GuestProcess, graceMs = 10_000): Promise<void> {
  if (guest.hasExited()) return;
  await guest.qmp.execute('quit').catch(() => undefined);
  if (!(await waitForExit(guest, graceMs))) {
    guest.child.kill('SIGKILL');
    await guest.exited;
  }
}

/** True when the process exited within timeoutMs. */
export async function waitForExit(guest: GuestProcess, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([guest.exited.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
