/** The command-palette feature's English messages, merged under `palette` into the app's catalogue (renderer/i18n). */
export const paletteEn = {
  title: 'Command palette',
  commandsLabel: 'Commands',
  placeholder: 'Type a command…',
  noMatch: 'No command matches “{query}”.',
  more: '{count} more: type to narrow',
  hint: '↑↓ to choose, Enter to run, Esc to close',
};
