import type { settingsEn } from './messages.en';

/** Les messages de la fonctionnalité settings en français ; mêmes clés que l'anglais (vérifié par le type). */
export const settingsFr: typeof settingsEn = {
  title: 'Paramètres',
  appearance: 'Apparence',
  theme: 'Thème',
  language: 'Langue',
  about: 'À propos',
  version: 'Version {version}, servie par l’hôte {host} sous {platform}',
  hosts: { electron: 'de bureau', web: 'web' },
  commands: {
    open: 'Ouvrir les paramètres',
    themeLight: 'Utiliser le thème clair',
    themeDark: 'Utiliser le thème sombre',
    themeSystem: 'Suivre le thème du système',
    localeEn: 'Passer en anglais',
    localeFr: 'Passer en français',
    toggleTasks: 'Afficher ou masquer le journal des tâches',
  },
};
