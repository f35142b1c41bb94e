/** The settings feature's English messages, merged under `settings` into the app's catalogue (renderer/i18n). */
export const settingsEn = {
  title: 'Settings',
  appearance: 'Appearance',
  theme: 'Theme',
  language: 'Language',
  about: 'About',
  version: 'Version {version}, served by the {host} host on {platform}',
  hosts: { electron: 'desktop', web: 'web' },
  commands: {
    open: 'Open settings',
    themeLight: 'Use the light theme',
    themeDark: 'Use the dark theme',
    themeSystem: 'Follow the system theme',
    localeEn: 'Switch to English',
    localeFr: 'Switch to French',
    toggleTasks: 'Show or hide the task log',
  },
};
