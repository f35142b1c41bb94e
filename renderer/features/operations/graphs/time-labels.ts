/**
 * Times on the graphs in the reader's language and time zone: ticks as
 * short as the spacing between them allows, the legend and the table with
 * the date and the minute.
 */

const daySeconds = 86_400;

/** How a tick is written given the seconds between two ticks: hours and minutes within a day, days within a month, months beyond. */
function tickOptions(stepSeconds: number): Intl.DateTimeFormatOptions {
  if (stepSeconds < daySeconds) return { hour: '2-digit', minute: '2-digit', hour12: false };
  if (stepSeconds < 28 * daySeconds) return { day: 'numeric', month: 'short' };
  return { month: 'short', year: 'numeric' };
}

/** Writes ticks `stepSeconds` apart (Unix seconds in, text out). */
export function timeTickFormat(locale: string, stepSeconds: number): (seconds: number) => string {
  const format = new Intl.DateTimeFormat(locale, tickOptions(stepSeconds));
  // A tick at midnight within a day's span says which day starts there.
  const dayFormat = stepSeconds < daySeconds ? new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }) : undefined;
  return (seconds) => {
    const date = new Date(seconds * 1000);
    if (dayFormat !== undefined && date.getHours() === 0 && date.getMinutes() === 0) return dayFormat.format(date);
    return format.format(date);
  };
}

/** The full time of one row, for the legend and the table: "2 Dec, 10:31". */
export function rowTimeFormat(locale: string): (seconds: number) => string {
  const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  return (seconds) => format.format(new Date(seconds * 1000));
}
