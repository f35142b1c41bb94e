import type { vncEn } from './vnc.en';

/** Messages de la console en français : vnc. */
export const vncFr: typeof vncEn = {
  screen: 'Écran de {title} (VNC). Avec le focus, il prend le clavier ; Ctrl+Alt+Maj le rend à l’application.',
};
