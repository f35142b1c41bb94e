/**
 * Tests only: a logged-in shell on a running lab guest's serial0, through the
 * unix socket the runtime gives QEMU (`<state>/lab1/qemu/run/<vmid>.<n>.serial0`, the
 * newest process's), to look inside the guest after an API call.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SerialConsole } from '../qemu/test-support';
import type { RunningLab } from './lab-harness';

export async function guestShell(lab: RunningLab, vmid: number): Promise<SerialConsole> {
  const dir = join(lab.ready.stateDir, 'lab1', 'qemu', 'run');
  const newest = readdirSync(dir)
    .map((name) => new RegExp(`^${vmid}\\.(\\d+)\\.serial0$`).exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]))[0];
  if (!newest) throw new Error(`no serial socket for VM ${vmid} in ${dir}`);
  const serial = await SerialConsole.open(join(dir, newest[0]));
  await serial.login(lab.ready.guestPassword, 90_000);
  return serial;
}
