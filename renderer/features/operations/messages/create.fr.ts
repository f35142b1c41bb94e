import type { createEn } from './create.en';

/** French messages of the operations feature's create part: the same keys as English. */
export const createFr: typeof createEn = {
  title: 'Créer',
  actions: {
    clone: 'Cloner…',
    migrate: 'Migrer…',
    backup: 'Sauvegarder maintenant…',
    snapshot: 'Prendre un instantané…',
    delete: 'Supprimer…',
    createHere: 'Créer une VM ici…',
    evacuate: 'Évacuer…',
    missing: 'Il vous manque le privilège {privilege} ici.',
  },
};
