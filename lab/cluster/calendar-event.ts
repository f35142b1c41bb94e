/**
 * PVE's `pve-calendar-event` format (pve-common `verify_calendar_event`,
 * proxmox-time `parse_calendar_event`): systemd-like `[weekdays] [date] [time]`
 * or a shortcut word. Only validated: the lab runs no scheduler.
 */

const SHORTCUTS = new Set(['minutely', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'annually', 'quarterly', 'semiannually', 'semi-annually']);
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const FULL_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function isWeekday(word: string): boolean {
  return WEEKDAYS.includes(word) || FULL_WEEKDAYS.includes(word);
}

/** A weekday list: `mon`, `mon..fri`, `sat,sun`. */
function isWeekdaySpec(spec: string): boolean {
  return spec.split(',').every((part) => {
    const [from, to, ...rest] = part.split('..');
    return rest.length === 0 && from !== undefined && isWeekday(from) && (to === undefined || isWeekday(to));
  });
}

// One numeric component, comma-separated: a star, a star with a repetition (every 15), `5`, `5/10`, `1..5`, `1..5/2`.
function isComponent(spec: string, max: number, min = 0): boolean {
  const inRange = (n: string): boolean => /^\d+$/.test(n) && Number(n) >= min && Number(n) <= max;
  return spec.split(',').every((part) => {
    const [range = '', repeat, ...rest] = part.split('/');
    if (rest.length > 0 || (repeat !== undefined && !/^[1-9]\d*$/.test(repeat))) return false;
    if (range === '*') return true;
    const [from = '', to, ...more] = range.split('..');
    return more.length === 0 && inRange(from) && (to === undefined || inRange(to));
  });
}

/** `[[H:]M:]S`-like time: `M`, `H:M` or `H:M:S`. */
function isTime(spec: string): boolean {
  const parts = spec.split(':');
  if (parts.length === 1) return isComponent(parts[0] ?? '', 59);
  if (parts.length > 3) return false;
  const [hours = '', minutes = '', seconds] = parts;
  return isComponent(hours, 23) && isComponent(minutes, 59) && (seconds === undefined || isComponent(seconds, 59));
}

/** `Y-M-D` or `M-D`. */
function isDate(spec: string): boolean {
  const parts = spec.split('-');
  if (parts.length === 2) return isComponent(parts[0] ?? '', 12, 1) && isComponent(parts[1] ?? '', 31, 1);
  if (parts.length !== 3) return false;
  const [year = '', month = '', day = ''] = parts;
  return isComponent(year, 9999, 1970) && isComponent(month, 12, 1) && isComponent(day, 31, 1);
}

function isCalendarEvent(event: string): boolean {
  const words = event.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 1 && SHORTCUTS.has(words[0] ?? '')) return true;
  if (words.length > 0 && /^[a-z]/.test(words[0] ?? '')) {
    if (!isWeekdaySpec(words.shift() ?? '')) return false;
    if (words.length === 0) return true;
  }
  if (words.length === 2) return isDate(words[0] ?? '') && isTime(words[1] ?? '');
  if (words.length !== 1) return false;
  const only = words[0] ?? '';
  return only.includes('-') && !only.includes(':') ? isDate(only) : isTime(only);
}

/** The error pve-common's format check gives for a schedule proxmox-time cannot parse, or undefined when it parses. */
export function calendarEventError(event: string): string | undefined {
  return isCalendarEvent(event) ? undefined : `invalid format - invalid calendar event '${event}' - unable to parse calendar event`;
}
