import { keyboardLayouts, type KeyboardLayout } from '../../../shared/domain/consoles';
import { parsePropertyString } from '../../../shared/pve/guest-config';
import { IpcError } from '../../../shared/ipc/errors';
import { isPveError, type GuestConfig, type PveClient } from '../pve';
import type { ConsoleContext } from './context';

/** What the console openers need to know of a guest, read on the node it is on now. */
export interface ConsoleGuest {
  /** The node the guest was found on (another than asked when it moved). */
  node: string;
  vmid: number;
  /** `debian-lab (100)`. */
  title: string;
  config: GuestConfig;
}

/** Where `/cluster/resources` says a guest is now, when it says. */
async function currentNodeOf(client: PveClient, vmid: number): Promise<string | undefined> {
  const resources = await client.getClusterResources({ type: 'vm' });
  return resources.find((resource) => resource.vmid === vmid && resource.type === 'qemu')?.node;
}

/**
 * Runs `work` on the guest's node; when PVE refuses it there (the guest migrated since the renderer last looked),
 * looks the guest up in `/cluster/resources` and runs it once more on the node it is on now.
 */
export async function onGuestNode<T>(client: PveClient, node: string, vmid: number, work: (node: string) => Promise<T>): Promise<T> {
  try {
    return await work(node);
  } catch (error) {
    if (!isPveError(error, 'SERVER_ERROR')) throw error;
    const current = await currentNodeOf(client, vmid).catch(() => undefined);
    if (current === undefined || current === node) throw error;
    return await work(current);
  }
}

/** Reads a guest for its console: found on its current node, running (else NOT_RUNNING), with its config. */
export async function runningGuest(client: PveClient, node: string, vmid: number): Promise<ConsoleGuest> {
  const { found, status, config } = await onGuestNode(client, node, vmid, async (at) => {
    const [status, config] = await Promise.all([client.getGuestStatus(at, vmid), client.getGuestConfig(at, vmid)]);
    return { found: at, status, config };
  });
  const name = typeof config.name === 'string' ? config.name : status.name;
  const title = name !== undefined && name !== '' ? `${name} (${vmid})` : `VM ${vmid}`;
  if (status.status !== 'running') {
    throw new IpcError('NOT_RUNNING', {
      en: `${title} is not running (${status.status}), so it has no console. Start it, then open its console.`,
      fr: `L’invité ${title} n’est pas démarré (${status.status}) : il n’a donc pas de console. Démarrez-le, puis ouvrez sa console.`,
    });
  }
  return { node: found, vmid, title, config };
}

/** The guest's VNC clipboard: `vga: …,clipboard=vnc` (QEMU's vdagent answers noVNC's clipboard messages). */
export function hasVncClipboard(config: GuestConfig): boolean {
  const vga = config.vga;
  return typeof vga === 'string' && parsePropertyString(vga, 'type').clipboard === 'vnc';
}

/** PVE's `keyboard` option, when it names a layout type-clipboard knows. */
export function keyboardOf(config: GuestConfig): KeyboardLayout | undefined {
  const keyboard = config.keyboard;
  return (keyboardLayouts as readonly unknown[]).includes(keyboard) ? (keyboard as KeyboardLayout) : undefined;
}

/** Whether the profile lets the clipboard cross to its guests (on unless the user turned it off). */
export async function clipboardSharingOf(context: Pick<ConsoleContext, 'profiles'>, profileId: string): Promise<boolean> {
  return (await context.profiles.get(profileId))?.clipboardSharing ?? true;
}
