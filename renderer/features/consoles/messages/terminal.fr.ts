import type { terminalEn } from './terminal.en';

/** Messages de la console en français : terminal. */
export const terminalFr: typeof terminalEn = {
  screen: 'Terminal de {title}',
  tools: 'Outils du terminal',
  search: 'Rechercher dans le terminal',
  searchPlaceholder: 'Rechercher…',
  searchPrevious: 'Occurrence précédente',
  searchNext: 'Occurrence suivante',
  matches: 'Occurrence {index} sur {count}',
  manyMatches: 'Plus de {count} occurrences',
  noMatch: 'Aucune occurrence',
  fontSmaller: 'Texte plus petit',
  fontLarger: 'Texte plus grand',
  fontSize: 'Taille du texte : {size} px',
  keysHint: 'Copier : Ctrl+Maj+C · Coller : Ctrl+Maj+V · Quitter le terminal : Ctrl+Alt+Maj',
  menu: { copy: 'Copier', paste: 'Coller', selectAll: 'Tout sélectionner', search: 'Rechercher…' },
  pasteRefused: 'L’application ne peut pas lire le presse-papiers ici : appuyez sur Ctrl+Maj+V dans le terminal pour coller.',
  copyRefused: 'La sélection n’a pas pu être copiée : sélectionnez à nouveau le texte, puis appuyez sur Ctrl+Maj+C.',
};
