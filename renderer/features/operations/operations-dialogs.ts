import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { InventoryEntry, NodeRef } from '../inventory';

/** Dialogs about one guest. */
export type GuestDialogKind = 'clone' | 'delete' | 'migrate' | 'backup' | 'snapshot';
export type DialogKind = GuestDialogKind | 'create' | 'evacuate';

/** What a dialog is about. */
export type DialogRequest =
  { kind: GuestDialogKind; entry: InventoryEntry } | { kind: 'create'; node?: Partial<NodeRef> } | { kind: 'evacuate'; node: NodeRef };

/** The open dialog; `id` changes with every opening, so a dialog reopened for another target starts afresh. */
export type OpenDialog = DialogRequest & { id: number };

/**
 * The dialogs OperationsHost renders, and so the actions contributions.ts offers: no button opens a dialog that does not
 * exist. A helper adding a dialog fills its slot in OperationsHost.vue and adds its kind here.
 */
export const builtDialogs: ReadonlySet<DialogKind> = new Set<DialogKind>(['create', 'clone', 'delete', 'backup', 'snapshot', 'migrate', 'evacuate']);

/**
 * Which operations dialog is open, for what: one at a time, opened from anywhere (guest menus, page headers, the top
 * bar) and shown by the one OperationsHost the shell mounts.
 */
export const useOperationsDialogs = defineStore('operations-dialogs', () => {
  const dialog = shallowRef<OpenDialog>();
  let opened = 0;

  function open(request: DialogRequest): void {
    opened += 1;
    dialog.value = { ...request, id: opened };
  }

  function close(): void {
    dialog.value = undefined;
  }

  return { dialog, open, close };
});
