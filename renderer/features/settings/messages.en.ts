/** The settings feature's English messages, merged under `settings` into the app's catalogue (renderer/i18n). */
export const settingsEn = {
  title: 'Settings',
  appearance: 'Appearance',
  theme: 'Theme',
  language: 'Language',
  about: 'About',
  version: 'Version {version}, served by the {host} host on {platform}',
  hosts: { electron: 'desktop', web: 'web' },
};
