import type { paletteEn } from './messages.en';

/** Les messages de la fonctionnalité command-palette en français ; mêmes clés que l'anglais (vérifié par le type). */
export const paletteFr: typeof paletteEn = {
  title: 'Palette de commandes',
  commandsLabel: 'Commandes',
  placeholder: 'Tapez une commande…',
  noMatch: 'Aucune commande ne correspond à « {query} ».',
  more: '{count} de plus : tapez pour affiner',
  hint: '↑↓ pour choisir, Entrée pour lancer, Échap pour fermer',
};
