import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';
import { systemLocale } from './index';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, item]) => keysOf(item, prefix ? `${prefix}.${key}` : key));
}

function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Object.values(value as object).flatMap(leaves);
}

/** Groups of proper names (product, bus and NIC model names, OS releases) that read the same in every language. */
const properNameGroups = [
  'operations.common.buses',
  'operations.common.nicModels',
  'operations.common.osTypes',
  'p2v.firmwares',
  'p2v.targetFormats',
  'p2v.inspect.tables',
];

/** Every other message that may read the same in French, and why: a name, a placeholder-only text, or a word French shares. */
const sameInBothLanguages: Record<string, string> = {
  'app.name': 'the product name',
  'locale.en': 'each language names itself in its own words',
  'locale.fr': 'each language names itself in its own words',
  'settings.hosts.web': 'a host name pattern',
  'tasks.columns.description': 'French "Description" is the same word',
  'topBar.paletteHint': 'a keyboard shortcut',
  'inventory.guestPage.tab.options': 'French "Options" is the same word',
  'operations.config.options.heading': 'French "Options" is the same word',
  'operations.config.options.columns.option': 'French "Option" is the same word',
  'operations.config.options.keys.description': 'French "Notes" is the same word',
  'operations.config.options.keys.protection': 'French "Protection" is the same word',
  'operations.config.hardware.columns.actions': 'French "Actions" is the same word',
  'settings.presets.actions': 'French "Actions" is the same word',
  'operations.config.hardware.kinds.machine': 'French "Machine" is the same word',
  'operations.config.diskAdd.bus': 'French "Bus" is the same word',
  'operations.config.diskAdd.format': 'French "Format" is the same word',
  'operations.config.move.format': 'French "Format" is the same word',
  'operations.config.hardware.values.format': 'French "format {format}" is the same words',
  'operations.create.dialog.cluster': 'French says "cluster" too (as PVE\'s French interface does)',
  'operations.create.dialog.storageOptionUnknown': 'only placeholders and punctuation: "{storage} ({type})"',
  'operations.config.hardware.kinds.bios': 'an acronym: BIOS',
  'operations.config.hardware.values.ovmf': 'a firmware name: OVMF (UEFI)',
  'operations.config.hardware.values.mac': 'an acronym and a placeholder: MAC {mac}',
  'operations.config.hardware.values.vlan': 'an acronym and a placeholder: VLAN {tag}',
  'settings.presets.cores': 'a unit: vCPU',
  'consoles.common.nav.consoles': 'French "Consoles" is the same word',
  'consoles.common.kinds.vnc': 'a protocol name: VNC',
  'consoles.common.kinds.spice': 'a protocol name: SPICE',
  'nav.p2v': 'an acronym: P2V',
  'p2v.common.cluster': 'French says "cluster" too (as PVE\'s French interface does)',
  'p2v.inspect.format': 'French "Format" is the same word',
  'p2v.steps.source.short': 'French "Source" is the same word',
  'p2v.summary.source': 'French "Source" is the same word',
  'p2v.target.sockets': 'French says "sockets" too (as PVE\'s French interface does)',
  'p2v.windows.buses.scsi': 'a bus name: VirtIO SCSI',
  'p2v.source.nodeImage.volumeOption': 'only placeholders and punctuation: "{volid} — {size}"',
  'p2v.source.ssh.deviceOption': 'only placeholders and punctuation',
  'p2v.summary.diskText': 'only placeholders and punctuation: "{format}, {size}"',
  'p2v.step.inspected': 'only placeholders and punctuation: "{format}, {virtualSize}"',
  'p2v.target.presetOption': 'placeholders and a unit: vCPU',
};

describe('translation catalogues', () => {
  it('have exactly the same keys in English and French', () => {
    expect(keysOf(fr).sort()).toEqual(keysOf(en).sort());
  });

  it('have no empty message, and French is actually translated', () => {
    expect(leaves(en).every((text) => text.trim().length > 0)).toBe(true);
    expect(leaves(fr).every((text) => text.trim().length > 0)).toBe(true);
    const same = keysOf(en).filter((key) => {
      const get = (root: unknown) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], root);
      return get(en) === get(fr);
    });
    const unexplained = same.filter((key) => !properNameGroups.some((group) => key.startsWith(`${group}.`)));
    expect(unexplained.sort()).toEqual(Object.keys(sameInBothLanguages).sort());
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    const enLeaves = keysOf(en);
    for (const key of enLeaves) {
      const get = (root: unknown) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], root) as string;
      expect(placeholders(get(fr)), key).toEqual(placeholders(get(en)));
    }
  });
});

describe('systemLocale', () => {
  it.each([
    [['fr-CA', 'en-US'], 'fr'],
    [['en-GB', 'fr-FR'], 'en'],
    [['de-DE', 'fr-FR'], 'fr'],
    [['de-DE'], 'en'],
    [[], 'en'],
  ])('%j gives %s', (languages, expected) => {
    expect(systemLocale(languages)).toBe(expected);
  });
});
