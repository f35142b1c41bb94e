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
    // Only names and keyboard hints may read the same in both languages.
    expect(same.sort()).toEqual(['app.name', 'locale.en', 'locale.fr', 'settings.hosts.web', 'tasks.columns.description', 'topBar.paletteHint'].sort());
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
