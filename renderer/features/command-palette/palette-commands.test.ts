import { describe, expect, it } from 'vitest';
import { filterCommands } from './palette-commands';

const commands = [{ label: 'Go to the inventory' }, { label: 'Use the dark theme' }, { label: 'Use the light theme' }];

describe('filterCommands', () => {
  it('keeps every command for an empty query', () => {
    expect(filterCommands(commands, '  ')).toEqual(commands);
  });
  it('matches every word, in any order and case', () => {
    expect(filterCommands(commands, 'THEME dark')).toEqual([{ label: 'Use the dark theme' }]);
  });
  it('matches accented French labels as typed', () => {
    expect(filterCommands([{ label: 'Ouvrir les paramètres' }], 'paramètres')).toHaveLength(1);
  });
  it('finds nothing for an unknown word', () => {
    expect(filterCommands(commands, 'reboot')).toEqual([]);
  });
});
