/**
 * Commands for the node's shell (root's login shell runs what SSH sends). Every
 * argument goes through `shellQuote`, so a path or a storage name can never
 * become shell syntax.
 */

/** Words the shell reads literally; left bare so commands stay readable in logs. */
const LITERAL_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word: bare when it is literal anyway, else single-quoted (a `'` inside becomes `'\''`). */
export function shellQuote(word: string | number): string {
  const text = String(word);
  if (LITERAL_WORD.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A command line of quoted words. */
export function shellCommand(words: readonly (string | number)[]): string {
  return words.map(shellQuote).join(' ');
}
