/**
 * Names, endpoints and host messages come from files and servers the user
 * does not control. Vue already renders them as text; this also keeps
 * invisible control characters and very long strings from confusing the
 * reader or stretching a dialog.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/g;

export function displayText(text: string, maxLength = 200): string {
  const printable = text.replace(controlCharacters, '\uFFFD');
  return printable.length > maxLength ? `${printable.slice(0, maxLength - 1)}…` : printable;
}

/** Locale-aware date and time of an ISO 8601 timestamp; the raw text when it does not parse. */
export function formatTimestamp(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return displayText(iso);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
}
