import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import { consoleRoute, consoleTargetOfRoute } from './console-target';
import { useConsolesStore } from './consoles-store';

const profileId = '11111111-1111-4111-8111-111111111111';
const vnc: ConsoleTarget = { kind: 'vnc', profileId, node: 'pve1', vmid: 100 };
const serial: ConsoleTarget = { kind: 'serial', profileId, node: 'pve1', vmid: 100 };
const shell: ConsoleTarget = { kind: 'shell', profileId, node: 'pve2', via: 'ssh' };

beforeEach(() => setActivePinia(createPinia()));

describe('consoles store', () => {
  it('adds a tab per console and shows the one opened last', () => {
    const consoles = useConsolesStore();
    consoles.open(vnc, 'vm-100 (100)');
    consoles.open(serial, 'vm-100 (100)');
    expect(consoles.count).toBe(2);
    expect(consoles.active?.target).toEqual(serial);
  });

  it('shows the existing tab when the same console is opened again, even from the node a migrated guest left', () => {
    const consoles = useConsolesStore();
    const first = consoles.open(vnc, 'vm-100 (100)');
    consoles.open(shell);
    consoles.open({ ...vnc, node: 'pve2' });
    expect(consoles.count).toBe(2);
    expect(consoles.activeId).toBe(first.id);
  });

  it('shows the next tab when the shown one closes, else the previous, and none when the last goes', () => {
    const consoles = useConsolesStore();
    const [a, b, c] = [consoles.open(vnc), consoles.open(serial), consoles.open(shell)];
    consoles.activate(b.id);
    consoles.close(b.id);
    expect(consoles.activeId).toBe(c.id);
    consoles.close(c.id);
    expect(consoles.activeId).toBe(a.id);
    consoles.close(a.id);
    expect(consoles.activeId).toBeUndefined();
    expect(consoles.count).toBe(0);
  });

  it('keeps the title main answered', () => {
    const consoles = useConsolesStore();
    const tab = consoles.open(shell);
    expect(tab.title).toBe('pve2');
    consoles.rename(tab.id, 'pve2 (SSH)');
    expect(consoles.active?.title).toBe('pve2 (SSH)');
  });
});

describe('console routes', () => {
  it.each([vnc, serial, shell, { ...shell, via: 'termproxy' as const }])('name the console %o and read back to it', (target) => {
    const route = new URL(`http://x${consoleRoute(target)}`);
    const [, , routeProfile, kind, node, vmid] = route.pathname.split('/');
    const target2 = consoleTargetOfRoute({ profileId: routeProfile, kind, node, vmid: vmid === '' ? undefined : vmid }, Object.fromEntries(route.searchParams));
    expect(target2).toEqual(target);
  });

  it('refuse what the contract would refuse', () => {
    expect(consoleTargetOfRoute({ profileId, kind: 'rdp', node: 'pve1', vmid: '100' }, {})).toBeUndefined();
    expect(consoleTargetOfRoute({ profileId, kind: 'vnc', node: 'pve1' }, {})).toBeUndefined();
    expect(consoleTargetOfRoute({ profileId, kind: 'shell', node: 'pve1' }, { via: 'telnet' })).toBeUndefined();
    expect(consoleTargetOfRoute({ profileId: 'not-a-profile', kind: 'vnc', node: 'pve1', vmid: '100' }, {})).toBeUndefined();
  });
});
