import type { inventoryEn } from './messages.en';

/** Les messages de la fonctionnalité inventory en français ; mêmes clés que l'anglais (vérifié par le type). */
export const inventoryFr: typeof inventoryEn = {
  title: 'Inventaire',
  emptyTitle: 'Rien à afficher pour l’instant',
  emptyBody: 'Dès qu’un cluster est connecté, ses machines virtuelles apparaissent ici avec leur état, leur charge et leurs étiquettes.',
  commands: {
    go: 'Aller à l’inventaire',
  },
};
