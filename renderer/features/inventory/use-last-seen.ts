import { useI18n } from 'vue-i18n';

const formats = new Map<string, { time: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat }>();

function formatsFor(locale: string): { time: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat } {
  let found = formats.get(locale);
  if (found === undefined) {
    found = {
      time: new Intl.DateTimeFormat(locale, { timeStyle: 'short' }),
      dateTime: new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }),
    };
    formats.set(locale, found);
  }
  return found;
}

/** When a cluster last answered, as the lists and banners say it: the time today, the date and time before. */
export function useLastSeenTime(): (iso: string | undefined) => string | undefined {
  const { locale } = useI18n();
  return (iso) => {
    const date = iso === undefined ? undefined : new Date(iso);
    if (date === undefined || Number.isNaN(date.getTime())) return undefined;
    const { time, dateTime } = formatsFor(locale.value);
    return date.toDateString() === new Date().toDateString() ? time.format(date) : dateTime.format(date);
  };
}

/** "last seen 10:42", or "not reached yet" for a cluster that never answered. */
export function useLastSeen(): (iso: string | undefined) => string {
  const { t } = useI18n();
  const timeOf = useLastSeenTime();
  return (iso) => {
    const time = timeOf(iso);
    return time === undefined ? t('inventory.tree.neverSeen') : t('inventory.tree.lastSeen', { time });
  };
}
