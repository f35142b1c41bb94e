import type { spiceEn } from './spice.en';

/** Messages de la console en français : spice. */
export const spiceFr: typeof spiceEn = {
  screen: 'Écran de {title} (SPICE). Avec le focus, il prend le clavier ; Ctrl+Alt+Maj le rend à l’application.',
  noAgent: 'L’invité n’exécute pas d’agent SPICE : son affichage garde sa propre taille au lieu de suivre celle de l’onglet.',
};
