/**
 * Sizes, shares and durations as the inventory shows them, in the reader's
 * language: binary units (French writes octets: Kio, Mio, Gio), the locale's
 * decimal separator, uptimes as "3 d 4 h". One module for the tree, the lists
 * and the summaries so a figure reads the same everywhere.
 */

const byteUnits: { en: readonly string[]; fr: readonly string[] } = {
  en: ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'],
  fr: ['o', 'Kio', 'Mio', 'Gio', 'Tio', 'Pio'],
};

/** Days, hours, minutes, seconds: the short forms each language uses in tables. */
type DurationUnits = Record<'d' | 'h' | 'min' | 's', string>;
const durationUnits: { en: DurationUnits; fr: DurationUnits } = {
  en: { d: 'd', h: 'h', min: 'min', s: 's' },
  fr: { d: 'j', h: 'h', min: 'min', s: 's' },
};

/** The French forms for French, the English ones for any other language. */
function inLanguage<T>(forms: { en: T; fr: T }, locale: string): T {
  return locale.toLowerCase().startsWith('fr') ? forms.fr : forms.en;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** Intl formatters are slow to build and lists format thousands of cells: one per locale and precision. */
function numberFormat(locale: string, fractionDigits: number, style: 'decimal' | 'percent' = 'decimal'): Intl.NumberFormat {
  const key = `${locale}|${fractionDigits}|${style}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style, maximumFractionDigits: fractionDigits, minimumFractionDigits: 0 });
    numberFormats.set(key, format);
  }
  return format;
}

/** "1.5 GiB" / "1,5 Gio": one decimal below 100 of a unit, none above. */
export function formatBytes(bytes: number, locale: string): string {
  const units = inLanguage(byteUnits, locale);
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${numberFormat(locale, digits).format(value)}\u00a0${units[unit] ?? ''}`;
}

/** A fraction (0.425) as "42.5 %" in the locale's own way of writing percentages. */
export function formatPercent(fraction: number, locale: string, fractionDigits = 1): string {
  return numberFormat(locale, fractionDigits, 'percent').format(fraction);
}

/** A plain number with at most `fractionDigits` decimals, in the locale's separators. */
export function formatNumber(value: number, locale: string, fractionDigits = 2): string {
  return numberFormat(locale, fractionDigits).format(value);
}

/** "3 d 4 h", "4 h 12 min", "12 min", "45 s": the two largest units, enough to read at a glance. */
export function formatUptime(totalSeconds: number, locale: string): string {
  const units = inLanguage(durationUnits, locale);
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const join = (...parts: [number, string][]) => parts.map(([value, unit]) => `${value}\u00a0${unit}`).join(' ');
  if (days > 0) return join([days, units.d], [hours, units.h]);
  if (hours > 0) return join([hours, units.h], [minutes, units.min]);
  if (minutes > 0) return join([minutes, units.min]);
  return join([seconds, units.s]);
}

/** `used / total` as a fraction clamped to 0..1; 0 when the total is unknown or zero. */
export function fillRatio(used: number | undefined, total: number | undefined): number {
  if (used === undefined || total === undefined || !(total > 0)) return 0;
  return Math.min(1, Math.max(0, used / total));
}

/** Past 80 % a resource is nearly full, past 90 % full: what storages and memory warn about. */
export function fillLevel(ratio: number): 'normal' | 'warning' | 'error' {
  if (ratio > 0.9) return 'error';
  if (ratio > 0.8) return 'warning';
  return 'normal';
}
