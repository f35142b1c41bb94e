import { createI18n } from 'vue-i18n';
import type { SupportedLocale } from '../../shared/domain/settings';
import { en, type MessageSchema } from './en';
import { fr } from './fr';

export const i18n = createI18n<[MessageSchema], SupportedLocale, false>({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en, fr },
});

/** The UI language when the user follows the system: the first preferred language we have, else English. */
export function systemLocale(languages: readonly string[]): SupportedLocale {
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}
