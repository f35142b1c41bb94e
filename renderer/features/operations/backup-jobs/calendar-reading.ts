/**
 * Reads PVE's calendar events (`pve-calendar-event`, proxmox-time's
 * `parse_calendar_event`: systemd-like `[WEEKDAYS] [[YEARS-]MONTHS-DAYS]
 * [[HOURS:]MINUTES[:SECONDS]]` or a shortcut such as `daily`) into a
 * structure a view can put into words in any language, or says why it
 * cannot. It only reads: PVE stays the judge of what it accepts.
 */

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** A run of consecutive weekdays; one day when `from` and `to` are the same. */
export interface WeekdaySpan {
  from: Weekday;
  to: Weekday;
}

/** One comma-separated item of a numeric field: a value, a range, or a repetition from `start` (`*` = the field's first value). */
export type FieldItem = { value: number } | { from: number; to: number } | { start: number; step: number; end?: number };
/** A numeric field: every value (`*`), or the listed items. */
export type Field = 'every' | FieldItem[];

export interface DateReading {
  years: Field;
  months: Field;
  days: Field;
}

/**
 * When in the day: a few clock times (`at`), or minutes of some hours
 * (every 15 minutes, minute 0 of every hour…).
 */
export type TimeReading = { kind: 'at'; times: { hour: number; minute: number; second: number }[] } | { kind: 'minutes'; minutes: Field; hours: Field };

export type UnreadableReason = 'empty' | 'syntax' | 'out-of-range' | 'complex';

export type CalendarReading =
  | {
      readable: true;
      /** Runs of weekdays; empty for every day. */
      weekdays: WeekdaySpan[];
      /** Absent for every date. */
      date?: DateReading;
      time: TimeReading;
    }
  | { readable: false; reason: UnreadableReason; /** The part that could not be read. */ near?: string };

/** The most clock times read out one by one before the reading speaks of minutes and hours instead. */
const maxListedTimes = 6;

/** proxmox-time's shortcuts and what they stand for. */
const shortcuts: Record<string, string> = {
  minutely: '*:*:00',
  hourly: '*:00:00',
  daily: '00:00:00',
  weekly: 'mon 00:00:00',
  monthly: '*-*-01 00:00:00',
  yearly: '*-01-01 00:00:00',
  annually: '*-01-01 00:00:00',
  quarterly: '*-01,04,07,10-01 00:00:00',
  semiannually: '*-01,07-01 00:00:00',
  'semi-annually': '*-01,07-01 00:00:00',
};

const longWeekdays: Record<string, Weekday> = {
  monday: 'mon',
  tuesday: 'tue',
  wednesday: 'wed',
  thursday: 'thu',
  friday: 'fri',
  saturday: 'sat',
  sunday: 'sun',
};

class Unreadable extends Error {
  constructor(
    readonly reason: UnreadableReason,
    readonly near: string,
  ) {
    super(reason);
  }
}

function weekday(word: string): Weekday {
  const day = (weekdays as readonly string[]).includes(word) ? (word as Weekday) : longWeekdays[word];
  if (day === undefined) throw new Unreadable('syntax', word);
  return day;
}

/** `mon..fri,sun` as a set of day indexes; a range may wrap past Sunday (`sat..mon`) as proxmox-time allows. */
function weekdaySet(spec: string): Set<number> {
  const days = new Set<number>();
  for (const part of spec.split(',')) {
    const [first = '', last, ...rest] = part.split('..');
    if (rest.length > 0) throw new Unreadable('syntax', part);
    const from = weekdays.indexOf(weekday(first));
    const to = last === undefined ? from : weekdays.indexOf(weekday(last));
    for (let day = from; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === to) break;
    }
  }
  return days;
}

/** The set as runs of three or more consecutive days, or single days, Monday first; a run does not wrap (`sat..mon` reads "Monday, Saturday and Sunday"). */
function spans(days: Set<number>): WeekdaySpan[] {
  if (days.size === 7) return [];
  const runs: WeekdaySpan[] = [];
  for (let day = 0; day < 7; day++) {
    if (!days.has(day)) continue;
    let end = day;
    while (days.has(end + 1)) end++;
    // Two days read better as a pair ("Saturday and Sunday") than as a range.
    if (end === day + 1) runs.push({ from: weekdays[day] ?? 'mon', to: weekdays[day] ?? 'mon' }, { from: weekdays[end] ?? 'sun', to: weekdays[end] ?? 'sun' });
    else runs.push({ from: weekdays[day] ?? 'mon', to: weekdays[end] ?? 'sun' });
    day = end;
  }
  return runs;
}

