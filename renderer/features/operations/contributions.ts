import { useI18n } from 'vue-i18n';
import {
  contributeClusterActions,
  contributeGuestActions,
  contributeNodeActions,
  useInventoryStore,
  type ClusterAction,
  type GuestAction,
  type InventoryEntry,
  type NodeAction,
} from '../inventory';
import { builtDialogs, useOperationsDialogs, type DialogKind, type GuestDialogKind } from './operations-dialogs';

/** A guest action: its dialog, the privilege PVE checks on the guest, and whether it applies to a template. */
interface GuestActionSpec {
  kind: GuestDialogKind;
  privilege: string;
  forTemplates: boolean;
  danger?: boolean;
}

// In the order the header and the menu list them; the riskiest last.
const guestSpecs: GuestActionSpec[] = [
  { kind: 'clone', privilege: 'VM.Clone', forTemplates: true },
  { kind: 'migrate', privilege: 'VM.Migrate', forTemplates: true },
  { kind: 'backup', privilege: 'VM.Backup', forTemplates: true },
  { kind: 'snapshot', privilege: 'VM.Snapshot', forTemplates: false },
  { kind: 'delete', privilege: 'VM.Allocate', forTemplates: true, danger: true },
];

/**
 * Offers the operations on guests, nodes and clusters in the inventory's menus and headers, each opening its dialog; called
 * once, from OperationsHost's setup (the contributions end with it). Only dialogs that exist are offered.
 */
export function useOperationsContributions(): void {
  const { t } = useI18n();
  const inventory = useInventoryStore();
  const dialogs = useOperationsDialogs();

  function refusal(profileId: string, path: string, privilege: string): { enabled: boolean; reason?: string } {
    return inventory.can(profileId, path, privilege) ? { enabled: true } : { enabled: false, reason: t('operations.create.actions.missing', { privilege }) };
  }

  const offered = (kind: DialogKind): boolean => builtDialogs.has(kind);

  contributeGuestActions((entry: InventoryEntry): GuestAction[] => {
    const { item, profileId } = entry;
    // The operations are qemu-server's; containers keep their summary's actions.
    if (item.type !== 'qemu' || typeof item.vmid !== 'number') return [];
    const template = item.template === true;
    return guestSpecs
      .filter((spec) => offered(spec.kind) && (spec.forTemplates || !template))
      .map((spec) => ({
        key: spec.kind,
        label: t(`operations.create.actions.${spec.kind}`),
        testId: `guest-action-${spec.kind}`,
        run: () => dialogs.open({ kind: spec.kind, entry }),
        ...refusal(profileId, `/vms/${item.vmid}`, spec.privilege),
        ...(spec.danger === true ? { danger: true } : {}),
      }));
  });

  contributeNodeActions((node): NodeAction[] => [
    ...(offered('create')
      ? [
          {
            key: 'create-vm',
            label: t('operations.create.actions.createHere'),
            testId: 'node-action-create-vm',
            run: () => dialogs.open({ kind: 'create', node }),
            ...refusal(node.profileId, '/vms', 'VM.Allocate'),
          },
        ]
      : []),
    ...(offered('evacuate')
      ? [
          {
            key: 'evacuate',
            label: t('operations.create.actions.evacuate'),
            testId: 'node-action-evacuate',
            run: () => dialogs.open({ kind: 'evacuate', node }),
            ...refusal(node.profileId, '/vms', 'VM.Migrate'),
          },
        ]
      : []),
  ]);

  contributeClusterActions((profileId): ClusterAction[] =>
    offered('create')
      ? [
          {
            key: 'create-vm',
            label: t('operations.create.actions.create'),
            testId: 'cluster-action-create-vm',
            run: () => dialogs.open({ kind: 'create', node: { profileId } }),
            ...refusal(profileId, '/vms', 'VM.Allocate'),
          },
        ]
      : [],
  );
}
