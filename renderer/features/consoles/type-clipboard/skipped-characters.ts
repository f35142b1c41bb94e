/**
 * The skipped characters as the dialog lists them: each with its code point, so an invisible one (a no-break space,
 * a zero-width joiner) can be told apart and found in the text.
 */
export function describeSkipped(skipped: readonly string[]): string {
  return skipped.map((character) => `${character} (U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
}
