import { shownText } from '../../inventory';

/**
 * Text the cluster wrote (snapshot descriptions, backup notes) on one line:
 * its whitespace and line breaks as single spaces, then made safe and cut by
 * shownText; the view keeps the longer cut in a title.
 */
export function oneLine(text: string | undefined, maxLength: number): string {
  return shownText((text ?? '').replace(/\s+/g, ' ').trim(), maxLength);
}

/**
 * A Unix time as the reader's date and time to the second ("2 Dec 2026, 10:30:05"), or undefined when absent:
 * backups and snapshots taken within the same minute stay told apart.
 */
export function formatUnixTime(seconds: number | undefined, locale: string): string | undefined {
  if (seconds === undefined || !Number.isFinite(seconds)) return undefined;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(seconds * 1000));
}
