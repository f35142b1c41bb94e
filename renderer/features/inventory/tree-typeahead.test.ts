import { describe, expect, it } from 'vitest';
import { createTypeahead } from './tree-typeahead';

const names = ['Lab', 'pve1', 'web-01', 'db-01', 'web-02', 'Wiki'];

/** Types `letters` one by one, `gapMs` apart, the cursor of each at `cursors[i]`, and returns the row each letter lands on. */
function typeLetters(gapMs: number, letters: string, cursors: readonly number[]): (number | undefined)[] {
  let now = 0;
  const find = createTypeahead(() => now);
  return [...letters].map((letter, index) => {
    const found = find(letter, names, cursors[index] ?? 0);
    now += gapMs;
    return found;
  });
}

describe('createTypeahead', () => {
  it('moves to the next name starting with the letter, wrapping, whatever the case', () => {
    expect(typeLetters(1000, 'wWwz', [0, 2, 5, 2])).toEqual([2, 4, 2, undefined]);
  });

  it('reads letters typed in quick succession as one word, staying on a row that still matches', () => {
    expect(typeLetters(100, 'web-02i', [0, 2, 2, 2, 2, 2, 4])).toEqual([2, 2, 2, 2, 2, 4, undefined]);
  });
});
