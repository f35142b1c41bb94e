import type { CalendarReading, DateReading, FieldItem, TimeReading, WeekdaySpan } from './calendar-reading';

/** vue-i18n's `t` as this module uses it: named values, and a count for plural forms. */
type Translate = (key: string, named?: Record<string, unknown>, plural?: number) => string;

const prefix = 'operations.backups.schedule';
const twoDigits = (value: number) => String(value).padStart(2, '0');

/** "Saturday and Sunday", "samedi et dimanche": the locale's own way of listing. */
function list(items: string[], locale: string): string {
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(items);
}

function weekdayWords(runs: WeekdaySpan[], t: Translate, locale: string): string | undefined {
  if (runs.length === 0) return undefined;
  if (runs.every((run) => run.from === run.to))
    return t(`${prefix}.everyWeekday`, {
      days: list(
        runs.map((run) => t(`${prefix}.days.${run.from}`)),
        locale,
      ),
    });
  return list(
    runs.map((run) =>
      run.from === run.to
        ? t(`${prefix}.oneDay`, { day: t(`${prefix}.day.${run.from}`) })
        : t(`${prefix}.dayRange`, { from: t(`${prefix}.day.${run.from}`), to: t(`${prefix}.day.${run.to}`) }),
    ),
    locale,
  );
}

function itemWords(item: FieldItem, t: Translate, value: (n: number) => string): string {
  if ('value' in item) return value(item.value);
  if ('from' in item) return t(`${prefix}.range`, { from: value(item.from), to: value(item.to) });
  return item.end === undefined
    ? t(`${prefix}.step`, { step: item.step, start: value(item.start) })
    : t(`${prefix}.stepUntil`, { step: item.step, start: value(item.start), end: value(item.end) });
}

function fieldWords(items: FieldItem[], t: Translate, locale: string, value: (n: number) => string = String): string {
  return list(
    items.map((item) => itemWords(item, t, value)),
    locale,
  );
}

/** How many values a field names, for plural forms ("minute 0", "minutes 0 and 30"). */
const count = (items: FieldItem[]) => (items.length === 1 && 'value' in (items[0] ?? {}) ? 1 : 2);

function dateWords(date: DateReading, t: Translate, locale: string): string {
  const monthName = (month: number) => new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, month - 1, 1));
  const months = date.months === 'every' ? t(`${prefix}.everyMonth`) : fieldWords(date.months, t, locale, monthName);
  const parts =
    date.days === 'every'
      ? [t(`${prefix}.everyDayOf`, { months })]
      : [
          t(
            `${prefix}.daysOf`,
            { days: fieldWords(date.days, t, locale, (day) => (day === 1 ? t(`${prefix}.firstDay`) : String(day))), months },
            count(date.days),
          ),
        ];
  if (date.years !== 'every') parts.push(t(`${prefix}.years`, { years: fieldWords(date.years, t, locale) }));
  return parts.join(' ');
}

function timeWords(time: TimeReading, t: Translate, locale: string): string {
  if (time.kind === 'at') {
    const clock = ({ hour, minute, second }: { hour: number; minute: number; second: number }) =>
      `${twoDigits(hour)}:${twoDigits(minute)}${second === 0 ? '' : `:${twoDigits(second)}`}`;
    return t(`${prefix}.at`, { times: list(time.times.map(clock), locale) });
  }
  const { minutes, hours } = time;
  const only = minutes === 'every' ? undefined : minutes.length === 1 ? minutes[0] : undefined;
  let minuteWords: string;
  if (minutes === 'every') minuteWords = t(`${prefix}.everyMinute`);
  else if (only !== undefined && 'step' in only && only.end === undefined)
    minuteWords = only.start === 0 ? t(`${prefix}.everyMinutes`, { step: only.step }) : t(`${prefix}.everyMinutesFrom`, { step: only.step, start: only.start });
  else minuteWords = t(`${prefix}.atMinutes`, { minutes: fieldWords(minutes, t, locale, twoDigits) }, count(minutes));
  if (hours === 'every')
    return minutes === 'every' || (only !== undefined && 'step' in only) ? minuteWords : t(`${prefix}.everyHour`, { minutes: minuteWords });
  return t(`${prefix}.duringHours`, { minutes: minuteWords, hours: fieldWords(hours, t, locale, twoDigits) }, count(hours));
}

/**
 * A readable schedule in words: "every Saturday at 02:00", "du lundi au
 * vendredi à 22:30", "on day 1 of every month at 00:00".
 */
export function scheduleWords(reading: Extract<CalendarReading, { readable: true }>, t: Translate, locale: string): string {
  const days = weekdayWords(reading.weekdays, t, locale);
  const date = reading.date === undefined ? undefined : dateWords(reading.date, t, locale);
  const time = timeWords(reading.time, t, locale);
  // "at 02:00" alone says nothing of the days: every day is said in words.
  const everyDay = days === undefined && date === undefined && reading.time.kind === 'at' ? t(`${prefix}.everyDay`) : undefined;
  return [everyDay ?? days, date, time].filter((part) => part !== undefined).join(' ');
}

/** Why a schedule cannot be read, in words. */
export function unreadableWords(reading: Extract<CalendarReading, { readable: false }>, t: Translate): string {
  return t(`${prefix}.unreadable.${reading.reason}`, { near: reading.near ?? '' });
}
