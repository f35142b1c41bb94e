import { describe, expect, it } from 'vitest';
import { IpcError } from '../../../shared/ipc/errors';
import type { ClusterResource, GuestConfig, GuestStatus, PveClient } from '../pve';
import { PveError } from '../pve';
import { hasVncClipboard, keyboardOf, runningGuest } from './guest-lookup';

/** A client whose guests live on given nodes; asking a guest on another node fails as PVE does (500). */
function clientWith(guests: Record<number, { node: string; status: string; config: GuestConfig }>): { client: PveClient; asked: string[] } {
  const asked: string[] = [];
  const at = (node: string, vmid: number): { node: string; status: string; config: GuestConfig } => {
    asked.push(`${vmid}@${node}`);
    const guest = guests[vmid];
    if (guest?.node !== node) {
      throw new PveError('SERVER_ERROR', `VM ${vmid} is not on node '${node}'`, { endpoint: 'pve:8006', status: 500, serverMessage: 'not here' });
    }
    return guest;
  };
  const client = {
    getGuestStatus: (node: string, vmid: number) => Promise.resolve({ status: at(node, vmid).status } as GuestStatus),
    getGuestConfig: (node: string, vmid: number) => Promise.resolve(at(node, vmid).config),
    getClusterResources: () =>
      Promise.resolve(
        Object.entries(guests).map(([vmid, guest]) => ({ id: `qemu/${vmid}`, type: 'qemu', vmid: Number(vmid), node: guest.node }) as ClusterResource),
      ),
  } as unknown as PveClient;
  return { client, asked };
}

describe('a console guest', () => {
  it('is read on its node, titled with its name and id', async () => {
    const { client } = clientWith({ 100: { node: 'pve1', status: 'running', config: { name: 'debian-lab' } } });
    expect(await runningGuest(client, 'pve1', 100)).toMatchObject({ node: 'pve1', vmid: 100, title: 'debian-lab (100)' });
  });

  it('is looked up on the node it moved to, once', async () => {
    const { client, asked } = clientWith({ 100: { node: 'pve2', status: 'running', config: {} } });
    expect(await runningGuest(client, 'pve1', 100)).toMatchObject({ node: 'pve2', title: 'VM 100' });
    expect(asked.filter((call) => call.endsWith('@pve1')).length).toBeGreaterThan(0);
    expect(asked.filter((call) => call.endsWith('@pve2')).length).toBe(2);
  });

  it('answers NOT_RUNNING for a stopped guest, and PVE’s error for one that is nowhere', async () => {
    const { client } = clientWith({ 102: { node: 'pve3', status: 'stopped', config: { name: 'win' } } });
    await expect(runningGuest(client, 'pve3', 102)).rejects.toMatchObject({
      code: 'NOT_RUNNING',
      message: expect.stringContaining('win (102) is not running'),
    });
    await expect(runningGuest(client, 'pve1', 999)).rejects.toMatchObject({ code: 'SERVER_ERROR' });
  });

  it('says in French too that a stopped guest has no console, the same English beside it', async () => {
    const { client } = clientWith({ 102: { node: 'pve3', status: 'stopped', config: { name: 'win' } } });
    const error = await runningGuest(client, 'pve3', 102).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).message).toBe('win (102) is not running (stopped), so it has no console. Start it, then open its console.');
    expect((error as IpcError).translations?.fr).toBe(
      'L’invité win (102) n’est pas démarré (stopped) : il n’a donc pas de console. Démarrez-le, puis ouvrez sa console.',
    );
  });

  it('has a VNC clipboard only with vga clipboard=vnc, and a keyboard only PVE names and type-clipboard knows', () => {
    expect(hasVncClipboard({ vga: 'std,clipboard=vnc' })).toBe(true);
    expect(hasVncClipboard({ vga: 'clipboard=vnc' })).toBe(true);
    expect(hasVncClipboard({ vga: 'qxl' })).toBe(false);
    expect(hasVncClipboard({})).toBe(false);
    expect(keyboardOf({ keyboard: 'fr' })).toBe('fr');
    expect(keyboardOf({ keyboard: 'en-us' })).toBe('en-us');
    expect(keyboardOf({ keyboard: 'de' })).toBeUndefined();
    expect(keyboardOf({})).toBeUndefined();
  });
});
