import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { ConsoleTarget } from '../../../shared/ipc/contract/consoles';
import { useIpc } from '../../platform/use-ipc';
import {
  contributeGuestActions,
  contributeNodeActions,
  guestLabel,
  useInventoryStore,
  type GuestAction,
  type InventoryEntry,
  type NodeAction,
  type NodeRef,
} from '../inventory';
import { useConsolesStore } from './consoles-store';
import { createGuestConsoleKinds } from './guest-console-kinds';
import { useRemoteViewer } from './use-remote-viewer';

/**
 * Offers the consoles in the inventory's menus and headers: a guest's VNC, SPICE (qxl/virtio displays) and serial
 * consoles and remote-viewer, a node's shell through termproxy and through SSH. Each needs the console privilege PVE
 * checks (VM.Console on the guest, Sys.Console on the node) and is disabled with that reason otherwise. Opening adds
 * a tab and shows the consoles. Called once, from ConsolesHost's setup.
 */
export function useConsolesContributions(): { openConsole: (target: ConsoleTarget, title: string) => void } {
  const { t } = useI18n();
  const router = useRouter();
  const inventory = useInventoryStore();
  const consoles = useConsolesStore();
  const remoteViewer = useRemoteViewer();
  const kinds = createGuestConsoleKinds(useIpc());

  function openConsole(target: ConsoleTarget, title: string): void {
    consoles.open(target, title);
    void router.push({ name: 'consoles' });
  }

  function allowed(profileId: string, path: string, privilege: string): { enabled: boolean; reason?: string } {
    return inventory.can(profileId, path, privilege)
      ? { enabled: true }
      : { enabled: false, reason: t('consoles.common.actions.missingPrivilege', { privilege }) };
  }

  contributeGuestActions((entry: InventoryEntry): GuestAction[] => {
    const { item, profileId, key } = entry;
    if (item.type !== 'qemu' || typeof item.vmid !== 'number' || item.node === undefined || item.template === true) return [];
    const guest = { profileId, node: item.node, vmid: item.vmid };
    const title = guestLabel(item);
    const privilege = allowed(profileId, `/vms/${item.vmid}`, 'VM.Console');
    const known = kinds.of(key, guest);
    // Until the config is read, a running guest is offered its serial console: the relay's error explains a guest without one.
    const serial = known?.serial ?? item.status === 'running';
    const action = (id: string, label: string, run: () => void): GuestAction => ({ key: id, label, testId: `guest-action-${id}`, run, ...privilege });
    return [
      action('console-vnc', t('consoles.common.actions.vnc'), () => openConsole({ kind: 'vnc', ...guest }, title)),
      ...(known?.spice === true
        ? [
            action('console-spice', t('consoles.common.actions.spice'), () => openConsole({ kind: 'spice', ...guest }, title)),
            action('remote-viewer', t('consoles.common.actions.remoteViewer'), () => void remoteViewer.open(guest, title)),
          ]
        : []),
      ...(serial ? [action('console-serial', t('consoles.common.actions.serial'), () => openConsole({ kind: 'serial', ...guest }, title))] : []),
    ];
  });

  contributeNodeActions((node: NodeRef): NodeAction[] => [
    {
      key: 'console-shell',
      label: t('consoles.common.actions.shell'),
      testId: 'node-action-shell',
      run: () => openConsole({ kind: 'shell', profileId: node.profileId, node: node.node, via: 'termproxy' }, node.node),
      ...allowed(node.profileId, `/nodes/${node.node}`, 'Sys.Console'),
    },
    // Every profile has SSH settings (root through the agent unless set otherwise); a node SSH does not reach says so in the tab.
    {
      key: 'console-shell-ssh',
      label: t('consoles.common.actions.shellSsh'),
      testId: 'node-action-shell-ssh',
      run: () => openConsole({ kind: 'shell', profileId: node.profileId, node: node.node, via: 'ssh' }, node.node),
      enabled: true,
    },
  ]);

  return { openConsole };
}
