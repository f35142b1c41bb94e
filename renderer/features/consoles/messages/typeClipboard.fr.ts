import type { typeClipboardEn } from './typeClipboard.en';

/** Messages de la console en français : typeClipboard. */
export const typeClipboardFr: typeof typeClipboardEn = {
  title: 'Taper du texte dans l’invité',
  intro:
    'Le texte est envoyé en frappes de touches : l’invité n’a besoin d’aucun agent de presse-papiers. Choisissez la disposition de clavier de l’invité, pas la vôtre.',
  text: 'Texte à taper',
  layout: 'Disposition du clavier de l’invité',
  layouts: { 'en-us': 'Anglais (États-Unis)', fr: 'Français (AZERTY)' },
  submit: 'Taper',
  confirm: 'Ce texte compte {count} caractères : l’invité reçoit chacun comme une frappe, ce qui prend du temps. Les taper tous ?',
  confirmSubmit: 'Taper {count} caractères',
  typedAll: '{count} caractères tapés ; aucun omis.',
  skipped: 'La disposition {layout} ne produit pas ces caractères, ils n’ont pas été tapés : {characters}',
  failed: 'Les touches n’ont pas toutes été envoyées : la console n’est pas connectée. Reconnectez-la, puis tapez à nouveau le texte.',
};
