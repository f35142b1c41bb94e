/** Letters typed closer together than this make one word; a longer pause starts a new one. */
const pauseMs = 700;

/**
 * Type-ahead over the tree's visible rows: each letter adds to the word, and
 * the cursor moves to the next row whose name starts with it (from the row
 * after the cursor for a first letter, from the cursor itself after that,
 * so "we" stays on "web-01" once "w" found it), wrapping at the end.
 */
export function createTypeahead(now: () => number = Date.now) {
  let word = '';
  let lastAt = 0;

  return function find(letter: string, names: readonly string[], cursor: number): number | undefined {
    const at = now();
    word = at - lastAt > pauseMs ? letter.toLocaleLowerCase() : word + letter.toLocaleLowerCase();
    lastAt = at;
    const start = word.length === 1 ? cursor + 1 : Math.max(cursor, 0);
    for (let step = 0; step < names.length; step++) {
      const index = (start + step) % names.length;
      if (names[index]?.toLocaleLowerCase().startsWith(word)) return index;
    }
    return undefined;
  };
}

/** A key that types a letter (not a shortcut, not a named key like "Enter"). */
export function isTypedLetter(event: KeyboardEvent): boolean {
  return event.key.length === 1 && event.key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey;
}
