import { withoutBidiControls } from '../../../shared/text/bidi-controls';
import type { InventoryItem } from '../../../shared/domain/inventory';
import { displayText } from '../connections';

/** Longest name the tree and the dialogs show; a longer one ends with an ellipsis (its full text stays in the tooltip). */
export const maxShownName = 120;

/** Text a server chose, made safe to show: no bidi or control characters, capped. */
export function shownText(text: unknown, maxLength = maxShownName): string {
  return typeof text === 'string' ? displayText(withoutBidiControls(text), maxLength) : '';
}

/** What an item is called on screen: a guest's name (else "VM 100"), a node's, a storage's or a pool's name, else its id. */
export function itemName(item: InventoryItem): string {
  const named = shownText(item.name ?? (item.type === 'node' ? item.node : undefined) ?? item.storage ?? item.pool);
  if (named !== '') return named;
  if (typeof item.vmid === 'number') return `${item.type === 'lxc' ? 'CT' : 'VM'} ${item.vmid}`;
  return shownText(item.id);
}

/** "web-01 (100)": a guest as dialogs and job titles name it, its id beside its name. */
export function guestLabel(item: InventoryItem): string {
  const name = itemName(item);
  return typeof item.vmid === 'number' && typeof item.name === 'string' && item.name !== '' ? `${name} (${item.vmid})` : name;
}
