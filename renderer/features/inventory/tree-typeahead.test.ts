import { describe, expect, it } from 'vitest';
import { createTypeahead } from './tree-typeahead';

const names = ['Lab', 'pve1', 'web-01', 'db-01', 'web-02', 'Wiki'];

describe('createTypeahead', () => {
  it('moves to the next name starting with the letter, wrapping, whatever the case', () => {
    let now = 0;
    const find = createTypeahead(() => now);
    expect(find('w', names, 0)).toBe(2);
    now += 1000;
    expect(find('W', names, 2)).toBe(4);
    now += 1000;
    expect(find('w', names, 5)).toBe(2);
    now += 1000;
    expect(find('z', names, 2)).toBeUndefined();
  });

  it('reads letters typed in quick succession as one word, staying on a row that still matches', () => {
    let now = 0;
    const find = createTypeahead(() => now);
    expect(find('w', names, 0)).toBe(2);
    now += 100;
    expect(find('e', names, 2)).toBe(2);
    now += 100;
    expect(find('b', names, 2)).toBe(2);
    now += 100;
    expect(find('-', names, 2)).toBe(2);
    now += 100;
    expect(find('0', names, 2)).toBe(2);
    now += 100;
    expect(find('2', names, 2)).toBe(4);
    now += 100;
    expect(find('i', names, 4)).toBeUndefined();
  });
});