function number(text: string, min: number, max: number): number {
  if (!/^\d{1,4}$/.test(text)) throw new Unreadable('syntax', text);
  const value = Number(text);
  if (value < min || value > max) throw new Unreadable('out-of-range', text);
  return value;
}

/** One field: `*`, `5`, `1..5`, `0/15`, `*\/15`, `1..20/5`, and lists of those. */
function field(spec: string, min: number, max: number): Field {
  if (spec === '*') return 'every';
  return spec.split(',').map((part): FieldItem => {
    const [range = '', step, ...rest] = part.split('/');
    if (rest.length > 0 || range === '') throw new Unreadable('syntax', part);
    const [first = '', last, ...more] = range.split('..');
    if (more.length > 0) throw new Unreadable('syntax', part);
    if (step !== undefined) {
      const every = number(step, 1, max);
      const start = first === '*' ? min : number(first, min, max);
      return last === undefined ? { start, step: every } : { start, step: every, end: number(last, start, max) };
    }
    if (first === '*') throw new Unreadable('syntax', part);
    const from = number(first, min, max);
    return last === undefined ? { value: from } : { from, to: number(last, from, max) };
  });
}

/** Every value the field matches between `min` and `max`. */
export function fieldValues(spec: Field, min: number, max: number): number[] {
  if (spec === 'every') return Array.from({ length: max - min + 1 }, (_, index) => min + index);
  const values = new Set<number>();
  for (const item of spec) {
    if ('value' in item) values.add(item.value);
    else if ('from' in item) for (let value = item.from; value <= item.to; value++) values.add(value);
    else for (let value = item.start; value <= (item.end ?? max); value += item.step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function date(spec: string): DateReading {
  const parts = spec.split('-');
  if (parts.length === 2) return { years: 'every', months: field(parts[0] ?? '', 1, 12), days: field(parts[1] ?? '', 1, 31) };
  if (parts.length === 3) return { years: field(parts[0] ?? '', 1970, 9999), months: field(parts[1] ?? '', 1, 12), days: field(parts[2] ?? '', 1, 31) };
  throw new Unreadable('syntax', spec);
}

function time(spec: string): TimeReading {
  const parts = spec.split(':');
  if (parts.length > 3) throw new Unreadable('syntax', spec);
  // One part is the minutes of every hour (`*/5`, `30/10`), as in proxmox-time.
  const [hourSpec, minuteSpec = '', secondSpec = '0'] = parts.length === 1 ? ['*', parts[0]] : parts;
  const hours = field(hourSpec ?? '*', 0, 23);
  const minutes = field(minuteSpec, 0, 59);
  const seconds = fieldValues(field(secondSpec, 0, 59), 0, 59);
  const second = seconds[0] ?? 0;
  if (seconds.length > 1) throw new Unreadable('complex', secondSpec);
  const hourValues = fieldValues(hours, 0, 23);
  const minuteValues = fieldValues(minutes, 0, 59);
  if (hours !== 'every' && hourValues.length * minuteValues.length <= maxListedTimes) {
    return { kind: 'at', times: hourValues.flatMap((hour) => minuteValues.map((minute) => ({ hour, minute, second }))) };
  }
  if (second !== 0) throw new Unreadable('complex', secondSpec);
  return { kind: 'minutes', minutes, hours };
}

function read(text: string): CalendarReading {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { readable: false, reason: 'empty' };
  const expanded = words.length === 1 && shortcuts[words[0] ?? ''] !== undefined ? (shortcuts[words[0] ?? ''] ?? '').split(' ') : words;
  let days = new Set([0, 1, 2, 3, 4, 5, 6]);
  if (/^[a-z]/.test(expanded[0] ?? '')) days = weekdaySet(expanded.shift() ?? '');
  let dateReading: DateReading | undefined;
  if (expanded[0]?.includes('-') === true) dateReading = date(expanded.shift() ?? '');
  const timeReading = time(expanded.shift() ?? '0:0');
  if (expanded.length > 0) throw new Unreadable('syntax', expanded.join(' '));
  const everyDate = dateReading !== undefined && dateReading.years === 'every' && dateReading.months === 'every' && dateReading.days === 'every';
  return { readable: true, weekdays: spans(days), ...(dateReading === undefined || everyDate ? {} : { date: dateReading }), time: timeReading };
}

/** The reading of a schedule, or why there is none. */
export function readCalendarEvent(text: string): CalendarReading {
  try {
    return read(text);
  } catch (failure) {
    if (failure instanceof Unreadable) return { readable: false, reason: failure.reason, near: failure.near };
    throw failure;
  }
}
