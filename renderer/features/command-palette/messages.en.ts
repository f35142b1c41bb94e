/** The command-palette feature's English messages, merged under `palette` into the app's catalogue (renderer/i18n). */
export const paletteEn = {
  title: 'Command palette',
  commandsLabel: 'Commands',
  placeholder: 'Type a command…',
  noMatch: 'No command matches “{query}”.',
  hint: '↑↓ to choose, Enter to run, Esc to close',
  commands: {
    goInventory: 'Go to the inventory',
    goConnections: 'Go to connections',
    goSettings: 'Open settings',
    themeLight: 'Use the light theme',
    themeDark: 'Use the dark theme',
    themeSystem: 'Follow the system theme',
    localeEn: 'Switch to English',
    localeFr: 'Switch to French',
    toggleTasks: 'Show or hide the task log',
  },
};
