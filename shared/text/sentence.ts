import { z } from 'zod';
import type { SupportedLocale } from '../domain/settings';

/** The app's languages besides English, the one every message is written in first (and the one logs keep). */
export type TranslatedLocale = Exclude<SupportedLocale, 'en'>;

/**
 * A sentence main writes for a person, in every language the app speaks. Main cannot know which language will read
 * it (several windows, each with its own; a job's error read later), so it sends them all and the window picks.
 */
export type Sentence = { en: string } & Record<TranslatedLocale, string>;

/** A text from outside (a path, a command, a server's words) as a sentence: it reads the same in every language. */
export function asSentence(text: string | Sentence): Sentence {
  return typeof text === 'string' ? { en: text, fr: text } : text;
}

/** A message's other languages, beside its English text. */
export type Translations = Partial<Record<TranslatedLocale, string>>;

/** `Translations` as files that keep them (a P2V job's record) are read back. */
export const translationsSchema: z.ZodType<Translations> = z.object({ fr: z.string().optional() });

/** A message as errors and views carry it: the English text, and its translations when main wrote them. */
export interface CarriedMessage {
  message: string;
  translations?: Translations;
}

export function carriedMessage(text: string | Sentence | CarriedMessage): CarriedMessage {
  if (typeof text === 'string') return { message: text };
  if ('message' in text) return text;
  const { en, ...translations } = text;
  return { message: en, translations };
}

/**
 * An error's message in every language, to be put in a sentence of one's own: its translations when main wrote them,
 * else its English text in each (an OS's or a server's message has no other).
 */
export function sentenceOfError(error: unknown): Sentence {
  const message = error instanceof DescribedError ? error.carried() : { message: error instanceof Error ? error.message : String(error) };
  return { en: message.message, fr: inLocale(message, 'fr') };
}

/** The message in `locale`, in English when main wrote none for it. */
export function inLocale(message: CarriedMessage, locale: string): string {
  const translated = locale === 'en' ? undefined : message.translations?.[locale as TranslatedLocale];
  return translated === undefined || translated === '' ? message.message : translated;
}

/**
 * An error whose message main wrote in the app's languages. Its `message` stays the English text: the log's, and
 * what tests and other code read.
 */
export class DescribedError extends Error {
  readonly translations?: Translations;

  constructor(text: string | Sentence | CarriedMessage, options?: ErrorOptions) {
    const { message, translations } = carriedMessage(text);
    super(message, options);
    if (translations !== undefined) this.translations = translations;
  }

  /** The message as it crosses to a window. */
  carried(): CarriedMessage {
    return this.translations === undefined ? { message: this.message } : { message: this.message, translations: this.translations };
  }
}
