import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { en } from '../../../i18n/en';
import { fr } from '../../../i18n/fr';
import { readCalendarEvent } from './calendar-reading';
import { scheduleWords, unreadableWords } from './calendar-words';

/** The schedule as the job dialog shows it, in `locale`. */
function words(schedule: string, locale: 'en' | 'fr'): string {
  const { t } = createI18n({ legacy: false, locale, messages: { en, fr } }).global;
  const reading = readCalendarEvent(schedule);
  return reading.readable ? scheduleWords(reading, t, locale) : unreadableWords(reading, t);
}

describe('readCalendarEvent', () => {
  it('reads weekdays, ranges that wrap and shortcuts into a structure', () => {
    expect(readCalendarEvent('sat 02:00')).toEqual({
      readable: true,
      weekdays: [{ from: 'sat', to: 'sat' }],
      time: { kind: 'at', times: [{ hour: 2, minute: 0, second: 0 }] },
    });
    expect(readCalendarEvent('sat..mon 1:5')).toMatchObject({
      weekdays: [
        { from: 'mon', to: 'mon' },
        { from: 'sat', to: 'sat' },
        { from: 'sun', to: 'sun' },
      ],
    });
    expect(readCalendarEvent('fri..wed 1:5')).toMatchObject({
      weekdays: [
        { from: 'mon', to: 'wed' },
        { from: 'fri', to: 'sun' },
      ],
    });
    expect(readCalendarEvent('weekly')).toMatchObject({ weekdays: [{ from: 'mon', to: 'mon' }], time: { kind: 'at' } });
    expect(readCalendarEvent('*/5')).toEqual({ readable: true, weekdays: [], time: { kind: 'minutes', minutes: [{ start: 0, step: 5 }], hours: 'every' } });
    expect(readCalendarEvent('quarterly')).toMatchObject({
      date: { years: 'every', months: [{ value: 1 }, { value: 4 }, { value: 7 }, { value: 10 }], days: [{ value: 1 }] },
    });
  });

  it('says why it cannot read a schedule', () => {
    expect(readCalendarEvent('  ')).toEqual({ readable: false, reason: 'empty' });
    expect(readCalendarEvent('someday 02:00')).toEqual({ readable: false, reason: 'syntax', near: 'someday' });
    expect(readCalendarEvent('sat 25:00')).toEqual({ readable: false, reason: 'out-of-range', near: '25' });
    expect(readCalendarEvent('sat 02:00 extra')).toEqual({ readable: false, reason: 'syntax', near: 'extra' });
    expect(readCalendarEvent('*-13-01')).toEqual({ readable: false, reason: 'out-of-range', near: '13' });
    expect(readCalendarEvent('12:00:0/10')).toEqual({ readable: false, reason: 'complex', near: '0/10' });
  });
});

describe('schedule in words', () => {
  it.each([
    ['sat 02:00', 'every Saturday at 02:00', 'tous les samedis à 02:00'],
    ['sat,sun 02:00', 'every Saturday and Sunday at 02:00', 'tous les samedis et dimanches à 02:00'],
    ['mon..fri 22:30', 'Monday to Friday at 22:30', 'du lundi au vendredi à 22:30'],
    ['mon..wed,sat 04:15', 'Monday to Wednesday and Saturday at 04:15', 'du lundi au mercredi et le samedi à 04:15'],
    ['21:00', 'every day at 21:00', 'tous les jours à 21:00'],
    ['daily', 'every day at 00:00', 'tous les jours à 00:00'],
    ['*-*-01 03:00', 'on day 1 of every month at 03:00', 'le 1er de chaque mois à 03:00'],
    ['monthly', 'on day 1 of every month at 00:00', 'le 1er de chaque mois à 00:00'],
    ['*-01,07-01,15', 'on days 1 and 15 of January and July at 00:00', 'les 1er et 15 de janvier et juillet à 00:00'],
    ['*:0/15', 'every 15 minutes', 'toutes les 15 minutes'],
    ['hourly', 'every hour at minute 00', 'toutes les heures à la minute 00'],
    ['mon..fri 8..17:0/30', 'Monday to Friday every 30 minutes of hours 08 to 17', 'du lundi au vendredi toutes les 30 minutes des heures 08 à 17'],
    ['sat 02:00,30', 'every Saturday at 02:00 and 02:30', 'tous les samedis à 02:00 et 02:30'],
    ['2027-12-24 18:00', 'on day 24 of December in 2027 at 18:00', 'le 24 de décembre en 2027 à 18:00'],
  ])('%s reads "%s" and "%s"', (schedule, english, french) => {
    expect(words(schedule, 'en')).toBe(english);
    expect(words(schedule, 'fr')).toBe(french);
  });

  it('says clearly, in both languages, that a schedule cannot be read', () => {
    expect(words('every saturday', 'en')).toBe('This schedule cannot be read: “every” is not a weekday, date or time PVE understands. PVE will refuse it.');
    expect(words('sat 24:00', 'fr')).toContain('« 24 » est hors limites');
    expect(words('', 'en')).toBe('Enter a schedule, such as sat 02:00.');
  });
});
