/** The consoles feature's English messages: terminal. */
export const terminalEn = {
  screen: 'Terminal of {title}',
  tools: 'Terminal tools',
  search: 'Search the terminal',
  searchPlaceholder: 'Search…',
  searchPrevious: 'Previous match',
  searchNext: 'Next match',
  matches: 'Match {index} of {count}',
  manyMatches: 'More than {count} matches',
  noMatch: 'No match',
  fontSmaller: 'Smaller text',
  fontLarger: 'Larger text',
  fontSize: 'Text size: {size} px',
  keysHint: 'Copy: Ctrl+Shift+C · Paste: Ctrl+Shift+V · Leave the terminal: Ctrl+Alt+Shift',
  menu: { copy: 'Copy', paste: 'Paste', selectAll: 'Select all', search: 'Search…' },
  pasteRefused: 'The app may not read the clipboard here: press Ctrl+Shift+V in the terminal to paste.',
  copyRefused: 'The selection could not be copied: select the text again, then press Ctrl+Shift+C.',
};
