/**
 * The rows of a guest's Options tab and their values in words, as PVE's
 * Options panel: each row one config key, with its value now and at the next
 * start when a change waits.
 */
import type { ConfigValue, PendingEntry } from '../../../../shared/domain/operations';
import { parsePropertyString } from '../../../../shared/pve/guest-config';
import { shownText } from '../../inventory';
import { rowValues, type ConfigValues, type HardwareRow } from '../hardware/hardware-rows';
import { bootDevices } from './boot-order';

export const optionKeys = ['name', 'onboot', 'startup', 'boot', 'ostype', 'agent', 'protection', 'description', 'tags'] as const;
export type OptionKey = (typeof optionKeys)[number];

export type OptionRow = Pick<HardwareRow, 'current' | 'pending' | 'removing'> & { key: OptionKey };

export function optionRows(entries: readonly PendingEntry[]): OptionRow[] {
  return optionKeys.map((key) => ({ key, ...rowValues(entries, [key]) }));
}

/** `startup: order=N,up=S,down=S` (pve-guest-common `pve-startup-order`). */
export interface Startup {
  order?: number;
  up?: number;
  down?: number;
}

export function parseStartup(value: ConfigValue | undefined): Startup {
  const properties = parsePropertyString(String(value ?? ''), 'order');
  const number = (text: string | undefined) => (text === undefined || !/^\d+$/.test(text) ? undefined : Number(text));
  const startup: Startup = {};
  const order = number(properties.order);
  const up = number(properties.up);
  const down = number(properties.down);
  if (order !== undefined) startup.order = order;
  if (up !== undefined) startup.up = up;
  if (down !== undefined) startup.down = down;
  return startup;
}

export function printStartup(startup: Startup): string | undefined {
  const parts = (['order', 'up', 'down'] as const).filter((key) => startup[key] !== undefined).map((key) => `${key}=${startup[key]}`);
  return parts.length === 0 ? undefined : parts.join(',');
}

/** `agent: 1` or `enabled=1,fstrim_cloned_disks=1,type=virtio`. */
export function parseAgent(value: ConfigValue | undefined): Record<string, string> {
  return parsePropertyString(String(value ?? ''), 'enabled');
}

/** `tags: a;b c,d` as PVE splits them. */
export function parseTags(value: ConfigValue | undefined): string[] {
  return String(value ?? '')
    .split(/[;, ]+/)
    .filter((tag) => tag !== '');
}

type Translate = (key: string, named?: Record<string, unknown>) => string;

const yesNo = (t: Translate, value: ConfigValue | undefined) => t(String(value) === '1' ? 'operations.config.options.yes' : 'operations.config.options.no');

/** How far the notes preview goes; the whole text is in the row's title and the editor. */
const notesPreview = 200;

/** An option's value in words; PVE's default named when the key is left out. */
export function describeOption(t: Translate, te: (key: string) => boolean, key: OptionKey, values: ConfigValues): string {
  const value = values[key];
  switch (key) {
    case 'name':
      return value === undefined ? t('operations.config.options.unnamed') : shownText(String(value));
    case 'onboot':
    case 'protection':
      return yesNo(t, value);
    case 'startup': {
      const startup = parseStartup(value);
      if (printStartup(startup) === undefined) return t('operations.config.options.startup.default');
      const parts = [
        startup.order === undefined ? t('operations.config.options.startup.anyOrder') : t('operations.config.options.startup.order', { order: startup.order }),
      ];
      if (startup.up !== undefined) parts.push(t('operations.config.options.startup.up', { seconds: startup.up }));
      if (startup.down !== undefined) parts.push(t('operations.config.options.startup.down', { seconds: startup.down }));
      return parts.join(', ');
    }
    case 'boot': {
      // Without `order=`, the devices PVE's legacy default (or `boot: cdn`) picks from the rest of the config.
      const devices = bootDevices(values)
        .filter((device) => device.enabled)
        .map((device) => shownText(device.key, 20));
      return devices.length === 0 ? t('operations.config.options.boot.none') : devices.join(', ');
    }
    case 'ostype': {
      if (value === undefined) return t('operations.config.options.ostype.unset');
      const known = `operations.common.osTypes.${String(value)}`;
      return te(known) ? t(known) : shownText(String(value), 40);
    }
    case 'agent': {
      const agent = parseAgent(value);
      if (agent.enabled !== '1') return t('operations.config.options.agent.disabled');
      return agent.fstrim_cloned_disks === '1' ? t('operations.config.options.agent.enabledFstrim') : t('operations.config.options.agent.enabled');
    }
    case 'description':
      return value === undefined || String(value).trim() === ''
        ? t('operations.config.options.noNotes')
        : shownText(String(value).replace(/\s+/g, ' '), notesPreview);
    case 'tags': {
      const tags = parseTags(value);
      return tags.length === 0 ? t('operations.config.options.noTags') : tags.map((tag) => shownText(tag, 60)).join(', ');
    }
  }
}
