/**
 * Building `operations.updateConfig` changes from a form: PVE's property
 * strings written back (keeping the options the form does not show), and
 * only the keys whose value differs from what the form started from.
 */
import type { ConfigChange, ConfigValue } from '../../../../shared/domain/operations';
import type { ConfigValues } from './hardware-rows';

/**
 * `key=value,…` with `defaultKey`'s value first and bare (`local:100/vm-100-disk-0.raw,size=4G`), as
 * pve-common's `print_property_string` writes it; options left undefined or empty are dropped.
 */
export function printPropertyString(properties: Record<string, string | undefined>, defaultKey?: string): string {
  const parts: string[] = [];
  const first = defaultKey === undefined ? undefined : properties[defaultKey];
  if (first !== undefined && first !== '') parts.push(first);
  for (const [key, value] of Object.entries(properties)) {
    if (key === defaultKey || value === undefined || value === '') continue;
    parts.push(`${key}=${value}`);
  }
  return parts.join(',');
}

/**
 * The change that turns `before` into `after` for the keys `after` names: a key set to undefined is deleted
 * (when it was there), a key whose value reads the same is left alone.
 */
export function changeBetween(before: ConfigValues, after: Record<string, ConfigValue | undefined>): ConfigChange {
  const change: ConfigChange = { set: {}, delete: [], revert: [] };
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) {
      if (before[key] !== undefined) change.delete.push(key);
    } else if (String(value) !== String(before[key] ?? '')) {
      change.set[key] = value;
    }
  }
  return change;
}

export function isEmptyChange(change: ConfigChange): boolean {
  return Object.keys(change.set).length === 0 && change.delete.length === 0 && change.revert.length === 0;
}

export const gibibyte = 1024 ** 3;
